//! Opaque page cursors: the (distance, id) of the last result of the previous page, and the
//! radius the first page searched (after any widening), so later pages continue the same search.
//! Keyset paging stays correct when businesses are added or removed between pages.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cursor {
    pub distance_m: f64,
    pub id: i64,
    /// The radius the search ran at (0 for area searches, which have no radius).
    pub radius_m: f64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!(
            "v2:{:016x}:{}:{:016x}",
            self.distance_m.to_bits(),
            self.id,
            self.radius_m.to_bits()
        ))
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        if s.len() > 128 {
            return None;
        }
        let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(s).ok()?).ok()?;
        let mut parts = raw.split(':');
        if parts.next()? != "v2" {
            return None;
        }
        let distance_m = f64::from_bits(u64::from_str_radix(parts.next()?, 16).ok()?);
        let id = parts.next()?.parse().ok()?;
        let radius_m = f64::from_bits(u64::from_str_radix(parts.next()?, 16).ok()?);
        let valid = |v: f64| v.is_finite() && v >= 0.0;
        if parts.next().is_some() || !valid(distance_m) || !valid(radius_m) {
            return None;
        }
        Some(Cursor { distance_m, id, radius_m })
    }

    /// True when a result at (distance, id) comes after this cursor.
    pub fn precedes(&self, distance_m: f64, id: i64) -> bool {
        distance_m.total_cmp(&self.distance_m).then(id.cmp(&self.id)).is_gt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_garbage() {
        let c = Cursor { distance_m: 123.456, id: 42, radius_m: 2000.0 };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        for bad in [
            "",
            "!!",
            "djE6",
            &"a".repeat(500),
            &URL_SAFE_NO_PAD.encode("v2:zz:1:0"),
            &URL_SAFE_NO_PAD.encode("v1:0:1"),
        ] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
        assert!(c.precedes(123.456, 43) && c.precedes(200.0, 1) && !c.precedes(123.456, 42));
    }
}
