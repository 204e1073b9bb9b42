//! `stdbridge serve`: the web UI and the HTTP API over the data directory.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context;
use stdbridge_app::{App, Principal, catalog};
use stdbridge_server::AppState;

pub async fn run(app: &App, addr: SocketAddr, demo: bool) -> anyhow::Result<ExitCode> {
    if demo && catalog::stats(app, &Principal::Operator).await?.standards == 0 {
        eprintln!(
            "loading the demo data into {}",
            app.config().data_dir.display()
        );
        if !super::demo::load(app).await? {
            eprintln!("warning: some demo files were not loaded");
        }
    }
    if demo {
        for account in stdbridge_app::demo::accounts(app, &Principal::Operator).await? {
            eprintln!(
                "demo {}: sign in as {} with password {} (shown only now)",
                account.role.as_str(),
                account.name,
                account.password
            );
        }
    } else if !stdbridge_app::accounts::has_users(app).await? {
        eprintln!(
            "no users yet: make the first admin with\n  \
             stdbridge user add NAME --role admin --password-stdin"
        );
    }
    // The index catches up before the first request; afterwards it follows the change
    // log in the background.
    app.catch_up().await?;
    let state = AppState::new(app.clone()).map_err(|e| anyhow::anyhow!("web UI: {e}"))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let bound = listener.local_addr().unwrap_or(addr);
    eprintln!("serving on http://{bound} (Ctrl-C or SIGTERM stops)");
    stdbridge_server::serve(listener, state, stop_signal())
        .await
        .context("serving")?;
    eprintln!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Completes on Ctrl-C (SIGINT) or SIGTERM: both stop the server after the requests in
/// flight.
async fn stop_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot wait for Ctrl-C: {error}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!("cannot wait for SIGTERM: {error}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
