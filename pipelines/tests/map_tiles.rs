//! `locus tiles render` end to end on the Monaco extract: the raster tiles show the style's
//! colours where the map has water, a park and a road; copies are stored once; the vector
//! tiles decode with an independent decoder; the archive holds the same tiles as the bucket;
//! `--since last` re-renders exactly the tiles a changed feature touches; `--since TIME` needs a
//! file with edit times.

use flate2::read::GzDecoder;
use locus_pipelines::map_tiles::{index_path, render_tiles, RenderJobError, RenderOptions, RenderSummary, Since};
use locus_tiles::map::changes::FeatureIndex;
use locus_tiles::pmtiles::PmtilesReader;
use locus_tiles::url::Format;
use locus_tiles::TileId;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

fn monaco() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/monaco.osm.pbf");
    if path.exists() {
        return Some(path);
    }
    assert!(std::env::var_os("CI").is_none(), "the Monaco extract is missing at {}", path.display());
    eprintln!("skipped: no ../shared/data/monaco.osm.pbf");
    None
}

fn options(osm: PathBuf, out: &Path, zooms: std::ops::RangeInclusive<u8>, format: Format) -> RenderOptions {
    RenderOptions {
        osm,
        out: out.to_owned(),
        zooms,
        format,
        scale: 1,
        style: None,
        font: None,
        pmtiles: None,
        since: Since::Everything,
        base_url: "/tiles".into(),
        show_progress: false,
    }
}

fn render(opts: &RenderOptions) -> RenderSummary {
    render_tiles(opts).unwrap_or_else(|e| panic!("render failed: {e}"))
}

/// The pixel of a point in its tile at zoom `z`.
fn pixel_at(bucket: &Path, z: u8, lat: f64, lng: f64, scale: u32) -> [u8; 3] {
    let n = f64::from(1u32 << z);
    let x = (lng + 180.0) / 360.0 * n;
    let lat_r = lat.to_radians();
    let y = (1.0 - (lat_r.tan() + 1.0 / lat_r.cos()).ln() / std::f64::consts::PI) / 2.0 * n;
    let suffix = if scale == 2 { "@2x" } else { "" };
    let file = bucket.join(format!("{z}/{}/{}{suffix}.png", x.floor(), y.floor()));
    let image = image::open(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())).to_rgb8();
    let size = f64::from(256 * scale);
    let (px, py) = ((x.fract() * size) as u32, (y.fract() * size) as u32);
    image.get_pixel(px, py).0
}

fn close(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 3)
}

const WATER: [u8; 3] = [0xaa, 0xd3, 0xdf];
const PARK: [u8; 3] = [0xc8, 0xfa, 0xcc];
const PRIMARY: [u8; 3] = [0xfc, 0xd6, 0xa4];

#[test]
fn monaco_raster_tiles_have_the_style_colour_where_the_map_has_water_a_park_and_a_road() {
    let Some(osm) = monaco() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(osm, dir.path(), 0..=16, Format::Png);
    opts.pmtiles = Some(dir.path().join("monaco.pmtiles"));
    let summary = render(&opts);
    assert_eq!(summary.written, summary.tiles);
    assert!(summary.tiles > 500, "{summary}");

    let z0 = image::open(dir.path().join("0/0/0.png")).unwrap();
    assert_eq!((z0.width(), z0.height()), (256, 256));
    assert_eq!(&std::fs::read(dir.path().join("0/0/0.png")).unwrap()[..8], b"\x89PNG\r\n\x1a\n");

    // Port Hercule's water, the Casino gardens, and Boulevard Albert 1er (primary).
    for (what, lat, lng, colour) in [
        ("harbour", 43.737050, 7.426425, WATER),
        ("open sea", 43.725, 7.445, WATER),
        ("park", 43.739840, 7.425567, PARK),
        ("primary road", 43.737546, 7.425309, PRIMARY),
    ] {
        let got = pixel_at(dir.path(), 16, lat, lng, 1);
        assert!(close(got, colour), "{what} at z16: {got:02x?}, want {colour:02x?}");
    }
    assert!(close(pixel_at(dir.path(), 12, 43.715, 7.47, 1), WATER), "the sea at z12");

    // Open-sea tiles are one proven copy, rendered once and stored once.
    assert!(summary.proven_copies > 0 && summary.deduplicated > 0, "{summary}");
    let sea = |x: u32, y: u32| std::fs::metadata(dir.path().join(format!("16/{x}/{y}.png"))).unwrap();
    let (a, b) = (sea(34128, 23902), sea(34130, 23902));
    assert_eq!(a.ino(), b.ino(), "identical sea tiles are one file");
    assert!(summary.stored_bytes < summary.tile_bytes);

    // tiles.json (TileJSON 3) and the archive, which holds what the bucket holds.
    let tile_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("tiles.json")).unwrap()).unwrap();
    assert_eq!(tile_json["tilejson"], "3.0.0");
    assert_eq!(tile_json["tiles"][0], "/tiles/{z}/{x}/{y}.png");
    assert_eq!((tile_json["minzoom"].as_u64(), tile_json["maxzoom"].as_u64()), (Some(0), Some(16)));
    let bounds: Vec<f64> = serde_json::from_value(tile_json["bounds"].clone()).unwrap();
    assert!(bounds[0] < 7.41 && bounds[2] > 7.44 && bounds[1] < 43.72 && bounds[3] > 43.75, "{bounds:?}");
    let archive = PmtilesReader::open(dir.path().join("monaco.pmtiles")).unwrap();
    for tile in
        [TileId { z: 0, x: 0, y: 0 }, TileId { z: 16, x: 34119, y: 23896 }, TileId { z: 16, x: 34130, y: 23902 }]
    {
        let from_bucket = std::fs::read(dir.path().join(format!("{}/{}/{}.png", tile.z, tile.x, tile.y))).unwrap();
        assert_eq!(archive.get(tile).unwrap(), Some(from_bucket), "{tile:?}");
    }
    assert_eq!(archive.get(TileId { z: 16, x: 0, y: 0 }).unwrap(), None);
}

#[test]
fn high_dpi_tiles_are_512_pixels_with_the_same_map() {
    let Some(osm) = monaco() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(osm, dir.path(), 15..=15, Format::Png);
    opts.scale = 2;
    render(&opts);
    let big = image::open(dir.path().join("15/17059/11948@2x.png")).unwrap();
    assert_eq!((big.width(), big.height()), (512, 512));
    assert!(close(pixel_at(dir.path(), 15, 43.737050, 7.426425, 2), WATER));
    assert!(close(pixel_at(dir.path(), 15, 43.737050, 7.426425, 1), WATER));
}

#[test]
fn monaco_vector_tiles_decode_with_an_independent_decoder() {
    let Some(osm) = monaco() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(osm, dir.path(), 0..=14, Format::Mvt);
    opts.pmtiles = Some(dir.path().join("monaco.pmtiles"));
    render(&opts);

    let gz = std::fs::read(dir.path().join("14/8529/5974.mvt")).unwrap();
    assert_eq!(&gz[..2], &[0x1f, 0x8b], "stored gzip-compressed");
    let mut raw = Vec::new();
    GzDecoder::new(&gz[..]).read_to_end(&mut raw).unwrap();
    let reader = mvt_reader::Reader::new(raw).unwrap();
    let layers = reader.get_layer_metadata().unwrap();
    let names: Vec<&str> = layers.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["water", "landuse", "buildings", "roads", "places", "pois"]);
    let property = |f: &mvt_reader::feature::Feature, key: &str| match f.properties.as_ref()?.get(key)? {
        mvt_reader::feature::Value::String(s) => Some(s.clone()),
        _ => None,
    };
    let features = |name: &str| {
        let layer = layers.iter().find(|l| l.name == name).unwrap();
        assert_eq!(layer.extent, 4096);
        reader.get_features(layer.layer_index).unwrap()
    };
    let roads = features("roads");
    assert!(roads.len() > 200, "{}", roads.len());
    let primary: Vec<String> = roads
        .iter()
        .filter(|f| property(f, "class").as_deref() == Some("primary"))
        .filter_map(|f| property(f, "name"))
        .collect();
    assert!(primary.iter().any(|n| n == "Boulevard Albert 1er"), "Boulevard Albert 1er is a primary road: {primary:?}");
    assert!(features("buildings").len() > 100);
    assert!(features("places").iter().any(|f| property(f, "name").as_deref() == Some("Monaco")));
    assert!(features("water").iter().any(|f| property(f, "class").as_deref() == Some("ocean")));

    // Low zooms carry less: no buildings before z14.
    let z10 = std::fs::read(dir.path().join("10/533/373.mvt")).unwrap();
    let mut raw = Vec::new();
    GzDecoder::new(&z10[..]).read_to_end(&mut raw).unwrap();
    let z10 = mvt_reader::Reader::new(raw).unwrap();
    assert!(!z10.get_layer_names().unwrap().contains(&"buildings".to_string()));

    let archive = PmtilesReader::open(dir.path().join("monaco.pmtiles")).unwrap();
    assert_eq!(archive.get(TileId { z: 14, x: 8529, y: 5974 }).unwrap(), Some(gz));
    let meta = archive.metadata();
    assert_eq!(meta["vector_layers"].as_array().map(Vec::len), Some(6));
}

#[test]
fn bad_input_is_a_clear_error() {
    let Some(osm) = monaco() else { return };
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut.osm.pbf");
    let bytes = std::fs::read(&osm).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let err = render_tiles(&options(cut, &dir.path().join("out"), 0..=2, Format::Png)).unwrap_err();
    assert!(matches!(err, RenderJobError::Map(_)) && err.to_string().contains("not a usable"), "{err}");

    let xml = dir.path().join("map.osm");
    std::fs::write(&xml, "<osm></osm>").unwrap();
    let err = render_tiles(&options(xml.clone(), &dir.path().join("out"), 0..=2, Format::Png)).unwrap_err();
    assert!(err.to_string().contains("no map features"), "{err}");
    std::fs::write(&xml, "<osm><way id='1'><nd ref='1'/>").unwrap();
    let err = render_tiles(&options(xml, &dir.path().join("out"), 0..=2, Format::Png)).unwrap_err();
    assert!(err.to_string().contains("malformed"), "{err}");
    let other = dir.path().join("map.geojson");
    std::fs::write(&other, "{}").unwrap();
    let err = render_tiles(&options(other, &dir.path().join("out"), 0..=2, Format::Png)).unwrap_err();
    assert!(err.to_string().contains(".osm.pbf or .osm"), "{err}");

    #[allow(clippy::reversed_empty_ranges)] // reversed on purpose: it must be refused
    let err = render_tiles(&options(osm.clone(), &dir.path().join("out"), 5..=3, Format::Png)).unwrap_err();
    assert!(matches!(err, RenderJobError::Zooms(5, 3)), "{err}");
    let mut opts = options(osm.clone(), &dir.path().join("out"), 0..=2, Format::Mvt);
    opts.scale = 2;
    assert!(matches!(render_tiles(&opts), Err(RenderJobError::Scale)));
    let mut opts = options(osm, &dir.path().join("out"), 0..=2, Format::Png);
    opts.style = Some(dir.path().join("missing-style.json"));
    assert!(matches!(render_tiles(&opts), Err(RenderJobError::StyleFile { .. })));
    assert!(!dir.path().join("out/0/0/0.png").exists(), "nothing written after a refused start");
}

/// (inode, mtime seconds, mtime nanoseconds) of every file under `dir`, by path.
fn files(dir: &Path) -> BTreeMap<PathBuf, (u64, i64, i64)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else {
                out.insert(path, (meta.ino(), meta.mtime(), meta.mtime_nsec()));
            }
        }
    }
    out
}

/// The tile a bucket path names (`{z}/{x}/{y}.png`), if it names one.
fn tile_of(bucket: &Path, path: &Path) -> Option<TileId> {
    let rel = path.strip_prefix(bucket).ok()?.to_str()?.strip_suffix(".png")?;
    let mut parts = rel.split('/').map(|p| p.parse::<u32>().ok());
    let (z, x, y) = (parts.next()??, parts.next()??, parts.next()??);
    Some(TileId { z: u8::try_from(z).ok()?, x, y })
}

/// Whether a tile, widened by half a tile on every side (the widest buffer any output reads),
/// meets a world-space box.
fn meets(tile: TileId, b: [f64; 4]) -> bool {
    let size = 1.0 / f64::from(1u32 << tile.z);
    let (x0, y0) = (f64::from(tile.x) * size - size / 2.0, f64::from(tile.y) * size - size / 2.0);
    let (x1, y1) = (x0 + 2.0 * size, y0 + 2.0 * size);
    b[0] <= x1 && b[2] >= x0 && b[1] <= y1 && b[3] >= y0
}

#[test]
fn since_last_re_renders_exactly_the_tiles_a_changed_feature_touches() {
    let Some(osm) = monaco() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(osm, dir.path(), 12..=14, Format::Png);
    opts.since = Since::LastRender;

    // No index yet: everything, and the summary says why.
    let first = render(&opts);
    assert_eq!(first.written, first.tiles, "{first}");
    assert!(first.to_string().contains("first render"), "{first}");
    let index_file = index_path(dir.path(), Format::Png);
    assert_eq!(index_file, dir.path().join(".locus/features-png.bin"));
    let index = FeatureIndex::read(&index_file).unwrap();
    assert_eq!(index.entries.len() as u64, first.features);
    assert_eq!(index.zooms, (12, 14));

    // Nothing changed: nothing written, not a file touched.
    let before = files(dir.path());
    let tiles: BTreeSet<TileId> = before.keys().filter_map(|p| tile_of(dir.path(), p)).collect();
    assert_eq!(tiles.len() as u64, first.tiles);
    let again = render(&opts);
    assert_eq!(again.written, 0, "{again}");
    assert!(again.to_string().contains("0 features changed"), "{again}");
    assert_eq!(files(dir.path()), before, "an unchanged map rewrites no file");

    // One feature changes (the index remembers another content for it): exactly the tiles its
    // box touches are written again.
    let casino = [(7.4276 + 180.0) / 360.0, {
        let lat = 43.7397_f64.to_radians();
        (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0
    }];
    let distance = |b: [f64; 4]| ((b[0] + b[2]) / 2.0 - casino[0]).hypot((b[1] + b[3]) / 2.0 - casino[1]);
    let mut altered = index.clone();
    let changed = altered
        .entries
        .iter_mut()
        .filter(|e| e.id != 0)
        .min_by(|a, b| distance(a.bbox).total_cmp(&distance(b.bbox)))
        .unwrap();
    changed.hash ^= 1;
    let changed_box = changed.bbox;
    altered.write(&index_file).unwrap();
    let before = files(dir.path());
    let partial = render(&opts);
    let after = files(dir.path());
    let expected: BTreeSet<TileId> = tiles.iter().copied().filter(|t| meets(*t, changed_box)).collect();
    let rewritten: BTreeSet<TileId> =
        after.iter().filter(|(p, m)| before.get(*p) != Some(m)).filter_map(|(p, _)| tile_of(dir.path(), p)).collect();
    assert!(partial.written > 0 && partial.written < partial.tiles, "{partial}");
    assert_eq!(rewritten, expected, "{partial}");
    assert_eq!(partial.written, expected.len() as u64);
    assert!(partial.to_string().contains("1 features changed"), "{partial}");
    eprintln!("one changed feature re-rendered {} of {} tiles", partial.written, partial.tiles);
    let far = tiles.iter().find(|t| t.z == 14 && !meets(**t, changed_box)).unwrap();
    let far_file = dir.path().join(format!("14/{}/{}.png", far.x, far.y));
    assert_eq!(before[&far_file], after[&far_file], "{far:?} is far from the change and kept");
    let now: BTreeSet<TileId> = after.keys().filter_map(|p| tile_of(dir.path(), p)).collect();
    assert_eq!(now, tiles, "the tile set is still complete");
    assert_eq!(FeatureIndex::read(&index_file).unwrap(), index, "the index is the new map's again");
}

#[test]
fn since_a_time_after_the_files_newest_edit_renders_nothing_and_says_so() {
    let Some(osm) = monaco() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(osm, dir.path(), 12..=12, Format::Png);
    render(&opts);
    let before = files(dir.path());
    opts.since = Since::Time(1_577_836_800_000); // 2020-01-01T00:00:00Z
    let summary = render(&opts);
    assert_eq!(summary.written, 0, "{summary}");
    let text = summary.to_string();
    // Monaco's extract is a 2016 snapshot: nothing in it is newer than 2020.
    assert!(text.contains("0 features edited after --since (newest edit 2016-03-0"), "{text}");
    assert!(text.contains("--since last"), "{text}");
    assert_eq!(files(dir.path()), before);
}

/// A protocol-buffer field: its key and, for length-delimited ones, the length.
fn field(out: &mut Vec<u8>, number: u64, bytes: &[u8]) {
    varint(out, number << 3 | 2);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Packed signed (zigzag) varints, delta-coded.
fn deltas(values: &[i64]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut last = 0;
    for &v in values {
        let d = v - last;
        varint(&mut out, ((d << 1) ^ (d >> 63)) as u64);
        last = v;
    }
    out
}

/// A PBF file with a square building (four nodes, one way) and no edit times at all, as
/// extracts that drop metadata are.
fn pbf_without_edit_times() -> Vec<u8> {
    let blob = |kind: &str, block: &[u8]| {
        let mut blob = Vec::new();
        field(&mut blob, 1, block); // raw
        let mut header = Vec::new();
        field(&mut header, 1, kind.as_bytes());
        varint(&mut header, 3 << 3);
        varint(&mut header, blob.len() as u64);
        let mut out = (header.len() as u32).to_be_bytes().to_vec();
        out.extend(header);
        out.extend(blob);
        out
    };
    let mut header_block = Vec::new();
    field(&mut header_block, 4, b"OsmSchema-V0.6");
    field(&mut header_block, 4, b"DenseNodes");

    let mut strings = Vec::new();
    for s in ["", "building", "yes"] {
        field(&mut strings, 1, s.as_bytes());
    }
    let (lat, lon) = (437_300_000_i64, 74_200_000_i64); // 43.73, 7.42 in 1e-7 degrees
    let mut dense = Vec::new();
    field(&mut dense, 1, &deltas(&[1, 2, 3, 4]));
    field(&mut dense, 8, &deltas(&[lat, lat, lat + 5000, lat + 5000]));
    field(&mut dense, 9, &deltas(&[lon, lon + 5000, lon + 5000, lon]));
    let mut nodes = Vec::new();
    field(&mut nodes, 2, &dense);
    let mut way = Vec::new();
    varint(&mut way, 1 << 3);
    varint(&mut way, 10);
    field(&mut way, 2, &[1]);
    field(&mut way, 3, &[2]);
    field(&mut way, 8, &deltas(&[1, 2, 3, 4, 1]));
    let mut ways = Vec::new();
    field(&mut ways, 3, &way);
    let mut block = Vec::new();
    field(&mut block, 1, &strings);
    field(&mut block, 2, &nodes);
    field(&mut block, 2, &ways);

    let mut file = blob("OSMHeader", &header_block);
    file.extend(blob("OSMData", &block));
    file
}

#[test]
fn since_a_time_on_a_file_without_edit_times_says_to_use_since_last() {
    let dir = tempfile::tempdir().unwrap();
    let osm = dir.path().join("no-times.osm.pbf");
    std::fs::write(&osm, pbf_without_edit_times()).unwrap();
    // The file is a map: without --since it renders.
    let summary = render(&options(osm.clone(), &dir.path().join("all"), 14..=14, Format::Mvt));
    assert_eq!(summary.features, 1, "{summary}");

    let mut opts = options(osm, &dir.path().join("out"), 14..=14, Format::Mvt);
    opts.since = Since::Time(1_577_836_800_000); // 2020-01-01T00:00:00Z
    let err = render_tiles(&opts).unwrap_err();
    assert!(matches!(err, RenderJobError::NoTimestamps(_)), "{err}");
    assert!(err.to_string().contains("no edit times") && err.to_string().contains("--since last"), "{err}");
    assert!(!dir.path().join("out").exists(), "nothing written");
}

/// A hand-drawn OSM XML map renders like a PBF one: a park with a lake in it (a multipolygon
/// hole) and a road across.
#[test]
fn an_osm_xml_map_renders() {
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("park.osm");
    std::fs::write(
        &xml,
        r#"<osm version="0.6">
  <bounds minlat="51.50" minlon="-0.14" maxlat="51.51" maxlon="-0.12"/>
  <node id="1" lat="51.500" lon="-0.140"/><node id="2" lat="51.500" lon="-0.120"/>
  <node id="3" lat="51.510" lon="-0.120"/><node id="4" lat="51.510" lon="-0.140"/>
  <node id="5" lat="51.504" lon="-0.134"/><node id="6" lat="51.504" lon="-0.130"/>
  <node id="7" lat="51.506" lon="-0.130"/><node id="8" lat="51.506" lon="-0.134"/>
  <node id="9" lat="51.508" lon="-0.140"/><node id="10" lat="51.508" lon="-0.120"/>
  <way id="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/></way>
  <way id="2"><nd ref="5"/><nd ref="6"/><nd ref="7"/><nd ref="8"/><nd ref="5"/></way>
  <way id="3"><nd ref="9"/><nd ref="10"/><tag k="highway" v="primary"/></way>
  <relation id="1"><member type="way" ref="1" role="outer"/><member type="way" ref="2" role="inner"/>
    <tag k="type" v="multipolygon"/><tag k="leisure" v="park"/></relation>
</osm>"#,
    )
    .unwrap();
    render(&options(xml, dir.path(), 15..=15, Format::Png));
    assert!(close(pixel_at(dir.path(), 15, 51.502, -0.125, 1), PARK), "inside the park");
    assert!(close(pixel_at(dir.path(), 15, 51.505, -0.132, 1), [0xf2, 0xef, 0xe9]), "the hole is not park");
    assert!(close(pixel_at(dir.path(), 15, 51.508, -0.127, 1), PRIMARY), "the road");
}
