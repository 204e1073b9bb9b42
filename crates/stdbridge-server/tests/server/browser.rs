//! The web UI in a real browser: headless Chromium driven through ChromeDriver
//! (WebDriver). Searches, applies a facet, opens a standard, switches the language,
//! opens a country and the analytics charts, and looks at a phone-sized screen; saves a
//! screenshot of each step under target/screenshots for review.
//!
//! Needs Debian's chromium and chromium-driver (`.ci/run` installs them). Without them
//! the test says so and passes, unless STDBRIDGE_REQUIRE_BROWSER is set (as in CI).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use super::start;

/// A ChromeDriver process, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find_program(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    })
}

async fn start_driver(program: &Path) -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new(program)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let url = format!("http://127.0.0.1:{port}");
    let driver = Driver { child, url };
    for _ in 0..100 {
        if reqwest::get(format!("{}/status", driver.url)).await.is_ok() {
            return driver;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver does not answer on {}", driver.url);
}

fn screenshots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        PathBuf::from,
    );
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot directory");
    dir
}

async fn snapshot(browser: &Client, name: &str) {
    let png = browser.screenshot().await.expect("a screenshot");
    std::fs::write(screenshots_dir().join(format!("{name}.png")), png).expect("saved");
}

async fn text_of(browser: &Client, css: &str) -> String {
    browser
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .expect("text")
}

async fn click(browser: &Client, css: &str) {
    browser
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

async fn page_lang(browser: &Client) -> String {
    browser
        .find(Locator::Css("html"))
        .await
        .expect("html")
        .attr("lang")
        .await
        .expect("attribute")
        .unwrap_or_default()
}

#[tokio::test]
async fn a_user_searches_filters_reads_switches_language_and_views_charts() {
    let Some(driver_program) = find_program("chromedriver") else {
        assert!(
            std::env::var_os("STDBRIDGE_REQUIRE_BROWSER").is_none(),
            "chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        eprintln!(
            "skipped: chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let server = start().await;
    let driver = start_driver(&driver_program).await;
    let mut options = json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=en-US"]});
    if let Some(chromium) = find_program("chromium") {
        options["binary"] = json!(chromium);
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    let browser = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a browser session");

    // Search from the box.
    browser
        .goto(&format!("{}/?lang=en", server.base))
        .await
        .expect("home");
    let box_ = browser
        .find(Locator::Id("q"))
        .await
        .expect("the search box");
    box_.send_keys("quality").await.expect("typed");
    click(&browser, "form[role=search] button[type=submit]").await;
    browser
        .wait()
        .for_url(&url_of(&server.base, "/?q=quality&lang=en"))
        .await
        .expect("the results page");
    assert_eq!(text_of(&browser, "#total").await, "3");
    snapshot(&browser, "01-search").await;

    // Apply a facet.
    click(&browser, "a[data-facet='country:CN']").await;
    browser
        .wait()
        .for_element(Locator::Css(".chip"))
        .await
        .expect("the filter chip");
    assert_eq!(text_of(&browser, "#total").await, "1");
    snapshot(&browser, "02-facet").await;

    // Open the standard.
    click(&browser, ".hit a.designation").await;
    let heading = text_of(&browser, "#standard-heading").await;
    assert!(heading.starts_with("GB/T 19001-2016"), "{heading}");
    snapshot(&browser, "03-standard").await;

    // Switch the language.
    click(&browser, "#language-switch").await;
    browser
        .wait()
        .for_element(Locator::Css("html[lang='zh']"))
        .await
        .expect("the Chinese page");
    let source = browser.source().await.expect("source");
    assert!(
        source.contains("等同采用（IDT）"),
        "the adoption's degree in Chinese"
    );
    snapshot(&browser, "04-standard-zh").await;

    // A country page, from the country index.
    click(&browser, "header nav a[href^='/countries']").await;
    click(&browser, "a[href='/countries/CN?lang=zh']").await;
    assert_eq!(text_of(&browser, "#country-total").await, "2");
    assert_eq!(page_lang(&browser).await, "zh");
    snapshot(&browser, "05-country-zh").await;

    // The analytics page and its charts.
    click(&browser, "header nav a[href^='/analytics']").await;
    browser
        .wait()
        .for_element(Locator::Css("#years figure svg"))
        .await
        .expect("the yearly chart");
    click(&browser, "#years summary").await;
    let table = text_of(&browser, "#years table").await;
    assert!(table.contains("2015"), "{table}");
    snapshot(&browser, "06-analytics-zh").await;

    // A phone-sized screen: nothing wider than the screen.
    browser.set_window_size(390, 844).await.expect("resized");
    for (name, path) in [
        ("07-phone-search", "/?q=quality&lang=en"),
        (
            "08-phone-standard-zh",
            "/standards/ISO%209001%3A2015?lang=zh",
        ),
        ("09-phone-analytics-zh", "/analytics?compare=CN,JP&lang=zh"),
        ("10-phone-country-zh", "/countries/CN?lang=zh"),
    ] {
        browser
            .goto(&format!("{}{path}", server.base))
            .await
            .expect("page");
        let fits = browser
            .execute(
                "return document.documentElement.scrollWidth <= window.innerWidth;",
                vec![],
            )
            .await
            .expect("script");
        assert_eq!(fits, json!(true), "{path} fits a phone's width");
        snapshot(&browser, name).await;
    }

    browser.close().await.expect("closed");
    drop(driver);
}

fn url_of(base: &str, path: &str) -> url::Url {
    url::Url::parse(&format!("{base}{path}")).expect("a URL")
}
