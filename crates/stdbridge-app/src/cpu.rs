//! Processor-bound work of requests (searches, analytics over the index) runs on a
//! bounded set of blocking threads, never on the async workers, so that a heavy request
//! cannot stall the others (health checks keep answering). When the queue is full, new
//! work is refused at once as unavailable, with a time to retry.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Semaphore;

use crate::AppError;

/// A bounded pool for processor-bound work.
#[derive(Debug)]
pub struct CpuPool {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
}

impl CpuPool {
    /// A pool of `workers` threads at a time, with at most `max_waiting` callers waiting.
    pub fn new(workers: usize, max_waiting: usize) -> CpuPool {
        CpuPool {
            permits: Arc::new(Semaphore::new(workers.max(1))),
            waiting: AtomicUsize::new(0),
            max_waiting,
        }
    }

    /// Runs `work` on a blocking thread once one of the pool's places is free.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let permit = match Arc::clone(&self.permits).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.max_waiting {
                    self.waiting.fetch_sub(1, Ordering::AcqRel);
                    return Err(AppError::unavailable(
                        "the server is busy with other searches; try again in a moment",
                        1,
                    ));
                }
                let acquired = Arc::clone(&self.permits).acquire_owned().await;
                self.waiting.fetch_sub(1, Ordering::AcqRel);
                acquired.map_err(AppError::internal)?
            }
        };
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(AppError::internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_refuses_at_once_and_the_rest_runs() {
        let pool = Arc::new(CpuPool::new(1, 1));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let busy = {
            let pool = Arc::clone(&pool);
            tokio::spawn(async move {
                pool.run(move || {
                    let _ = hold.recv_timeout(Duration::from_secs(10));
                    1
                })
                .await
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        let queued = {
            let pool = Arc::clone(&pool);
            tokio::spawn(async move { pool.run(|| 2).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        let refused = pool.run(|| 3).await.expect_err("the queue is full");
        assert_eq!(refused.kind, crate::ErrorKind::Unavailable);
        assert_eq!(refused.retry_after, Some(1));
        release.send(()).expect("the busy work waits");
        assert_eq!(busy.await.expect("joins").expect("runs"), 1);
        assert_eq!(queued.await.expect("joins").expect("runs"), 2);
        assert_eq!(pool.run(|| 4).await.expect("room again"), 4);
    }
}
