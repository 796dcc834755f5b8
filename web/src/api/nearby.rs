//! Nearby friends over HTTP: friend requests and friendships, the user's settings, token
//! rotation, and the WebSocket upgrade that hands the connection to a `locus_nearby` session.

use super::auth;
use super::error::ApiError;
use crate::state::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use locus_nearby::friends::{FriendError, FriendRequest, RequestOutcome};
use locus_nearby::protocol::ServerMessage;
use locus_nearby::session::{self, Inbound, Socket};
use locus_nearby::settings::{SettingsError, SettingsPatch};
use locus_nearby::NearbyService;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// WebSocket messages above this are cut off by the transport (with a close); between the
/// protocol's own limit (4 KiB) and this they get an `error` message.
const TRANSPORT_MAX_MESSAGE_BYTES: usize = 64 * 1024;

fn service(state: &AppState) -> Result<Arc<NearbyService>, ApiError> {
    state.nearby.clone().ok_or_else(|| ApiError::unavailable("this server does not run the nearby service"))
}

fn request_json(r: &FriendRequest, status: &str) -> Value {
    json!({ "id": r.id, "from_user": r.from_user, "to_user": r.to_user, "created_at": r.created_at, "status": status })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    user_id: i64,
}

/// `POST /v1/friends/requests {"user_id"}`: 201 with the pending request, or with the
/// accepted one when the other user had asked first.
pub async fn create_request(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<NewRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let me = auth::user(&state, &headers).await?;
    let Json(body) = body?;
    let outcome = service(&state)?.request_friend(me, body.user_id).await?;
    let json = match &outcome {
        RequestOutcome::Pending(r) => request_json(r, "pending"),
        RequestOutcome::Accepted(r) => request_json(r, "accepted"),
    };
    Ok((StatusCode::CREATED, Json(json)))
}

/// `GET /v1/friends/requests`: pending requests to and from the user.
pub async fn list_requests(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    let me = auth::user(&state, &headers).await?;
    let (incoming, outgoing) = service(&state)?.friends.requests_of(me).await?;
    let all = |rs: &[FriendRequest]| rs.iter().map(|r| request_json(r, "pending")).collect::<Vec<_>>();
    Ok(Json(json!({ "incoming": all(&incoming), "outgoing": all(&outgoing) })))
}

/// `POST /v1/friends/requests/{id}/accept`, by the addressee.
pub async fn accept_request(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let me = auth::user(&state, &headers).await?;
    let Path(id) = id?;
    let request = service(&state)?.accept_request(me, id).await?;
    Ok(Json(request_json(&request, "accepted")))
}

/// `DELETE /v1/friends/requests/{id}`: either side withdraws or declines.
pub async fn delete_request(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<i64>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let me = auth::user(&state, &headers).await?;
    let Path(id) = id?;
    service(&state)?.friends.cancel(me, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/friends`: `{"friends": [{"id", "name"}]}`.
pub async fn list_friends(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    let me = auth::user(&state, &headers).await?;
    let friends = service(&state)?.friends_of(me).await?;
    let friends: Vec<Value> = friends.iter().map(|u| json!({ "id": u.id, "name": u.name })).collect();
    Ok(Json(json!({ "friends": friends })))
}

/// `DELETE /v1/friends/{id}`: ends the friendship for both.
pub async fn delete_friend(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<i64>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let me = auth::user(&state, &headers).await?;
    let Path(friend) = id?;
    service(&state)?.unfriend(me, friend).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/nearby/settings`.
pub async fn get_settings(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    let me = auth::user(&state, &headers).await?;
    let settings = service(&state)?.settings.get(me).await?;
    Ok(Json(json!(settings)))
}

/// `PUT /v1/nearby/settings {"radius_m"?, "sharing"?}`.
pub async fn put_settings(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<SettingsPatch>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let me = auth::user(&state, &headers).await?;
    let Json(patch) = body?;
    let settings = service(&state)?.update_settings(me, patch).await?;
    Ok(Json(json!(settings)))
}

/// `POST /v1/users/me/token`: a new token for the caller; the old one stops working and the
/// caller's live connections close.
pub async fn rotate_token(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    let me = auth::user(&state, &headers).await?;
    let token = match &state.nearby {
        Some(nearby) => nearby.rotate_token(me).await?,
        None => state.users.rotate_token(me).await?,
    };
    Ok(Json(json!({ "id": me, "token": token })))
}

#[derive(Deserialize)]
pub struct WsQuery {
    token: Option<String>,
}

/// `GET /v1/nearby/ws`: the live location WebSocket, authenticated by
/// `Authorization: Bearer` or `?token=` (browsers cannot set headers on an upgrade).
pub async fn websocket(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<WsQuery>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let nearby = service(&state)?;
    let user = match (&query.token, headers.contains_key(axum::http::header::AUTHORIZATION)) {
        (_, true) => auth::user(&state, &headers).await?,
        (Some(token), false) => auth::user_of_token(&state, token).await?,
        (None, false) => {
            return Err(ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "send a bearer token or ?token="))
        }
    };
    if nearby.is_draining() {
        return Err(ApiError::unavailable("this server is shutting down; connect again"));
    }
    Ok(upgrade
        .max_message_size(TRANSPORT_MAX_MESSAGE_BYTES)
        .max_frame_size(TRANSPORT_MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move { session::run(&nearby, user, AxumSocket(socket)).await })
        .into_response())
}

/// axum's WebSocket as a session's [`Socket`].
struct AxumSocket(WebSocket);

impl Socket for AxumSocket {
    async fn recv(&mut self) -> Option<Inbound> {
        loop {
            match self.0.recv().await? {
                Ok(Message::Text(text)) => return Some(Inbound::Text(text.to_string())),
                Ok(Message::Binary(bytes)) => return Some(Inbound::Binary(bytes.len())),
                Ok(Message::Ping(_) | Message::Pong(_)) => continue,
                Ok(Message::Close(_)) | Err(_) => return None,
            }
        }
    }

    async fn send(&mut self, message: &ServerMessage) -> bool {
        self.0.send(Message::Text(message.to_json().into())).await.is_ok()
    }

    async fn close(&mut self, code: u16, reason: &str) {
        let frame = CloseFrame { code, reason: reason.to_owned().into() };
        let _ = self.0.send(Message::Close(Some(frame))).await;
    }
}

impl From<FriendError> for ApiError {
    fn from(e: FriendError) -> Self {
        let conflict = |code| ApiError::new(StatusCode::CONFLICT, code, e.to_string());
        match e {
            FriendError::SelfRequest => ApiError::bad_request("invalid_field", e.to_string()),
            FriendError::UnknownUser(_) | FriendError::RequestNotFound | FriendError::NotFriends => {
                ApiError::not_found(e.to_string())
            }
            FriendError::AlreadyFriends => conflict("already_friends"),
            FriendError::RequestExists => conflict("request_exists"),
            FriendError::FriendLimit(..) => conflict("friend_limit"),
            FriendError::Db(db) => {
                tracing::error!(error = %db, "friend storage failure");
                ApiError::unavailable("storage is unavailable; retry later")
            }
        }
    }
}

impl From<SettingsError> for ApiError {
    fn from(e: SettingsError) -> Self {
        match e {
            SettingsError::InvalidRadius(_) => ApiError::bad_request("invalid_field", e.to_string()),
            SettingsError::Db(db) => {
                tracing::error!(error = %db, "settings storage failure");
                ApiError::unavailable("storage is unavailable; retry later")
            }
        }
    }
}
