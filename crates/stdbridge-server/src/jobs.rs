//! Jobs: one job's state, and a stream of its progress as server-sent events.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use stdbridge_app::jobs::{self, JobView};

use crate::extract::PathText;
use crate::{ApiError, AppState};

/// A job: where it stands, how far it got, and its result or error.
#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "service",
    params(("id" = i64, Path, description = "The job's id", example = 1)),
    responses(
        (status = 200, description = "The job", body = JobView),
        (status = 400, description = "Not a job id", body = crate::ErrorBody),
        (status = 404, description = "No such job (or not one the caller may see)", body = crate::ErrorBody),
    ))]
pub async fn job(
    State(state): State<Arc<AppState>>,
    crate::Who(who): crate::Who,
    PathText(id): PathText,
) -> Result<Json<JobView>, ApiError> {
    let id = crate::extract::path_id(&id, "job")?;
    Ok(Json(jobs::job(&state.app, &who, id).await?))
}

/// A job's progress as server-sent events: one `job` event with the job (as
/// `GET /api/v1/jobs/{id}` answers) at once and at every change, until it has ended.
#[utoipa::path(get, path = "/api/v1/jobs/{id}/events", tag = "service",
    params(("id" = i64, Path, description = "The job's id", example = 1)),
    responses(
        (status = 200, description = "`text/event-stream`: `event: job` with the job as JSON, at every change until it ends", content_type = "text/event-stream", body = String),
        (status = 400, description = "Not a job id", body = crate::ErrorBody),
        (status = 404, description = "No such job", body = crate::ErrorBody),
    ))]
pub async fn events(
    State(state): State<Arc<AppState>>,
    crate::Who(who): crate::Who,
    PathText(id): PathText,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let id = crate::extract::path_id(&id, "job")?;
    let watch = jobs::watch(&state.app, &who, id).await?;
    let events = stream::unfold(watch, |mut watch| async move {
        let view = watch.next().await?;
        let event = Event::default()
            .event("job")
            .json_data(&view)
            .unwrap_or_else(|_| Event::default().event("job"));
        Some((Ok(event), watch))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
