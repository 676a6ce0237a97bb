//! Aligned text tables for the terminal, and numbers short enough to read in them.

use symgrad_core::number;

/// Cells wider than this overflow their column instead of widening it, so one gate with
/// thousands of inputs does not pad every other row with thousands of spaces.
const MAX_COLUMN_WIDTH: usize = 60;

/// Columns padded to their widest cell (counted in characters, so `σ` and `∂` are one),
/// numeric columns right-aligned, two spaces between columns, trailing spaces trimmed.
///
/// `right[i]` says whether column `i` is right-aligned.
pub fn render(header: &[&str], rows: &[Vec<String>], right: &[bool]) -> String {
    let width = |s: &str| s.chars().count();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            let cell = width(cell);
            if cell <= MAX_COLUMN_WIDTH {
                *w = (*w).max(cell);
            }
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(width(cell)));
            if i > 0 {
                line.push_str("  ");
            }
            if right.get(i).copied().unwrap_or(false) {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A number for a table cell: integers as they are, others to four decimals (the
/// lecture's slides use two), very large or small ones in scientific notation.
pub fn short(v: f64) -> String {
    if !v.is_finite() || (v.fract() == 0.0 && v.abs() < 1e15) {
        return number(v);
    }
    if (1e-3..1e6).contains(&v.abs()) {
        let fixed = format!("{v:.4}");
        return fixed
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string();
    }
    format!("{v:.3e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers_keep_four_decimals() {
        assert_eq!(short(0.7310585786300049), "0.7311");
        assert_eq!(short(-0.19661193324148185), "-0.1966");
        assert_eq!(short(-12.0), "-12");
        assert_eq!(short(1.5), "1.5");
        assert_eq!(short(2.5e-7), "2.500e-7");
        assert_eq!(short(f64::NAN), "NaN");
    }

    #[test]
    fn columns_are_aligned_by_characters() {
        let rows = vec![
            vec!["σ(x)".to_string(), "1".to_string()],
            vec!["x".to_string(), "-12".to_string()],
        ];
        let text = render(&["node", "value"], &rows, &[false, true]);
        assert_eq!(text, "node  value\nσ(x)      1\nx       -12\n");
    }

    #[test]
    fn a_very_wide_cell_overflows_instead_of_widening_its_column() {
        let wide = "x".repeat(MAX_COLUMN_WIDTH + 1);
        let rows = vec![
            vec![wide.clone(), "1".to_string()],
            vec!["y".to_string(), "2".to_string()],
        ];
        let text = render(&["node", "value"], &rows, &[false, true]);
        assert_eq!(text, format!("node  value\n{wide}      1\ny         2\n"));
    }
}
