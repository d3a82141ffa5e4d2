//! The optional bearer token (`--token-file`): every route but the probes needs `Authorization: Bearer <token>`, compared in constant time.

use crate::errors::ApiError;
use crate::App;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use subtle::ConstantTimeEq;

pub async fn require_token(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let Some(token) = app.config.token.as_deref() else {
        return next.run(req).await;
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(g) if bool::from(g.as_bytes().ct_eq(token.as_bytes())) => next.run(req).await,
        _ => {
            app.metrics.reject("unauthorized");
            let what = if given.is_some() {
                "the bearer token is wrong"
            } else {
                "this server needs a bearer token: send Authorization: Bearer <token>"
            };
            ApiError::new(StatusCode::UNAUTHORIZED, what).into_response()
        }
    }
}
