//! Import throughput, measured on demand:
//! `cargo test --release -p locus-pipelines --test import_speed -- --ignored --nocapture`
//! (`LOCUS_IMPORT_SPEED_ROWS` sets the row count, 100,000 by default).

mod common;

use common::fixture;
use locus_pipelines::import::{import_businesses, ImportOptions};
use locus_pipelines::synth::{generate, write_csv};
use std::time::Instant;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement, not a check; run it by name"]
async fn import_speed() {
    let rows: usize = std::env::var("LOCUS_IMPORT_SPEED_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let f = fixture().await;
    let csv = f.dir.path().join("synth.csv");
    let started = Instant::now();
    write_csv(&csv, generate(rows, 42), false).unwrap();
    println!("generated and wrote {rows} rows in {:.2} s", started.elapsed().as_secs_f64());
    let first = import_businesses(&f.service, &csv, ImportOptions::default()).await.unwrap();
    println!("first import:  {first}");
    assert_eq!(first.inserted as usize, rows);
    let again = import_businesses(&f.service, &csv, ImportOptions::default()).await.unwrap();
    println!("re-import:     {again}");
    assert_eq!(again.unchanged as usize, rows);
}
