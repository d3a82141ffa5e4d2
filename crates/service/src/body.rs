//! Reading request bodies: the size limit (413), the content type (JSON, or a workbook imported as `starplan import` does; 415 for anything else), UTF-8 and JSON, and validation with the CLI's coded errors (422), off the async threads.

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

/// What a body holds, by its Content-Type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Json,
    Workbook,
}

/// The body's kind: a workbook type (xlsx, xls, ods) or JSON (also when no type is given);
/// CSV holds one list only, so it is 415 with the way to a workbook or an input.
pub fn kind(headers: &HeaderMap) -> Result<Kind, ApiError> {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = kind.split(';').next().unwrap_or("").trim().to_lowercase();
    if crate::openapi::WORKBOOKS.contains(&essence.as_str()) {
        return Ok(Kind::Workbook);
    }
    if essence.contains("csv") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("{kind}: a CSV file holds one list; upload the workbook (Content-Type {}), or make an input with `starplan import --groups G.csv --managers M.csv`", crate::openapi::WORKBOOKS[0]),
        ));
    }
    Ok(Kind::Json)
}

/// Refuses anything but JSON (a check request holds an input and a plan in one document).
pub fn json_only(headers: &HeaderMap) -> Result<(), ApiError> {
    match kind(headers)? {
        Kind::Json => Ok(()),
        Kind::Workbook => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "this route reads JSON (Content-Type: application/json); POST /v1/plans and /v1/staff also take a workbook",
        )),
    }
}

/// A validated input and its text, validated (or imported from a workbook, through the
/// same path as `starplan import`) on the blocking pool.
pub async fn input(
    bytes: Bytes,
    kind: Kind,
    all_new: bool,
) -> Result<(InputFile, String), ApiError> {
    tokio::task::spawn_blocking(move || match kind {
        Kind::Workbook => workbook(bytes.to_vec(), all_new),
        Kind::Json => {
            let text = starplan_format::parse::text(&bytes)
                .map_err(|e| ApiError::invalid("the input", &[e], ""))?
                .to_string();
            let file = starplan_format::validate::load_input(&text)
                .map_err(|e| ApiError::invalid("the input", &e, ""))?;
            Ok((file, text))
        }
    })
    .await
    .map_err(ApiError::internal)?
}

/// A workbook upload imported with the built-in headers; errors name their cells in
/// `upload.xlsx` as the CLI names them in the file given.
fn workbook(bytes: Vec<u8>, all_new: bool) -> Result<(InputFile, String), ApiError> {
    let bad =
        |e: Vec<starplan_format::errors::InputError>| ApiError::invalid("the workbook", &e, "");
    let map = starplan_desk::Mapping {
        all_new,
        ..Default::default()
    };
    let book = starplan_desk::Book::open("upload.xlsx", bytes).map_err(|e| bad(vec![e]))?;
    let src = starplan_desk::import::workbook_sources(book, &map).map_err(bad)?;
    let imported = starplan_desk::import(&src, &map).map_err(bad)?;
    let text = serde_json::to_string(&imported.input).map_err(ApiError::internal)?;
    Ok((imported.input, text))
}

/// A JSON document with the CLI's E001 / E006 errors.
pub fn json(bytes: &[u8]) -> Result<serde_json::Value, ApiError> {
    let text =
        starplan_format::parse::text(bytes).map_err(|e| ApiError::invalid("the body", &[e], ""))?;
    starplan_format::parse::json_value(text).map_err(|e| ApiError::invalid("the body", &[e], ""))
}
