//! Every error answer of the API in one place: status, JSON body (`ErrorBody`) and headers, so each refusal reads the same.

use crate::jobs::{ErrorBody, InputProblem};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use starplan_format::errors::InputError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
    /// Seconds for Retry-After (429, 503).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, error: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: ErrorBody {
                error: error.into(),
                errors: Vec::new(),
            },
            retry_after: None,
        }
    }

    /// 422 with the coded problems; `prefix` moves their paths into a wrapping body
    /// (`$.input` for POST /v1/check).
    pub fn invalid(what: &str, errors: &[InputError], prefix: &str) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{what} is invalid: {} error(s)", errors.len()),
        );
        e.body.errors = errors
            .iter()
            .map(|x| {
                let mut p = InputProblem::from(x);
                if !prefix.is_empty() {
                    p.path = format!("{prefix}{}", p.path.trim_start_matches('$'));
                }
                p
            })
            .collect();
        e
    }

    pub fn too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the request body is larger than this server accepts ({limit} bytes; see starplan serve --max-body)"
            ),
        )
    }

    pub fn queue_full(queued: usize) -> ApiError {
        ApiError {
            retry_after: Some(10),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!("the queue is full ({queued} jobs waiting; see starplan serve --max-queue); retry later"),
            )
        }
    }

    pub fn not_found(id: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, format!("no job {id}"))
    }

    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %e, "internal error");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        ApiError::internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, axum::Json(self.body)).into_response();
        if let Some(s) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"starplan\""),
            );
        }
        res
    }
}
