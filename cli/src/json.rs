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

/// A JSON object written field by field, in order, as `Value::to_string` writes one: its
/// string maps go from borrowed text to the output, never copied into a `Value` tree first
/// (on a 10⁶-node gradient, two million shared sub-expressions).
#[derive(Debug)]
pub struct Object {
    bytes: Vec<u8>,
}

impl Object {
    pub fn new() -> Self {
        Object {
            bytes: b"{".to_vec(),
        }
    }

    fn key(&mut self, key: &str) {
        if self.bytes.len() > 1 {
            self.bytes.push(b',');
        }
        self.string(key);
        self.bytes.push(b':');
    }

    fn string(&mut self, s: &str) {
        // Writing into a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut self.bytes, s);
    }

    /// `"key":value`.
    pub fn value(&mut self, key: &str, value: &Value) {
        self.key(key);
        let _ = serde_json::to_writer(&mut self.bytes, value);
    }

    /// `"key":"text"`.
    pub fn text(&mut self, key: &str, text: &str) {
        self.key(key);
        self.string(text);
    }

    /// `"key":{"t1":"σ(x)","x":"t1·y"}`: one string per name, in order.
    pub fn strings<'a>(
        &mut self,
        key: &str,
        pairs: impl IntoIterator<Item = (&'a String, &'a String)>,
    ) {
        self.key(key);
        self.bytes.push(b'{');
        for (i, (name, s)) in pairs.into_iter().enumerate() {
            if i > 0 {
                self.bytes.push(b',');
            }
            self.string(name);
            self.bytes.push(b':');
            self.string(s);
        }
        self.bytes.push(b'}');
    }

    /// The object's text.
    pub fn finish(mut self) -> String {
        self.bytes.push(b'}');
        // serde_json writes UTF-8, and so does everything pushed here.
        String::from_utf8(self.bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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
    use super::*;

    #[test]
    fn an_object_written_field_by_field_reads_as_the_value_tree() {
        let names = ["t1", "x\"y"].map(String::from);
        let texts = ["σ(x)\n", "a\\b"].map(String::from);
        let mut object = Object::new();
        object.text("input", "x·\"y\"");
        object.value("ops", &serde_json::json!({"grad": 3, "at": [1.5, "NaN"]}));
        object.strings("shared", names.iter().zip(&texts));
        object.strings("none", std::iter::empty());
        let mut map = Map::new();
        map.insert("input".into(), Value::from("x·\"y\""));
        map.insert(
            "ops".into(),
            serde_json::json!({"grad": 3, "at": [1.5, "NaN"]}),
        );
        map.insert("shared".into(), strings_by_name(names.iter().zip(&texts)));
        map.insert("none".into(), strings_by_name(std::iter::empty()));
        assert_eq!(object.finish(), Value::Object(map).to_string());
    }

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
