//! The one error shape of the HTTP API: `{"error": {"code": "...", "message": "..."}}`.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use locus_business::service::ServiceError;
use locus_lbs::index::IndexError;
use locus_lbs::search::SearchError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into() }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": { "code": self.code, "message": self.message } });
        (self.status, Json(body)).into_response()
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::MissingJsonContentType(_) => Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send Content-Type: application/json",
            ),
            JsonRejection::BytesRejection(b) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Self::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the request body is too large")
            }
            JsonRejection::JsonDataError(e) => Self::bad_request("invalid_body", e.body_text()),
            JsonRejection::JsonSyntaxError(e) => Self::bad_request("invalid_json", e.body_text()),
            other => Self::new(other.status(), "invalid_body", other.body_text()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        Self::bad_request("invalid_query", r.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        Self::bad_request("invalid_path", r.body_text())
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => Self::not_found("no business with that id"),
            ServiceError::Forbidden => {
                Self::new(StatusCode::FORBIDDEN, "forbidden", "only the owner or an admin may change this business")
            }
            ServiceError::Unauthenticated => {
                Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", "send Authorization: Bearer <token>")
            }
            ServiceError::Validation(v) => Self::bad_request("invalid_field", v.to_string()),
            ServiceError::Duplicate(what) => Self::new(StatusCode::CONFLICT, "duplicate", what),
            ServiceError::Storage(msg) => {
                tracing::error!(error = %msg, "storage failure");
                Self::unavailable("storage is unavailable; retry later")
            }
        }
    }
}

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Invalid(msg) => Self::bad_request("invalid_query", msg),
            SearchError::Index(IndexError::AreaTooLarge(_)) => Self::bad_request("area_too_large", e.to_string()),
            SearchError::Index(IndexError::Storage(msg)) => {
                tracing::error!(error = %msg, "index storage failure");
                Self::unavailable("search storage is unavailable; retry later")
            }
            SearchError::Hydrate(inner) => Self::from(inner),
        }
    }
}

impl From<locus_core::users::UserError> for ApiError {
    fn from(e: locus_core::users::UserError) -> Self {
        match e {
            locus_core::users::UserError::InvalidName => Self::bad_request("invalid_field", e.to_string()),
            locus_core::users::UserError::Db(db) => {
                tracing::error!(error = %db, "user storage failure");
                Self::unavailable("storage is unavailable; retry later")
            }
        }
    }
}
