//! The compact binary form of a geohash cell's places, as stored in the cell cache.
//!
//! Layout (little-endian): `u32 count`, then per place `i64 id, f64 lat, f64 lng`, and three
//! length-prefixed (`u16`) UTF-8 strings: category, opening hours, time zone (length
//! `u16::MAX` means absent).

use locus_business::repo::PlaceRecord;

const ABSENT: u16 = u16::MAX;

pub fn encode(places: &[PlaceRecord]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + places.len() * 48);
    out.extend_from_slice(&(places.len() as u32).to_le_bytes());
    for p in places {
        out.extend_from_slice(&p.id.to_le_bytes());
        out.extend_from_slice(&p.latitude.to_le_bytes());
        out.extend_from_slice(&p.longitude.to_le_bytes());
        put_str(&mut out, Some(&p.category));
        put_str(&mut out, p.opening_hours.as_deref());
        put_str(&mut out, p.timezone.as_deref());
    }
    out
}

fn put_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        // Stored fields are bounded far below u16::MAX bytes; longer ones are dropped as absent.
        Some(s) if s.len() < ABSENT as usize => {
            out.extend_from_slice(&(s.len() as u16).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        _ => out.extend_from_slice(&ABSENT.to_le_bytes()),
    }
}

/// Decodes a cell; `None` for anything malformed (treated as a cache miss).
pub fn decode(bytes: &[u8]) -> Option<Vec<PlaceRecord>> {
    let mut r = Reader { bytes, pos: 0 };
    let count = u32::from_le_bytes(r.take(4)?.try_into().ok()?) as usize;
    let mut out = Vec::with_capacity(count.min(bytes.len() / 30));
    for _ in 0..count {
        let id = i64::from_le_bytes(r.take(8)?.try_into().ok()?);
        let latitude = f64::from_le_bytes(r.take(8)?.try_into().ok()?);
        let longitude = f64::from_le_bytes(r.take(8)?.try_into().ok()?);
        let category = r.string()??;
        let opening_hours = r.string()?;
        let timezone = r.string()?;
        out.push(PlaceRecord { id, latitude, longitude, category, opening_hours, timezone });
    }
    (r.pos == bytes.len()).then_some(out)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.pos..self.pos + n)?;
        self.pos += n;
        Some(s)
    }

    /// `Some(None)` for an absent string, `None` for malformed input.
    fn string(&mut self) -> Option<Option<String>> {
        let len = u16::from_le_bytes(self.take(2)?.try_into().ok()?);
        if len == ABSENT {
            return Some(None);
        }
        let s = std::str::from_utf8(self.take(len as usize)?).ok()?;
        Some(Some(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let places = vec![
            PlaceRecord {
                id: 7,
                latitude: 1.5,
                longitude: -2.5,
                category: "cafe".into(),
                opening_hours: Some("24/7".into()),
                timezone: None,
            },
            PlaceRecord {
                id: -1,
                latitude: 90.0,
                longitude: 180.0,
                category: "".into(),
                opening_hours: None,
                timezone: Some("Europe/Paris".into()),
            },
        ];
        let bytes = encode(&places);
        assert_eq!(decode(&bytes), Some(places));
        assert_eq!(decode(&encode(&[])), Some(vec![]));
        assert_eq!(decode(&bytes[..bytes.len() - 1]), None);
        assert_eq!(decode(b"\xff\xff\xff\xff"), None);
    }
}
