//! `stdbridge serve`: the web UI and the HTTP API over the data directory.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use stdbridge_catalog::index::CatalogIndex;
use stdbridge_server::AppState;
use stdbridge_storage::Store;

pub async fn run(
    store: Store,
    data_dir: &Path,
    addr: SocketAddr,
    demo: bool,
) -> anyhow::Result<ExitCode> {
    if demo && store.stats().await?.standards == 0 {
        eprintln!("loading the demo data into {}", data_dir.display());
        if !super::demo::load(&store, data_dir).await? {
            eprintln!("warning: some demo files were not loaded");
        }
    }
    let index = CatalogIndex::open(data_dir)?;
    if let Err(error) = index.sync(&store).await {
        tracing::warn!("search index not brought up to date ({error})");
    }
    let state = AppState::new(store, index).map_err(|e| anyhow::anyhow!("web UI: {e}"))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let bound = listener.local_addr().unwrap_or(addr);
    eprintln!("serving on http://{bound} (Ctrl-C stops)");
    stdbridge_server::serve(listener, state, async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot wait for Ctrl-C: {error}");
            std::future::pending::<()>().await;
        }
    })
    .await
    .context("serving")?;
    eprintln!("stopped");
    Ok(ExitCode::SUCCESS)
}
