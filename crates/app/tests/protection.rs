//! Protection end to end (issue 17), on both backends: files through the
//! real forms (with CSRF) and the API, restricted to their team and the head
//! of office, bad input refused with nothing written, and the scheduler
//! inside `serve` raising an alert from the database and e-mailing it once
//! to a real SMTP listener in this test process, across a restart.

mod common;

use common::*;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

both!(protection_files_through_forms_and_api, overdue_review_is_emailed_once_and_survives_a_restart);

fn file_id(location: &str) -> String {
    location.trim_start_matches("/protection/files/").split('#').next().unwrap().to_string()
}

/// `YYYY-MM-DD` of Phnom Penh's day `days` from today.
fn local_day(days: i64) -> String {
    let d = (time::OffsetDateTime::now_utc() + time::Duration::days(days))
        .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap());
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

fn local_minute(hours: i64) -> String {
    let d = (time::OffsetDateTime::now_utc() + time::Duration::hours(hours))
        .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap());
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", d.year(), d.month() as u8, d.day(), d.hour(), d.minute())
}

async fn open_file(b: &Browser, label: &str) -> String {
    let r = b
        .submit(
            "/protection/new",
            "/protection/files",
            &[("subject", "individual"), ("label", label), ("profile", "land_activist"), ("province", "09")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    r.headers()["location"].to_str().unwrap().to_string()
}

async fn protection_files_through_forms_and_api(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "prot.a@test.example", "officer", "PNH");
    add_user(&tdb, "prot.b@test.example", "officer", "PNH");
    add_user(&tdb, "prot.head@test.example", "head_of_office", "PNH");
    add_user(&tdb, "prot.btb@test.example", "officer", "BTB");
    add_user(&tdb, "prot.legal@test.example", "legal_officer", "PNH");
    let a = server.browser();
    a.sign_in_ok("prot.a@test.example", PASSWORD).await;
    add_organisation(&a, "Provincial police", "ស្នងការដ្ឋាននគរបាលខេត្ត", "police").await;
    // A monitoring case with its victim, whom the file will protect.
    let r = a
        .submit(
            "/monitoring/cases/new",
            "/monitoring/cases",
            &[("title", "Land activist summoned"), ("province", "09")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let case = r.headers()["location"].to_str().unwrap().to_string();
    let case_id = case.trim_start_matches("/monitoring/cases/").to_string();
    let r = a
        .submit(
            &format!("{case}/persons/new"),
            &format!("{case}/persons"),
            &[("role", "victim"), ("name", "Sokha Vannak")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);

    // A new file: field errors first, nothing written.
    let r = a.submit("/protection/new", "/protection/files", &[("subject", "individual"), ("label", "")]).await;
    assert_eq!(r.status().as_u16(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("This field is required.") && page.contains("Choose one of the options."), "{page}");
    assert!(a.text("/protection").await.1.contains("No protection files match."));
    let file = open_file(&a, "Land activist L1, Koh Kong").await;
    let id = file_id(&file);
    let (status, page) = a.text(&file).await;
    assert_eq!(status, 200);
    assert!(page.contains("PR-PNH-2026-0001") || page.contains("PR-PNH-20"), "a reference");
    let reference = page.split("<h1>").nth(1).unwrap().split(' ').next().unwrap().to_string();
    assert!(reference.starts_with("PR-PNH-") && reference.ends_with("-0001"), "{reference}");

    // Link the case (by its reference) and its victim.
    let token = tdb.api_token("prot.a@test.example");
    let c = server.api_json(&token, &format!("/api/v1/cases/{case_id}")).await;
    let case_ref = c["reference"].as_str().unwrap().to_string();
    let r = a.submit(&file, &format!("{file}/cases"), &[("case_reference", "PNH-1999-9999")]).await;
    assert_eq!(r.status().as_u16(), 422, "an unknown case");
    let r = a.submit(&file, &format!("{file}/cases"), &[("case_reference", &case_ref)]).await;
    assert_eq!(r.status().as_u16(), 303);
    let page = a.text(&file).await.1;
    let choice = page
        .split(&format!("<option value=\"{case_id}:"))
        .nth(1)
        .expect("the victim offered")
        .split('"')
        .next()
        .unwrap();
    let person = format!("{case_id}:{choice}");
    assert_eq!(a.submit(&file, &format!("{file}/persons"), &[("person", "1:999999")]).await.status().as_u16(), 422);
    assert_eq!(a.submit(&file, &format!("{file}/persons"), &[("person", &person)]).await.status().as_u16(), 303);
    let page = a.text(&file).await.1;
    assert!(page.contains("Sokha Vannak"), "the team sees whom the file protects");

    // A threat naming the person is refused; with the code it is kept.
    let threat = |d: &'static str| vec![("date", "2026-11-28"), ("kind", "summons"), ("description", d)];
    let r = a.submit(&file, &format!("{file}/threats"), &threat("Sokha Vannak was summoned")).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("use their code"));
    let r = a.submit(&file, &format!("{file}/threats"), &threat("SokhaVannak was summoned")).await;
    assert_eq!(r.status().as_u16(), 422, "typed the Khmer way, without a space, it is still a name");
    let r = a.submit(&file, &format!("{file}/threats"), &threat("V1 was summoned to the district police")).await;
    assert_eq!(r.status().as_u16(), 303);
    // The suspected person: an alleged perpetrator of the linked case, by code.
    let r = a
        .submit(
            &format!("{case}/persons/new"),
            &format!("{case}/persons"),
            &[("role", "perpetrator"), ("name", "Heng Bunthoeun"), ("perpetrator_type", "police")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = a.text(&file).await.1;
    let suspects =
        page.split("<select id=\"t-person\"").nth(1).expect("suspects offered").split("</select>").next().unwrap();
    assert!(suspects.contains(&format!("{case_ref} P1")) && !suspects.contains("Heng"), "by code only: {suspects}");
    let p1 = suspects.split("<option value=\"").nth(2).unwrap().split('"').next().unwrap().to_string();
    let victim = choice.to_string();
    fn with_person(who: &str) -> [(&str, &str); 4] {
        [
            ("date", "2026-12-01"),
            ("kind", "intimidation"),
            ("actor_person_id", who),
            ("description", "P1 came to V1's house at night"),
        ]
    }
    let r = a.submit(&file, &format!("{file}/threats"), &with_person(&victim)).await;
    assert_eq!(r.status().as_u16(), 422, "a victim is not a suspect");
    assert!(!a.text(&file).await.1.contains("came to V1"), "nothing written");
    let r = a.submit(&file, &format!("{file}/threats"), &with_person(&p1)).await;
    assert_eq!(r.status().as_u16(), 303);
    let page = a.text(&file).await.1;
    let row =
        page.split("<tr>").find(|r| r.contains("came to V1")).expect("the threat's row").split("</tr>").next().unwrap();
    assert!(
        row.contains(&format!("{case_ref} P1")) && !row.contains("Heng"),
        "the row names its suspect by code: {row}"
    );

    // Risk assessment: ratings 1-5, an override needs a reason.
    let assess = |l: &'static str, i: &'static str, o: &'static str, why: &'static str| {
        vec![
            ("likelihood", l),
            ("impact", i),
            ("vulnerabilities", "Lives alone\nKnown address"),
            ("capacities", "Lawyer"),
            ("override_level", o),
            ("override_reason", why),
        ]
    };
    let r = a.submit(&file, &format!("{file}/assessments"), &assess("6", "3", "", "")).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Enter a whole number from 1 to 5."));
    let r = a.submit(&file, &format!("{file}/assessments"), &assess("3", "4", "critical", "")).await;
    assert_eq!(r.status().as_u16(), 422, "an override without a reason");
    let r = a
        .submit(&file, &format!("{file}/assessments"), &assess("3", "4", "critical", "Summoned twice this week"))
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = a.text(&file).await.1;
    assert!(page.contains("level-critical") && page.contains("computed High"), "the override and the computed level");

    // Measures: dates in order; an urgent appeal is an intervention of the case.
    let police = {
        let v = server.api_json(&token, "/api/v1/organisations").await;
        v.as_array().unwrap().iter().find(|o| o["name_en"] == "Provincial police").unwrap()["id"].to_string()
    };
    let r = a
        .submit(
            &file,
            &format!("{file}/measures"),
            &[("kind", "accompaniment"), ("starts_on", "2026-12-04"), ("ends_on", "2026-12-01")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("The end is before the start."));
    let appeal = [
        ("kind", "urgent_appeal"),
        ("status", "active"),
        ("starts_on", "2026-12-01"),
        ("description", "Appeal to ensure the safety of V1"),
        ("case_id", case_id.as_str()),
        ("authority_id", police.as_str()),
    ];
    let r = a.submit(&file, &format!("{file}/measures"), &appeal).await;
    assert_eq!(r.status().as_u16(), 303);
    let iv = server.api_json(&token, &format!("/api/v1/cases/{case_id}/interventions")).await;
    assert_eq!(iv.as_array().unwrap().len(), 1, "{iv}");
    assert_eq!(iv[0]["kind"], "urgent_appeal");

    // Check-ins: a schedule; a check-in in the future is refused.
    let r =
        a.submit(&file, &format!("{file}/schedule"), &[("every", "1"), ("unit", "days"), ("channel", "call")]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(a.text(&file).await.1.contains("Every day"));
    let tomorrow = local_minute(25);
    let r = a
        .submit(&file, &format!("{file}/checkins"), &[("at", &tomorrow), ("channel", "call"), ("outcome", "safe")])
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("in the future"));
    let now = local_minute(0);
    let r = a
        .submit(
            &file,
            &format!("{file}/checkins"),
            &[("at", &now), ("channel", "visit"), ("outcome", "safe"), ("note", "At home")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = a.text(&file).await.1;
    assert!(page.contains("outcome-safe") && page.contains("At home"));
    assert!(a.text(&format!("{file}?lang=km")).await.1.contains("ការទាក់ទងពិនិត្យ"), "in Khmer");
    a.text("/?lang=en").await;

    // The API: the same file, the same rules.
    let v = server.api_json(&token, "/api/v1/protection/files").await;
    assert_eq!(v["total"], 1, "{v}");
    let d = server.api_json(&token, &format!("/api/v1/protection/files/{id}")).await;
    assert_eq!(d["people"][0]["name"], "Sokha Vannak");
    assert_eq!(d["file"]["level"], "critical");
    assert_eq!(d["checkins"].as_array().unwrap().len(), 1);
    let http = reqwest::Client::new();
    let post =
        |path: String, body: Value| http.post(format!("{}{path}", server.base)).bearer_auth(&token).json(&body).send();
    let r = post(
        format!("/api/v1/protection/files/{id}/checkins"),
        serde_json::json!({"at": tomorrow, "channel": "call", "outcome": "safe"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["fields"][0]["field"], "at", "{e}");
    assert_eq!(e["error"]["fields"][0]["code"], "in-the-future", "{e}");
    let r = post(
        format!("/api/v1/protection/files/{id}/assessments"),
        serde_json::json!({"likelihood": "0", "impact": "2"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let r = post(
        "/api/v1/protection/files".into(),
        serde_json::json!({"subject": "individual", "label": "x", "profile": "spy"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let d = server.api_json(&token, &format!("/api/v1/protection/files/{id}")).await;
    assert_eq!(
        (d["checkins"].as_array().unwrap().len(), d["assessments"].as_array().unwrap().len()),
        (1, 1),
        "nothing written"
    );
    let doc = server.api_json(&token, "/api/v1/openapi.json").await;
    assert!(doc["paths"]["/api/v1/protection/files/{id}/checkins"].is_object(), "in the OpenAPI document");

    // Filters.
    assert!(a.text("/protection?level=critical").await.1.contains(&reference));
    assert!(!a.text("/protection?level=low").await.1.contains(&reference));
    assert_eq!(a.text("/protection?level=extreme").await.0, 400);

    // Export: the list's fields, no names, audited.
    let token_csrf = a.csrf("/protection").await;
    let r = a
        .http
        .post(a.url("/protection/export"))
        .form(&[("_csrf", token_csrf.as_str()), ("format", "csv")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let csv = r.text().await.unwrap();
    assert!(csv.contains(&reference) && csv.contains("critical") && !csv.contains("Sokha"), "{csv}");
    // The same rows as a workbook.
    let r = a
        .http
        .post(a.url("/protection/export"))
        .form(&[("_csrf", token_csrf.as_str()), ("format", "xlsx")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let t = rightsdesk_export::read_xlsx(&r.bytes().await.unwrap()).unwrap();
    let col =
        |name: &str| t.headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name}: {:?}", t.headers));
    let row = &t.rows.iter().find(|(_, r)| r[col("reference")] == reference).expect("the file's row").1;
    assert_eq!(row[col("risk_level")], "critical");
    assert!(t.rows.iter().all(|(_, r)| r.iter().all(|cell| !cell.contains("Sokha"))), "no names in the workbook");

    // Outsiders: the file does not exist for them.
    let b = server.browser();
    b.sign_in_ok("prot.b@test.example", PASSWORD).await;
    assert_eq!(b.text(&file).await.0, 404);
    let list = b.text("/protection").await.1;
    assert!(!list.contains(&reference) && list.contains("No protection files match."));
    let b_token = tdb.api_token("prot.b@test.example");
    let r =
        http.get(format!("{}/api/v1/protection/files/{id}", server.base)).bearer_auth(&b_token).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(server.api_json(&b_token, "/api/v1/protection/files").await["total"], 0);
    let r = http
        .post(format!("{}/api/v1/protection/files/{id}/checkins", server.base))
        .bearer_auth(&b_token)
        .json(&serde_json::json!({"at": now, "channel": "call", "outcome": "safe"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404, "no write either");
    let legal = server.browser();
    legal.sign_in_ok("prot.legal@test.example", PASSWORD).await;
    assert_eq!(legal.text("/protection").await.0, 403);
    let btb = server.browser();
    btb.sign_in_ok("prot.btb@test.example", PASSWORD).await;
    let other = open_file(&btb, "Journalist J1, Battambang").await;
    assert!(btb.text(&other).await.1.contains("PR-BTB-"), "each office numbers its own");
    assert_eq!(a.text(&other).await.0, 404, "a file of another office");
    let head = server.browser();
    head.sign_in_ok("prot.head@test.example", PASSWORD).await;
    assert_eq!(head.text(&file).await.0, 200, "the head of office sees the office's files");
    assert_eq!(head.text(&other).await.0, 404, "not another office's");
    // Search: the file's words for its team only.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert!(a.text("/search?q=Koh+Kong").await.1.contains(&format!("/protection/files/{id}")), "the team finds it");
    assert!(!b.text("/search?q=Koh+Kong").await.1.contains("/protection/files/"), "an outsider does not");
    // Every opening is in the audit log.
    let admin = server.browser();
    admin.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    let audit = admin.text("/admin/audit?action=protection.view").await.1;
    assert!(audit.contains("protection.view") && audit.contains("file page"), "openings are audited");
    assert!(admin.text("/admin/users").await.1.contains("Alert e-mails are off"));
    assert_eq!(admin.text(&file).await.0, 404, "administrators do not read protection files");
    server.stop();
    tdb.drop_database().await;
}

/// A minimal SMTP server: accepts every message and keeps what it received.
async fn smtp_listener() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(vec![]));
    let store = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut message = String::new();
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            store.lock().unwrap().push(std::mem::take(&mut message));
                            write.write_all(b"250 OK queued\r\n").await.unwrap();
                        } else {
                            message.push_str(&line);
                            message.push('\n');
                        }
                        continue;
                    }
                    let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 test\r\n",
                        "DATA" => {
                            in_data = true;
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            return;
                        }
                        "RCPT" => {
                            message.push_str(&format!("{line}\n"));
                            b"250 OK\r\n"
                        }
                        _ => b"250 OK\r\n",
                    };
                    write.write_all(answer).await.unwrap();
                }
            });
        }
    });
    (port, got)
}

async fn overdue_review_is_emailed_once_and_survives_a_restart(db: Db) {
    let (port, inbox) = smtp_listener().await;
    let tdb = TestDatabase::new(db).await;
    let config = tdb.dir.path().join("rightsdesk.toml");
    std::fs::write(
        &config,
        format!(
            "alert_scan_seconds = 1\npublic_url = \"https://rd.example.org\"\n[smtp]\nhost = \"127.0.0.1\"\nport = {port}\n\
             from = \"rightsdesk <alerts@test.example>\"\nsecurity = \"none\"\n"
        ),
    )
    .unwrap();
    let cfg = config.to_str().unwrap().to_string();
    let server = Server::start(&tdb, &["--config", &cfg]);
    add_user(&tdb, ADMIN_EMAIL, "admin", "PNH");
    add_user(&tdb, "mail.a@test.example", "officer", "PNH");
    let a = server.browser();
    a.sign_in_ok("mail.a@test.example", PASSWORD).await;
    let file = open_file(&a, "Defender D9, Preah Sihanouk").await;
    let id = file_id(&file);
    let yesterday = local_day(-1);
    let r = a
        .submit(
            &file,
            &format!("{file}/measures"),
            &[
                ("kind", "accompaniment"),
                ("status", "active"),
                ("review_on", &yesterday),
                ("description", "Accompany D9 to court"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    // The scheduler finds it within a pass or two and sends one message.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while inbox.lock().unwrap().is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let messages = inbox.lock().unwrap().clone();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let m = &messages[0];
    assert!(m.contains("mail.a@test.example"), "to the file's team: {m}");
    assert!(m.contains("-0001") && m.contains(&format!("https://rd.example.org/protection/files/{id}")), "{m}");
    for secret in ["Defender D9", "Preah Sihanouk", "Accompany", "court"] {
        assert!(!m.contains(secret), "the e-mail says nothing of the file: {secret} in {m}");
    }
    // In the application: home page, alerts page; acknowledging needs a note.
    assert!(a.text("/").await.1.contains("Measure review overdue"));
    let (_, alerts) = a.text("/protection/alerts").await;
    assert!(alerts.contains("Measure review overdue") && alerts.contains("e-mailed"));
    let alert = alerts.split("id=\"alert-").nth(1).unwrap().split('"').next().unwrap().to_string();
    let r = a.submit("/protection/alerts", &format!("/protection/alerts/{alert}/acknowledge"), &[("note", " ")]).await;
    assert_eq!(r.status().as_u16(), 422);
    let r = a
        .submit(
            "/protection/alerts",
            &format!("/protection/alerts/{alert}/acknowledge"),
            &[("note", "Reviewed with D9's lawyer")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let history = a.text("/protection/alerts?all=1").await.1;
    assert!(history.contains("Acknowledged") && history.contains("Reviewed with"), "kept in the history");
    assert!(!a.text("/").await.1.contains("Measure review overdue"), "no longer on the home page");
    let admin = server.browser();
    admin.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    assert!(admin.text("/admin/users").await.1.contains("Alert e-mails are sent from"));
    // A restart raises nothing again and sends nothing twice.
    server.stop();
    let server = Server::start(&tdb, &["--config", &cfg]);
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    assert_eq!(inbox.lock().unwrap().len(), 1, "nothing sent twice");
    let a = server.browser();
    a.sign_in_ok("mail.a@test.example", PASSWORD).await;
    let history = a.text("/protection/alerts?all=1").await.1;
    assert_eq!(history.matches("Measure review overdue").count(), 1, "one alert, not two");
    server.stop();
    tdb.drop_database().await;
}
