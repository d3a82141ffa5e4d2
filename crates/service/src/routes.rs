//! The router and the job routes: submit (202), list, status with per-region progress (and `?wait=`), the plan alone, cancel, and the plan's HTML report.

use crate::errors::ApiError;
use crate::jobs::{JobList, JobOptions, JobState, JobView, Submitted};
use crate::worker::Why;
use crate::{auth, body, direct, App};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

/// The longest `?wait=` a request may ask for, in seconds.
pub const MAX_WAIT: f64 = 60.0;

/// Every route. Probes are open; the rest needs the token when one is set.
pub fn router(app: Arc<App>) -> Router {
    let guarded = Router::new()
        .route("/v1/plans", post(submit).get(list))
        .route("/v1/plans/{id}", get(job).delete(cancel))
        .route("/v1/plans/{id}/plan", get(plan))
        .route("/v1/plans/{id}/report", get(report))
        .route("/v1/check", post(direct::check))
        .route("/v1/staff", post(direct::staff))
        .route("/metrics", get(direct::metrics))
        .route("/openapi.json", get(direct::openapi))
        .route_layer(middleware::from_fn_with_state(
            Arc::clone(&app),
            auth::require_token,
        ));
    Router::new()
        .route("/healthz", get(direct::healthz))
        .route("/readyz", get(direct::readyz))
        .merge(guarded)
        .fallback(no_route)
        .layer(DefaultBodyLimit::max(app.config.max_body))
        .with_state(app)
}

async fn no_route(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!(
            "no route {method} {}; GET /openapi.json lists them",
            uri.path()
        ),
    )
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(t)| t)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text()))
}

fn check_options(o: &JobOptions) -> Result<(), ApiError> {
    let most = 1e7;
    if let Some(t) = o.time_limit.filter(|t| !(*t > 0.0 && *t <= most)) {
        let what = format!("time_limit {t} must be above 0 and at most {most} seconds");
        return Err(ApiError::new(StatusCode::BAD_REQUEST, what));
    }
    if let Some(g) = o.gap.filter(|g| !(0.0..=1.0).contains(g)) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("gap {g} is outside [0, 1]"),
        ));
    }
    Ok(())
}

/// POST /v1/plans: validates, stores, then answers 202 with the job's id and Location.
async fn submit(
    State(app): State<Arc<App>>,
    q: Result<Query<JobOptions>, QueryRejection>,
    headers: HeaderMap,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let refused = |app: &App, reason: &str, e: ApiError| {
        app.metrics.reject(reason);
        e
    };
    let opts = query(q)?;
    check_options(&opts)?;
    let bytes = body::bytes(raw, app.config.max_body).map_err(|e| refused(&app, "too_large", e))?;
    let kind = body::kind(&headers)?;
    if app.is_stopping() {
        let mut e = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping");
        e.retry_after = Some(5);
        return Err(e);
    }
    let (_, text) = body::input(bytes, kind, opts.all_new.unwrap_or(false))
        .await
        .map_err(|e| refused(&app, "invalid", e))?;
    let id = uuid::Uuid::new_v4().to_string();
    let options = serde_json::to_string(&opts).map_err(ApiError::internal)?;
    let (key, max) = (id.clone(), app.config.max_queue);
    let stored = app
        .store
        .run(move |s| s.insert(&key, &text, &options, max))
        .await?;
    if let Err(queued) = stored {
        return Err(refused(&app, "queue_full", ApiError::queue_full(queued)));
    }
    app.metrics.submitted.inc();
    app.wake.notify_one();
    let location = format!("/v1/plans/{id}");
    let mut res = (
        StatusCode::ACCEPTED,
        Json(Submitted {
            id,
            state: JobState::Queued,
            location: location.clone(),
        }),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    state: Option<JobState>,
    limit: Option<usize>,
}

/// GET /v1/plans: the newest jobs first (`?state=`, `?limit=`, at most 1000).
async fn list(
    State(app): State<Arc<App>>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<JobList>, ApiError> {
    let q = query(q)?;
    let limit = q.limit.unwrap_or(100).min(1000);
    let jobs = app.store.run(move |s| s.list(q.state, limit)).await?;
    Ok(Json(JobList { jobs }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JobQuery {
    /// Seconds to wait for the job to finish before answering (at most 60).
    wait: Option<f64>,
    /// false: leave the plan out.
    plan: Option<bool>,
}

/// Waits until job `id` is finished, at most `wait` seconds.
async fn wait_finished(app: &Arc<App>, id: &str, wait: Option<f64>) {
    let Some(secs) = wait.filter(|w| *w > 0.0 && w.is_finite()) else {
        return;
    };
    let mut rx = app.finished.subscribe();
    let deadline = tokio::time::sleep(Duration::from_secs_f64(secs.min(MAX_WAIT)));
    tokio::pin!(deadline);
    loop {
        let key = id.to_string();
        match app.store.run(move |s| s.get(&key, false)).await {
            Ok(Some(row)) if !row.view.state.finished() => {}
            _ => return,
        }
        // Drain notices until ours (or a lag, after which the store is read again).
        loop {
            tokio::select! {
                _ = &mut deadline => return,
                m = rx.recv() => match m {
                    Ok(x) if x == id => return,
                    Ok(_) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => break,
                    Err(_) => return,
                },
            }
        }
    }
}

/// GET /v1/plans/{id}: state, per-region progress, and the plan once there is one.
async fn job(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    q: Result<Query<JobQuery>, QueryRejection>,
) -> Result<Json<JobView>, ApiError> {
    let q = query(q)?;
    wait_finished(&app, &id, q.wait).await;
    let with_plan = q.plan.unwrap_or(true);
    let key = id.clone();
    let row = app
        .store
        .run(move |s| s.get(&key, with_plan))
        .await?
        .ok_or_else(|| ApiError::not_found(&id))?;
    let mut view = row.view;
    if view.state == JobState::Running {
        let live = app
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
            .cloned();
        if let Some(r) = live {
            view.regions = r.progress();
        }
    }
    view.plan = row.plan.and_then(|t| serde_json::from_str(&t).ok());
    Ok(Json(view))
}

/// GET /v1/plans/{id}/plan: the plan file alone (as `starplan solve` writes it); 409 while
/// the job is not finished.
async fn plan(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    q: Result<Query<JobQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = query(q)?;
    wait_finished(&app, &id, q.wait).await;
    let key = id.clone();
    let row = app
        .store
        .run(move |s| s.get(&key, true))
        .await?
        .ok_or_else(|| ApiError::not_found(&id))?;
    let state = row.view.state;
    match row.plan {
        Some(text) => Ok(([(header::CONTENT_TYPE, "application/json")], text).into_response()),
        None if !state.finished() => Err(ApiError::new(
            StatusCode::CONFLICT,
            format!(
                "job {id} is {}; ask again later, or with ?wait=SECONDS",
                state.as_str()
            ),
        )),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!(
                "job {id} ended {} without a plan: {}",
                state.as_str(),
                row.view.message.unwrap_or_default()
            ),
        )),
    }
}

/// DELETE /v1/plans/{id}: a queued job is cancelled at once (200); a running one is asked
/// to stop and keeps its best plan so far (202); a finished one is left as it is (409).
async fn cancel(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    for _ in 0..20 {
        let live = app
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
            .cloned();
        if let Some(r) = live {
            r.stop(Why::User);
            let body = serde_json::json!({"id": id, "state": "running", "message": "cancelling: the job stops with its best plan so far"});
            return Ok((StatusCode::ACCEPTED, Json(body)).into_response());
        }
        let key = id.clone();
        match app.store.run(move |s| s.cancel_queued(&key)).await? {
            None => return Err(ApiError::not_found(&id)),
            Some(JobState::Cancelled) => {
                let body = serde_json::json!({"id": id, "state": "cancelled"});
                return Ok((StatusCode::OK, Json(body)).into_response());
            }
            Some(s @ (JobState::Done | JobState::Failed)) => {
                let what = format!("job {id} has already finished ({})", s.as_str());
                return Err(ApiError::new(StatusCode::CONFLICT, what));
            }
            // Taken by a worker a moment ago: it shows up among the running jobs shortly.
            Some(_) => tokio::time::sleep(Duration::from_millis(25)).await,
        }
    }
    Err(ApiError::new(
        StatusCode::CONFLICT,
        format!("job {id} is starting; retry the DELETE"),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportQuery {
    /// `en` (default) or `zh`.
    lang: Option<String>,
}

/// GET /v1/plans/{id}/report: the plan's report as `starplan report` writes it (one HTML
/// page), from the job's stored input and plan, with the policy the plan recorded.
async fn report(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    q: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let lang = match query(q)?.lang.as_deref() {
        None | Some("en") => starplan_desk::words::Lang::En,
        Some("zh") => starplan_desk::words::Lang::Zh,
        Some(other) => {
            let what = format!("lang {other}: give en or zh");
            return Err(ApiError::new(StatusCode::BAD_REQUEST, what));
        }
    };
    let key = id.clone();
    let found = app
        .store
        .run(move |s| Ok((s.get(&key, true)?, s.input(&key)?)))
        .await?;
    let (Some(row), Some(input)) = found else {
        return Err(ApiError::not_found(&id));
    };
    let Some(plan) = row.plan else {
        let state = row.view.state;
        let code = if state.finished() {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::CONFLICT
        };
        let what = format!("job {id} is {} and has no plan to report", state.as_str());
        return Err(ApiError::new(code, what));
    };
    let html = tokio::task::spawn_blocking(move || -> Result<String, ApiError> {
        let mut file = starplan_format::validate::load_input(&input)
            .map_err(|e| ApiError::invalid("the stored input", &e, ""))?;
        let plan: starplan_format::output::PlanFile =
            serde_json::from_str(&plan).map_err(ApiError::internal)?;
        if let Some(p) = &plan.provenance {
            file.policy = p.policy.clone();
        }
        let view = starplan_desk::view::View::new(&file, &plan);
        Ok(starplan_desk::report::html(&view, lang))
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}
