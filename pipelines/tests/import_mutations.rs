//! Damaged inputs of every format end in a report or a clear error: never a panic (which would
//! surface as `ImportError::Worker`) and never a hang.

mod common;

use common::{fixture, monaco};
use locus_pipelines::import::{import_businesses, ImportError, ImportOptions};
use locus_pipelines::synth::{generate, write_csv};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Duration;

/// `bytes` with a few random bytes overwritten and, sometimes, the tail cut off.
fn mutate(bytes: &[u8], rng: &mut ChaCha8Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..rng.gen_range(1..8) {
        let i = rng.gen_range(0..out.len());
        out[i] = rng.gen();
    }
    if rng.gen_bool(0.3) {
        out.truncate(rng.gen_range(1..out.len()));
    }
    out
}

async fn survives(name: &str, original: &[u8], rounds: usize) {
    let f = fixture().await;
    let mut rng = ChaCha8Rng::seed_from_u64(77);
    for round in 0..rounds {
        let path = f.file(name, mutate(original, &mut rng));
        let run = import_businesses(&f.service, &path, ImportOptions::default());
        let result = tokio::time::timeout(Duration::from_secs(60), run).await.expect("import hung");
        if let Err(e @ (ImportError::Worker(_) | ImportError::Database { .. })) = result {
            panic!("{name} round {round}: {e}");
        }
    }
}

#[tokio::test]
async fn damaged_csv_and_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("a.csv");
    write_csv(&csv, generate(300, 1), false).unwrap();
    survives("damaged.csv", &std::fs::read(&csv).unwrap(), 40).await;
    let lines: Vec<String> = generate(300, 1).map(|b| serde_json::to_string(&b).unwrap()).collect();
    survives("damaged.jsonl", lines.join("\n").as_bytes(), 40).await;
}

#[tokio::test]
async fn damaged_pbf() {
    let Some(pbf) = monaco() else { return };
    survives("damaged.osm.pbf", &std::fs::read(pbf).unwrap(), 40).await;
}
