//! The command line: accounts, tokens, the audit chain, keys, backup and
//! restore, demo mode, and bad input, against real databases.

mod common;

use common::*;

both!(
    accounts_and_tokens_from_the_command_line,
    audit_verify_detects_tampering,
    demo_mode_prints_a_working_login,
    idle_sessions_expire,
);

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

async fn accounts_and_tokens_from_the_command_line(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    // Generated password, printed once, works.
    let out = tdb.cli(
        &["user", "add", "--email", "Dara@Test.Example", "--name", "Dara", "--role", "officer", "--office", "BTB"],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let password = text.lines().find_map(|l| l.strip_prefix("password: ")).expect("generated password").to_string();
    server.browser().sign_in_ok("dara@test.example", &password).await;
    // Bad input: clear errors, exit code 2, nothing written.
    let bad = tdb.cli(&["user", "add", "--email", "x", "--name", "", "--role", "boss", "--office", "PNH"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("--email: invalid-email") && stderr(&bad).contains("--role: unknown-role"),
        "{}",
        stderr(&bad)
    );
    let bad = tdb
        .cli(&["user", "add", "--email", "y@test.example", "--name", "Y", "--role", "viewer", "--office", "ZZZ"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("no office with code ZZZ"));
    let bad = tdb.cli(
        &[
            "user",
            "add",
            "--email",
            "y@test.example",
            "--name",
            "Y",
            "--role",
            "viewer",
            "--office",
            "PNH",
            "--password-stdin",
        ],
        Some("short\n"),
    );
    assert_eq!(bad.status.code(), Some(2));
    let dup = tdb.cli(
        &["user", "add", "--email", "dara@test.example", "--name", "Again", "--role", "viewer", "--office", "PNH"],
        None,
    );
    assert_eq!(dup.status.code(), Some(2));
    assert!(stderr(&dup).contains("already exists"));
    // Addresses that look like it are the same address, or refused (issue 14).
    for (lookalike, says) in [
        ("ｄara@test.example", "already exists"),
        ("dará@test.example", "already exists"),
        ("DARA@TEST.EXAMPLE", "already exists"),
        ("d\u{0430}ra@test.example", "mixed-script"),
        ("da\u{200B}ra@test.example", "invalid-email"),
        ("\u{202E}dara@test.example", "invalid-email"),
    ] {
        let out = tdb.cli(
            &["user", "add", "--email", lookalike, "--name", "Lookalike", "--role", "viewer", "--office", "PNH"],
            None,
        );
        assert_eq!(out.status.code(), Some(2), "{lookalike:?}");
        assert!(stderr(&out).contains(says), "{lookalike:?}: {}", stderr(&out));
    }
    let list = stdout(&tdb.cli(&["user", "list"], None));
    assert_eq!(list.lines().count(), 3, "{list}");
    assert!(!list.contains("y@test.example"));
    // Token for scripts; disabling the account revokes it.
    let out = tdb.cli(&["token", "create", "--email", "dara@test.example", "--label", "sync"], None);
    assert!(out.status.success());
    let token = stdout(&out).trim().to_string();
    let api = reqwest::Client::new();
    let me = || api.get(format!("{}/api/v1/me", server.base)).bearer_auth(&token).send();
    assert_eq!(me().await.unwrap().status().as_u16(), 200);
    let out = tdb.cli(&["user", "disable", "--email", "dara@test.example"], None);
    assert!(out.status.success());
    assert_eq!(me().await.unwrap().status().as_u16(), 401);
    assert!(stdout(&tdb.cli(&["user", "list"], None)).contains("disabled"));
    let out = tdb.cli(&["token", "create", "--email", "nobody@test.example", "--label", "x"], None);
    assert_eq!(out.status.code(), Some(2));
    server.stop();
    tdb.drop_database().await;
}

async fn audit_verify_detects_tampering(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    server.browser().sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    server.stop();
    let ok = tdb.cli(&["audit", "verify"], None);
    assert_eq!(ok.status.code(), Some(0));
    let text = stdout(&ok);
    let events: i64 = text.split_whitespace().nth(3).unwrap().parse().unwrap();
    assert!(events >= 5, "{text}");
    // Someone with database access rewrites history.
    let sql = "UPDATE audit_events SET summary = 'nothing happened' WHERE seq = 3";
    tdb.execute(sql).await;
    let broken = tdb.cli(&["audit", "verify"], None);
    assert_eq!(broken.status.code(), Some(1));
    assert!(stdout(&broken).contains("BROKEN at event 3"), "{}", stdout(&broken));
    tdb.drop_database().await;
}

async fn demo_mode_prints_a_working_login(db: Db) {
    let tdb = TestDatabase::new(db).await;
    let server = Server::start(&tdb, &["--demo"]);
    let printed = server.printed();
    let line = printed.lines().find(|l| l.contains("sign in as admin@demo.rightsdesk.example")).expect("login printed");
    let password = line.rsplit(' ').next().unwrap().to_string();
    assert!(line.contains(&server.base), "URL printed: {line}");
    let b = server.browser();
    b.sign_in_ok("admin@demo.rightsdesk.example", &password).await;
    assert!(b.text("/admin/users").await.1.contains("officer.btb@demo.rightsdesk.example"));
    // The mechanisms module has three UPR cycles and the treaty bodies'
    // recommendations (fictional), and the demo focal point sees exactly
    // those of the Ministry of Justice.
    let count = |page: &str| -> usize {
        let end = page.find(" recommendations</p>").expect("a count");
        page[..end].rsplit("<p>").next().unwrap().replace(',', "").parse().expect("a number")
    };
    let total = count(&b.text("/mechanisms/recommendations").await.1);
    assert!(total >= 300, "{total} recommendations in the demo");
    let token = tdb.api_token("admin@demo.rightsdesk.example");
    let organisations = server.api_json(&token, "/api/v1/organisations").await;
    let justice = organisations
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name_en"] == "Ministry of Justice")
        .map(|o| o["id"].as_i64().unwrap())
        .expect("the Ministry of Justice");
    let of_justice = count(&b.text(&format!("/mechanisms/recommendations?institution={justice}")).await.1);
    assert!(of_justice > 0 && of_justice < total, "{of_justice} of {total}");
    assert!(printed.contains("focal.point@demo.rightsdesk.example"));
    let fp = server.browser();
    fp.sign_in_ok("focal.point@demo.rightsdesk.example", &password).await;
    let theirs = fp.text("/mechanisms/recommendations").await.1;
    assert_eq!(count(&theirs), of_justice);
    assert!(!theirs.contains("national human rights institution"), "{theirs}");
    // The calendar has dates coming up, in Khmer too.
    let calendar = b.text("/mechanisms/calendar?lang=km").await.1;
    assert!(calendar.contains("[DEMO] ការត្រួតពិនិត្យលើកទីប្រាំរបស់កម្ពុជា"), "{calendar}");
    server.stop();
    // Demo mode never adds to a database that has accounts.
    let server = Server::start(&tdb, &["--demo"]);
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(server.printed().contains("already has accounts"));
    server.stop();
    tdb.drop_database().await;
}

async fn idle_sessions_expire(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    let b = server.browser();
    b.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(b.get("/").await.status().as_u16(), 200);
    // Make the session look idle for two hours (the default limit is one).
    let sql = "UPDATE sessions SET last_seen_at = last_seen_at - 7200000000";
    match db {
        Db::Sqlite => {
            use sqlx::Connection;
            let mut c =
                sqlx::SqliteConnection::connect(&format!("sqlite://{}", tdb.sqlite_path().display())).await.unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
        Db::Postgres => {
            use sqlx::Connection;
            let mut c = sqlx::PgConnection::connect(tdb.url.as_ref().unwrap()).await.unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
    }
    let r = b.get("/admin/users").await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/login?expired=1&next=%2Fadmin%2Fusers");
    assert!(b.text("/login?expired=1&next=%2Fadmin%2Fusers").await.1.contains("Your session has ended."));
    server.stop();
    tdb.drop_database().await;
}

#[tokio::test]
async fn secrets_are_not_stored_in_clear_on_sqlite() {
    let (tdb, server) = setup(Db::Sqlite, &[]).await;
    let b = server.browser();
    let r = b.sign_in(ADMIN_EMAIL, PASSWORD).await;
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("rd_session="))
        .unwrap()
        .to_string();
    let session_id = cookie.trim_start_matches("rd_session=").split(';').next().unwrap().to_string();
    let out = tdb.cli(&["token", "create", "--email", ADMIN_EMAIL, "--label", "x"], None);
    let token = stdout(&out).trim().to_string();
    server.stop();
    for needle in [PASSWORD, session_id.as_str(), token.as_str()] {
        for file in ["rightsdesk.db", "rightsdesk.db-wal"] {
            assert!(!file_contains(&tdb.data_dir().join(file), needle.as_bytes()), "{needle} found in {file}");
        }
    }
}

#[tokio::test]
async fn backup_and_restore_into_a_fresh_data_directory() {
    use sha2::Digest;
    let (tdb, server) = setup(Db::Sqlite, &[]).await;
    add_user(&tdb, "officer@test.example", "officer", "BTB");
    server.browser().sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    // A case with a named person (encrypted) and an evidence file.
    let api = reqwest::Client::new();
    let t = tdb.api_token("officer@test.example");
    let r = api
        .post(format!("{}/api/v1/cases", server.base))
        .bearer_auth(&t)
        .json(&serde_json::json!({"title": "Arrest before the backup", "province": "02", "start_date": "2026-05"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let case = r.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = api
        .post(format!("{}/api/v1/cases/{case}/persons", server.base))
        .bearer_auth(&t)
        .json(&serde_json::json!({"role": "victim", "name": "sreyleak MEAN"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let pdf = b"%PDF-1.4\nstatement kept in the backup".to_vec();
    let sha = hex::encode(sha2::Sha256::digest(&pdf));
    let form = reqwest::multipart::Form::new()
        .text("description", "Statement of V1")
        .part("file", reqwest::multipart::Part::bytes(pdf.clone()).file_name("statement.pdf"));
    let r = api
        .post(format!("{}/api/v1/cases/{case}/evidence", server.base))
        .bearer_auth(&t)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let evidence = r.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
    // An online backup while the server runs: a directory with the
    // database and the evidence files.
    let backup = tdb.dir.path().join("backup");
    let out = tdb.cli(&["backup", backup.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 evidence files"), "{}", stdout(&out));
    let at_backup: i64 = stdout(&out)
        .split("audit chain at backup time: ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("event count printed");
    let in_backup = backup.join("files").join(&sha[0..2]).join(&sha[2..4]).join(&sha);
    // Files are sealed with the field key on disk and stay sealed in the
    // backup: the same bytes, none of the document's (issue 14).
    let stored = tdb.data_dir().join("files").join(&sha[0..2]).join(&sha[2..4]).join(&sha);
    let sealed = std::fs::read(&stored).unwrap();
    assert!(sealed.starts_with(b"RDF1") && !sealed.windows(8).any(|w| w == &pdf[..8]), "sealed on disk");
    assert_eq!(std::fs::read(&in_backup).unwrap(), sealed);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777, 0o700);
        let db = backup.join("rightsdesk.db");
        assert_eq!(std::fs::metadata(db).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(&in_backup).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let again = tdb.cli(&["backup", backup.to_str().unwrap()], None);
    assert_eq!(again.status.code(), Some(2), "never overwrite a backup");
    // A damaged evidence file does not cost the backup of everything else:
    // reported, exit status 1, the rest kept.
    std::fs::write(&stored, b"bit rot").unwrap();
    let partial = tdb.dir.path().join("partial");
    let out = tdb.cli(&["backup", partial.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("is damaged") && stderr(&out).contains("could not be backed up"), "{}", stderr(&out));
    assert!(partial.join("rightsdesk.db").exists());
    // One changed byte of a sealed file is damage too.
    let mut flipped = sealed.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    std::fs::write(&stored, &flipped).unwrap();
    let flipped_backup = tdb.dir.path().join("flipped");
    let out = tdb.cli(&["backup", flipped_backup.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("does not open"), "{}", stderr(&out));
    std::fs::write(&stored, &sealed).unwrap();
    // Restoring under a running server is refused.
    let out = tdb.cli(&["restore", backup.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("stop the server first"));
    server.stop();
    // A fresh machine with the backup but not the key file: a clear error,
    // nothing written.
    let fresh = TestDatabase::new(Db::Sqlite).await;
    std::fs::create_dir_all(fresh.data_dir()).unwrap();
    let out = fresh.cli(&["restore", backup.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("put the key file that was in use"), "{}", stderr(&out));
    assert!(!fresh.sqlite_path().exists() && !fresh.data_dir().join("files").exists(), "no garbage");
    assert!(!fresh.data_dir().join("rightsdesk.key").exists(), "no key made up");
    std::fs::copy(tdb.data_dir().join("rightsdesk.key"), fresh.data_dir().join("rightsdesk.key")).unwrap();
    // Garbage is refused and leaves nothing behind.
    let junk = fresh.dir.path().join("junk.db");
    std::fs::write(&junk, b"this is not a database").unwrap();
    let out = fresh.cli(&["restore", junk.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(!fresh.sqlite_path().exists());
    // A backup whose evidence file was lost or changed is refused whole.
    let broken = fresh.dir.path().join("broken");
    std::fs::create_dir_all(broken.join("files").join(&sha[0..2]).join(&sha[2..4])).unwrap();
    std::fs::copy(backup.join("rightsdesk.db"), broken.join("rightsdesk.db")).unwrap();
    std::fs::write(broken.join("files").join(&sha[0..2]).join(&sha[2..4]).join(&sha), b"tampered").unwrap();
    let out = fresh.cli(&["restore", broken.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("damaged"), "{}", stderr(&out));
    assert!(!fresh.sqlite_path().exists() && !fresh.data_dir().join("files").exists());
    // The real backup comes back whole, over a damaged copy of its file.
    let in_place = fresh.data_dir().join("files").join(&sha[0..2]).join(&sha[2..4]).join(&sha);
    std::fs::create_dir_all(in_place.parent().unwrap()).unwrap();
    std::fs::write(&in_place, b"damaged").unwrap();
    let out = fresh.cli(&["restore", backup.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("chain verified"));
    assert!(stdout(&out).contains("revoked"));
    assert!(stdout(&out).contains("1 evidence files"));
    assert_eq!(std::fs::read(&in_place).unwrap(), sealed, "a damaged file in the way is replaced");
    let restored = stdout(&fresh.cli(&["audit", "verify"], None));
    // The backup's events, plus the one recording the tokens revoked by the restore.
    let count = |s: &str| s.split_whitespace().nth(3).unwrap().parse::<i64>().unwrap();
    assert_eq!(count(&restored), at_backup + 1, "{restored}");
    let server = Server::start(&fresh, &[]);
    server.browser().sign_in_ok("officer@test.example", PASSWORD).await;
    let t = fresh.api_token("officer@test.example");
    let c: serde_json::Value = api
        .get(format!("{}/api/v1/cases/{case}", server.base))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(c["title"], "Arrest before the backup");
    let persons: serde_json::Value = api
        .get(format!("{}/api/v1/cases/{case}/persons", server.base))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(persons[0]["identity"]["name"], "sreyleak MEAN", "encrypted names open with the key file");
    let r = api.get(format!("{}/api/v1/evidence/{evidence}/file", server.base)).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf, "the evidence file is back");
    server.stop();
}

#[tokio::test]
async fn missing_key_file_with_encrypted_data_refuses_to_start() {
    let (tdb, server) = setup(Db::Sqlite, &[]).await;
    let b = server.browser();
    b.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    let profile = b.text("/profile").await.1;
    let secret_text = profile.split("<code>").nth(1).unwrap().split("</code>").next().unwrap();
    let secret = rightsdesk_crypto::totp::secret_from_base32(secret_text).unwrap();
    let sealed = profile.split("name=\"sealed\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let code = rightsdesk_crypto::totp::current_code(&secret, now);
    assert_eq!(
        b.submit("/profile", "/profile/totp/enable", &[("sealed", &sealed), ("code", &code)]).await.status().as_u16(),
        200
    );
    server.stop();
    let key = tdb.data_dir().join("rightsdesk.key");
    std::fs::rename(&key, tdb.dir.path().join("key.saved")).unwrap();
    let err = Server::try_start(&tdb, &[]).err().expect("must not start");
    assert!(err.contains("key file") && err.contains("is missing"), "{err}");
    assert!(!key.exists(), "no new key may be made up");
    // A damaged key file is a clear error too.
    std::fs::write(&key, "{}").unwrap();
    let err = Server::try_start(&tdb, &[]).err().expect("must not start");
    assert!(err.contains("not a valid rightsdesk key file"), "{err}");
}

#[tokio::test]
async fn bad_settings_are_clear_errors() {
    let tdb = TestDatabase::new(Db::Sqlite).await;
    let out = tdb.cli(&["migrate", "--database", "mysql://x"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("sqlite:// or postgres://"));
    let cfg = tdb.dir.path().join("bad.toml");
    std::fs::write(&cfg, "listne = 1").unwrap();
    let out = tdb.cli(&["migrate", "--config", cfg.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not valid"));
    let out = tdb.cli(&["migrate"], None);
    assert!(out.status.success());
    for cmd in [
        &["serve", "--help"][..],
        &["user", "add", "--help"],
        &["audit", "verify", "--help"],
        &["backup", "--help"],
        &["key", "rotate", "--help"],
    ] {
        let out = std::process::Command::new(BIN).args(cmd).output().unwrap();
        assert!(out.status.success() && !out.stdout.is_empty(), "{cmd:?}");
    }
}

#[tokio::test]
async fn postgres_backup_points_to_pg_dump() {
    let tdb = TestDatabase::new(Db::Sqlite).await;
    let out = std::process::Command::new(BIN)
        .args(["backup", "/tmp/never-written", "--database", "postgres://nobody@127.0.0.1:1/none"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
    drop(tdb);
}

async fn cases_of(db: &TestDatabase) -> Vec<(String, String, String, Option<String>, Option<String>, String)> {
    use sqlx::{Connection, Row};
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.sqlite_path().display())).await.unwrap();
    let rows =
        sqlx::query("SELECT reference, title, summary, province_code, start_date, status FROM cases ORDER BY id")
            .fetch_all(&mut c)
            .await
            .unwrap();
    rows.iter()
        .map(|r| {
            (
                r.get("reference"),
                r.get("title"),
                r.get("summary"),
                r.get("province_code"),
                r.get("start_date"),
                r.get("status"),
            )
        })
        .collect()
}

#[tokio::test]
async fn demo_generation_is_deterministic_and_names_people_by_code_only() {
    let mut runs = vec![];
    for _ in 0..2 {
        let db = TestDatabase::new(Db::Sqlite).await;
        assert!(db.cli(&["migrate"], None).status.success());
        add_user(&db, "officer@test.example", "officer", "PNH");
        add_user(&db, "officer.btb@test.example", "officer", "BTB");
        let out = db.cli(&["demo", "generate", "--cases", "25", "--seed", "9"], None);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("added 25 fictional cases"));
        runs.push((cases_of(&db).await, db));
    }
    assert_eq!(runs[0].0.len(), 25);
    assert_eq!(runs[0].0, runs[1].0, "same seed, same data");
    let (cases, db) = &runs[0];
    assert!(cases.iter().all(|c| c.1.starts_with("[DEMO] ")), "clearly fictional");
    assert!(
        cases.iter().any(|c| c.2.contains("V1") && c.2.chars().any(|ch| ('\u{1780}'..='\u{17FF}').contains(&ch))),
        "bilingual narratives"
    );
    let provinces: std::collections::BTreeSet<_> = cases.iter().filter_map(|c| c.3.clone()).collect();
    assert!(provinces.len() >= 5, "spread over provinces");
    // Narratives refer to people by code: no family name of the generator appears.
    for family in ["Sok ", "Chan ", "Keo ", "Heng ", "Meas "] {
        assert!(cases.iter().all(|c| !c.2.contains(family)), "{family}");
    }
    // The chain verifies after thousands of writes.
    let out = db.cli(&["audit", "verify"], None);
    assert!(out.status.success());
    let other = TestDatabase::new(Db::Sqlite).await;
    assert!(other.cli(&["migrate"], None).status.success());
    let out = other.cli(&["demo", "generate", "--cases", "3"], None);
    assert_eq!(out.status.code(), Some(2), "no accounts yet: a clear error");
    assert!(stderr(&out).contains("no accounts yet"));
}
