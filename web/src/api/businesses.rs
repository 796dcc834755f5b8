//! `/v1/businesses`: business CRUD. Reads are public; writes need the owner's or an admin token.

use super::auth::actor;
use super::error::ApiError;
use crate::state::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use locus_business::{Business, BusinessInput};

pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<BusinessInput>, JsonRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let actor = actor(&state, &headers).await?;
    let Json(input) = body?;
    let created = state.businesses.create(&actor, input).await?;
    let location = format!("/v1/businesses/{}", created.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(created)))
}

pub async fn get(
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<Business>, ApiError> {
    let Path(id) = id.map_err(|_| ApiError::not_found("business ids are integers"))?;
    Ok(Json(state.businesses.get(id).await?))
}

pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<i64>, PathRejection>,
    body: Result<Json<BusinessInput>, JsonRejection>,
) -> Result<Json<Business>, ApiError> {
    let actor = actor(&state, &headers).await?;
    let Path(id) = id.map_err(|_| ApiError::not_found("business ids are integers"))?;
    let Json(input) = body?;
    Ok(Json(state.businesses.update(&actor, id, input).await?))
}

pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<i64>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let actor = actor(&state, &headers).await?;
    let Path(id) = id.map_err(|_| ApiError::not_found("business ids are integers"))?;
    state.businesses.delete(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
