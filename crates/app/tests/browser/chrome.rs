//! The browser harness: Debian's headless Chromium, driven over WebDriver
//! by `chromedriver` and the `fantoccini` crate (decision 0013), against the
//! real server of `common`. Every later module's pages are tested with it.
//!
//! - `Chrome::start(base, Screen::Desktop | Screen::Phone)` starts a
//!   chromedriver of its own on a free port and one browser session.
//! - `chrome.check("name", async { ... })` runs a test body; when it fails,
//!   a screenshot and the page's HTML are kept under
//!   `target/tmp/browser-failures/` before the failure is passed on.
//! - `chrome.axe()` runs axe-core (vendored in `tests/browser/axe/`, never
//!   shipped) on the current page and returns the serious and critical
//!   violations.
//!
//! Without chromium and chromedriver the tests say so and pass, unless
//! `RIGHTSDESK_REQUIRE_BROWSER=1` (set by `.ci/run`, which installs both).

#![allow(dead_code)]

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use serde_json::{json, Value};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The two screens the office uses: a laptop, and a phone in the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Desktop,
    /// 390 × 844 CSS pixels, touch, a phone's device pixel ratio.
    Phone,
}

pub struct Chrome {
    pub client: Client,
    driver: Child,
    base: String,
    pub screen: Screen,
}

/// Whether the tests can run a browser here; panics when one is required.
pub fn available() -> bool {
    let here = std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists();
    if !here {
        if std::env::var("RIGHTSDESK_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("RIGHTSDESK_REQUIRE_BROWSER=1 but {CHROMIUM} or {CHROMEDRIVER} is missing");
        }
        eprintln!("skipped: no {CHROMIUM} / {CHROMEDRIVER} (apt-get install chromium chromium-driver)");
    }
    here
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

impl Chrome {
    /// A browser session on `base` (the server's address) at `screen`.
    pub async fn start(base: &str, screen: Screen) -> Chrome {
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let mut args =
            vec!["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=en-GB"];
        let mut options = json!({ "binary": CHROMIUM });
        match screen {
            Screen::Desktop => args.push("--window-size=1280,900"),
            Screen::Phone => {
                args.push("--window-size=390,844");
                options["mobileEmulation"] =
                    json!({ "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 3.0, "touch": true } });
            }
        }
        options["args"] = json!(args);
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url).await {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => panic!("no browser session: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Chrome { client, driver, base: base.to_string(), screen }
    }

    /// Runs a test body; on failure keeps a screenshot and the HTML of the
    /// page it was on (`target/tmp/browser-failures/<name>.png|.html`).
    pub async fn check(&self, name: &str, body: impl Future<Output = ()>) {
        if let Err(failure) = AssertUnwindSafe(body).catch_unwind().await {
            let dir = self.save_screenshot("browser-failures", name).await;
            if let Ok(html) = self.client.source().await {
                let _ = std::fs::write(dir.join(format!("{name}.html")), html);
            }
            eprintln!("browser test {name} failed; screenshot and page in {}", dir.display());
            std::panic::resume_unwind(failure);
        }
    }

    /// With `RIGHTSDESK_BROWSER_SHOTS=1`, keeps a screenshot of the page
    /// (`target/tmp/browser-shots/<name>.png`) for a developer to look at.
    pub async fn keep_screenshot(&self, name: &str) {
        if std::env::var("RIGHTSDESK_BROWSER_SHOTS").is_ok_and(|v| v == "1") {
            self.save_screenshot("browser-shots", name).await;
        }
    }

    /// Writes a screenshot to `target/tmp/<folder>/<name>.png`; returns the folder.
    async fn save_screenshot(&self, folder: &str, name: &str) -> PathBuf {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(folder);
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
        dir
    }

    pub async fn goto(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    /// The path of the page the browser is on.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current url");
        url.path().to_string()
    }

    pub async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(e) => e,
            Err(e) => panic!("no {css} on {}: {e}", self.path().await),
        }
    }

    /// Types `text` into a field (after emptying it), as a user would.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    pub async fn select(&self, css: &str, value: &str) {
        self.find(css).await.select_by_value(value).await.unwrap_or_else(|e| panic!("choose {value} in {css}: {e}"));
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Clicks a form's submit button and waits for the next page.
    pub async fn submit(&self, form_css: &str) {
        let before = self.client.current_url().await.ok().map(|u| u.to_string());
        self.click(&format!("{form_css} button[type=submit]")).await;
        self.wait_loaded(before).await;
    }

    /// Follows a link by its `href` and waits for the next page.
    pub async fn follow(&self, css: &str) {
        let before = self.client.current_url().await.ok().map(|u| u.to_string());
        self.click(css).await;
        self.wait_loaded(before).await;
    }

    /// Waits for the address to change (a form answered with the same
    /// address gets 1.5 s), then for the new document to finish loading.
    async fn wait_loaded(&self, before: Option<String>) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(1500) {
            if self.client.current_url().await.ok().map(|u| u.to_string()) != before {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        while self.js("return document.readyState").await != "complete" {
            assert!(start.elapsed() < Duration::from_secs(15), "page did not load");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The visible text of the page's main part.
    pub async fn main_text(&self) -> String {
        self.find("main").await.text().await.expect("text of main")
    }

    pub async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("script {script}: {e}"))
    }

    /// The page's width against the screen's: a page wider than the screen
    /// scrolls sideways, which a phone user should never need.
    pub async fn widths(&self) -> (i64, i64) {
        let v = self.js("return [document.documentElement.scrollWidth, window.innerWidth]").await;
        (v[0].as_i64().unwrap_or(0), v[1].as_i64().unwrap_or(0))
    }

    /// An element's box on the screen: (left, top, width, height).
    pub async fn rect(&self, css: &str) -> (f64, f64, f64, f64) {
        let v = self
            .client
            .execute(
                "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return [r.left, r.top, r.width, r.height];",
                vec![json!(css)],
            )
            .await
            .unwrap_or_else(|e| panic!("box of {css}: {e}"));
        let n = |i: usize| v[i].as_f64().unwrap_or(f64::NAN);
        (n(0), n(1), n(2), n(3))
    }

    /// The width of an element's text as the page draws it, and as the
    /// shipped Khmer font draws it: they differ when Khmer falls back to a
    /// font without Khmer letters and shows as boxes.
    pub async fn text_widths(&self, css: &str) -> (f64, f64) {
        let v = self
            .client
            .execute(
                "const el = document.querySelector(arguments[0]);
                 const width = (family) => {
                   const s = document.createElement('span');
                   s.lang = el.lang || document.documentElement.lang;
                   s.textContent = el.textContent.trim();
                   if (family) s.style.fontFamily = family;
                   el.parentNode.appendChild(s);
                   const w = s.getBoundingClientRect().width;
                   s.remove();
                   return w;
                 };
                 return document.fonts.ready.then(() => [width(''), width('\"Noto Sans Khmer\", system-ui, sans-serif')]);",
                vec![json!(css)],
            )
            .await
            .unwrap_or_else(|e| panic!("text of {css}: {e}"));
        (v[0].as_f64().unwrap_or(f64::NAN), v[1].as_f64().unwrap_or(f64::NAN))
    }

    /// Serious and critical accessibility violations of the current page,
    /// as "rule: what it is (how many elements)".
    pub async fn axe(&self) -> Vec<String> {
        const AXE: &str = include_str!("axe/axe.min.js");
        self.client.execute(AXE, vec![]).await.expect("load axe-core");
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                    .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                        .map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ': '
                                  + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ') + ')')))
                    .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .expect("run axe-core");
        result.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default()
    }

    /// Waits until `probe` holds, up to `secs` seconds, reloading the page in between.
    pub async fn eventually(&self, path: &str, secs: u64, probe: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            self.goto(path).await;
            let text = self.main_text().await;
            if probe(&text) || Instant::now() > deadline {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Chrome {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}
