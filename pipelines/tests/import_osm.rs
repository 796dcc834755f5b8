//! OSM PBF imports: a real extract becomes businesses; damaged files are errors, never panics.

mod common;

use common::{fixture, monaco};
use locus_pipelines::import::{import_businesses, ImportError, ImportOptions};
use rand::{RngCore, SeedableRng};

#[tokio::test]
async fn monaco_becomes_hundreds_of_businesses_and_reimports_unchanged() {
    let Some(pbf) = monaco() else { return };
    let f = fixture().await;
    let first = import_businesses(&f.service, &pbf, ImportOptions::default()).await.unwrap();
    println!("{first}");
    assert!(first.inserted >= 300, "{first}");
    assert_eq!((first.updated, first.unchanged), (0, 0));
    let total = f.repo.count().await.unwrap();
    assert_eq!(total as u64, first.inserted);
    for category in ["restaurant", "cafe"] {
        let n = f.scalar(&format!("SELECT COUNT(*) FROM businesses WHERE category = '{category}'")).await;
        assert!(n >= 10, "only {n} businesses of category {category}");
    }
    let nodes = f.scalar("SELECT COUNT(*) FROM businesses WHERE external_id LIKE 'osm:node/%'").await;
    let ways = f.scalar("SELECT COUNT(*) FROM businesses WHERE external_id LIKE 'osm:way/%'").await;
    println!("{nodes} from nodes, {ways} from ways");
    assert!(nodes > 0 && ways > 0, "{nodes} nodes, {ways} ways");
    assert_eq!(nodes + ways, total);
    // Monaco and its French surroundings.
    let outside = "SELECT COUNT(*) FROM businesses WHERE latitude NOT BETWEEN 43.5 AND 44.0 \
                   OR longitude NOT BETWEEN 7.2 AND 7.7";
    assert_eq!(f.scalar(outside).await, 0);

    let again = import_businesses(&f.service, &pbf, ImportOptions::default()).await.unwrap();
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, first.inserted), "{again}");
    assert_eq!(again.skipped, first.skipped);
}

#[tokio::test]
async fn damaged_pbf_files_are_errors() {
    let Some(pbf) = monaco() else { return };
    let f = fixture().await;
    let bytes = std::fs::read(&pbf).unwrap();
    for (name, cut) in [("half", bytes.len() / 2), ("minus_one", bytes.len() - 1), ("header_only", 200)] {
        let path = f.file(&format!("{name}.osm.pbf"), &bytes[..cut]);
        let err = import_businesses(&f.service, &path, ImportOptions::default()).await.unwrap_err();
        println!("{name}: {err}");
        assert!(matches!(err, ImportError::Pbf { .. }), "{name}: {err}");
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
    for size in [1usize, 3, 4, 100, 70_000, 1 << 20] {
        let mut noise = vec![0u8; size];
        rng.fill_bytes(&mut noise);
        let path = f.file("noise.pbf", &noise);
        let err = import_businesses(&f.service, &path, ImportOptions::default()).await.unwrap_err();
        println!("{size} random bytes: {err}");
        assert!(matches!(err, ImportError::Pbf { .. }), "{size} random bytes: {err}");
    }
    let empty = f.file("empty.osm.pbf", b"");
    assert!(matches!(
        import_businesses(&f.service, &empty, ImportOptions::default()).await,
        Err(ImportError::Empty(_))
    ));
}
