//! The fixed 127-byte header at the start of every archive: where the sections are, how the
//! tiles and the directories are compressed, what the tiles are, the zooms, bounds and centre.
//! Integers are little-endian; positions are degrees × 10,000,000 as signed 32-bit integers.

use super::PmtilesError;

/// The header's size in bytes.
pub const HEADER_LEN: usize = 127;
/// The header and the root directory together fit in this many bytes, so a client can fetch
/// both in one request.
pub const ROOT_SPAN: u64 = 16_384;
const MAGIC: &[u8; 7] = b"PMTiles";
const VERSION: u8 = 3;

/// How tiles, or the directories and metadata, are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Unknown,
    None,
    Gzip,
    Brotli,
    Zstd,
}

impl Compression {
    fn from_byte(b: u8) -> Option<Self> {
        Some(match b {
            0 => Compression::Unknown,
            1 => Compression::None,
            2 => Compression::Gzip,
            3 => Compression::Brotli,
            4 => Compression::Zstd,
            _ => return None,
        })
    }

    fn byte(self) -> u8 {
        match self {
            Compression::Unknown => 0,
            Compression::None => 1,
            Compression::Gzip => 2,
            Compression::Brotli => 3,
            Compression::Zstd => 4,
        }
    }
}

/// What the tiles are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TileType {
    Unknown,
    Mvt,
    Png,
    Jpeg,
    Webp,
    Avif,
}

impl TileType {
    fn from_byte(b: u8) -> Option<Self> {
        Some(match b {
            0 => TileType::Unknown,
            1 => TileType::Mvt,
            2 => TileType::Png,
            3 => TileType::Jpeg,
            4 => TileType::Webp,
            5 => TileType::Avif,
            _ => return None,
        })
    }

    fn byte(self) -> u8 {
        match self {
            TileType::Unknown => 0,
            TileType::Mvt => 1,
            TileType::Png => 2,
            TileType::Jpeg => 3,
            TileType::Webp => 4,
            TileType::Avif => 5,
        }
    }
}

/// The header's fields. Offsets are from the start of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub root_offset: u64,
    pub root_length: u64,
    pub metadata_offset: u64,
    pub metadata_length: u64,
    pub leaf_offset: u64,
    pub leaf_length: u64,
    pub data_offset: u64,
    pub data_length: u64,
    /// Tiles before run-length encoding (0: unknown).
    pub addressed_tiles: u64,
    /// Directory entries with a run length above 0 (0: unknown).
    pub tile_entries: u64,
    /// Distinct tile blobs in the data section (0: unknown).
    pub tile_contents: u64,
    /// Tile data is in tile-id order (a duplicate points back to an earlier blob).
    pub clustered: bool,
    /// Compression of the directories and the metadata.
    pub internal_compression: Compression,
    pub tile_compression: Compression,
    pub tile_type: TileType,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// (west, south, east, north) in degrees.
    pub bounds: (f64, f64, f64, f64),
    /// (longitude, latitude, zoom).
    pub center: (f64, f64, u8),
}

impl Header {
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut b = [0u8; HEADER_LEN];
        b[..7].copy_from_slice(MAGIC);
        b[7] = VERSION;
        let words = [
            self.root_offset,
            self.root_length,
            self.metadata_offset,
            self.metadata_length,
            self.leaf_offset,
            self.leaf_length,
            self.data_offset,
            self.data_length,
            self.addressed_tiles,
            self.tile_entries,
            self.tile_contents,
        ];
        for (i, w) in words.iter().enumerate() {
            b[8 + 8 * i..16 + 8 * i].copy_from_slice(&w.to_le_bytes());
        }
        b[96] = u8::from(self.clustered);
        b[97] = self.internal_compression.byte();
        b[98] = self.tile_compression.byte();
        b[99] = self.tile_type.byte();
        b[100] = self.min_zoom;
        b[101] = self.max_zoom;
        let (w, s, e, n) = self.bounds;
        for (i, deg) in [w, s, e, n].into_iter().enumerate() {
            b[102 + 4 * i..106 + 4 * i].copy_from_slice(&e7(deg).to_le_bytes());
        }
        b[118] = self.center.2;
        b[119..123].copy_from_slice(&e7(self.center.0).to_le_bytes());
        b[123..127].copy_from_slice(&e7(self.center.1).to_le_bytes());
        b
    }

    /// Reads a header, checking the magic number, the version and the enums; where the
    /// sections lie is checked against the file by the reader.
    pub fn decode(b: &[u8]) -> Result<Header, PmtilesError> {
        if b.len() < 7 || &b[..7] != MAGIC {
            return Err(PmtilesError::NotPmtiles);
        }
        if b.len() < HEADER_LEN {
            return Err(PmtilesError::Corrupt(format!("the header is {} bytes, not {HEADER_LEN}", b.len())));
        }
        if b[7] != VERSION {
            return Err(PmtilesError::Version(b[7]));
        }
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[8 + 8 * i..16 + 8 * i]);
            u64::from_le_bytes(w)
        };
        let degrees = |at: usize| {
            let mut w = [0u8; 4];
            w.copy_from_slice(&b[at..at + 4]);
            f64::from(i32::from_le_bytes(w)) / 1e7
        };
        let compression = |at: usize| {
            Compression::from_byte(b[at])
                .ok_or_else(|| PmtilesError::Corrupt(format!("compression {} is not a PMTiles compression", b[at])))
        };
        let clustered = match b[96] {
            0 => false,
            1 => true,
            other => return Err(PmtilesError::Corrupt(format!("clustered flag {other} is neither 0 nor 1"))),
        };
        let header = Header {
            root_offset: word(0),
            root_length: word(1),
            metadata_offset: word(2),
            metadata_length: word(3),
            leaf_offset: word(4),
            leaf_length: word(5),
            data_offset: word(6),
            data_length: word(7),
            addressed_tiles: word(8),
            tile_entries: word(9),
            tile_contents: word(10),
            clustered,
            internal_compression: compression(97)?,
            tile_compression: compression(98)?,
            tile_type: TileType::from_byte(b[99])
                .ok_or_else(|| PmtilesError::Corrupt(format!("tile type {} is not a PMTiles tile type", b[99])))?,
            min_zoom: b[100],
            max_zoom: b[101],
            bounds: (degrees(102), degrees(106), degrees(110), degrees(114)),
            center: (degrees(119), degrees(123), b[118]),
        };
        if header.min_zoom > header.max_zoom {
            return Err(PmtilesError::Corrupt(format!(
                "min zoom {} is above max zoom {}",
                header.min_zoom, header.max_zoom
            )));
        }
        Ok(header)
    }
}

/// Degrees as the header stores them (callers check the range first).
fn e7(deg: f64) -> i32 {
    (deg * 1e7).round() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Header {
        Header {
            root_offset: 127,
            root_length: 300,
            metadata_offset: 427,
            metadata_length: 50,
            leaf_offset: 477,
            leaf_length: 0,
            data_offset: 477,
            data_length: 1 << 40,
            addressed_tiles: 7,
            tile_entries: 5,
            tile_contents: 3,
            clustered: true,
            internal_compression: Compression::Gzip,
            tile_compression: Compression::None,
            tile_type: TileType::Png,
            min_zoom: 0,
            max_zoom: 14,
            bounds: (-180.0, -85.051_128_7, 180.0, 85.051_128_7),
            center: (7.424_6, 43.738_4, 12),
        }
    }

    #[test]
    fn a_header_reads_back_as_written() {
        let h = sample();
        let bytes = h.encode();
        assert_eq!(&bytes[..8], b"PMTiles\x03");
        assert_eq!(bytes[96..102], [1, 2, 1, 2, 0, 14]);
        assert_eq!(i32::from_le_bytes(bytes[102..106].try_into().unwrap()), -1_800_000_000);
        assert_eq!(Header::decode(&bytes).unwrap(), h);
    }

    #[test]
    fn damaged_headers_are_refused() {
        let good = sample().encode();
        assert!(matches!(Header::decode(b"PMTi"), Err(PmtilesError::NotPmtiles)));
        assert!(matches!(Header::decode(&good[..100]), Err(PmtilesError::Corrupt(_))));
        let mut v2 = good;
        v2[7] = 2;
        assert!(matches!(Header::decode(&v2), Err(PmtilesError::Version(2))));
        for (at, value) in [(96, 2), (97, 9), (98, 200), (99, 6), (100, 15)] {
            let mut bad = good;
            bad[at] = value;
            assert!(matches!(Header::decode(&bad), Err(PmtilesError::Corrupt(_))), "byte {at} = {value}");
        }
    }
}
