//! Byte ranges of the archive file (RFC 9110, 14): one range per request. A multi-range or
//! malformed `Range` is ignored (the whole file, 200), as the RFC allows; a range starting
//! past the end is 416. Bodies are read with positioned reads on the blocking pool, a small
//! one at once and a large one streamed in 256 KiB reads, so no request holds a large file
//! in memory and a range of any size is served.

use axum::body::{Body, Bytes};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::Arc;

/// Bytes read at once; larger bodies stream in reads of this size.
const CHUNK: u64 = 256 << 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ranged {
    Full,
    /// `start..=end`, within the file.
    Part {
        start: u64,
        end: u64,
    },
    Unsatisfiable,
}

/// The part of a `len`-byte file a `Range` header asks for.
pub fn parse(header: Option<&str>, len: u64) -> Ranged {
    let Some(spec) = header.and_then(|h| {
        let (unit, spec) = h.trim().split_once('=')?;
        unit.trim().eq_ignore_ascii_case("bytes").then_some(spec.trim())
    }) else {
        return Ranged::Full;
    };
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        if s.is_empty() || s.len() > 19 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let Some((first, last)) = spec.split_once('-').filter(|_| !spec.contains(',')) else { return Ranged::Full };
    match (first.trim().is_empty(), last.trim().is_empty()) {
        // `-n`: the last n bytes.
        (true, false) => match number(last) {
            None => Ranged::Full,
            Some(0) => Ranged::Unsatisfiable,
            Some(_) if len == 0 => Ranged::Unsatisfiable,
            Some(n) => Ranged::Part { start: len.saturating_sub(n), end: len - 1 },
        },
        // `a-`: from a to the end.
        (false, true) => match number(first) {
            None => Ranged::Full,
            Some(a) if a >= len => Ranged::Unsatisfiable,
            Some(a) => Ranged::Part { start: a, end: len - 1 },
        },
        // `a-b`: inclusive, clipped to the file.
        (false, false) => match (number(first), number(last)) {
            (Some(a), Some(b)) if a <= b => {
                if a >= len {
                    Ranged::Unsatisfiable
                } else {
                    Ranged::Part { start: a, end: b.min(len - 1) }
                }
            }
            _ => Ranged::Full,
        },
        (true, true) => Ranged::Full,
    }
}

/// `len` bytes of the file from `start`: read now when small (so a failed read is an error
/// response), streamed otherwise (a failed read cuts the body short).
pub async fn body(file: Arc<File>, start: u64, len: u64) -> std::io::Result<Body> {
    if len <= CHUNK {
        let bytes = read(file, start, len).await?;
        return Ok(Body::from(bytes));
    }
    let chunks = futures::stream::try_unfold((file, start, len), |(file, at, left)| async move {
        if left == 0 {
            return Ok::<_, std::io::Error>(None);
        }
        let n = left.min(CHUNK);
        let bytes = read(file.clone(), at, n).await?;
        Ok(Some((bytes, (file, at + n, left - n))))
    });
    Ok(Body::from_stream(chunks))
}

async fn read(file: Arc<File>, at: u64, len: u64) -> std::io::Result<Bytes> {
    tokio::task::spawn_blocking(move || {
        let mut buf = vec![0u8; len as usize];
        file.read_exact_at(&mut buf, at)?;
        Ok(Bytes::from(buf))
    })
    .await
    .map_err(std::io::Error::other)?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_rfc_9110() {
        let part = |start, end| Ranged::Part { start, end };
        assert_eq!(parse(None, 1000), Ranged::Full);
        let cases = [
            (Some("bytes=0-99"), part(0, 99)),
            (Some("bytes=10-10"), part(10, 10)),
            (Some("bytes=990-5000"), part(990, 999)),
            (Some("bytes=500-"), part(500, 999)),
            (Some("bytes=-100"), part(900, 999)),
            (Some("bytes=-5000"), part(0, 999)),
            (Some("Bytes = 1 - 2"), part(1, 2)),
            (Some("bytes=1000-"), Ranged::Unsatisfiable),
            (Some("bytes=1000-2000"), Ranged::Unsatisfiable),
            (Some("bytes=-0"), Ranged::Unsatisfiable),
            (Some("bytes=5-1"), Ranged::Full),
            (Some("bytes=0-1,5-6"), Ranged::Full),
            (Some("bytes=-"), Ranged::Full),
            (Some("bytes=a-b"), Ranged::Full),
            (Some("bytes=+1-2"), Ranged::Full),
            (Some("bytes=99999999999999999999999-"), Ranged::Full),
            (Some("items=0-1"), Ranged::Full),
            (Some("bytes 0-1"), Ranged::Full),
        ];
        for (header, expected) in cases {
            assert_eq!(parse(header, 1000), expected, "{header:?}");
        }
        assert_eq!(parse(Some("bytes=-5"), 0), Ranged::Unsatisfiable);
        assert_eq!(parse(Some("bytes=0-"), 0), Ranged::Unsatisfiable);
    }

    #[tokio::test]
    async fn bodies_are_the_file_slice_whatever_their_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let data: Vec<u8> = (0..(CHUNK * 3 + 17)).map(|i| (i * 31 % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let file = Arc::new(File::open(&path).unwrap());
        for (start, len) in [(0, 10), (5, CHUNK), (3, CHUNK * 2 + 5), (0, data.len() as u64)] {
            let b = body(file.clone(), start, len).await.unwrap();
            let got = axum::body::to_bytes(b, usize::MAX).await.unwrap();
            assert_eq!(&got[..], &data[start as usize..(start + len) as usize], "{start}+{len}");
        }
    }
}
