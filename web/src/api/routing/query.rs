//! Raw query strings and numbers, read strictly for the routing APIs: `key=value` pairs split on
//! `&`, percent-decoded, each key at most once; numbers in plain decimal notation only (no `NaN`,
//! `inf` or hexadecimal), so a hostile value is refused before it becomes a float.

/// Why a query string or one of its parts was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    #[error("invalid percent-escape at offset {0}")]
    BadEscape(usize),
    #[error("percent-decoded text is not UTF-8")]
    NotUtf8,
    #[error("{0:?} has no value (expected key=value)")]
    NoValue(String),
    #[error("{0} is given more than once")]
    Duplicate(String),
    #[error("the query string is longer than {0} bytes")]
    TooLong(usize),
}

/// The query string may not be longer than this (the coordinates travel in the path).
pub const MAX_QUERY_BYTES: usize = 64 * 1024;

/// The decoded `key=value` pairs of `raw` (without the leading `?`), in order. Empty pairs
/// (`a=1&&b=2`, a trailing `&`) are skipped; a key without `=` or given twice is an error.
pub fn pairs(raw: &str) -> Result<Vec<(String, String)>, QueryError> {
    if raw.len() > MAX_QUERY_BYTES {
        return Err(QueryError::TooLong(MAX_QUERY_BYTES));
    }
    let mut out: Vec<(String, String)> = Vec::new();
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let Some((k, v)) = pair.split_once('=') else {
            return Err(QueryError::NoValue(percent_decode(pair).unwrap_or_else(|_| pair.to_owned())));
        };
        let (k, v) = (percent_decode(k)?, percent_decode(v)?);
        if out.iter().any(|(seen, _)| *seen == k) {
            return Err(QueryError::Duplicate(k));
        }
        out.push((k, v));
    }
    Ok(out)
}

/// Decodes `%XX` escapes (a `+` stays a `+`: coordinates may carry a sign).
pub fn percent_decode(s: &str) -> Result<String, QueryError> {
    if !s.contains('%') {
        return Ok(s.to_owned());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok()).ok_or(QueryError::BadEscape(i))?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| QueryError::NotUtf8)
}

/// A decimal number: `[+-]digits[.digits][e[+-]digits]` (or `.5`, `5.`), at most 64
/// characters. Overflowing exponents such as `1e999` parse (to infinity); callers check ranges.
pub fn number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 64 {
        return None;
    }
    let mut i = usize::from(matches!(b[0], b'+' | b'-'));
    let int_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        i += usize::from(matches!(b.get(i), Some(b'+' | b'-')));
        let exp_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp_digits == 0 {
            return None;
        }
        i += exp_digits;
    }
    if i != b.len() {
        return None;
    }
    s.parse().ok()
}

/// A non-negative integer in plain digits that fits `usize` (`+`, signs and spaces refused).
pub fn index(s: &str) -> Option<usize> {
    if s.is_empty() || s.len() > 19 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_split_decode_and_refuse_duplicates() {
        let p = pairs("steps=true&&radiuses=10%3B20&").unwrap();
        assert_eq!(p, vec![("steps".into(), "true".into()), ("radiuses".into(), "10;20".into())]);
        assert_eq!(pairs("").unwrap(), vec![]);
        assert_eq!(pairs("a=1&a=2"), Err(QueryError::Duplicate("a".into())));
        assert_eq!(pairs("a=1&%61=2"), Err(QueryError::Duplicate("a".into())));
        assert_eq!(pairs("steps"), Err(QueryError::NoValue("steps".into())));
        assert_eq!(pairs("a=%zz"), Err(QueryError::BadEscape(0)));
        assert_eq!(pairs("a=%4"), Err(QueryError::BadEscape(0)));
        assert_eq!(pairs("a=%ff"), Err(QueryError::NotUtf8));
        assert_eq!(pairs(&"a".repeat(MAX_QUERY_BYTES + 1)), Err(QueryError::TooLong(MAX_QUERY_BYTES)));
        assert_eq!(percent_decode("%C3%A9+x").unwrap(), "é+x");
    }

    #[test]
    fn numbers_are_plain_decimals() {
        for (s, v) in [("1", 1.0), ("-2.5", -2.5), ("+.5", 0.5), ("5.", 5.0), ("1e3", 1000.0), ("-1.5E-1", -0.15)] {
            assert_eq!(number(s), Some(v), "{s}");
        }
        assert_eq!(number("1e999"), Some(f64::INFINITY));
        for bad in ["", "NaN", "nan", "inf", "-infinity", "0x10", "1,5", " 1", "1 ", "1e", ".", "-", "1.2.3", "١"] {
            assert_eq!(number(bad), None, "{bad:?}");
        }
        assert_eq!(number(&"1".repeat(65)), None);
        assert_eq!(index("0"), Some(0));
        assert_eq!(index("12"), Some(12));
        for bad in ["", "-1", "+1", "1.0", "99999999999999999999", "a"] {
            assert_eq!(index(bad), None, "{bad:?}");
        }
    }
}
