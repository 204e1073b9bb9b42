//! Jobs: long work recorded in the store with its owner, progress and outcome, so that
//! any process (a CLI command, a server node) can show it, and a restart can tell what
//! was interrupted.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::StorageError;

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    /// Waiting to run.
    Queued,
    /// Running.
    Running,
    /// Finished; its result is there.
    Done,
    /// Stopped by an error; the error is there.
    Failed,
    /// Its process went away before it finished.
    Interrupted,
}

impl JobState {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
            JobState::Interrupted => "interrupted",
        }
    }

    /// The state a stored word names.
    pub fn parse(text: &str) -> Option<JobState> {
        [
            JobState::Queued,
            JobState::Running,
            JobState::Done,
            JobState::Failed,
            JobState::Interrupted,
        ]
        .into_iter()
        .find(|state| state.as_str() == text)
    }

    /// Whether the job has ended (done, failed or interrupted).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            JobState::Done | JobState::Failed | JobState::Interrupted
        )
    }
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRecord {
    /// Its id.
    pub id: i64,
    /// `import`, `tm-import`, `reindex`, `pretranslate`…
    pub kind: String,
    /// What it works on, for people.
    pub title: String,
    /// Who started it.
    pub owner: String,
    /// The process running it (`host:pid`).
    pub runner: String,
    /// Where it stands.
    pub state: JobState,
    /// What it is doing now (a file's name, "indexing"…).
    pub phase: Option<String>,
    /// Units of work done.
    pub done: u64,
    /// Units of work in all (0 while unknown).
    pub total: u64,
    /// Its result as JSON, once done.
    pub result: Option<String>,
    /// Why it failed or was interrupted.
    pub error: Option<String>,
    /// When it was made (Unix milliseconds).
    pub created_ms: i64,
    /// Its runner's last sign of life (Unix milliseconds).
    pub updated_ms: i64,
    /// When it ended (Unix milliseconds).
    pub finished_ms: Option<i64>,
}

/// A job to record.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// Its kind.
    pub kind: String,
    /// What it works on.
    pub title: String,
    /// Who starts it.
    pub owner: String,
    /// The process that runs it.
    pub runner: String,
    /// Now (Unix milliseconds).
    pub now_ms: i64,
}

/// Progress of a running job.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobProgress {
    /// What it is doing now.
    pub phase: Option<String>,
    /// Units done.
    pub done: u64,
    /// Units in all.
    pub total: u64,
}

/// How a job ended.
#[derive(Debug, Clone)]
pub struct JobOutcome {
    /// Done, failed or interrupted.
    pub state: JobState,
    /// The result (JSON) when done.
    pub result: Option<String>,
    /// The error otherwise.
    pub error: Option<String>,
    /// Its final progress.
    pub progress: JobProgress,
}

/// Jobs as a backend keeps them.
#[async_trait]
pub trait JobRepository: Send + Sync {
    /// Records a new job, running.
    async fn create_job(&self, job: &NewJob) -> Result<JobRecord, StorageError>;

    /// Records a running job's progress; also its runner's sign of life. A job that has
    /// ended is left as it is.
    async fn update_job(
        &self,
        id: i64,
        progress: &JobProgress,
        now_ms: i64,
    ) -> Result<(), StorageError>;

    /// Records how a job ended, unless it has ended already; returns whether it did.
    async fn finish_job(
        &self,
        id: i64,
        outcome: &JobOutcome,
        now_ms: i64,
    ) -> Result<bool, StorageError>;

    /// The job with this id.
    async fn job(&self, id: i64) -> Result<Option<JobRecord>, StorageError>;

    /// The latest jobs, newest first; only `owner`'s when given.
    async fn jobs(&self, owner: Option<&str>, limit: i64) -> Result<Vec<JobRecord>, StorageError>;

    /// Jobs that have not ended (queued or running), oldest first.
    async fn unfinished_jobs(&self) -> Result<Vec<JobRecord>, StorageError>;
}
