//! `stdbridge bench http`: the search endpoint under load over loopback. Generates and
//! indexes a catalogue as `bench search` does, serves it in this process, and runs an
//! in-process load generator: `--concurrency` clients, each sending the next query of the
//! six classes as soon as the last was answered, for `--seconds`. Reports requests per
//! second and latency (p50, p99) as the clients saw them; then suggestion latency, one
//! request at a time, for what a search box sends while typing.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use stdbridge_server::AppState;
use stdbridge_storage::{CatalogRepository, Database};

use crate::search::{BenchOptions, Build, Generated, Latency, draw_probes, generate_catalogue};
use crate::{print_json, thousands};

/// How to load the server.
pub struct LoadOptions {
    /// The catalogue and queries.
    pub bench: BenchOptions,
    /// Clients sending at once.
    pub concurrency: usize,
    /// Seconds of load (after a warm-up of a tenth of it).
    pub seconds: u64,
    /// Ask for facet counts with each search (as the web UI does).
    pub facets: bool,
}

#[derive(Debug, Serialize)]
struct LoadResult {
    endpoint: &'static str,
    facets: bool,
    concurrency: usize,
    seconds: f64,
    requests: usize,
    errors: usize,
    requests_per_s: f64,
    latency: Latency,
}

/// `stdbridge bench http`.
pub async fn run(options: LoadOptions) -> anyhow::Result<ExitCode> {
    let mut build = Build::default();
    let Generated {
        store, data_dir, ..
    } = generate_catalogue(&options.bench, &mut build).await?;
    let standards = store.stats().await?.standards;
    let mut queries: Vec<String> = draw_probes(&store, &options.bench, standards)
        .await?
        .into_iter()
        .flatten()
        .map(|probe| probe.text)
        .collect();
    anyhow::ensure!(!queries.is_empty(), "no queries could be drawn");
    queries.shuffle(&mut ChaCha8Rng::seed_from_u64(options.bench.seed));
    let prefixes = typed_prefixes(&queries);

    store.close().await;
    let app = stdbridge_app::App::open(stdbridge_app::Config::for_data_dir(&data_dir)).await?;
    let state = AppState::new(app).map_err(|e| anyhow::anyhow!("web UI: {e}"))?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(stdbridge_server::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(options.concurrency)
        .build()?;

    let queries = Arc::new(queries);
    let warm_up = Duration::from_secs(options.seconds.div_ceil(10));
    eprintln!("warming up for {} s", warm_up.as_secs());
    let facets = options.facets;
    load(
        &client,
        &base,
        &queries,
        options.concurrency,
        warm_up,
        facets,
    )
    .await;
    eprintln!(
        "loading /api/v1/search with {} clients for {} s ({} distinct queries)",
        options.concurrency,
        options.seconds,
        queries.len()
    );
    let search = load(
        &client,
        &base,
        &queries,
        options.concurrency,
        Duration::from_secs(options.seconds),
        facets,
    )
    .await;
    eprintln!(
        "suggestions, one request at a time ({} prefixes)",
        prefixes.len()
    );
    let suggest = suggestions(&client, &base, &prefixes).await;
    let _ = stop.send(());
    let _ = server.await;

    if options.bench.json {
        print_json(&serde_json::json!({"build": build, "load": [search, suggest]}))?;
    } else {
        println!(
            "catalogue: {} standards; index built in {:.0} s ({:.0} MB)",
            thousands(u64::try_from(build.standards).unwrap_or(0)),
            build.index_s,
            build.index_mb
        );
        for result in [&search, &suggest] {
            println!(
                "{:<20} {:>3} clients  {:>7} requests ({} errors)  {:>7.0} req/s  p50 {:.2} ms  p99 {:.2} ms",
                result.endpoint,
                result.concurrency,
                result.requests,
                result.errors,
                result.requests_per_s,
                result.latency.p50_ms,
                result.latency.p99_ms
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What a user types on the way to each query: its first 2 to 8 characters.
fn typed_prefixes(queries: &[String]) -> Vec<String> {
    queries
        .iter()
        .take(500)
        .flat_map(|query| {
            let chars: Vec<char> = query.chars().collect();
            [2usize, 4, 8]
                .into_iter()
                .filter(|n| *n <= chars.len())
                .map(|n| chars[..n].iter().collect::<String>())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `concurrency` clients sending searches back to back for `duration`.
async fn load(
    client: &reqwest::Client,
    base: &str,
    queries: &Arc<Vec<String>>,
    concurrency: usize,
    duration: Duration,
    facets: bool,
) -> LoadResult {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + duration;
    let mut clients = Vec::with_capacity(concurrency);
    for _ in 0..concurrency.max(1) {
        let client = client.clone();
        let queries = Arc::clone(queries);
        let next = Arc::clone(&next);
        let url = format!("{base}/api/v1/search");
        clients.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut errors = 0;
            while Instant::now() < deadline {
                let query = &queries[next.fetch_add(1, Ordering::Relaxed) % queries.len()];
                let sent = Instant::now();
                let answer = client
                    .get(&url)
                    .query(&[
                        ("q", query.as_str()),
                        ("facets", if facets { "true" } else { "false" }),
                    ])
                    .send()
                    .await;
                let ok = match answer {
                    Ok(response) => {
                        let ok = response.status().is_success();
                        ok && response.bytes().await.is_ok()
                    }
                    Err(_) => false,
                };
                if ok {
                    times.push(sent.elapsed());
                } else {
                    errors += 1;
                }
            }
            (times, errors)
        }));
    }
    let mut times = Vec::new();
    let mut errors = 0;
    for task in clients {
        if let Ok((mut own, own_errors)) = task.await {
            times.append(&mut own);
            errors += own_errors;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    LoadResult {
        endpoint: "/api/v1/search",
        facets,
        concurrency,
        seconds,
        requests: times.len(),
        errors,
        requests_per_s: times.len() as f64 / seconds,
        latency: Latency::of(times),
    }
}

/// Suggestions for each prefix, one request at a time.
async fn suggestions(client: &reqwest::Client, base: &str, prefixes: &[String]) -> LoadResult {
    let url = format!("{base}/api/v1/suggest");
    let started = Instant::now();
    let mut times = Vec::with_capacity(prefixes.len());
    let mut errors = 0;
    for prefix in prefixes {
        let sent = Instant::now();
        let answered = match client
            .get(&url)
            .query(&[("q", prefix.as_str())])
            .send()
            .await
        {
            Ok(response) => response.status().is_success() && response.bytes().await.is_ok(),
            Err(_) => false,
        };
        if answered {
            times.push(sent.elapsed());
        } else {
            errors += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    LoadResult {
        endpoint: "/api/v1/suggest",
        facets: false,
        concurrency: 1,
        seconds,
        requests: times.len(),
        errors,
        requests_per_s: times.len() as f64 / seconds,
        latency: Latency::of(times),
    }
}
