//! CSV and JSON lines imports: bad rows reported by line and skipped, the rest written, and
//! re-imports idempotent.

mod common;

use common::{fixture, locations};
use locus_pipelines::import::{import_businesses, ImportError, ImportOptions, ImportReport};
use locus_pipelines::synth::{generate, write_csv};
use std::path::Path;

async fn import(f: &common::Fixture, path: &Path) -> Result<ImportReport, ImportError> {
    import_businesses(&f.service, path, ImportOptions::default()).await
}

/// (inserted, updated, unchanged, skipped)
fn counts(r: &ImportReport) -> (u64, u64, u64, u64) {
    (r.inserted, r.updated, r.unchanged, r.skipped)
}

fn bad_csv() -> String {
    let long_name = "n".repeat(1 << 20);
    [
        "external_id,name,category,latitude,longitude,opening_hours,notes".to_owned(),
        "a1,Good One,cafe,43.7,7.4,24/7,x".to_owned(),                // 2
        "a2,Bad Latitude,cafe,95,7.4,,x".to_owned(),                  // 3
        "a3,,cafe,43.7,7.4,,x".to_owned(),                            // 4: no name
        "a4,Not A Number,cafe,NaN,7.4,,x".to_owned(),                 // 5
        format!("a5,{long_name},cafe,43.7,7.4,,x"),                   // 6: 1 MB name
        "a6,Short Row,cafe,43.7".to_owned(),                          // 7: wrong column count
        ",No Id,Bakery,43.71,7.41,Mo-Fr 08:00-18:00,x".to_owned(),    // 8: derived id
        "a7,\"Quoted, Name\",bar,43.72,7.42,,x".to_owned(),           // 9
        "a8,Bad Hours,bar,43.72,7.42,Mo-Fr 25:00-26:00,x".to_owned(), // 10
        "a1,Same Id Again,cafe,1,1,,x".to_owned(),                    // 11: repeats a1
    ]
    .join("\n")
}

#[tokio::test]
async fn csv_skips_bad_rows_by_line_and_reimports_unchanged() {
    let f = fixture().await;
    let path = f.file("businesses.csv", bad_csv());
    let first = import(&f, &path).await.unwrap();
    assert_eq!(counts(&first), (3, 0, 0, 7), "{first}");
    assert_eq!(locations(&first.problems), ["line 3", "line 4", "line 5", "line 6", "line 7", "line 10", "line 11"]);
    assert!(first.problems[0].message.starts_with("latitude"), "{}", first.problems[0]);
    assert!(first.problems[1].message.starts_with("name"), "{}", first.problems[1]);
    assert!(first.problems[3].message.len() < 400, "the 1 MB name is not echoed");
    assert!(first.problems[4].message.contains("fields"), "{}", first.problems[4]);
    assert_eq!(first.warnings, 1, "the unknown column is ignored with one warning");
    assert!(first.warning_details[0].message.contains("notes"));
    assert_eq!(f.repo.count().await.unwrap(), 3);
    assert_eq!(f.scalar("SELECT COUNT(*) FROM geohash_index").await, 9);
    let derived = f.scalar("SELECT COUNT(*) FROM businesses WHERE external_id LIKE 'import:%'").await;
    assert_eq!(derived, 1);

    let again = import(&f, &path).await.unwrap();
    assert_eq!(counts(&again), (0, 0, 3, 7), "{again}");
    assert_eq!(f.repo.count().await.unwrap(), 3);
}

#[tokio::test]
async fn csv_header_problems_fail_before_any_write() {
    let f = fixture().await;
    let missing = f.file("missing.csv", "name,category,lat,lng\nA,cafe,1,2\n");
    let err = import(&f, &missing).await.unwrap_err();
    assert!(matches!(err, ImportError::Header { .. }), "{err}");
    assert!(err.to_string().contains("latitude, longitude"), "{err}");
    let twice = f.file("twice.csv", "name,category,latitude,longitude,name\nA,cafe,1,2,B\n");
    assert!(matches!(import(&f, &twice).await, Err(ImportError::Header { .. })));
    assert_eq!(f.repo.count().await.unwrap(), 0);
}

#[tokio::test]
async fn unusable_files_are_clear_errors() {
    let f = fixture().await;
    let empty = f.file("empty.csv", "");
    assert!(matches!(import(&f, &empty).await, Err(ImportError::Empty(_))));
    let garbage: Vec<u8> = (0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let binary = f.file("garbage.csv", &garbage);
    assert!(matches!(import(&f, &binary).await, Err(ImportError::Binary { .. })));
    let binary = f.file("garbage.jsonl", &garbage);
    assert!(matches!(import(&f, &binary).await, Err(ImportError::Binary { .. })));
    let absent = f.dir.path().join("absent.csv");
    assert!(matches!(import(&f, &absent).await, Err(ImportError::Io { .. })));
    let unknown = f.file("places.xlsx", "x");
    assert!(matches!(import(&f, &unknown).await, Err(ImportError::UnknownFormat(_))));
    assert_eq!(f.repo.count().await.unwrap(), 0);
}

#[tokio::test]
async fn json_lines_skip_bad_lines_and_reimport_unchanged() {
    let f = fixture().await;
    let lines = [
        r#"{"external_id":"j1","name":"Good","category":"cafe","latitude":43.7,"longitude":7.4}"#, // 1
        "",                                                                                        // 2
        r#"{"external_id":"j2","name":"Broken","category":"cafe","latitude":43.7,"#,               // 3
        r#"{"external_id":"j3","name":"Far North","category":"cafe","latitude":95,"longitude":1}"#, // 4
        r#"{"name":"No Id","category":"bar","latitude":-33.9,"longitude":151.2,"opening_hours":"24/7"}"#, // 5
        r#"{"name":"Extra","category":"bar","latitude":1,"longitude":1,"rating":5}"#,              // 6
        "   ",                                                                                     // 7
        r#"{"external_id":"j4","name":"Seam","category":"fuel","latitude":-17,"longitude":180}"#,  // 8
        "[1, 2]",                                                                                  // 9
    ];
    let path = f.file("businesses.ndjson", lines.join("\r\n"));
    let first = import(&f, &path).await.unwrap();
    assert_eq!(counts(&first), (3, 0, 0, 4), "{first}");
    assert_eq!(locations(&first.problems), ["line 3", "line 4", "line 6", "line 9"]);
    assert!(first.problems[0].message.starts_with("invalid JSON"), "{}", first.problems[0]);
    assert!(first.problems[2].message.contains("rating"), "{}", first.problems[2]);
    let again = import(&f, &path).await.unwrap();
    assert_eq!(counts(&again), (0, 0, 3, 4), "{again}");
}

/// Generated rows written as CSV import exactly: the same rows as JSON lines are all unchanged,
/// so neither format loses a bit of a coordinate.
#[tokio::test]
async fn generated_csv_round_trips_through_the_importer() {
    let f = fixture().await;
    let rows: Vec<_> = generate(2_500, 5).collect();
    let csv = f.dir.path().join("synth.csv");
    assert_eq!(write_csv(&csv, rows.clone(), false).unwrap(), 2_500);
    let first = import(&f, &csv).await.unwrap();
    assert_eq!(counts(&first), (2_500, 0, 0, 0), "{first}");
    let jsonl: Vec<String> = rows.iter().map(|b| serde_json::to_string(b).unwrap()).collect();
    let path = f.file("synth.jsonl", jsonl.join("\n"));
    let again = import(&f, &path).await.unwrap();
    assert_eq!(counts(&again), (0, 0, 2_500, 0), "{again}");
    assert_eq!(f.scalar("SELECT COUNT(*) FROM geohash_index").await, 3 * 2_500);
}
