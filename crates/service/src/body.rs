//! Reading request bodies: the size limit (413), the content type (415 for workbooks, until import exists), UTF-8 and JSON, and validation with the CLI's coded errors (422), off the async threads.

use crate::errors::ApiError;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{header, HeaderMap, StatusCode};
use starplan_format::InputFile;

/// The bytes of a body, or the answer for one too large or unreadable.
pub fn bytes(body: Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes, ApiError> {
    body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large(limit)
        } else {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("cannot read the request body: {r}"),
            )
        }
    })
}

/// Refuses a spreadsheet upload: this build reads JSON only (`starplan import` is not part of it).
pub fn json_only(headers: &HeaderMap) -> Result<(), ApiError> {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let sheet =
        kind.contains("spreadsheetml") || kind.contains("ms-excel") || kind.contains("text/csv");
    if sheet {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("{kind}: this server reads JSON inputs (Content-Type: application/json); workbook import is not part of this build"),
        ));
    }
    Ok(())
}

/// A validated input and its text, validated on the blocking pool.
pub async fn input(bytes: Bytes) -> Result<(InputFile, String), ApiError> {
    tokio::task::spawn_blocking(move || {
        let text = starplan_format::parse::text(&bytes)
            .map_err(|e| ApiError::invalid("the input", &[e], ""))?
            .to_string();
        let file = starplan_format::validate::load_input(&text)
            .map_err(|e| ApiError::invalid("the input", &e, ""))?;
        Ok((file, text))
    })
    .await
    .map_err(ApiError::internal)?
}

/// A JSON document with the CLI's E001 / E006 errors.
pub fn json(bytes: &[u8]) -> Result<serde_json::Value, ApiError> {
    let text =
        starplan_format::parse::text(bytes).map_err(|e| ApiError::invalid("the body", &[e], ""))?;
    starplan_format::parse::json_value(text).map_err(|e| ApiError::invalid("the body", &[e], ""))
}
