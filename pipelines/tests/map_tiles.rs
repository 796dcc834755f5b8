//! `locus tiles render` end to end on the Monaco extract: the raster tiles show the style's
//! colours where the map has water, a park and a road; copies are stored once; the vector
//! tiles decode with an independent decoder; the archive holds the same tiles as the bucket.

use flate2::read::GzDecoder;
use locus_pipelines::map_tiles::{render_tiles, RenderJobError, RenderOptions, RenderSummary};
use locus_tiles::pmtiles::PmtilesReader;
use locus_tiles::url::Format;
use locus_tiles::TileId;
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
        since_ms: None,
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
    for tile in [TileId { z: 0, x: 0, y: 0 }, TileId { z: 16, x: 34119, y: 23896 }, TileId { z: 16, x: 34130, y: 23902 }] {
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
    let primary: Vec<String> =
        roads.iter().filter(|f| property(f, "class").as_deref() == Some("primary")).filter_map(|f| property(f, "name")).collect();
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
    let err = render_tiles(&options(xml, &dir.path().join("out"), 0..=2, Format::Png)).unwrap_err();
    assert!(err.to_string().contains(".osm.pbf"), "{err}");

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
