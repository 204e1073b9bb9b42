//! Long work as jobs: an import, a TMX import, a reindex or a pre-translation runs as a
//! job with an id, an owner and progress, recorded in the store as it goes, so that the
//! command line draws its progress bar from the job, a server shows the same job to any
//! client (`GET /api/v1/jobs/{id}` and its event stream), and a restart tells what
//! finished, what failed and what was interrupted.
//!
//! The work itself only reports progress to a [`JobHandle`] (a watch channel); the job's
//! task records that progress in the store once a second — which is also its runner's
//! sign of life — and its outcome at the end. A job whose process is gone (no such
//! process on this host, or no sign of life for two minutes) is marked interrupted by the
//! next process that opens the store.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use stdbridge_storage::{Database, JobOutcome, JobProgress, JobRecord, JobState, NewJob};
use tokio::sync::watch;

use crate::authz::{Action, authorize};
use crate::{App, AppError, Principal};

/// How often a running job's progress is recorded (and its runner shows it is alive).
const PERSIST_EVERY: Duration = Duration::from_secs(1);
/// A job whose runner gave no sign of life for this long is taken as interrupted.
const STALE_AFTER_MS: i64 = 120_000;

/// A job as callers see it (the API's and the CLI's shape).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobView {
    /// Its id.
    pub id: i64,
    /// `import`, `tm-import`, `reindex`, `pretranslate`…
    pub kind: String,
    /// What it works on.
    pub title: String,
    /// Who started it.
    pub owner: String,
    /// `queued`, `running`, `done`, `failed` or `interrupted`.
    pub state: JobState,
    /// What it is doing now.
    pub phase: Option<String>,
    /// Units of work done (bytes read, segments translated…).
    pub done: u64,
    /// Units of work in all; 0 while unknown.
    pub total: u64,
    /// The result, once done.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub result: Option<serde_json::Value>,
    /// Why it failed or was interrupted.
    pub error: Option<String>,
    /// When it was started (RFC 3339, UTC).
    pub created: String,
    /// Its last progress (RFC 3339, UTC).
    pub updated: String,
    /// When it ended (RFC 3339, UTC).
    pub finished: Option<String>,
}

impl JobView {
    fn of(record: &JobRecord) -> JobView {
        JobView {
            id: record.id,
            kind: record.kind.clone(),
            title: record.title.clone(),
            owner: record.owner.clone(),
            state: record.state,
            phase: record.phase.clone(),
            done: record.done,
            total: record.total,
            result: record
                .result
                .as_deref()
                .and_then(|text| serde_json::from_str(text).ok()),
            error: record.error.clone(),
            created: rfc3339(record.created_ms),
            updated: rfc3339(record.updated_ms),
            finished: record.finished_ms.map(rfc3339),
        }
    }

    fn progress(&self) -> JobProgress {
        JobProgress {
            phase: self.phase.clone(),
            done: self.done,
            total: self.total,
        }
    }
}

/// What a job leaves as its recorded result: a summary in JSON (never the bulk of what
/// it made, such as a translated document).
pub trait JobOutput: Send + 'static {
    /// The result as recorded and shown by `GET /api/v1/jobs/{id}`.
    fn summary(&self) -> serde_json::Value;
}

/// What running work reports its progress to.
#[derive(Clone)]
pub struct JobHandle {
    view: Arc<watch::Sender<JobView>>,
}

impl JobHandle {
    /// The job's id.
    pub fn id(&self) -> i64 {
        self.view.borrow().id
    }

    /// The job as it stands now.
    pub fn snapshot(&self) -> JobView {
        self.view.borrow().clone()
    }

    /// The work has done `done` of `total` units (0 when unknown), now in `phase`.
    pub fn progress(&self, phase: Option<&str>, done: u64, total: u64) {
        self.view.send_if_modified(|view| {
            let phase = phase.map(str::to_owned);
            let changed = view.done != done || view.total != total || view.phase != phase;
            view.done = done;
            view.total = total;
            view.phase = phase;
            changed
        });
    }
}

/// A job that has been started: its id, its progress as it changes, and its result.
pub struct RunningJob<T> {
    id: i64,
    progress: watch::Receiver<JobView>,
    task: tokio::task::JoinHandle<Result<T, AppError>>,
}

impl<T> RunningJob<T> {
    /// The job's id.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// The job's progress, as it changes.
    pub fn watch(&self) -> watch::Receiver<JobView> {
        self.progress.clone()
    }

    /// Waits for the job to end: its result, or why it failed.
    pub async fn wait(self) -> Result<T, AppError> {
        self.task.await.map_err(AppError::internal)?
    }
}

/// The jobs of a store, and those this process runs.
pub struct Jobs {
    db: Arc<dyn Database>,
    runner: Runner,
    live: Arc<Mutex<HashMap<i64, watch::Receiver<JobView>>>>,
}

impl Jobs {
    /// The jobs of `db`, run by this process.
    pub(crate) fn new(db: Arc<dyn Database>) -> Jobs {
        Jobs {
            db,
            runner: Runner::this_process(),
            live: Arc::default(),
        }
    }

    /// Records a job and runs `work` as a task of its own; progress and outcome are
    /// recorded as it goes. The result is recorded as the job's result (JSON).
    pub(crate) async fn start<T, F, Fut>(
        &self,
        kind: &str,
        title: String,
        owner: &Principal,
        work: F,
    ) -> Result<RunningJob<T>, AppError>
    where
        F: FnOnce(JobHandle) -> Fut,
        Fut: Future<Output = Result<T, AppError>> + Send + 'static,
        T: JobOutput,
    {
        let record = self
            .db
            .create_job(&NewJob {
                kind: kind.to_owned(),
                title,
                owner: owner.name().to_owned(),
                runner: self.runner.name.clone(),
                now_ms: now_ms(),
            })
            .await?;
        let (sender, receiver) = watch::channel(JobView::of(&record));
        let handle = JobHandle {
            view: Arc::new(sender),
        };
        let id = record.id;
        self.lock_live().insert(id, receiver.clone());
        let work = tokio::spawn(work(handle.clone()));
        let db = Arc::clone(&self.db);
        let live = Arc::clone(&self.live);
        let task = tokio::spawn(async move {
            let result = supervise(db.as_ref(), &handle, work).await;
            live.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
            result
        });
        Ok(RunningJob {
            id,
            progress: receiver,
            task,
        })
    }

    /// The job with this id: live from this process, else as recorded.
    pub(crate) async fn get(&self, id: i64) -> Result<Option<(JobRecord, JobView)>, AppError> {
        let Some(record) = self.db.job(id).await? else {
            return Ok(None);
        };
        let view = match self.lock_live().get(&id) {
            Some(live) => live.borrow().clone(),
            None => JobView::of(&record),
        };
        Ok(Some((record, view)))
    }

    /// The latest jobs, newest first.
    pub(crate) async fn list(&self, limit: i64) -> Result<Vec<(JobRecord, JobView)>, AppError> {
        let records = self.db.jobs(None, limit).await?;
        let live = self.lock_live();
        Ok(records
            .into_iter()
            .map(|record| {
                let view = match live.get(&record.id) {
                    Some(receiver) => receiver.borrow().clone(),
                    None => JobView::of(&record),
                };
                (record, view)
            })
            .collect())
    }

    /// The progress of a job this process runs, as it changes.
    pub(crate) fn live(&self, id: i64) -> Option<watch::Receiver<JobView>> {
        self.lock_live().get(&id).cloned()
    }

    /// Marks interrupted every unfinished job whose process is gone; returns how many.
    pub(crate) async fn interrupt_abandoned(&self) -> Result<u64, AppError> {
        let now = now_ms();
        let mut marked = 0;
        for job in self.db.unfinished_jobs().await? {
            if self.lock_live().contains_key(&job.id) {
                continue;
            }
            let Some(reason) = self.runner.abandoned(&job, now) else {
                continue;
            };
            let outcome = JobOutcome {
                state: JobState::Interrupted,
                result: None,
                error: Some(reason),
                progress: JobProgress {
                    phase: job.phase.clone(),
                    done: job.done,
                    total: job.total,
                },
            };
            if self.db.finish_job(job.id, &outcome, now).await? {
                tracing::warn!(job = job.id, kind = %job.kind, "marked interrupted");
                marked += 1;
            }
        }
        Ok(marked)
    }

    fn lock_live(&self) -> std::sync::MutexGuard<'_, HashMap<i64, watch::Receiver<JobView>>> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A job, if `who` may see it.
pub async fn job(app: &App, who: &Principal, id: i64) -> Result<JobView, AppError> {
    let found = app.jobs().await?.get(id).await?;
    match found {
        Some((record, view)) if authorize(app.config(), who, Action::ReadJob(&record)).is_ok() => {
            Ok(view)
        }
        _ => Err(AppError::not_found(format!("no job {id}"))),
    }
}

/// The latest jobs `who` may see, newest first.
pub async fn list(app: &App, who: &Principal, limit: i64) -> Result<Vec<JobView>, AppError> {
    let jobs = app.jobs().await?.list(limit).await?;
    Ok(jobs
        .into_iter()
        .filter(|(record, _)| authorize(app.config(), who, Action::ReadJob(record)).is_ok())
        .map(|(_, view)| view)
        .collect())
}

/// A job's progress as it changes, until it ends.
pub struct JobWatch {
    app: App,
    id: i64,
    live: Option<watch::Receiver<JobView>>,
    last: Option<JobView>,
}

impl JobWatch {
    /// The job's next state: at once the first time, then whenever it changes; `None`
    /// once the job has ended and its last state was given. A job run by another process
    /// is read from the store every half second.
    pub async fn next(&mut self) -> Option<JobView> {
        if self.last.as_ref().is_some_and(|v| v.state.is_final()) {
            return None;
        }
        loop {
            let current = match &mut self.live {
                Some(live) => {
                    if self.last.is_some() && live.changed().await.is_err() {
                        // The job ended in this process: its last state is recorded.
                        self.live = None;
                        continue;
                    }
                    live.borrow_and_update().clone()
                }
                None => {
                    if self.last.is_some() {
                        tokio::time::sleep(Duration::from_millis(500)).await;
                    }
                    let jobs = self.app.jobs().await.ok()?;
                    jobs.get(self.id).await.ok()??.1
                }
            };
            if self.last.as_ref() != Some(&current) {
                self.last = Some(current.clone());
                return Some(current);
            }
        }
    }
}

/// Watches a job `who` may see.
pub async fn watch(app: &App, who: &Principal, id: i64) -> Result<JobWatch, AppError> {
    job(app, who, id).await?;
    let live = app.jobs().await?.live(id);
    Ok(JobWatch {
        app: app.clone(),
        id,
        live,
        last: None,
    })
}

/// Waits for the work while recording its progress; records its outcome.
async fn supervise<T: JobOutput>(
    db: &dyn Database,
    handle: &JobHandle,
    mut work: tokio::task::JoinHandle<Result<T, AppError>>,
) -> Result<T, AppError> {
    let id = handle.id();
    let mut ticker = tokio::time::interval(PERSIST_EVERY);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let result = loop {
        tokio::select! {
            joined = &mut work => {
                break joined.unwrap_or_else(|error| {
                    Err(AppError::internal(format!("job {id} stopped: {error}")))
                });
            }
            _ = ticker.tick() => {
                let progress = handle.view.borrow().progress();
                if let Err(error) = db.update_job(id, &progress, now_ms()).await {
                    tracing::warn!(job = id, "progress not recorded: {error}");
                }
            }
        }
    };
    let progress = handle.view.borrow().progress();
    let outcome = match &result {
        Ok(value) => JobOutcome {
            state: JobState::Done,
            result: Some(value.summary().to_string()),
            error: None,
            progress,
        },
        Err(error) => JobOutcome {
            state: JobState::Failed,
            result: None,
            error: Some(error.to_string()),
            progress,
        },
    };
    let now = now_ms();
    if let Err(error) = db.finish_job(id, &outcome, now).await {
        tracing::error!(job = id, "outcome not recorded: {error}");
    }
    handle.view.send_modify(|view| {
        view.state = outcome.state;
        view.error = outcome.error.clone();
        view.result = outcome
            .result
            .as_deref()
            .and_then(|text| serde_json::from_str(text).ok());
        view.updated = rfc3339(now);
        view.finished = Some(rfc3339(now));
    });
    result
}

/// The process that runs jobs: `host:pid`.
struct Runner {
    name: String,
    host: String,
}

impl Runner {
    fn this_process() -> Runner {
        let host = host_name();
        Runner {
            name: format!("{host}:{}", std::process::id()),
            host,
        }
    }

    /// Why `job` is abandoned, if it is: its process is not running on this host, or it
    /// gave no sign of life for [`STALE_AFTER_MS`].
    fn abandoned(&self, job: &JobRecord, now: i64) -> Option<String> {
        if now - job.updated_ms > STALE_AFTER_MS {
            return Some(format!(
                "interrupted: its process ({}) gave no sign of life for {} s",
                job.runner,
                (now - job.updated_ms) / 1000
            ));
        }
        let (host, pid) = job.runner.rsplit_once(':')?;
        let pid: u32 = pid.parse().ok()?;
        if host == self.host && !process_exists(pid) {
            return Some(format!(
                "interrupted: its process ({}) ended before the job did",
                job.runner
            ));
        }
        None
    }
}

/// Whether a process of this id runs on this machine (where `/proc` tells; elsewhere it
/// is assumed to, and only the staleness rule applies).
fn process_exists(pid: u32) -> bool {
    let proc = std::path::Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

/// Now, in Unix milliseconds.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Unix milliseconds as RFC 3339 in UTC, to the second.
pub(crate) fn rfc3339(ms: i64) -> String {
    let Ok(at) = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)) else {
        return String::new();
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(runner: &str, updated_ms: i64) -> JobRecord {
        JobRecord {
            id: 1,
            kind: "import".into(),
            title: "x".into(),
            owner: "operator".into(),
            runner: runner.into(),
            state: JobState::Running,
            phase: None,
            done: 0,
            total: 0,
            result: None,
            error: None,
            created_ms: 0,
            updated_ms,
            finished_ms: None,
        }
    }

    #[test]
    fn a_job_is_abandoned_when_its_process_is_gone_or_silent() {
        let runner = Runner::this_process();
        let now = 10_000_000;
        let alive = format!("{}:{}", runner.host, std::process::id());
        assert_eq!(runner.abandoned(&job(&alive, now - 1_000), now), None);
        let silent = runner.abandoned(&job(&alive, now - STALE_AFTER_MS - 1), now);
        assert!(silent.is_some_and(|r| r.contains("no sign of life")));
        if std::path::Path::new("/proc/self").exists() {
            // Process ids stop well below this on Linux.
            let gone = format!("{}:4294967", runner.host);
            let reason = runner.abandoned(&job(&gone, now - 1_000), now);
            assert!(reason.is_some_and(|r| r.contains("ended before the job did")));
        }
        let elsewhere = "another-host:1";
        assert_eq!(runner.abandoned(&job(elsewhere, now - 1_000), now), None);
    }

    #[test]
    fn times_are_written_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_764_756_000_123), "2025-12-03T10:00:00Z");
    }
}
