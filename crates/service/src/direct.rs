//! The routes answered at once: POST /v1/check and /v1/staff (synchronous), the probes, /metrics and /openapi.json.

use crate::errors::ApiError;
use crate::jobs::{CheckRegion, CheckResult, CheckViolation, JobState, Readiness};
use crate::{body, App};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use starplan_format::errors::{Code, InputError};
use std::sync::Arc;

/// Splits a check request into its input and plan, with coded errors at their paths in
/// the body.
fn check_parts(
    value: serde_json::Value,
) -> Result<(serde_json::Value, serde_json::Value), ApiError> {
    let serde_json::Value::Object(mut top) = value else {
        let e = InputError::new(Code::E002, "$", "expected an object with input and plan");
        return Err(ApiError::invalid("the body", &[e], ""));
    };
    let mut errors: Vec<InputError> = top
        .keys()
        .filter(|k| !matches!(k.as_str(), "input" | "plan"))
        .map(|k| {
            InputError::new(
                Code::E003,
                format!("$.{k}"),
                format!("unknown field `{k}`, expected input, plan"),
            )
        })
        .collect();
    let input = top.remove("input");
    let plan = top.remove("plan");
    for (name, v) in [("input", &input), ("plan", &plan)] {
        if v.is_none() {
            errors.push(InputError::new(
                Code::E005,
                "$",
                format!("missing field `{name}`"),
            ));
        }
    }
    match (input, plan) {
        (Some(i), Some(p)) if errors.is_empty() => Ok((i, p)),
        _ => Err(ApiError::invalid("the body", &errors, "")),
    }
}

/// POST /v1/check: `{"input": …, "plan": …}` → the checker's verdict. 200 whether the plan
/// is valid or not; 422 when the input or plan cannot be read (paths within the body).
pub async fn check(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Json<CheckResult>, ApiError> {
    let bytes = body::bytes(raw, app.config.max_body)?;
    body::json_only(&headers)?;
    tokio::task::spawn_blocking(move || {
        let (input, plan) = check_parts(body::json(&bytes)?)?;
        let file = starplan_format::validate::load_value(input)
            .map_err(|e| ApiError::invalid("the input", &e, "$.input"))?;
        let plan = starplan_format::parse::plan_file(&plan.to_string())
            .map_err(|e| ApiError::invalid("the plan", &e, "$.plan"))?;
        // The same verdict as `starplan check` on the same files (starplan_checker::verdict).
        let verdict = starplan_checker::verdict(&file, &plan, &[])
            .map_err(|e| ApiError::invalid("the plan's recorded layout", &e, "$.plan"))?;
        let violations: Vec<CheckViolation> = verdict
            .violations
            .into_iter()
            .map(|v| CheckViolation {
                code: v.code.as_str().into(),
                region: v.region,
                message: v.message,
            })
            .collect();
        Ok(Json(CheckResult {
            valid: violations.is_empty(),
            policy: verdict.policy,
            regions: verdict
                .regions
                .into_iter()
                .map(|r| CheckRegion {
                    id: r.id,
                    status: r.status,
                    proof: r.proof,
                    certified_gap: r.certified_gap,
                    solver_gap: r.solver_gap,
                    verdict: r.verdict,
                })
                .collect(),
            violations,
        }))
    })
    .await
    .map_err(ApiError::internal)?
}

/// POST /v1/staff: an input → the staffing estimate (as `starplan staff --format json`).
pub async fn staff(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let bytes = body::bytes(raw, app.config.max_body)?;
    let kind = body::kind(&headers)?;
    let (file, _) = body::input(bytes, kind, false).await?;
    let est = tokio::task::spawn_blocking(move || {
        starplan_workflows::staffing::staffing(&starplan_engine::convert::to_instance(&file))
    })
    .await
    .map_err(ApiError::internal)?;
    Ok(Json(est).into_response())
}

/// GET /healthz: the process answers.
pub async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok"}))
}

/// GET /readyz: 200 while the store answers and the server is not stopping, else 503.
pub async fn readyz(State(app): State<Arc<App>>) -> Response {
    let counts = app.store.run(|s| s.counts()).await;
    let of = |c: &[(JobState, usize)], s: JobState| c.iter().find(|x| x.0 == s).map_or(0, |x| x.1);
    let (ready, queued, running, reason) = match (&counts, app.is_stopping()) {
        (_, true) => (false, 0, 0, Some("the server is stopping".to_string())),
        (Ok(c), false) => (
            true,
            of(c, JobState::Queued),
            of(c, JobState::Running),
            None,
        ),
        (Err(e), false) => (false, 0, 0, Some(e.to_string())),
    };
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Readiness {
            ready,
            queued,
            running,
            reason,
        }),
    )
        .into_response()
}

/// GET /metrics: Prometheus text format.
pub async fn metrics(State(app): State<Arc<App>>) -> Result<Response, ApiError> {
    let counts = app.store.run(|s| s.counts()).await?;
    let text = app.metrics.render(&counts);
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

/// GET /openapi.json.
pub async fn openapi() -> Json<serde_json::Value> {
    Json(crate::openapi::document())
}
