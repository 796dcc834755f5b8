//! Content negotiation for MVT tiles, which are stored gzip-compressed: sent as stored to a
//! client that takes gzip, unzipped for one that does not.

use axum::http::header::ACCEPT_ENCODING;
use axum::http::HeaderMap;
use flate2::read::GzDecoder;
use std::io::Read;

/// Whether `Accept-Encoding` allows gzip (RFC 9110, 12.5.3): `gzip` (or `x-gzip`) with a
/// weight above 0, or else `*` with a weight above 0. No header: no.
pub fn accepts_gzip(request: &HeaderMap) -> bool {
    let (mut gzip, mut any) = (None, None);
    for value in request.get_all(ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()) {
        for item in value.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
                gzip = Some(q);
            } else if coding == "*" {
                any = Some(q);
            }
        }
    }
    gzip.or(any).is_some_and(|q| q > 0.0)
}

/// Whether bytes start with the gzip magic number.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// Unzipped bytes, at most `limit` of them.
pub fn gunzip(bytes: &[u8], limit: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    GzDecoder::new(bytes)
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("a stored tile does not gunzip: {e}"))?;
    if out.len() as u64 > limit {
        return Err(format!("a stored tile unzips to more than {limit} bytes"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(header: Option<&str>, expected: bool) {
        let mut h = HeaderMap::new();
        if let Some(v) = header {
            h.insert(ACCEPT_ENCODING, v.parse().unwrap());
        }
        assert_eq!(accepts_gzip(&h), expected, "{header:?}");
    }

    #[test]
    fn gzip_is_sent_only_where_accepted() {
        check(None, false);
        check(Some(""), false);
        check(Some("gzip"), true);
        check(Some("gzip, deflate, br, zstd"), true);
        check(Some("br;q=1.0, GZIP;q=0.5"), true);
        check(Some("x-gzip"), true);
        check(Some("identity"), false);
        check(Some("br"), false);
        check(Some("gzip;q=0"), false);
        check(Some("gzip; q=0.000"), false);
        check(Some("*"), true);
        check(Some("*;q=0"), false);
        check(Some("gzip;q=0, *"), false);
        check(Some("*;q=0, gzip"), true);
        check(Some("gzipped"), false);
    }

    #[test]
    fn gunzip_is_bounded() {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&[7u8; 1000]).unwrap();
        let gz = e.finish().unwrap();
        assert!(is_gzip(&gz) && !is_gzip(b"\x1a\x05"));
        assert_eq!(gunzip(&gz, 1000).unwrap(), vec![7u8; 1000]);
        assert!(gunzip(&gz, 999).is_err());
        assert!(gunzip(&gz[..gz.len() / 2], 1000).is_err());
    }
}
