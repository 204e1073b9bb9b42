//! The server over real HTTP: a server on a random loopback port over a store and index
//! made from a small catalogue file and the demo's reference data. One test binary:
//! the JSON API, the pages, and the pages in a real browser (headless Chromium).

mod accounts;
mod api;
mod browser;
mod catalogue;
mod defects;
mod pages;
mod qa;

use std::sync::Arc;

use serde_json::Value;
use stdbridge_app::catalog::{ImportRequest, import};
use stdbridge_app::{App, Config, Principal};
use stdbridge_server::{AppState, serve};

const CATALOGUE: &str = "designation,title_zh,title_en,country,scope,status,published,ics,replaces,replaced_by,adopts,adoption_degree,mutual_recognition,publisher,stage,url
ISO 9001:2015,,Quality management systems — Requirements,,international,published,2015-09-15,03.120.10,ISO 9001:2008,,,,,ISO,90.92,https://www.iso.org/standard/62085.html
ISO 9001:2008,,Quality management systems — Requirements,,international,replaced,2008-11-14,03.120.10,,ISO 9001:2015,,,,ISO,,javascript:alert(1)
GB/T 19001-2016,质量管理体系 要求,Quality management systems—Requirements,CN,national,published,2016-12-30,03.120.10,,,ISO 9001:2015,IDT,,SAC,,
GB/T 1.1-2020,标准化工作导则 第1部分：标准化文件的结构和起草规则,Directives for standardization—Part 1,CN,national,published,2020-03-31,01.120,,,,,,SAC,,
";

/// A server on a loopback port, stopped when dropped.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// A client for it.
    pub client: reqwest::Client,
    /// The application it serves (for setting up users).
    pub app: App,
    _dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Starts a server over the test catalogue and the demo's reference data.
pub async fn start() -> Server {
    start_with(|_| {}).await
}

/// Starts a server as `start` does, with its configuration changed by `configure`.
pub async fn start_with(configure: impl FnOnce(&mut Config)) -> Server {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut config = Config::for_data_dir(dir.path());
    configure(&mut config);
    let app = App::open(config).await.expect("the store opens");
    let path = dir.path().join("catalogue.csv");
    std::fs::write(&path, CATALOGUE).expect("write");
    // The reference data the demo ships: ICS titles, countries with UN M49 regions, bodies.
    let reference = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/reference");
    let mut paths = vec![path];
    paths.extend(["ICS.csv", "country-codes.csv", "bodies.jsonl"].map(|name| reference.join(name)));
    let summary = import(
        &app,
        &Principal::Operator,
        ImportRequest {
            paths,
            format: None,
        },
    )
    .await
    .expect("the import starts")
    .wait()
    .await
    .expect("the files import");
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert!(
        summary.files.iter().all(|f| f.rejected.is_empty()),
        "{:?}",
        summary.files
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state: Arc<AppState> = AppState::new(app.clone()).expect("the embedded UI loads");
    tokio::spawn(async move {
        let _ = serve(listener, state, async {
            let _ = stopped.await;
        })
        .await;
    });
    Server {
        base,
        client: reqwest::Client::new(),
        app,
        _dir: dir,
        stop: Some(stop),
    }
}

/// The status, content type and body text of a GET.
pub async fn get_text(server: &Server, path: &str) -> (u16, String, String) {
    send_text(server, server.client.get(format!("{}{path}", server.base))).await
}

/// The status, content type and body of a POST of JSON.
pub async fn post_text(server: &Server, path: &str, body: &Value) -> (u16, String, String) {
    send_text(
        server,
        server
            .client
            .post(format!("{}{path}", server.base))
            .json(body),
    )
    .await
}

async fn send_text(_server: &Server, request: reqwest::RequestBuilder) -> (u16, String, String) {
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, content_type, response.text().await.expect("a body"))
}

/// The status and JSON body of a GET.
pub async fn get(server: &Server, path: &str) -> (u16, Value) {
    let (status, _, body) = get_text(server, path).await;
    (status, serde_json::from_str(&body).expect("a JSON body"))
}
