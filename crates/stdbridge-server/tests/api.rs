//! The API over real HTTP: a server on a random loopback port over a store and index
//! made from a small catalogue file.

use std::sync::Arc;

use serde_json::Value;
use stdbridge_catalog::index::CatalogIndex;
use stdbridge_catalog::{NoProgress, import_file};
use stdbridge_server::{AppState, serve};
use stdbridge_storage::Store;

const CATALOGUE: &str = "designation,title_zh,title_en,country,scope,status,published,ics,replaces,replaced_by,adopts,adoption_degree,mutual_recognition
ISO 9001:2015,,Quality management systems — Requirements,,international,published,2015-09-15,03.120.10,ISO 9001:2008,,,,
ISO 9001:2008,,Quality management systems — Requirements,,international,replaced,2008-11-14,03.120.10,,ISO 9001:2015,,,
GB/T 19001-2016,质量管理体系 要求,Quality management systems—Requirements,CN,national,published,2016-12-30,03.120.10,,,ISO 9001:2015,IDT,
GB/T 1.1-2020,标准化工作导则 第1部分：标准化文件的结构和起草规则,Directives for standardization—Part 1,CN,national,published,2020-03-31,01.120,,,,,
";

struct Server {
    base: String,
    client: reqwest::Client,
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

async fn start() -> Server {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open(dir.path()).await.expect("store");
    let path = dir.path().join("catalogue.csv");
    std::fs::write(&path, CATALOGUE).expect("write");
    let report = import_file(&store, &path, None, &NoProgress)
        .await
        .expect("import");
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let index = CatalogIndex::open(dir.path()).expect("index");
    index.sync(&store).await.expect("sync");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state: Arc<AppState> = AppState::new(store, index);
    tokio::spawn(async move {
        let _ = serve(listener, state, async {
            let _ = stopped.await;
        })
        .await;
    });
    Server {
        base,
        client: reqwest::Client::new(),
        _dir: dir,
        stop: Some(stop),
    }
}

async fn get(server: &Server, path: &str) -> (u16, Value) {
    let response = server
        .client
        .get(format!("{}{path}", server.base))
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.expect("a JSON body");
    (status, body)
}

#[tokio::test]
async fn health_counts_the_standards() {
    let server = start().await;
    let (status, body) = get(&server, "/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["standards"], 4);
}

#[tokio::test]
async fn search_answers_the_cli_shape_with_highlights_and_facets() {
    let server = start().await;
    let (status, body) = get(&server, "/api/v1/search?q=quality%20management&limit=5").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total"], 3);
    // Equal text scores: standards in force first (the newer before), the replaced one last.
    assert_eq!(body["hits"][2]["designation"], "ISO 9001:2008", "{body}");
    assert_eq!(body["hits"][1]["designation"], "ISO 9001:2015", "{body}");
    assert_eq!(
        body["hits"][0]["highlights"]["en"],
        serde_json::json!([[0, 7], [8, 18]])
    );
    assert_eq!(body["facets"]["country"]["CN"], 1);
    let (_, designation) = get(&server, "/api/v1/search?q=gbt%201.1-2020").await;
    assert_eq!(designation["hits"][0]["designation"], "GB/T 1.1-2020");
    let (_, chinese) = get(
        &server,
        "/api/v1/search?q=%E8%B4%A8%E9%87%8F%E7%AE%A1%E7%90%86&facets=false",
    )
    .await;
    assert_eq!(
        chinese["hits"][0]["designation"], "GB/T 19001-2016",
        "{chinese}"
    );
    assert_eq!(chinese["facets"], serde_json::json!({}));
}

#[tokio::test]
async fn bad_parameters_get_400_naming_the_parameter() {
    let server = start().await;
    for (path, named) in [
        ("/api/v1/search?q=status:alive", "q: status:"),
        ("/api/v1/search?q=iso&limit=abc", "limit:"),
        ("/api/v1/search?q=iso&limit=0", "limit:"),
        ("/api/v1/search?q=iso&facets=maybe", "facets:"),
        ("/api/v1/search?query=iso", "query:"),
    ] {
        let (status, body) = get(&server, path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["code"], "bad_parameter");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.starts_with(named), "{path}: {message}");
    }
}

#[tokio::test]
async fn a_standard_comes_with_its_relations_resolved() {
    let server = start().await;
    let (status, body) = get(&server, "/api/v1/standards/iso%209001").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["designation"], "ISO 9001:2015");
    assert_eq!(body["replaces_chain"][0]["designation"], "ISO 9001:2008");
    let adopters: Vec<&str> = body["equivalents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["designation"].as_str())
        .collect();
    assert!(adopters.contains(&"GB/T 19001-2016"), "{body}");
    let (status, body) = get(&server, "/api/v1/standards/GB/T%201.1-2020").await;
    assert_eq!(status, 200, "{body}");
    let chinese = body["titles"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["lang"] == "zh");
    assert_eq!(
        chinese.map(|t| t["full"].clone()),
        Some(Value::from(
            "标准化工作导则 第1部分：标准化文件的结构和起草规则"
        ))
    );
    let (status, body) = get(&server, "/api/v1/standards/ISO%2099999").await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], "not_found");
    let (status, _) = get(&server, "/no/such/route").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn suggestions_complete_designations_and_title_words() {
    let server = start().await;
    let (status, body) = get(&server, "/api/v1/suggest?q=gbt%201").await;
    assert_eq!(status, 200, "{body}");
    let designations: Vec<&str> = body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["designation"].as_str())
        .collect();
    assert_eq!(designations, ["GB/T 1.1-2020", "GB/T 19001-2016"]);
    let (_, body) = get(&server, "/api/v1/suggest?q=quality%20manag&limit=2").await;
    assert_eq!(body.as_array().map(Vec::len), Some(2), "{body}");
    assert_eq!(body[0]["title"], "Quality management systems—Requirements");
    let (_, body) = get(
        &server,
        "/api/v1/suggest?q=%E6%A0%87%E5%87%86%E5%8C%96&lang=zh",
    )
    .await;
    assert_eq!(body[0]["designation"], "GB/T 1.1-2020", "{body}");
    assert_eq!(
        body[0]["title"],
        "标准化工作导则 第1部分：标准化文件的结构和起草规则"
    );
    let (status, body) = get(&server, "/api/v1/suggest?q=iso&limit=500").await;
    assert_eq!(status, 400);
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("limit:"))
    );
}
