//! `POST /v1/users`: create a user and hand out its token.

use super::error::ApiError;
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    name: String,
}

pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<NewUser>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let Json(body) = body?;
    let (user, token) = state.users.create(&body.name).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": user.id, "name": user.name, "token": token }))))
}
