//! The OpenAPI document and the router agree: every documented operation is served (not the
//! unknown-route or wrong-method fallback), and the document is what `/openapi.json` serves.

use locus_tests::{embedded, TestServer};
use reqwest::Method;
use serde_json::Value;

#[tokio::test]
async fn every_documented_operation_is_routed() {
    let (config, _dir) = embedded();
    let server = TestServer::start(config).await;
    let doc: Value = serde_json::from_str(locus_web::api::OPENAPI).expect("valid JSON");
    let (status, served) = server.get("/openapi.json").await;
    assert_eq!((status, &served), (200, &doc));
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 10);
    for (path, operations) in paths {
        for method in operations.as_object().expect("operations").keys() {
            let url = format!("{}?latitude=0&longitude=0&bbox=0,0,1,1", path.replace("{id}", "1"));
            let method: Method = method.to_uppercase().parse().expect("method");
            let r = server.client.request(method.clone(), server.url(&url)).send().await.expect("request");
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap_or(Value::Null);
            let code = body["error"]["code"].as_str().unwrap_or_default();
            let unrouted =
                (status == 404 && body["error"]["message"] == "no such route") || code == "method_not_allowed";
            assert!(!unrouted, "{method} {path} is documented but not routed ({status} {body})");
        }
    }
}
