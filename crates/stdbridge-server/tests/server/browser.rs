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

/// The words the segmentation page shows, in order.
async fn words_shown(browser: &Client) -> Vec<String> {
    let mut out = Vec::new();
    for element in browser
        .find_all(Locator::Css("#sentences .word"))
        .await
        .expect("words")
    {
        out.push(element.text().await.expect("text"));
    }
    out
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

/// A headless Chromium session through ChromeDriver, or None (with the reason printed)
/// when they are not installed and CI does not ask for them.
async fn open_browser() -> Option<(Driver, Client)> {
    let Some(driver_program) = find_program("chromedriver") else {
        assert!(
            std::env::var_os("STDBRIDGE_REQUIRE_BROWSER").is_none(),
            "chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        eprintln!(
            "skipped: chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        return None;
    };
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
    Some((driver, browser))
}

#[tokio::test]
async fn a_user_searches_filters_reads_switches_language_and_views_charts() {
    let server = start().await;
    let Some((driver, browser)) = open_browser().await else {
        return;
    };

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

/// Waits (up to 15 s) until the element's text holds `wanted`; the text it had last.
async fn wait_for_text(browser: &Client, css: &str, wanted: &str) -> String {
    let mut last = String::new();
    for _ in 0..150 {
        if let Ok(element) = browser.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
        {
            if text.contains(wanted) {
                return text;
            }
            last = text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never held {wanted:?}; it last held {last:?}");
}

async fn type_into(browser: &Client, css: &str, text: &str) {
    let field = browser
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    field
        .clear()
        .await
        .unwrap_or_else(|e| panic!("clear {css}: {e}"));
    field
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("type into {css}: {e}"));
}

/// Whether the page is no wider than the window.
async fn fits_width(browser: &Client) -> bool {
    browser
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            vec![],
        )
        .await
        .expect("script")
        == json!(true)
}

#[tokio::test]
async fn a_translator_signs_in_fills_a_memory_and_a_termbase_translates_and_signs_out() {
    use stdbridge_app::model::Role;
    let server = start().await;
    let Some((driver, browser)) = open_browser().await else {
        return;
    };
    stdbridge_app::accounts::add_user(
        &server.app,
        &stdbridge_app::Principal::Operator,
        "ana",
        None,
        Role::Translator,
        Some("ana's long password"),
    )
    .await
    .expect("a user");
    let tmx = tempfile::Builder::new()
        .suffix(".tmx")
        .tempfile()
        .expect("a file");
    std::fs::write(
        tmx.path(),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="zh-CN" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="zh-CN"><seg>集装箱的最大总质量应为30480千克。</seg></tuv><tuv xml:lang="en"><seg>The maximum gross mass of the freight container shall be 30 480 kg.</seg></tuv></tu>
<tu><tuv xml:lang="zh-CN"><seg>本标准规定了集装箱的标记。</seg></tuv><tuv xml:lang="en"><seg>This standard specifies the marking of freight containers.</seg></tuv></tu>
</body></tmx>"#,
    )
    .expect("written");

    // A stranger who asks for the memories is sent to sign in, then back.
    browser
        .goto(&format!("{}/memories?lang=en", server.base))
        .await
        .expect("memories");
    browser
        .wait()
        .for_element(Locator::Id("sign-in-form"))
        .await
        .expect("the sign-in page");
    type_into(&browser, "#name", "ana").await;
    type_into(&browser, "#password", "a wrong password").await;
    click(&browser, "#sign-in-button").await;
    let refused = text_of(&browser, "#sign-in-error").await;
    assert_eq!(refused, "Wrong user name or password.");
    type_into(&browser, "#password", "ana's long password").await;
    click(&browser, "#sign-in-button").await;
    assert_eq!(text_of(&browser, "#account-link").await, "ana");
    assert!(
        browser.current_url().await.expect("url").path() == "/memories",
        "back where they asked to go"
    );
    snapshot(&browser, "20-memories-empty").await;

    // A memory: made, filled from a TMX file with the import's progress, searched.
    type_into(&browser, "#new-name", "ana-tm").await;
    type_into(&browser, "#new-description", "Freight containers").await;
    click(&browser, "#create-button").await;
    wait_for_text(&browser, "#note", "Created.").await;
    let file = browser
        .find(Locator::Id("tmx-file"))
        .await
        .expect("the file field");
    file.send_keys(&tmx.path().display().to_string())
        .await
        .expect("a file chosen");
    click(&browser, "#import-button").await;
    // The page reloads when the import is done: the store's count.
    wait_for_text(&browser, "#unit-count", "2").await;
    type_into(&browser, "#q", "集装箱").await;
    click(&browser, "#concordance-button").await;
    wait_for_text(&browser, "#hit-count", "2").await;
    let marked = text_of(&browser, "#hits mark").await;
    assert_eq!(marked, "集装箱", "the words found are highlighted");
    snapshot(&browser, "21-memory-concordance").await;

    // A termbase: made, a term pair added, then one term deprecated.
    click(&browser, "header nav a[href^='/termbases']").await;
    type_into(&browser, "#new-name", "ana-terms").await;
    click(&browser, "#create-button").await;
    wait_for_text(&browser, "#note", "Created.").await;
    type_into(&browser, "#source-term", "集装箱").await;
    type_into(&browser, "#target-term", "freight container").await;
    click(&browser, "#add-term-button").await;
    wait_for_text(&browser, "#note", "The term was added.").await;
    type_into(&browser, "#source-term", "标记").await;
    type_into(&browser, "#target-term", "mark").await;
    click(&browser, "#add-term-button").await;
    wait_for_text(&browser, "#concepts", "mark").await;
    let concepts = text_of(&browser, "#concepts").await;
    assert!(concepts.contains("freight container"), "{concepts}");
    snapshot(&browser, "22-termbase").await;

    // Quick translation, streamed: the memory's match first, the engine for the rest
    // with the terms the termbase requires.
    browser.set_window_size(1280, 1600).await.expect("resized");
    click(&browser, "header nav a[href^='/translate']").await;
    type_into(
        &browser,
        "#text",
        "本标准规定了集装箱的标记。集装箱应能堆码。",
    )
    .await;
    click(&browser, "#translate-button").await;
    wait_for_text(&browser, "#translate-status", "2 sentences translated").await;
    let translated = text_of(&browser, "#translated").await;
    assert!(
        translated.contains("This standard specifies the marking of freight containers.")
            && translated.contains("memory match 100%"),
        "{translated}"
    );
    assert!(
        translated.contains("machine translation pseudo")
            && translated.contains("集装箱 → freight container")
            && translated.contains("⟦freight container"),
        "{translated}"
    );
    snapshot(&browser, "23-translate").await;
    // Typing on translates again after a pause, without the button.
    browser
        .find(Locator::Css("#text"))
        .await
        .expect("text")
        .send_keys("角件应焊接牢固。")
        .await
        .expect("typed");
    wait_for_text(&browser, "#translate-status", "3 sentences translated").await;

    // Segmentation, then a word of the user's own dictionary kept whole.
    click(&browser, "header nav a[href^='/segment']").await;
    type_into(
        &browser,
        "#text",
        "本标准规定了集装箱的标记。按照GB/T 1.1—2020起草。角件应焊接在端框上。",
    )
    .await;
    click(&browser, "#segment-button").await;
    let sentences = text_of(&browser, "#sentences").await;
    assert!(sentences.contains("GB/T 1.1—2020"), "{sentences}");
    assert!(!words_shown(&browser).await.contains(&"端框上".to_owned()));
    type_into(&browser, "#word", "端框上").await;
    click(&browser, "#add-word-button").await;
    wait_for_text(&browser, "#dictionary-note", "is in your dictionary now").await;
    assert!(text_of(&browser, "#my-words").await.contains("端框上"));
    assert!(
        words_shown(&browser).await.contains(&"端框上".to_owned()),
        "the text is cut again with the new word"
    );
    snapshot(&browser, "24-segment").await;

    // An API token, shown once.
    click(&browser, "#account-link").await;
    type_into(&browser, "#token-label", "OmegaT").await;
    click(&browser, "#token-button").await;
    let secret = text_of(&browser, "#new-token-secret").await;
    assert!(secret.starts_with("sbt_"), "{secret}");
    let reloaded = browser
        .goto(&format!("{}/account?lang=en", server.base))
        .await;
    reloaded.expect("account");
    let source = browser.source().await.expect("source");
    assert!(!source.contains(&secret), "the secret is shown once");
    assert!(source.contains("OmegaT"));

    // Every page of the translation half, in Chinese on a phone: nothing too wide. (A
    // tall window, so that each screenshot shows the whole page.)
    browser.set_window_size(390, 2400).await.expect("resized");
    let memory_path =
        browser_path_of(&browser, &server, "/memories?lang=zh", "#collections a").await;
    for (name, path) in [
        ("25-phone-memories-zh", "/memories?lang=zh".to_owned()),
        ("26-phone-memory-zh", format!("{memory_path}&q=集装箱")),
        ("27-phone-termbases-zh", "/termbases?lang=zh".to_owned()),
        ("28-phone-translate-zh", "/translate?lang=zh".to_owned()),
        ("29-phone-segment-zh", "/segment?lang=zh".to_owned()),
        ("30-phone-account-zh", "/account?lang=zh".to_owned()),
    ] {
        browser
            .goto(&format!("{}{path}", server.base))
            .await
            .expect("page");
        assert!(fits_width(&browser).await, "{path} fits a phone's width");
        assert_eq!(page_lang(&browser).await, "zh");
        snapshot(&browser, name).await;
    }
    let termbase_path =
        browser_path_of(&browser, &server, "/termbases?lang=zh", "#collections a").await;
    browser
        .goto(&format!("{}{termbase_path}", server.base))
        .await
        .expect("termbase");
    assert!(
        fits_width(&browser).await,
        "the termbase fits a phone's width"
    );
    snapshot(&browser, "31-phone-termbase-zh").await;

    // Deleting the memory asks for its name: a wrong one deletes nothing.
    browser
        .goto(&format!(
            "{}{}",
            server.base,
            memory_path.replace("lang=zh", "lang=en")
        ))
        .await
        .expect("memory");
    type_into(&browser, "#confirm", "not-its-name").await;
    click(&browser, "#delete-button").await;
    let refused = text_of(&browser, "main").await;
    assert!(refused.contains("nothing was deleted"), "{refused}");
    browser
        .goto(&format!(
            "{}{}",
            server.base,
            memory_path.replace("lang=zh", "lang=en")
        ))
        .await
        .expect("memory");
    assert!(
        text_of(&browser, "h1").await.contains("ana-tm"),
        "still there"
    );
    type_into(&browser, "#confirm", "ana-tm").await;
    click(&browser, "#delete-button").await;
    wait_for_text(&browser, "#note", "The memory was deleted.").await;
    assert!(
        browser.find(Locator::Css("#collections a")).await.is_err(),
        "no memory left"
    );

    // Signing out ends the session: the memories ask for a sign-in again.
    click(&browser, "#sign-out").await;
    browser
        .wait()
        .for_element(Locator::Id("sign-in-link"))
        .await
        .expect("signed out");
    browser
        .goto(&format!("{}/memories", server.base))
        .await
        .expect("memories");
    browser
        .wait()
        .for_element(Locator::Id("sign-in-form"))
        .await
        .expect("the sign-in page again");

    browser.close().await.expect("closed");
    drop(driver);
}

/// The path (with its query) of the first link `css` on the page at `listing`.
async fn browser_path_of(
    browser: &Client,
    server: &super::Server,
    listing: &str,
    css: &str,
) -> String {
    browser
        .goto(&format!("{}{listing}", server.base))
        .await
        .expect("listing");
    browser
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .attr("href")
        .await
        .expect("attribute")
        .unwrap_or_default()
}
