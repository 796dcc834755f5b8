//! Every `PlaceIndex` (geohash over SQL + cache, quadtree, R-tree) against a brute-force scan on
//! random data concentrated at the hard places: cell borders, the equator, the prime meridian,
//! the antimeridian (both spellings of ±180) and the poles.

use locus_business::repo::BusinessRepo;
use locus_business::BusinessInput;
use locus_core::cache::InProcessCache;
use locus_core::db::Database;
use locus_core::geo::{destination, haversine_m, LatLng};
use locus_lbs::geohash_index::GeohashIndex;
use locus_lbs::memory::MemoryIndex;
use locus_lbs::place::Filter;
use locus_lbs::{IndexKind, PlaceIndex};
use proptest::prelude::*;
use std::sync::Arc;

/// Hard places: data and queries are drawn within a few km of these.
const HOT_SPOTS: [(f64, f64); 9] = [
    (0.0, 0.0),
    (0.0, 180.0),
    (-17.0, -180.0),
    (65.5, 179.99),
    (89.95, 0.0),
    (-89.99, 120.0),
    (90.0, 0.0),
    (45.0, 0.0),
    (0.0, -90.0),
];

fn point() -> impl Strategy<Value = LatLng> {
    (0..HOT_SPOTS.len(), 0.0f64..360.0, 0.0f64..30_000.0, any::<bool>()).prop_map(|(i, bearing, d, snap)| {
        let (lat, lng) = HOT_SPOTS[i];
        let p = destination(LatLng::new(lat, lng).unwrap(), bearing, d);
        if snap {
            // Exactly on a meridian or parallel of the hot spot (a geohash cell border).
            LatLng::new(if bearing < 180.0 { lat } else { p.lat() }, if bearing < 180.0 { p.lng() } else { lng })
                .unwrap()
        } else {
            p
        }
    })
}

async fn indexes(points: &[LatLng]) -> (Vec<Arc<dyn PlaceIndex>>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::connect(&Database::sqlite_url(dir.path())).await.unwrap();
    let repo = BusinessRepo::new(db);
    let inputs: Vec<BusinessInput> = points
        .iter()
        .enumerate()
        .map(|(i, p)| BusinessInput {
            external_id: Some(format!("p{i}")),
            name: format!("P{i}"),
            category: "cafe".into(),
            latitude: p.lat(),
            longitude: p.lng(),
            ..Default::default()
        })
        .collect();
    for chunk in inputs.chunks(1000) {
        repo.upsert_batch(None, chunk).await.unwrap();
    }
    let geohash: Arc<dyn PlaceIndex> =
        Arc::new(GeohashIndex::new(repo.clone(), Arc::new(InProcessCache::new(1 << 24))));
    let quadtree: Arc<dyn PlaceIndex> = Arc::new(MemoryIndex::build(IndexKind::Quadtree, &repo).await.unwrap());
    let rtree: Arc<dyn PlaceIndex> = Arc::new(MemoryIndex::build(IndexKind::RTree, &repo).await.unwrap());
    (vec![geohash, quadtree, rtree], dir)
}

fn brute(points: &[LatLng], center: LatLng, radius: f64) -> Vec<usize> {
    (0..points.len()).filter(|&i| haversine_m(center, points[i]) <= radius).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_index_matches_brute_force(
        points in prop::collection::vec(point(), 50..400),
        queries in prop::collection::vec((point(), prop::sample::select(vec![1.0, 500.0, 1000.0, 2000.0, 5000.0, 20_000.0, 7_777.0])), 10),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let (indexes, _dir) = indexes(&points).await;
            for (center, radius) in &queries {
                let want = brute(&points, *center, *radius);
                for index in &indexes {
                    let found = index.within(*center, *radius, &Filter::default()).await.unwrap();
                    // Ids are assigned in insertion order from 1.
                    let mut got: Vec<usize> = found.iter().map(|c| c.id as usize - 1).collect();
                    got.sort();
                    assert_eq!(got, want, "{} at {center:?} r={radius}", index.kind());
                    for c in &found {
                        assert!((c.distance_m - haversine_m(*center, points[c.id as usize - 1])).abs() < 1e-6);
                    }
                }
                // k-nearest agrees with sorting every distance.
                let mut all: Vec<f64> = points.iter().map(|p| haversine_m(*center, *p)).collect();
                all.sort_by(f64::total_cmp);
                for index in &indexes {
                    let k = 5.min(points.len());
                    let got = match index.nearest(*center, k, &Filter::default()).await.unwrap() {
                        Some(found) => found,
                        None => continue,
                    };
                    let got: Vec<f64> = got.iter().map(|c| c.distance_m).collect();
                    assert_eq!(got.len(), k);
                    for (g, w) in got.iter().zip(&all) {
                        assert!((g - w).abs() < 1e-6, "{} knn at {center:?}: {got:?}", index.kind());
                    }
                }
            }
        });
    }
}
