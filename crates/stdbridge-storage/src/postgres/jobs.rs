//! Jobs on PostgreSQL, in the store's database.

use async_trait::async_trait;
use sqlx::Row;

use super::PgStore;
use crate::StorageError;
use crate::jobs::*;

const COLUMNS: &str = "id, kind, title, owner, runner, state, phase, done, total, result, error, \
                       created_ms, updated_ms, finished_ms";

fn job_of(row: &sqlx::postgres::PgRow) -> Result<JobRecord, StorageError> {
    let state: String = row.try_get(5)?;
    Ok(JobRecord {
        id: row.try_get(0)?,
        kind: row.try_get(1)?,
        title: row.try_get(2)?,
        owner: row.try_get(3)?,
        runner: row.try_get(4)?,
        state: JobState::parse(&state).ok_or_else(|| StorageError::Invalid {
            what: "job state".to_owned(),
            value: state.clone(),
        })?,
        phase: row.try_get(6)?,
        done: u64::try_from(row.try_get::<i64, _>(7)?).unwrap_or(0),
        total: u64::try_from(row.try_get::<i64, _>(8)?).unwrap_or(0),
        result: row.try_get(9)?,
        error: row.try_get(10)?,
        created_ms: row.try_get(11)?,
        updated_ms: row.try_get(12)?,
        finished_ms: row.try_get(13)?,
    })
}

fn count(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

#[async_trait]
impl JobRepository for PgStore {
    async fn create_job(&self, job: &NewJob) -> Result<JobRecord, StorageError> {
        let sql = format!(
            "INSERT INTO jobs (kind, title, owner, runner, state, created_ms, updated_ms) \
             VALUES ($1, $2, $3, $4, 'running', $5, $6) RETURNING {COLUMNS}"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&job.kind)
            .bind(&job.title)
            .bind(&job.owner)
            .bind(&job.runner)
            .bind(job.now_ms)
            .bind(job.now_ms)
            .fetch_one(&self.pool)
            .await?;
        job_of(&row)
    }

    async fn update_job(
        &self,
        id: i64,
        progress: &JobProgress,
        now_ms: i64,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "UPDATE jobs SET phase = $1, done = $2, total = $3, updated_ms = $4 \
             WHERE id = $5 AND state IN ('queued', 'running')",
        )
        .bind(&progress.phase)
        .bind(count(progress.done))
        .bind(count(progress.total))
        .bind(now_ms)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn finish_job(
        &self,
        id: i64,
        outcome: &JobOutcome,
        now_ms: i64,
    ) -> Result<bool, StorageError> {
        let changed = sqlx::query(
            "UPDATE jobs SET state = $1, result = $2, error = $3, phase = $4, done = $5, total = $6, \
             updated_ms = $7, finished_ms = $8 WHERE id = $9 AND state IN ('queued', 'running')",
        )
        .bind(outcome.state.as_str())
        .bind(&outcome.result)
        .bind(&outcome.error)
        .bind(&outcome.progress.phase)
        .bind(count(outcome.progress.done))
        .bind(count(outcome.progress.total))
        .bind(now_ms)
        .bind(now_ms)
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(changed > 0)
    }

    async fn job(&self, id: i64) -> Result<Option<JobRecord>, StorageError> {
        let sql = format!("SELECT {COLUMNS} FROM jobs WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(job_of).transpose()
    }

    async fn jobs(&self, owner: Option<&str>, limit: i64) -> Result<Vec<JobRecord>, StorageError> {
        let rows = match owner {
            Some(owner) => {
                let sql = format!(
                    "SELECT {COLUMNS} FROM jobs WHERE owner = $1 ORDER BY id DESC LIMIT $2"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(owner)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                let sql = format!("SELECT {COLUMNS} FROM jobs ORDER BY id DESC LIMIT $1");
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(job_of).collect()
    }

    async fn unfinished_jobs(&self) -> Result<Vec<JobRecord>, StorageError> {
        let sql =
            format!("SELECT {COLUMNS} FROM jobs WHERE state IN ('queued', 'running') ORDER BY id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(job_of).collect()
    }
}
