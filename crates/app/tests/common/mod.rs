//! Test harness: the real `rightsdesk` binary on port 0 against a fresh
//! database (a temporary SQLite file, or a PostgreSQL database created for
//! the test when RIGHTSDESK_TEST_POSTGRES_URL is set), and a cookie-keeping
//! HTTP client that goes through the real forms with their CSRF tokens.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_rightsdesk");
pub const ADMIN_EMAIL: &str = "admin@test.example";
pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Runs a test body once per backend: `both!(name, body_fn)`.
#[macro_export]
macro_rules! both {
    ($($name:ident),+ $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Db::Sqlite).await;
                }
            )+
        }
        mod on_postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if std::env::var(rightsdesk_store_postgres::testing::ENV).map_or(true, |v| v.is_empty()) {
                        eprintln!("skipped: {} not set", rightsdesk_store_postgres::testing::ENV);
                        return;
                    }
                    super::$name($crate::common::Db::Postgres).await;
                }
            )+
        }
    };
}

/// A database for one test, and where it lives.
pub struct TestDatabase {
    pub dir: tempfile::TempDir,
    pub url: Option<String>,
    pg_name: Option<String>,
}

impl TestDatabase {
    pub async fn new(db: Db) -> TestDatabase {
        let dir = tempfile::tempdir().expect("temp dir");
        match db {
            Db::Sqlite => TestDatabase { dir, url: None, pg_name: None },
            Db::Postgres => {
                let (url, name) =
                    rightsdesk_store_postgres::testing::create_database().await.expect("postgres configured");
                TestDatabase { dir, url: Some(url), pg_name: Some(name) }
            }
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `--data-dir` and `--database` for every command.
    pub fn args(&self) -> Vec<String> {
        let mut a = vec!["--data-dir".to_string(), self.data_dir().display().to_string()];
        if let Some(u) = &self.url {
            a.push("--database".into());
            a.push(u.clone());
        }
        a
    }

    pub fn sqlite_path(&self) -> PathBuf {
        self.data_dir().join("rightsdesk.db")
    }

    /// Runs a `rightsdesk` command against this database.
    pub fn cli(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = Command::new(BIN);
        cmd.args(args).args(self.args()).env("RIGHTSDESK_LOG", "warn");
        cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("run rightsdesk");
        if let Some(input) = stdin {
            child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        }
        child.wait_with_output().expect("rightsdesk finished")
    }

    /// A personal API token for an account, made with `rightsdesk token create`.
    /// Runs one SQL statement on the test database directly, as someone
    /// with access to the database (not through rightsdesk) would.
    pub async fn execute(&self, sql: &str) {
        use sqlx::Connection;
        match &self.url {
            None => {
                let url = format!("sqlite://{}", self.sqlite_path().display());
                let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
                sqlx::query(sql).execute(&mut c).await.unwrap();
                c.close().await.unwrap();
            }
            Some(url) => {
                let mut c = sqlx::PgConnection::connect(url).await.unwrap();
                sqlx::query(sql).execute(&mut c).await.unwrap();
                c.close().await.unwrap();
            }
        }
    }

    pub fn api_token(&self, email: &str) -> String {
        let out = self.cli(&["token", "create", "--email", email, "--label", "test"], None);
        assert!(out.status.success(), "token create: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub async fn drop_database(self) {
        if let Some(name) = &self.pg_name {
            rightsdesk_store_postgres::testing::drop_database(name).await;
        }
    }
}

/// A running server.
pub struct Server {
    child: Child,
    pub base: String,
    pub output: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// GET an API path with a bearer token; the answer's JSON.
    pub async fn api_json(&self, token: &str, path: &str) -> serde_json::Value {
        let r = reqwest::Client::new().get(format!("{}{path}", self.base)).bearer_auth(token).send().await.unwrap();
        r.json().await.unwrap()
    }

    pub fn start(db: &TestDatabase, extra: &[&str]) -> Server {
        Self::try_start(db, extra).unwrap_or_else(|out| panic!("server did not start:\n{out}"))
    }

    /// Starts `serve` on port 0 and waits for its "listening on" line; on
    /// failure returns what the process printed.
    pub fn try_start(db: &TestDatabase, extra: &[&str]) -> Result<Server, String> {
        let mut child = Command::new(BIN)
            .arg("serve")
            .args(["--listen", "127.0.0.1:0"])
            .args(extra)
            .args(db.args())
            .env("RIGHTSDESK_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn rightsdesk serve");
        let output = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let out = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("rightsdesk listening on ") {
                    let _ = tx.send(url.trim_end_matches('/').to_string());
                }
                out.lock().unwrap().push(line);
            }
        });
        let stderr = child.stderr.take().unwrap();
        let err = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                err.lock().unwrap().push(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(base) = rx.recv_timeout(Duration::from_millis(100)) {
                return Ok(Server { child, base, output });
            }
            if let Ok(Some(_)) = child.try_wait() {
                std::thread::sleep(Duration::from_millis(200));
                return Err(output.lock().unwrap().join("\n"));
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return Err(format!("timed out\n{}", output.lock().unwrap().join("\n")));
            }
        }
    }

    pub fn printed(&self) -> String {
        self.output.lock().unwrap().join("\n")
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// SIGKILL: no shutdown code runs, as when the process crashes or the OOM
    /// killer strikes (the operating system still writes what it was given).
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn stop(mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser: keeps cookies, does not follow redirects (tests look at them).
pub struct Browser {
    pub http: reqwest::Client,
    pub base: String,
}

pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).unwrap_or_else(|| panic!("no CSRF field in page:\n{html}")) + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let http =
            reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { http, base: base.to_string() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    pub async fn text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// The anti-forgery token of a page's forms.
    pub async fn csrf(&self, path: &str) -> String {
        let (status, html) = self.text(path).await;
        assert_eq!(status, 200, "GET {path} for its CSRF token");
        csrf_of(&html)
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let body = serde_urlencoded_pairs(fields);
        self.http
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// Posts a form with the CSRF token taken from `page`.
    pub async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf(page).await;
        let mut all = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(action, &all).await
    }

    /// A CSRF token valid for this browser: from the sign-in form, or from
    /// the profile when already signed in (the sign-in form then redirects).
    pub async fn any_csrf(&self) -> String {
        let r = self.get("/login").await;
        if r.status().as_u16() == 200 {
            csrf_of(&r.text().await.unwrap())
        } else {
            self.csrf("/profile").await
        }
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        let token = self.any_csrf().await;
        self.post_form("/login", &[("_csrf", &token), ("email", email), ("password", password)]).await
    }

    pub async fn sign_in_ok(&self, email: &str, password: &str) {
        let r = self.sign_in(email, password).await;
        assert_eq!(r.status().as_u16(), 303, "sign in as {email}");
        assert_eq!(r.headers()["location"], "/");
    }
}

fn serde_urlencoded_pairs(fields: &[(&str, &str)]) -> String {
    fields.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(*b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Creates an account through the CLI (the server must have started once,
/// which seeds the offices).
pub fn add_user(db: &TestDatabase, email: &str, role: &str, office: &str) {
    let out = db.cli(
        &[
            "user",
            "add",
            "--email",
            email,
            "--name",
            "Test Person",
            "--role",
            role,
            "--office",
            office,
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(out.status.success(), "user add failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// A fresh database with a running server and an administrator.
pub async fn setup(db: Db, extra: &[&str]) -> (TestDatabase, Server) {
    let tdb = TestDatabase::new(db).await;
    let server = Server::start(&tdb, extra);
    add_user(&tdb, ADMIN_EMAIL, "admin", "PNH");
    (tdb, server)
}

pub fn file_contains(path: &Path, needle: &[u8]) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes.windows(needle.len()).any(|w| w == needle)
}

/// Sends only the head of a POST that announces `declared` bytes of body and
/// returns the status the server answers with, without sending the body (a
/// client uploading a huge body would otherwise race the early answer).
pub fn status_for_declared_body(
    base: &str,
    path: &str,
    content_type: &str,
    extra_headers: &str,
    declared: usize,
) -> u16 {
    use std::io::Read;
    let addr = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: {declared}\r\n{extra_headers}Connection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    // A first chunk of body, as a real client would send.
    let _ = stream.write_all(&vec![b'a'; 64 * 1024]);
    let mut buf = [0u8; 64];
    let n = stream.read(&mut buf).expect("an answer before the body was sent");
    let line = String::from_utf8_lossy(&buf[..n]);
    line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// Every route the application registers (method and path pattern), from
/// the router itself.
pub async fn route_list() -> Vec<rightsdesk_web::RouteInfo> {
    let dir = tempfile::tempdir().unwrap();
    let store = rightsdesk_store_sqlite::SqliteStore::open(&dir.path().join("routes.db")).await.unwrap();
    let keys = rightsdesk_crypto::Keyring::generate("test");
    let state =
        rightsdesk_web::AppState::new(std::sync::Arc::new(store), std::sync::Arc::new(keys), Default::default());
    rightsdesk_web::build(state).1
}

/// Every file under `dir`, however deep.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Adds an organisation through its form (as a signed-in officer).
pub async fn add_organisation(b: &Browser, name_en: &str, name_km: &str, kind: &str) {
    let r = b
        .submit(
            "/monitoring/organisations",
            "/monitoring/organisations",
            &[("name_en", name_en), ("name_km", name_km), ("kind", kind)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303, "organisation {name_en}");
}

/// A page without its language links (`/lang/..?next=<this address>`): two
/// answers to different addresses compare equal when nothing else differs.
pub fn without_return_links(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("href=\"/lang/") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 12..];
        rest = after.find('"').map(|j| &after[j + 1..]).unwrap_or("");
    }
    out.push_str(rest);
    out
}
