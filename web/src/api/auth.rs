//! Bearer-token authentication: who is making a write.

use super::error::ApiError;
use crate::state::AppState;
use axum::http::{header, HeaderMap, StatusCode};
use locus_business::service::Actor;
use locus_core::users::hash_token;

/// The actor behind a request: anonymous without a token, 401 for a token nobody owns.
pub async fn actor(state: &AppState, headers: &HeaderMap) -> Result<Actor, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Actor { user_id: None, is_admin: false });
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 256)
        .ok_or_else(|| unauthorized("expected Authorization: Bearer <token>"))?;
    if state.admin_token_hash.as_deref() == Some(hash_token(token).as_str()) {
        return Ok(Actor { user_id: None, is_admin: true });
    }
    Ok(Actor { user_id: Some(user_of_token(state, token).await?), is_admin: false })
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
}

/// The user behind a request that needs one: 401 without a valid user token.
pub async fn user(state: &AppState, headers: &HeaderMap) -> Result<i64, ApiError> {
    match actor(state, headers).await? {
        Actor { user_id: Some(id), .. } => Ok(id),
        _ => Err(unauthorized("send Authorization: Bearer <a user's token>")),
    }
}

/// The user a token belongs to (a bearer header's, or a WebSocket URL's `?token=`).
pub async fn user_of_token(state: &AppState, token: &str) -> Result<i64, ApiError> {
    if token.is_empty() || token.len() > 256 {
        return Err(unauthorized("unknown or revoked token"));
    }
    match state.users.authenticate(token).await? {
        Some(user) => Ok(user.id),
        None => Err(unauthorized("unknown or revoked token")),
    }
}
