//! A nearby-friends WebSocket client for tests (tokio-tungstenite, a real connection).

use crate::TestServer;
use futures::{SinkExt, StreamExt};
use serde_json::Value;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

type Stream = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// How long a test waits for a message it expects.
pub const PATIENCE: Duration = Duration::from_secs(5);

pub struct WsClient {
    stream: Stream,
}

/// How a connection attempt ended: the HTTP status when the upgrade was refused.
pub async fn try_connect(server: &TestServer, token: Option<&str>, header: bool) -> Result<WsClient, u16> {
    try_connect_to(&server.base, token, header).await
}

/// [`try_connect`] to the server at `base` (`http://host:port`).
pub async fn try_connect_to(base: &str, token: Option<&str>, header: bool) -> Result<WsClient, u16> {
    let base = base.replacen("http://", "ws://", 1);
    let url = match (token, header) {
        (Some(t), false) => format!("{base}/v1/nearby/ws?token={t}"),
        _ => format!("{base}/v1/nearby/ws"),
    };
    let mut request = url.into_client_request().expect("a valid URL");
    if let (Some(t), true) = (token, header) {
        request.headers_mut().insert("authorization", format!("Bearer {t}").parse().expect("a header value"));
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((stream, _)) => Ok(WsClient { stream }),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => Err(response.status().as_u16()),
        Err(e) => panic!("WebSocket connection failed: {e}"),
    }
}

impl WsClient {
    /// Connects with `?token=`.
    pub async fn connect(server: &TestServer, token: &str) -> WsClient {
        try_connect(server, Some(token), false).await.unwrap_or_else(|s| panic!("upgrade refused with {s}"))
    }

    pub async fn send_text(&mut self, text: &str) {
        self.stream.send(Message::Text(text.into())).await.expect("send");
    }

    pub async fn send_json(&mut self, value: Value) {
        self.send_text(&value.to_string()).await;
    }

    /// Sends `init` and returns the `nearby` answer.
    pub async fn init(&mut self, lat: f64, lng: f64) -> Value {
        self.send_json(serde_json::json!({"type": "init", "latitude": lat, "longitude": lng})).await;
        self.expect("nearby").await
    }

    pub async fn location(&mut self, lat: f64, lng: f64) {
        self.send_json(serde_json::json!({"type": "location", "latitude": lat, "longitude": lng})).await;
    }

    /// The next message within `within`: `Ok(json)`, `Err(Some(code))` for a close,
    /// `Err(None)` for silence or a dropped connection.
    pub async fn next_within(&mut self, within: Duration) -> Result<Value, Option<u16>> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Err(_) => return Err(None),
                Ok(None) | Ok(Some(Err(_))) => return Err(None),
                Ok(Some(Ok(Message::Text(t)))) => return Ok(serde_json::from_str(&t).expect("server sends JSON")),
                Ok(Some(Ok(Message::Close(frame)))) => return Err(frame.map(|f| u16::from(f.code))),
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// The next message, which must be of `kind`.
    pub async fn expect(&mut self, kind: &str) -> Value {
        match self.next_within(PATIENCE).await {
            Ok(m) => {
                assert_eq!(m["type"], kind, "expected a {kind} message, got {m}");
                m
            }
            Err(close) => panic!("expected a {kind} message, got {close:?} (close code, or nothing)"),
        }
    }

    /// Every message that arrives within `within`.
    pub async fn drain(&mut self, within: Duration) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + within;
        let mut all = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_within(left).await {
                Ok(m) => all.push(m),
                Err(_) => return all,
            }
        }
    }

    /// Waits for the server to close; returns its close code.
    pub async fn expect_close(&mut self) -> u16 {
        loop {
            match self.next_within(PATIENCE).await {
                Ok(_) => continue,
                Err(Some(code)) => return code,
                Err(None) => panic!("the connection ended without a close frame (or did not end)"),
            }
        }
    }
}
