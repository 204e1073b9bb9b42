//! Progress bars drawn from a job's progress, on stderr when it is a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use stdbridge_app::jobs::{JobView, RunningJob};

/// Draws the job's progress until it ends, then waits for its result.
pub async fn with_bar<T>(job: RunningJob<T>, bytes: bool) -> Result<T, stdbridge_app::AppError> {
    let mut progress = job.watch();
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let template = if bytes {
        "{msg:30!} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}"
    } else {
        "{msg:30!} [{bar:30}] {pos}/{len} {per_sec} {eta}"
    };
    bar.set_style(
        ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let drawing = bar.clone();
    let drawer = tokio::spawn(async move {
        loop {
            draw(&drawing, &progress.borrow_and_update());
            if progress.changed().await.is_err() {
                break;
            }
        }
    });
    let result = job.wait().await;
    drawer.abort();
    bar.finish_and_clear();
    result
}

fn draw(bar: &ProgressBar, view: &JobView) {
    if let Some(phase) = &view.phase {
        bar.set_message(
            std::path::Path::new(phase)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| phase.clone()),
        );
    }
    if view.total > 0 {
        bar.set_length(view.total);
    }
    bar.set_position(view.done);
}

/// A counter of rows done, on stderr when it is a terminal; hidden when `shown` is false
/// (JSON output).
pub fn counter(shown: bool) -> ProgressBar {
    if !shown {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg:30!} {pos} rows {per_sec}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar
}
