//! Numbers as JSON: shortest round-trip form, integers without `.0`, and the strings
//! `"NaN"`, `"inf"`, `"-inf"` for what JSON cannot hold.

use serde_json::{Map, Value};

pub fn number(v: f64) -> Value {
    if v.is_nan() {
        Value::from("NaN")
    } else if v.is_infinite() {
        Value::from(if v > 0.0 { "inf" } else { "-inf" })
    } else if v.fract() == 0.0
        && v.abs() < 9.007_199_254_740_992e15
        && !(v == 0.0 && v.is_sign_negative())
    {
        Value::from(v as i64)
    } else {
        Value::from(v)
    }
}

/// `{"t1": "σ(x)", "x": "t1·y"}`: one string per name, in order.
pub fn strings_by_name<'a>(pairs: impl IntoIterator<Item = (&'a String, &'a String)>) -> Value {
    let map: Map<String, Value> = pairs
        .into_iter()
        .map(|(n, s)| (n.clone(), Value::from(s.as_str())))
        .collect();
    Value::Object(map)
}

/// `{"x": 1, "y": -2.5}`: one number per name, in order.
pub fn numbers_by_name(names: &[impl AsRef<str>], values: &[f64]) -> Value {
    let map: Map<String, Value> = names
        .iter()
        .zip(values)
        .map(|(n, v)| (n.as_ref().to_string(), number(*v)))
        .collect();
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn integers_print_without_fraction() {
        assert_eq!(number(2.0).to_string(), "2");
        assert_eq!(number(-3.0).to_string(), "-3");
    }

    #[test]
    fn fractions_print_shortest_round_trip() {
        assert_eq!(number(0.1).to_string(), "0.1");
        assert_eq!(number(0.7310585786300049).to_string(), "0.7310585786300049");
    }

    #[test]
    fn non_finite_numbers_are_strings() {
        assert_eq!(number(f64::NAN).to_string(), "\"NaN\"");
        assert_eq!(number(f64::INFINITY).to_string(), "\"inf\"");
        assert_eq!(number(f64::NEG_INFINITY).to_string(), "\"-inf\"");
    }
}
