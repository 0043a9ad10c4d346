//! Monitoring end to end: opening cases through the forms and the API, the
//! workflow, and restricted cases that do not exist for outsiders.

mod common;

use common::*;
use serde_json::{json, Value};

both!(
    case_forms_workflow_and_history,
    restricted_cases_do_not_exist_for_outsiders,
    case_api_and_list_filters,
    people_are_coded_sealed_and_kept_out_of_narratives,
    names_written_any_way_are_refused_in_every_text_field,
    acts_link_people_to_rights_through_forms_and_api,
    interventions_and_follow_ups_reach_the_home_page,
    sources_consent_and_exports,
    evidence_is_hashed_streamed_and_guarded,
    import_checks_every_row_then_writes_all_or_nothing,
    every_role_sees_what_the_policy_says,
    sources_and_evidence_through_the_api,
    huridocs_vocabulary_imports_and_classifies_acts,
    urgency_is_set_shown_filtered_exported_and_imported,
    only_office_staff_are_offered_for_a_case_team,
);

fn case_id(location: &str) -> String {
    // `/monitoring/cases/12` -> `12`
    location.trim_start_matches("/monitoring/cases/").to_string()
}

async fn case_forms_workflow_and_history(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "officer@test.example", "officer", "PNH");
    add_user(&tdb, "viewer@test.example", "viewer", "PNH");
    let b = server.browser();
    b.sign_in_ok("officer@test.example", PASSWORD).await;
    // Bad input: each field says what is wrong, nothing is written.
    let r = b
        .submit(
            "/monitoring/cases/new",
            "/monitoring/cases",
            &[("title", ""), ("province", "02"), ("district", "0102"), ("start_date", "2026-13"), ("end_date", "2025")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    for msg in
        ["This field is required.", "not inside the one chosen above", "Enter a date as YYYY-MM-DD, YYYY-MM or YYYY."]
    {
        assert!(html.contains(msg), "missing: {msg}");
    }
    assert!(b.text("/monitoring").await.1.contains("No cases match."));
    // A good case, with Khmer text and a place from the gazetteer.
    let r = b
        .submit(
            "/monitoring/cases/new",
            "/monitoring/cases",
            &[
                ("title", "Forced eviction in Battambang"),
                ("summary", "V1 and 40 families were removed from their land. ក្រុមគ្រួសារចំនួន ៤០ ត្រូវបានបណ្តេញចេញ។"),
                ("province", "02"),
                ("district", "0203"),
                ("location_text", "Near the market"),
                ("start_date", "2026-03"),
                ("start_approximate", "on"),
                ("themes", "land, housing"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let (status, page) = b.text(&location).await;
    assert_eq!(status, 200);
    assert!(page.contains("PNH-") && page.contains("-0001:"), "reference number of the office and year");
    assert!(page.contains("Near the market, Battambang Municipality, Battambang"), "place from the gazetteer");
    assert!(page.contains("about Mar 2026"), "approximate month");
    assert!(page.contains("ក្រុមគ្រួសារចំនួន ៤០"));
    // The workflow: only allowed moves; reopening needs a reason; stale pages are refused.
    let status_form = format!("{location}/status");
    let r = b.submit(&location, &status_form, &[("from", "received"), ("to", "closed")]).await;
    assert_eq!(r.status().as_u16(), 422);
    for (from, to) in [("received", "under_verification"), ("under_verification", "verified"), ("verified", "closed")] {
        let r = b.submit(&location, &status_form, &[("from", from), ("to", to)]).await;
        assert_eq!(r.status().as_u16(), 303, "{from} -> {to}");
    }
    let r = b.submit(&location, &status_form, &[("from", "verified"), ("to", "under_intervention")]).await;
    assert_eq!(r.status().as_u16(), 409, "stale form");
    let r =
        b.submit(&location, &status_form, &[("from", "closed"), ("to", "under_verification"), ("reason", " ")]).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Reopening a closed case needs a reason."));
    let r = b
        .submit(
            &location,
            &status_form,
            &[("from", "closed"), ("to", "under_verification"), ("reason", "V1 gave new evidence")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = b.text(&location).await.1;
    assert!(page.contains("Closed → Under verification") && page.contains("V1 gave new evidence"));
    // Editing goes through the same validation.
    let r = b
        .submit(
            &format!("{location}/edit"),
            &location,
            &[("title", "Forced eviction (updated)"), ("province", "02"), ("district", "0203")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(b.text(&location).await.1.contains("Forced eviction (updated)"));
    // The htmx place picker answers with options.
    let options = b.text("/monitoring/places?province=02").await.1;
    assert!(options.contains("<option value=\"0203\">"));
    // A viewer reads the case but cannot change it.
    let v = server.browser();
    v.sign_in_ok("viewer@test.example", PASSWORD).await;
    assert_eq!(v.get(&location).await.status().as_u16(), 403, "viewers have no monitoring");
    let r = v.submit("/profile", &status_form, &[("from", "under_verification"), ("to", "verified")]).await;
    assert_eq!(r.status().as_u16(), 403);
    // Every step is in the audit chain.
    server.stop();
    let out = tdb.cli(&["audit", "verify"], None);
    assert!(out.status.success());
    tdb.drop_database().await;
}

async fn restricted_cases_do_not_exist_for_outsiders(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "member@test.example", "officer", "PNH");
    add_user(&tdb, "outsider@test.example", "officer", "PNH");
    add_user(&tdb, "head@test.example", "head_of_office", "PNH");
    add_user(&tdb, "head.btb@test.example", "head_of_office", "BTB");
    let member = server.browser();
    member.sign_in_ok("member@test.example", PASSWORD).await;
    let normal = open_case(&member, "Public meeting dispersed", "normal").await;
    let secret = open_case(&member, "Zephyrine witness threatened", "restricted").await;
    let secret_id: i64 = case_id(&secret).parse().unwrap();
    assert!(member.text(&secret).await.1.contains("Restricted case"));
    // Tokens for the API side of each person.
    let token = |email: &str| {
        let out = tdb.cli(&["token", "create", "--email", email, "--label", "t"], None);
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let api = reqwest::Client::new();
    for (email, sees) in [
        ("member@test.example", true),
        ("head@test.example", true),
        ("outsider@test.example", false),
        ("head.btb@test.example", false),
        (ADMIN_EMAIL, false),
    ] {
        let b = server.browser();
        b.sign_in_ok(email, PASSWORD).await;
        let page = b.get(&secret).await;
        assert_eq!(page.status().as_u16(), if sees { 200 } else { 404 }, "{email} page");
        assert_eq!(
            b.get(&format!("{secret}/edit")).await.status().as_u16(),
            if sees { 200 } else { 404 },
            "{email} edit"
        );
        let r = b
            .submit("/profile", &format!("{secret}/status"), &[("from", "received"), ("to", "under_verification")])
            .await;
        if !sees {
            assert_eq!(r.status().as_u16(), 404, "{email} status change");
        }
        let list = b.text("/monitoring").await.1;
        assert_eq!(list.contains("Zephyrine"), sees, "{email} list");
        assert!(list.contains("Public meeting dispersed"), "{email} sees normal cases");
        assert!(list.contains(if sees { "2 cases match." } else { "One case matches." }), "{email} count");
        let filtered = b.text("/monitoring?sensitivity=restricted").await.1;
        assert_eq!(filtered.contains("Zephyrine"), sees, "{email} filtered list");
        let t = token(email);
        let r = api.get(format!("{}/api/v1/cases/{secret_id}", server.base)).bearer_auth(&t).send().await.unwrap();
        assert_eq!(r.status().as_u16(), if sees { 200 } else { 404 }, "{email} API");
        let v: Value = api
            .get(format!("{}/api/v1/cases", server.base))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["total"], if sees { 2 } else { 1 }, "{email} API total");
        assert_eq!(v["items"].as_array().unwrap().iter().any(|c| c["id"] == secret_id), sees, "{email} API list");
        let r =
            api.get(format!("{}/api/v1/cases/{secret_id}/history", server.base)).bearer_auth(&t).send().await.unwrap();
        assert_eq!(r.status().as_u16(), if sees { 200 } else { 404 }, "{email} API history");
    }
    // A case that does not exist answers exactly like a hidden one.
    let outsider = server.browser();
    outsider.sign_in_ok("outsider@test.example", PASSWORD).await;
    let missing = outsider.get("/monitoring/cases/987654").await;
    let hidden = outsider.get(&secret).await;
    assert_eq!(missing.status(), hidden.status());
    // The same page but for the address asked for (the menu's language link returns to it).
    let (missing, hidden) = (missing.text().await.unwrap(), hidden.text().await.unwrap());
    assert_eq!(without_return_links(&missing), without_return_links(&hidden));
    // Joining the team opens it; reads of the restricted case are audited.
    let _ = normal;
    let admin = server.browser();
    admin.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    // The administrator reads the log but not the case (decision 0011): who
    // read it and when, never which case (no number, reference or summary).
    let secret_id = secret.trim_start_matches("/monitoring/cases/");
    let audit = admin.text("/admin/audit?action=case.view").await.1;
    assert!(audit.contains("a case you may not see"), "{audit}");
    assert!(!audit.contains("restricted case read") && !audit.contains(&format!("case {secret_id}<")), "{audit}");
    let opened = admin.text("/admin/audit?action=case.create").await.1;
    assert!(!opened.contains("(restricted)") && opened.contains("a case you may not see"), "{opened}");
    assert!(opened.contains("(normal, "), "the normal case's opening is shown: {opened}");
    // The API says no more than the page.
    let events = server.api_json(&tdb.api_token(ADMIN_EMAIL), "/api/v1/audit?record_type=case&limit=1000").await;
    let events = events.as_array().unwrap();
    assert!(events.iter().any(|e| e["record_id"] == "" && e["action"] == "case.view"), "{events:?}");
    assert!(events.iter().all(|e| e["record_id"] != secret_id), "{events:?}");
    let text = serde_json::to_string(events).unwrap();
    assert!(!text.contains("(restricted)") && !text.contains("restricted case read"), "{text}");
    assert!(text.contains("(normal, "), "{text}");
    server.stop();
    // The events themselves are whole: the summaries are in the chain, and
    // it verifies.
    let out = tdb.cli(&["audit", "verify"], None);
    assert!(out.status.success());
    tdb.drop_database().await;
}

async fn open_case(b: &Browser, title: &str, sensitivity: &str) -> String {
    let r =
        b.submit("/monitoring/cases/new", "/monitoring/cases", &[("title", title), ("sensitivity", sensitivity)]).await;
    assert_eq!(r.status().as_u16(), 303);
    r.headers()["location"].to_str().unwrap().to_string()
}

async fn case_api_and_list_filters(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "officer@test.example", "officer", "BTB");
    let out = tdb.cli(&["token", "create", "--email", "officer@test.example", "--label", "t"], None);
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let api = reqwest::Client::new();
    let post = |body: Value| api.post(format!("{}/api/v1/cases", server.base)).bearer_auth(&token).json(&body).send();
    for i in 0..7 {
        let province = if i % 2 == 0 { "02" } else { "12" };
        let r = post(serde_json::json!({"title": format!("Case {i}"), "province": province, "start_date": format!("2025-0{}", i + 1)})).await.unwrap();
        assert_eq!(r.status().as_u16(), 201);
        let c: Value = r.json().await.unwrap();
        assert!(c["reference"].as_str().unwrap().starts_with("BTB-"));
    }
    // Validation errors name their fields.
    let r = post(serde_json::json!({"title": "", "province": "2", "start_date": "2025-02-30"})).await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let v: Value = r.json().await.unwrap();
    let fields: Vec<&str> =
        v["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["title", "province", "start_date"]);
    let get = |q: &str| api.get(format!("{}/api/v1/cases{q}", server.base)).bearer_auth(&token).send();
    let v: Value = get("?province=02").await.unwrap().json().await.unwrap();
    assert_eq!(v["total"], 4);
    let v: Value = get("?from=2025-02&to=2025-04").await.unwrap().json().await.unwrap();
    assert_eq!(v["total"], 3);
    let v: Value = get("?limit=3").await.unwrap().json().await.unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 3);
    let next = v["next_after"].as_str().unwrap();
    let last_id = v["items"][2]["id"].as_i64().unwrap();
    assert_eq!(next, last_id.to_string());
    let v2: Value = get(&format!("?limit=3&after={next}")).await.unwrap().json().await.unwrap();
    assert_eq!(v2["items"][0]["id"].as_i64().unwrap(), last_id - 1);
    assert_eq!(v2["total_is_lower_bound"], false);
    // Other orders page with their own cursors; a cursor of another order is refused.
    let v: Value = get("?limit=2&sort=oldest").await.unwrap().json().await.unwrap();
    let (a, b) = (v["items"][0]["id"].as_i64().unwrap(), v["items"][1]["id"].as_i64().unwrap());
    assert!(a < b);
    let v: Value = get("?limit=2&sort=incident").await.unwrap().json().await.unwrap();
    let cursor = v["next_after"].as_str().unwrap().to_string();
    assert!(cursor.contains('.'), "{cursor}");
    let v2: Value = get(&format!("?limit=2&sort=incident&after={cursor}")).await.unwrap().json().await.unwrap();
    // The earliest day a start date can mean, as the store sorts it.
    let day = |item: &Value| {
        let v = item["start"]["value"].as_str().unwrap_or_default();
        format!("{v}{}", &"0000-01-01"[v.len().min(10)..])
    };
    assert_eq!(cursor.rsplit_once('.').unwrap().0, day(&v["items"][1]));
    assert!(day(&v2["items"][0]) <= day(&v["items"][1]));
    assert!(day(&v["items"][0]) >= day(&v["items"][1]));
    assert_eq!(get(&format!("?sort=updated&after={last_id}")).await.unwrap().status().as_u16(), 422);
    assert_eq!(get("?sort=sideways").await.unwrap().status().as_u16(), 422);
    assert_eq!(get("?status=bogus").await.unwrap().status().as_u16(), 422);
    assert_eq!(get("?office=ZZZ").await.unwrap().status().as_u16(), 422);
    // Status changes through the API follow the same workflow.
    let id = v["items"][0]["id"].as_i64().unwrap();
    let status = |body: Value| {
        api.post(format!("{}/api/v1/cases/{id}/status", server.base)).bearer_auth(&token).json(&body).send()
    };
    let r = status(serde_json::json!({"from": "received", "to": "closed"})).await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let r = status(serde_json::json!({"from": "received", "to": "under_verification"})).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "under_verification");
    let r = status(serde_json::json!({"from": "received", "to": "under_verification"})).await.unwrap();
    assert_eq!(r.status().as_u16(), 409);
    let h: Value = api
        .get(format!("{}/api/v1/cases/{id}/history", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(h.as_array().unwrap().len(), 2);
    // The web list shows the same with filters and paging.
    let b = server.browser();
    b.sign_in_ok("officer@test.example", PASSWORD).await;
    let list = b.text("/monitoring?province=12").await.1;
    assert!(list.contains("3 cases match."));
    assert!(b.text("/monitoring?from=not-a-date").await.1.contains("Enter a date as YYYY-MM-DD"));
    server.stop();
    tdb.drop_database().await;
}

/// Everything the database holds, as text: the SQLite file and its log, or
/// a `pg_dump` of the PostgreSQL database.
fn database_dump(tdb: &TestDatabase) -> Vec<u8> {
    match &tdb.url {
        None => {
            let mut all = std::fs::read(tdb.sqlite_path()).unwrap();
            all.extend(std::fs::read(tdb.data_dir().join("rightsdesk.db-wal")).unwrap_or_default());
            all
        }
        Some(url) => {
            let out = std::process::Command::new("pg_dump")
                .args(["--data-only", "--dbname", url])
                .output()
                .expect("pg_dump runs");
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            assert!(out.stdout.len() > 10_000, "a real dump");
            out.stdout
        }
    }
}

async fn add(b: &Browser, case: &str, fields: Vec<(&'static str, String)>) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.submit(&format!("{case}/persons/new"), &format!("{case}/persons"), &pairs).await
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

async fn people_are_coded_sealed_and_kept_out_of_narratives(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "member@test.example", "officer", "PNH");
    add_user(&tdb, "other.office@test.example", "officer", "BTB");
    add_user(&tdb, "colleague@test.example", "officer", "PNH");
    let member = server.browser();
    member.sign_in_ok("member@test.example", PASSWORD).await;
    let case = open_case(&member, "Land activist detained", "normal").await;
    let second = open_case(&member, "Second incident", "normal").await;
    let victim = vec![
        ("role", "victim".to_string()),
        ("name", "Vorleak Sokhom".to_string()),
        ("aliases", "Ta Vorleak".to_string()),
        ("contact", "+855 97 111 2222".to_string()),
        ("sex", "female".to_string()),
        ("age", "41".to_string()),
        ("occupation", "land_activist".to_string()),
    ];
    let r = add(&member, &case, victim.clone()).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(r.headers()["location"].to_str().unwrap().ends_with("#person-V1"));
    let r = add(&member, &case, vec![("role", "witness".into()), ("name", "ស៊ុន ស្តី".into())]).await;
    assert_eq!(r.status().as_u16(), 303);
    let bad = add(&member, &case, vec![("role", "victim".into()), ("name", "".into()), ("age", "300".into())]).await;
    assert_eq!(bad.status().as_u16(), 422);
    let page = member.text(&case).await.1;
    assert!(
        page.contains("Vorleak Sokhom")
            && page.contains("+855 97 111 2222")
            && page.contains(">V1<")
            && page.contains(">W1<")
    );
    assert!(page.contains("Land activist") && page.contains("41"));
    // Another office sees the case and the codes, never the names.
    let other = server.browser();
    other.sign_in_ok("other.office@test.example", PASSWORD).await;
    let seen = other.text(&case).await.1;
    assert!(seen.contains(">V1<") && !seen.contains("Vorleak") && !seen.contains("+855 97"));
    // The same name again, written differently: a warning naming where, then added when confirmed.
    let again = vec![("role", "victim".to_string()), ("name", "SOKHOM vorleak".to_string())];
    let r = add(&member, &second, again.clone()).await;
    assert_eq!(r.status().as_u16(), 409);
    let warning = r.text().await.unwrap();
    assert!(warning.contains("-0001</a> V1"), "points to the first case");
    let mut confirmed = again.clone();
    confirmed.push(("confirm_duplicate", "on".into()));
    assert_eq!(add(&member, &second, confirmed).await.status().as_u16(), 303);
    // A colleague of the same office, not on the team, edits the case but learns
    // no names: no team form (joining would open them), no duplicate hint, no codes.
    let colleague = server.browser();
    colleague.sign_in_ok("colleague@test.example", PASSWORD).await;
    let seen = colleague.text(&case).await.1;
    assert!(seen.contains(">V1<") && !seen.contains("Vorleak") && !seen.contains(&format!("{case}/team")));
    let r = colleague.submit(&case, &format!("{case}/team"), &[("member", "1")]).await;
    assert_eq!(r.status().as_u16(), 403, "joining the team needs the names permission");
    let probe = vec![("role", "victim".to_string()), ("name", "Vorleak Sokhom".to_string())];
    let r = add(&colleague, &second, probe).await;
    assert_eq!(r.status().as_u16(), 303, "no duplicate warning where the names are not the user's to see");
    // Writing the case's free text is for those who see its names (decision
    // 0011): a right guess and a wrong one get the same refusal, so the name
    // check cannot confirm a name. Nothing is written either way.
    assert_eq!(colleague.get(&format!("{case}/edit")).await.status().as_u16(), 403);
    let token = colleague.csrf(&case).await;
    let mut answers = vec![];
    for guess in ["vorleak sokhom", "chan thida", "Vorleak", "nobody at all"] {
        let fields = [("_csrf", token.as_str()), ("title", "Land activist detained"), ("summary", guess)];
        let r = colleague.post_form(&case, &fields).await;
        answers.push((r.status().as_u16(), r.text().await.unwrap()));
        let acts = [("_csrf", token.as_str()), ("act_type", "killing"), ("description", guess)];
        let r = colleague.post_form(&format!("{case}/acts"), &acts).await;
        answers.push((r.status().as_u16(), r.text().await.unwrap()));
    }
    assert!(answers.iter().all(|(status, _)| *status == 403), "{:?}", answers.iter().map(|a| a.0).collect::<Vec<_>>());
    assert!(answers.windows(2).all(|w| w[0].1 == w[1].1), "the same body for every guess");
    assert!(!member.text(&case).await.1.contains("chan thida"));
    // Nor does the time tell: the refusal comes before any text is read.
    // Medians of interleaved tries; the bound is loose for a busy machine.
    let mut times: [Vec<std::time::Duration>; 2] = [vec![], vec![]];
    for round in 0..30 {
        let guess = if round % 2 == 0 { "vorleak sokhom" } else { "chan thida" };
        let fields = [("_csrf", token.as_str()), ("act_type", "killing"), ("description", guess)];
        let started = std::time::Instant::now();
        let r = colleague.post_form(&format!("{case}/acts"), &fields).await;
        assert_eq!(r.status().as_u16(), 403);
        times[round % 2].push(started.elapsed());
    }
    let median = |v: &mut Vec<std::time::Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (right, wrong) = (median(&mut times[0]), median(&mut times[1]));
    let gap = right.abs_diff(wrong);
    assert!(gap < std::time::Duration::from_millis(5).max(right.max(wrong) / 2), "{right:?} vs {wrong:?}");
    // Names in the narrative are flagged and replaced by codes.
    let edit = format!("{case}/edit");
    let narrative = "Police arrested vorleak sokhom at dawn; ស៊ុន ស\u{17D2}\u{178A}ី saw it.";
    let fields = [("title", "Land activist detained"), ("summary", narrative)];
    let r = member.submit(&edit, &case, &fields).await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("The narrative contains the name of V1, W1."), "{html}");
    let r = member.submit(&edit, &case, &[fields[0], fields[1], ("replace_names", "on")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let page = member.text(&case).await.1;
    assert!(page.contains("Police arrested V1 at dawn; W1 saw it."));
    // Showing names is recorded in the audit log.
    server.stop();
    // No name, alias or contact is stored in clear anywhere in the database.
    let dump = database_dump(&tdb);
    for secret in ["Vorleak", "VORLEAK", "vorleak", "Ta Vorleak", "+855 97 111 2222", "ស៊ុន"] {
        assert!(!contains(&dump, secret), "{secret} found in the database");
    }
    assert!(contains(&dump, "Land activist detained"), "the dump is readable (the title is there)");
    let out = tdb.cli(&["audit", "verify"], None);
    assert!(out.status.success());
    tdb.drop_database().await;
}

/// Ways a name is typed that are still the name (issue 14): Khmer without
/// spaces inside a run of letters, zero-width characters, the other order,
/// the other subscript spelling, one part alone; Latin with a zero-width
/// character, fullwidth, a Cyrillic lookalike, a right-to-left override,
/// accents, joined in the other order.
fn name_variants() -> Vec<String> {
    let mut v: Vec<String> = [
        "លោកសុខដារាបានត្រូវចាប់ខ្លួន",
        "លោក សុខ ដារា បានត្រូវចាប់ខ្លួន",
        "លោកសុខ\u{200B}ដារាបាន",
        "លោកសុខ\u{200D}ដារាបាន",
        "លោកដារាសុខបាន",
        "អ្នកដារាបានឃើញ",
        "Police took Chan\u{200B}Thida away",
        "Police took ｃｈａｎ ｔｈｉｄａ away",
        "Police took Ch\u{0430}n Thid\u{0430} away",
        "Police took \u{202E}adihT nahC\u{202C} away",
        "Police took CHÁN THÍDA away",
        "Police took ThidaChan away",
        "Police took chan\u{00AD}thida away",
        "Police took T\u{200C}h\u{2060}i\u{FEFF}d\u{200D}a away",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // And a few made by a fixed-seed generator from the same pieces.
    let mut seed: u64 = 0x5eed;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let seps = ["", " ", "\u{200B}", "\u{200C}", "\u{2060}"];
    for _ in 0..6 {
        let (a, b) = if next(2) == 0 { ("សុខ", "ដារា") } else { ("ដារា", "សុខ") };
        v.push(format!("ក្រុមគ្រួសារ{a}{}{b}បានប្ដឹង", seps[next(5) as usize]));
        let (a, b) = if next(2) == 0 { ("Chan", "Thida") } else { ("Thida", "Chan") };
        v.push(format!("Witness {a}{}{b} was threatened", [" ", "\u{200B}", "  ", " \u{200E}"][next(4) as usize]));
    }
    v
}

async fn names_written_any_way_are_refused_in_every_text_field(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "member@test.example", "officer", "PNH");
    let member = server.browser();
    member.sign_in_ok("member@test.example", PASSWORD).await;
    let case = open_case(&member, "Arrest at the market", "normal").await;
    let case_id = case.trim_start_matches("/monitoring/cases/").to_string();
    for (role, name) in [("witness", "សុខ ដារា"), ("victim", "Chan Thida")] {
        let r = add(&member, &case, vec![("role", role.into()), ("name", name.into())]).await;
        assert_eq!(r.status().as_u16(), 303);
    }
    add_organisation(&member, "Provincial police", "ស្នងការនគរបាល", "ministry").await;
    let token = tdb.api_token("member@test.example");
    let api = reqwest::Client::new();
    let org = server.api_json(&token, "/api/v1/organisations").await[0]["id"].to_string();
    let post = |path: String, body: Value| {
        let (api, token, url) = (api.clone(), token.clone(), format!("{}{path}", server.base));
        async move { api.post(url).bearer_auth(token).json(&body).send().await.unwrap() }
    };
    for text in name_variants() {
        // The forms: title and narrative; act description and place; intervention; source.
        let r = member.submit(&format!("{case}/edit"), &case, &[("title", "Arrest"), ("summary", &text)]).await;
        assert_eq!(r.status().as_u16(), 422, "summary {text:?}");
        let r = member.submit(&format!("{case}/edit"), &case, &[("title", &text)]).await;
        assert_eq!(r.status().as_u16(), 422, "title {text:?}");
        let r = member.submit(&format!("{case}/edit"), &case, &[("title", "Arrest"), ("location_text", &text)]).await;
        assert_eq!(r.status().as_u16(), 422, "case place {text:?}");
        let r = member
            .submit(
                &format!("{case}/acts/new"),
                &format!("{case}/acts"),
                &[("act_type", "killing"), ("location_text", &text)],
            )
            .await;
        assert_eq!(r.status().as_u16(), 422, "act place {text:?}");
        let fields = [("organisation_id", org.as_str()), ("kind", "letter"), ("request", text.as_str())];
        let r = member.submit(&format!("{case}/interventions/new"), &format!("{case}/interventions"), &fields).await;
        assert_eq!(r.status().as_u16(), 422, "intervention request {text:?}");
        // The API: every field that must not hold names answers contains-name.
        for (path, body, field) in [
            (
                format!("/api/v1/cases/{case_id}/acts"),
                json!({"act_type": "killing", "description": text}),
                "description",
            ),
            (
                format!("/api/v1/cases/{case_id}/interventions"),
                json!({"organisation_id": org, "kind": "letter", "request": "Release V1", "response": text}),
                "response",
            ),
            (
                format!("/api/v1/cases/{case_id}/sources"),
                json!({"method": "document", "information": text, "reliability": "usually_reliable", "validity": "probably_true", "consent": "internal_only"}),
                "information",
            ),
        ] {
            let r = post(path.clone(), body).await;
            let status = r.status().as_u16();
            let v: Value = r.json().await.unwrap();
            assert_eq!(status, 422, "{path} {text:?}: {v}");
            assert!(
                v["error"]["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["field"] == field && f["code"] == "contains-name"),
                "{path} {text:?}: {v}"
            );
        }
    }
    // A consent withdrawal's note is free text too.
    let r = post(
        format!("/api/v1/cases/{case_id}/sources"),
        json!({"method": "interview", "information": "W1 spoke", "reliability": "reliable", "validity": "confirmed", "consent": "internal_only"}),
    )
    .await;
    assert_eq!(r.status().as_u16(), 201);
    let sid = r.json::<Value>().await.unwrap()["id"].to_string();
    let r = post(format!("/api/v1/sources/{sid}/withdraw"), json!({"note": "asked by សុខដារា"})).await;
    assert_eq!(r.status().as_u16(), 422);
    let r = member.submit(&case, &format!("/monitoring/sources/{sid}/withdraw"), &[("note", "Thida called")]).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(!member.text(&case).await.1.contains("withdrawn on"), "nothing withdrawn by a refused note");
    // Bidirectional controls do not stay in a title (they would show it as
    // other text than it is).
    let r =
        post("/api/v1/cases".into(), json!({"title": "\u{202E}tekram eht ta tserrA\u{202C}", "sensitivity": "normal"}))
            .await;
    assert_eq!(r.status().as_u16(), 201);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["title"], "tekram eht ta tserrA");
    // The same texts without the names go in.
    let r =
        post(format!("/api/v1/cases/{case_id}/acts"), json!({"act_type": "killing", "description": "W1 saw V1 taken"}))
            .await;
    assert_eq!(r.status().as_u16(), 201);
    // Articles the treaty texts lack are named in the API's answer too.
    let r = post(format!("/api/v1/cases/{case_id}/acts"), json!({"act_type": "killing", "rights": "ICCPR 6, CAT 77"}))
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["fields"][0]["code"], "unknown-article", "{v}");
    assert_eq!(v["error"]["fields"][0]["values"], json!(["CAT 77"]), "{v}");
    server.stop();
    // Nothing of any variant was stored.
    let dump = database_dump(&tdb);
    for secret in ["ដារា", "Thida", "THIDA", "thida", "ｔｈｉｄａ", "Thid\u{0430}", "adihT", "THÍDA"] {
        assert!(!contains(&dump, secret), "{secret} found in the database");
    }
    for file in files_under(&tdb.data_dir().join("index")) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!contains(&bytes, "ដារា") && !contains(&bytes, "thida"), "a name in the index: {}", file.display());
    }
    // Records written before the check knew a spelling: `names check` lists
    // them with the codes found, never the names, and exits 1.
    let out = tdb.cli(&["names", "check"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 cases with people checked, 0 texts name them"));
    tdb.execute(&format!("UPDATE cases SET summary = 'លោកសុខដារាបានត្រូវចាប់ខ្លួន' WHERE id = {case_id}")).await;
    tdb.execute(&format!(
        "UPDATE acts SET description = 'Ch\u{0430}n\u{200B}Thida was there' WHERE case_id = {case_id}"
    ))
    .await;
    let out = tdb.cli(&["names", "check"], None);
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("-0001 summary: W1") && said.contains(" description: V1"), "{said}");
    assert!(said.contains("2 texts name them") && !said.contains("ដារា") && !said.contains("Thida"), "{said}");
    tdb.drop_database().await;
}

async fn acts_link_people_to_rights_through_forms_and_api(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "member@test.example", "officer", "PNH");
    add_user(&tdb, "other.office@test.example", "officer", "BTB");
    let b = server.browser();
    b.sign_in_ok("member@test.example", PASSWORD).await;
    let case = open_case(&b, "Protest dispersed", "normal").await;
    let _ = open_case(&b, "Unrelated", "normal").await;
    assert_eq!(
        add(&b, &case, vec![("role", "victim".into()), ("name", "Mean Sreyleak".into())]).await.status().as_u16(),
        303
    );
    let r = add(
        &b,
        &case,
        vec![
            ("role", "perpetrator".into()),
            ("kind", "institution".into()),
            ("name", "Commune police post".into()),
            ("perpetrator_type", "police".into()),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let form = b.text(&format!("{case}/acts/new")).await.1;
    let id_of = |code: &str| -> String {
        let at = form.find(&format!("> {code} ")).expect("person listed");
        let before = &form[..at];
        before.rsplit("value=\"").next().unwrap().split('"').next().unwrap().to_string()
    };
    let (v1, p1) = (id_of("V1"), id_of("P1"));
    // Bad input first: each field explains itself.
    let r = b
        .submit(
            &format!("{case}/acts/new"),
            &format!("{case}/acts"),
            &[("act_type", "party"), ("date", "2026-02-30"), ("rights", "ICCPR nine")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Choose one of the options.") && html.contains("Write articles as an instrument code"));
    let r = b
        .submit(
            &format!("{case}/acts/new"),
            &format!("{case}/acts"),
            &[("act_type", "killing"), ("rights", "ICCPR 6, ICCPR 99, CAT 1, CAT 77")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    // The message names the articles at fault, and only those.
    assert!(r.text().await.unwrap().contains("Not in the treaty texts: ICCPR 99, CAT 77."));
    let r = b
        .submit(
            &format!("{case}/acts/new"),
            &format!("{case}/acts"),
            &[
                ("act_type", "arbitrary_arrest_detention"),
                ("date", "2026-05-01"),
                ("description", "V1 was held overnight at the post."),
                ("victim", v1.as_str()),
                ("perpetrator", p1.as_str()),
                ("involvement", "direct"),
                ("rights", "ICCPR 9, ICCPR 21"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = b.text(&case).await.1;
    assert!(page.contains("Arbitrary arrest or detention") && page.contains("P1 (Carried it out)"));
    assert!(page.contains("href=\"/reference/instruments/ICCPR#art-9\""));
    // Filters by act type, article and perpetrator type, for anyone who sees the case.
    let other = server.browser();
    other.sign_in_ok("other.office@test.example", PASSWORD).await;
    for q in ["act_type=arbitrary_arrest_detention", "right=ICCPR+21", "perpetrator_type=police"] {
        let list = other.text(&format!("/monitoring?{q}")).await.1;
        assert!(list.contains("One case matches.") && list.contains("Protest dispersed"), "{q}");
    }
    assert!(other.text("/monitoring?right=ICCPR+7").await.1.contains("No cases match."));
    assert_eq!(other.get("/monitoring?right=nonsense").await.status().as_u16(), 200);
    // The API: acts by person codes; persons with names only for the team.
    let token = |email: &str| {
        let out = tdb.cli(&["token", "create", "--email", email, "--label", "t"], None);
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let (mine, theirs) = (token("member@test.example"), token("other.office@test.example"));
    let api = reqwest::Client::new();
    let case_id = case.trim_start_matches("/monitoring/cases/");
    let url = |p: &str| format!("{}/api/v1/cases/{case_id}{p}", server.base);
    let r = api
        .post(url("/acts"))
        .bearer_auth(&mine)
        .json(&serde_json::json!({"act_type": "threat_intimidation", "victims": ["V1"], "perpetrators": ["P1"], "involvement": "ordered", "rights": "ICCPR 19"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let r = api
        .post(url("/acts"))
        .bearer_auth(&mine)
        .json(&serde_json::json!({"act_type": "killing", "victims": ["V9"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let acts: Value = api.get(url("/acts")).bearer_auth(&theirs).send().await.unwrap().json().await.unwrap();
    assert_eq!(acts.as_array().unwrap().len(), 2);
    let persons: Value = api.get(url("/persons")).bearer_auth(&mine).send().await.unwrap().json().await.unwrap();
    assert_eq!(persons[0]["identity"]["name"], "Mean Sreyleak");
    let persons: Value = api.get(url("/persons")).bearer_auth(&theirs).send().await.unwrap().json().await.unwrap();
    assert!(persons[0]["identity"].is_null() && persons[0]["code"] == "V1");
    let r = api
        .post(url("/persons"))
        .bearer_auth(&theirs)
        .json(&serde_json::json!({"role": "witness", "name": "X"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403, "another office cannot add people");
    let dup = api
        .post(url("/persons"))
        .bearer_auth(&mine)
        .json(&serde_json::json!({"role": "victim", "name": "sreyleak MEAN"}))
        .send()
        .await
        .unwrap();
    assert_eq!(dup.status().as_u16(), 201, "same case: no cross-case duplicate");
    server.stop();
    tdb.drop_database().await;
}

async fn interventions_and_follow_ups_reach_the_home_page(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "member@test.example", "officer", "PNH");
    add_user(&tdb, "other@test.example", "officer", "PNH");
    let b = server.browser();
    b.sign_in_ok("member@test.example", PASSWORD).await;
    // An organisation to write to, with field messages on bad input.
    let r = b
        .submit(
            "/monitoring/organisations",
            "/monitoring/organisations",
            &[("name_en", ""), ("name_km", ""), ("kind", "club")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let r = b
        .submit(
            "/monitoring/organisations",
            "/monitoring/organisations",
            &[("name_en", "Provincial police"), ("name_km", "ស្នងការដ្ឋាននគរបាលខេត្ត"), ("kind", "police")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let orgs = b.text("/monitoring/organisations").await.1;
    assert!(orgs.contains("ស្នងការដ្ឋាននគរបាលខេត្ត"));
    let case = open_case(&b, "Detention without charge", "normal").await;
    let form = b.text(&format!("{case}/interventions/new")).await.1;
    let org_id = form.split("<option value=\"").nth(2).unwrap().split('"').next().unwrap().to_string();
    // Bad input: each field says why.
    let r = b
        .submit(
            &format!("{case}/interventions/new"),
            &format!("{case}/interventions"),
            &[("organisation_id", ""), ("kind", "fax"), ("date", "2026-05")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Enter a full date (YYYY-MM-DD).") && html.contains("This field is required."));
    // A letter whose follow-up is long overdue.
    let r = b
        .submit(
            &format!("{case}/interventions/new"),
            &format!("{case}/interventions"),
            &[
                ("organisation_id", &org_id),
                ("kind", "letter"),
                ("date", "2025-01-10"),
                ("request", "Release V1 or charge V1"),
                ("status", "sent"),
                ("next_follow_up", "2025-01-24"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = b.text(&case).await.1;
    assert!(page.contains("Provincial police") && page.contains("Letter") && page.contains("overdue"));
    // It shows on the member's follow-ups and home page; not on a colleague's.
    assert!(b.text("/monitoring/follow-ups").await.1.contains("Detention without charge"));
    let home = b.text("/").await.1;
    assert!(home.contains("Overdue follow-ups") && home.contains("24 Jan 2025"));
    let other = server.browser();
    other.sign_in_ok("other@test.example", PASSWORD).await;
    assert!(!other.text("/").await.1.contains("Overdue follow-ups"));
    // A response resolves it.
    let edit_link =
        page.split("href=\"/monitoring/interventions/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let iid = edit_link.trim_end_matches("/edit").to_string();
    let r = b
        .submit(
            &format!("/monitoring/interventions/{iid}/edit"),
            &format!("/monitoring/interventions/{iid}"),
            &[
                ("organisation_id", &org_id),
                ("kind", "letter"),
                ("date", "2025-01-10"),
                ("request", "Release V1 or charge V1"),
                ("status", "responded"),
                ("response_date", "2025-01-05"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422, "a response cannot precede the letter, and needs its text");
    let r = b
        .submit(
            &format!("/monitoring/interventions/{iid}/edit"),
            &format!("/monitoring/interventions/{iid}"),
            &[
                ("organisation_id", &org_id),
                ("kind", "letter"),
                ("date", "2025-01-10"),
                ("request", "Release V1 or charge V1"),
                ("status", "resolved"),
                ("response_date", "2025-02-01"),
                ("response", "V1 was released on bail."),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(!b.text("/").await.1.contains("Overdue follow-ups"));
    assert!(b.text(&case).await.1.contains("V1 was released on bail."));
    // Another office cannot add interventions; the API follows the same rules.
    let out = tdb.cli(&["token", "create", "--email", "member@test.example", "--label", "t"], None);
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let api = reqwest::Client::new();
    let case_id = case.trim_start_matches("/monitoring/cases/");
    let r = api
        .post(format!("{}/api/v1/cases/{case_id}/interventions", server.base))
        .bearer_auth(&token)
        .json(&serde_json::json!({"organisation_id": "999999", "kind": "call", "request": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let r = api
        .post(format!("{}/api/v1/cases/{case_id}/interventions", server.base))
        .bearer_auth(&token)
        .json(&serde_json::json!({"organisation_id": org_id, "kind": "call", "request": "Ask for news", "next_follow_up": "2025-03-01"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let due: Value = api
        .get(format!("{}/api/v1/follow-ups", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(due.as_array().unwrap().len(), 1);
    assert_eq!(due[0]["intervention"]["kind"], "call");
    server.stop();
    tdb.drop_database().await;
}

async fn sources_consent_and_exports(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "member@test.example", "officer", "PNH");
    add_user(&tdb, "outsider@test.example", "officer", "PNH");
    add_user(&tdb, "head@test.example", "head_of_office", "PNH");
    add_user(&tdb, "other.office@test.example", "officer", "BTB");
    let b = server.browser();
    b.sign_in_ok("member@test.example", PASSWORD).await;
    let open = open_case(&b, "Eviction at the lake", "normal").await;
    let secret = open_case(&b, "Witness under threat", "restricted").await;
    assert_eq!(
        add(&b, &open, vec![("role", "victim".into()), ("name", "Hout Chanthy".into()), ("sex", "female".into())])
            .await
            .status()
            .as_u16(),
        303
    );
    assert_eq!(
        add(&b, &secret, vec![("role", "victim".into()), ("name", "Nov Samnang".into())]).await.status().as_u16(),
        303
    );
    assert_eq!(
        add(&b, &open, vec![("role", "source".into()), ("name", "Village chief".into())]).await.status().as_u16(),
        303
    );
    let src = |fields: Vec<(&'static str, &'static str)>| {
        let b = &b;
        let open = open.clone();
        async move { b.submit(&format!("{open}/sources/new"), &format!("{open}/sources"), &fields).await }
    };
    let r = src(vec![
        ("person_code", "S1"),
        ("method", "interview"),
        ("reliability", "reliable"),
        ("validity", "confirmed"),
        ("consent", "raise_with_authorities"),
        ("information", "S1 saw P1 burn the houses of V1."),
    ])
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = src(vec![
        ("method", "document"),
        ("reliability", "usually_reliable"),
        ("validity", "probably_true"),
        ("consent", "internal_only"),
        ("information", "Eviction notice dated 3 May."),
    ])
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = src(vec![
        ("method", "media"),
        ("reliability", "x"),
        ("consent", "internal_only"),
        ("information", "Hout Chanthy spoke to the radio."),
    ])
    .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text().await.unwrap().contains("The narrative contains the name of V1"),
        "names kept out of source notes"
    );
    let (status, bytes) = csv_of(&b, "format=csv").await;
    assert_eq!(status, 200);
    let t = rightsdesk_export::read_csv(&bytes).unwrap();
    let col = |name: &str| t.headers.iter().position(|h| h == name).unwrap();
    let row = t.rows.iter().find(|(_, r)| r[col("title")] == "Eviction at the lake").unwrap().1.clone();
    assert_eq!((row[col("sources_usable")].as_str(), row[col("victims_female")].as_str()), ("2", "1"));
    assert!(!t.headers.contains(&"victim_names".to_string()));
    assert!(!String::from_utf8_lossy(&bytes).contains("Hout Chanthy"));
    // Consent withdrawn: the information leaves the export from then on.
    let page = b.text(&open).await.1;
    let sid = page.split("action=\"/monitoring/sources/").nth(1).unwrap().split('/').next().unwrap().to_string();
    let r = b.submit(&open, &format!("/monitoring/sources/{sid}/withdraw"), &[("note", "called the office")]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(b.text(&open).await.1.contains("withdrawn on"));
    let (_, bytes) = csv_of(&b, "format=csv").await;
    let t = rightsdesk_export::read_csv(&bytes).unwrap();
    let row = t.rows.iter().find(|(_, r)| r[col("title")] == "Eviction at the lake").unwrap().1.clone();
    assert_eq!(row[col("sources_usable")], "1");
    // Names only for a head of office (and only for cases they may see names of).
    assert_eq!(csv_of(&b, "format=csv&names=1").await.0, 403);
    let head = server.browser();
    head.sign_in_ok("head@test.example", PASSWORD).await;
    let (status, bytes) = csv_of(&head, "format=xlsx&names=1").await;
    assert_eq!(status, 200);
    let t = rightsdesk_export::read_xlsx(&bytes).unwrap();
    let names = t.headers.iter().position(|h| h == "victim_names").unwrap();
    let all: Vec<String> = t.rows.iter().map(|(_, r)| r[names].clone()).collect();
    assert!(all.contains(&"V1: Hout Chanthy".to_string()) && all.contains(&"V1: Nov Samnang".to_string()));
    // An outsider's export has no trace of the restricted case.
    let outsider = server.browser();
    outsider.sign_in_ok("outsider@test.example", PASSWORD).await;
    let (status, bytes) = csv_of(&outsider, "format=csv").await;
    assert_eq!(status, 200);
    let text = String::from_utf8_lossy(&bytes).to_string();
    assert!(text.contains("Eviction at the lake") && !text.contains("Witness under threat"));
    assert_eq!(csv_of(&outsider, "format=pdf").await.0, 400);
    // Another office reads these cases in the list but may not export them.
    let other = server.browser();
    other.sign_in_ok("other.office@test.example", PASSWORD).await;
    assert!(other.text("/monitoring").await.1.contains("Eviction at the lake"));
    let (status, bytes) = csv_of(&other, "format=csv").await;
    assert_eq!(status, 200);
    assert!(!String::from_utf8_lossy(&bytes).contains("Eviction at the lake"));
    // Every export is in the audit log.
    let admin = server.browser();
    admin.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    let audit = admin.text("/admin/audit?action=case.export").await.1;
    assert!(audit.contains("names included") && audit.contains("names excluded"));
    assert!(audit.contains("(1 listed but not exportable by this user)"), "{audit}");
    server.stop();
    tdb.drop_database().await;
}

/// Exports through the form (a POST with the anti-forgery token).
async fn csv_of(b: &Browser, q: &str) -> (u16, Vec<u8>) {
    let pairs: Vec<(&str, &str)> = q.split('&').filter_map(|p| p.split_once('=')).collect();
    let r = b.submit("/profile", "/monitoring/export", &pairs).await;
    let status = r.status().as_u16();
    (status, r.bytes().await.unwrap().to_vec())
}

async fn evidence_is_hashed_streamed_and_guarded(db: Db) {
    use sha2::Digest;
    let (tdb, server) = setup(db, &["--max-upload-mb", "1"]).await;
    add_user(&tdb, "member@test.example", "officer", "PNH");
    add_user(&tdb, "other@test.example", "officer", "BTB");
    let b = server.browser();
    b.sign_in_ok("member@test.example", PASSWORD).await;
    let case = open_case(&b, "Beating in custody", "normal").await;
    let token = b.csrf(&case).await;
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(std::iter::repeat_n(7u8, 5000));
    let expected = hex::encode(sha2::Sha256::digest(&png));
    let upload = |csrf: String, bytes: Vec<u8>, name: &'static str| {
        let form = reqwest::multipart::Form::new()
            .text("_csrf", csrf)
            .text("description", "Photo of V1's injuries")
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name).mime_str("text/html").unwrap());
        b.http.post(b.url(&format!("{case}/evidence"))).multipart(form).send()
    };
    // A forged request writes nothing.
    let r = upload("forged".into(), png.clone(), "x.png").await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let files = tdb.data_dir().join("files");
    assert!(files_under(&files).is_empty());
    // Too large: refused, nothing left behind.
    let r = upload(token.clone(), vec![0u8; 2 * 1024 * 1024], "big.bin").await;
    if let Ok(r) = r {
        assert_eq!(r.status().as_u16(), 413);
    }
    assert!(files_under(&files).is_empty(), "no partial file kept");
    // A real upload, with a hostile file name and a lying content type.
    let r = upload(token.clone(), png.clone(), "../../Sok Dara statement.png").await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let page = b.text(&case).await.1;
    assert!(page.contains(&expected) && page.contains("image/png"), "hash shown, type detected from the bytes");
    let stored = files_under(&files);
    assert_eq!(stored.len(), 1);
    assert!(stored[0].ends_with(&expected) && stored[0].starts_with(&files));
    // Sealed on disk with the field key (issue 14): none of the file's bytes.
    let on_disk = std::fs::read(&stored[0]).unwrap();
    assert!(on_disk.starts_with(b"RDF1") && !on_disk.windows(16).any(|w| w == &png[..16]), "sealed on disk");
    // Download: through the policy, as an attachment, name made harmless.
    let link = page.split("action=\"/monitoring/evidence/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let eid = link.trim_end_matches("/download").to_string();
    let download = format!("/monitoring/evidence/{eid}/download");
    // A download writes the chain of custody: a POST with the form token only.
    assert_eq!(b.get(&download).await.status().as_u16(), 405);
    assert_eq!(b.post_form(&download, &[]).await.status().as_u16(), 403);
    let r = b.submit(&case, &download, &[]).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/octet-stream");
    let disposition = r.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment; filename=\"Sok Dara statement.png\""), "{disposition}");
    assert!(!disposition.contains("../"));
    assert_eq!(r.bytes().await.unwrap().to_vec(), png);
    // Another office sees the case, not the evidence.
    let other = server.browser();
    other.sign_in_ok("other@test.example", PASSWORD).await;
    assert!(!other.text(&case).await.1.contains(&expected));
    assert_eq!(other.submit("/profile", &download, &[]).await.status().as_u16(), 403);
    assert_eq!(other.submit("/profile", "/monitoring/evidence/999999/download", &[]).await.status().as_u16(), 404);
    // Custody entries by hand: a hand-over needs a note, and names stay out of notes.
    let custody = format!("/monitoring/evidence/{eid}/custody");
    let r = add(&b, &case, vec![("role", "victim".into()), ("name", "Sok Dara".into())]).await;
    assert_eq!(r.status().as_u16(), 303);
    let r = b.submit(&case, &custody, &[("action", "transferred"), ("note", "")]).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Say to whom and how"));
    let r = b.submit(&case, &custody, &[("action", "transferred"), ("note", "handed to Sok Dara")]).await;
    assert_eq!(r.status().as_u16(), 422);
    let r = b.submit(&case, &custody, &[("action", "deleted"), ("note", "x")]).await;
    assert_eq!(r.status().as_u16(), 422);
    assert_eq!(
        other.submit("/profile", &custody, &[("action", "examined"), ("note", "x")]).await.status().as_u16(),
        403
    );
    let r =
        b.submit(&case, &custody, &[("action", "transferred"), ("note", "to the lawyer of V1, sealed envelope")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let page = b.text(&case).await.1;
    assert!(page.contains("Handed over") && page.contains("to the lawyer of V1, sealed envelope"));
    assert!(!page.contains("handed to Sok Dara"));
    // Every action the form offers is recorded (examined, stored and returned
    // once ended in a 500: the table's CHECK did not know them).
    for action in ["examined", "stored", "returned"] {
        let note = format!("{action} by the office");
        let r = b.submit(&case, &custody, &[("action", action), ("note", &note)]).await;
        assert_eq!(r.status().as_u16(), 303, "{action}");
        assert!(b.text(&case).await.1.contains(&note), "{action} listed");
    }
    // The hash can be checked again; tampering is detected and recorded.
    let r = b.submit(&case, &format!("/monitoring/evidence/{eid}/verify"), &[]).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().await.unwrap().contains("The file is intact"));
    // One changed byte of the sealed file: the check fails, and a download
    // never hands out the file whole (it ends short, or is refused).
    let sealed = std::fs::read(&stored[0]).unwrap();
    let mut flipped = sealed.clone();
    flipped[sealed.len() / 2] ^= 1;
    std::fs::write(&stored[0], &flipped).unwrap();
    let r = b.submit(&case, &format!("/monitoring/evidence/{eid}/verify"), &[]).await;
    assert_eq!(r.status().as_u16(), 409);
    assert!(r.text().await.unwrap().contains("does not match"));
    let token = b.csrf(&case).await;
    let r = b.post_form(&download, &[("_csrf", &token)]).await;
    let got = match r.bytes().await {
        Ok(bytes) => bytes.to_vec(),
        Err(_) => vec![],
    };
    assert_ne!(got, png, "an altered file is not served as the evidence");
    std::fs::write(&stored[0], b"altered").unwrap();
    let r = b.submit(&case, &format!("/monitoring/evidence/{eid}/verify"), &[]).await;
    assert_eq!(r.status().as_u16(), 409);
    let page = r.text().await.unwrap();
    assert!(page.contains("does not match") && page.contains("Downloaded") && page.contains("Uploaded"));
    server.stop();
    // A file stored in clear by an earlier release is sealed when the server
    // starts, and reads back the same.
    std::fs::write(&stored[0], &png).unwrap();
    let _ = std::fs::remove_file(tdb.data_dir().join("files.all-sealed")); // as in a data directory of that release
    let server = Server::start(&tdb, &[]);
    let on_disk = std::fs::read(&stored[0]).unwrap();
    assert!(on_disk.starts_with(b"RDF1") && on_disk != sealed, "sealed again at start");
    let b = server.browser();
    b.sign_in_ok("member@test.example", PASSWORD).await;
    let token = b.csrf(&case).await;
    let r = b.post_form(&download, &[("_csrf", &token)]).await;
    assert_eq!(r.bytes().await.unwrap().to_vec(), png);
    server.stop();
    // The original file name is stored encrypted.
    if db == Db::Sqlite {
        assert!(!file_contains(&tdb.sqlite_path(), b"Sok Dara statement"));
    }
    tdb.drop_database().await;
}

async fn import_checks_every_row_then_writes_all_or_nothing(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "member@test.example", "officer", "BTB");
    let b = server.browser();
    b.sign_in_ok("member@test.example", PASSWORD).await;
    let send = |bytes: Vec<u8>, name: &'static str, mode: &'static str| {
        let b = &b;
        async move {
            let token = b.csrf("/monitoring/import").await;
            let form = reqwest::multipart::Form::new()
                .text("_csrf", token)
                .text("mode", mode)
                .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
            let r = b.http.post(b.url("/monitoring/import")).multipart(form).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let bad = "title,province,district,start_date,colour\n\
               Eviction in Sangkae,02,0203,2026-03,\n\
               ,02,0203,2026-13,\n\
               Arrest in Pailin,99,,2026,\n";
    let (status, html) = send(bad.as_bytes().to_vec(), "cases.csv", "import").await;
    assert_eq!(status, 422);
    for (line, column) in [("1", "E (colour)"), ("3", "A (title)"), ("3", "D (start_date)"), ("4", "B (province)")] {
        assert!(
            html.contains(&format!("<tr><td>{line}</td><td>{column}</td>")),
            "line {line} column {column} in\n{html}"
        );
    }
    assert!(html.contains("Nothing was imported."));
    assert!(b.text("/monitoring").await.1.contains("No cases match."), "nothing half-written");
    let good = "\u{feff}title,province,district,start_date,summary\n\
                Eviction in Sangkae,02,0203,2026-03,V1 and 12 families removed\n\
                ការគំរាមកំហែងអ្នកការពារសិទ្ធិ,02,,2026-04-02,\n\
                Arrest in Pailin,24,,2026,\n";
    let (status, html) = send(good.as_bytes().to_vec(), "cases.csv", "dry_run").await;
    assert_eq!(status, 200);
    assert!(html.contains("All 3 rows are valid. Nothing was written yet."));
    assert!(b.text("/monitoring").await.1.contains("No cases match."));
    let (status, html) = send(good.as_bytes().to_vec(), "cases.csv", "import").await;
    assert_eq!(status, 200);
    assert!(html.contains("3 cases were opened:") && html.contains("BTB-"));
    let list = b.text("/monitoring").await.1;
    assert!(list.contains("3 cases match.") && list.contains("ការគំរាមកំហែងអ្នកការពារសិទ្ធិ"));
    // XLSX goes through the same checks.
    let table = rightsdesk_export::Table {
        headers: vec!["title".into(), "start_date".into()],
        rows: vec![vec!["From a spreadsheet".into(), "2025-12-01".into()], vec!["Bad date".into(), "yesterday".into()]],
    };
    let xlsx = rightsdesk_export::to_xlsx(&table, "Cases").unwrap();
    let (status, html) = send(xlsx, "cases.xlsx", "import").await;
    assert_eq!(status, 422);
    assert!(html.contains("<tr><td>3</td><td>B (start_date)</td>"));
    let (status, html) = send(b"\xff\xfe not csv".to_vec(), "x.csv", "import").await;
    assert_eq!(status, 422, "{html}");
    // A picture chosen by mistake: say what to upload, not a parse error.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(std::iter::repeat_n(0u8, 64));
    let (status, html) = send(png, "photo.png", "import").await;
    assert_eq!(status, 422);
    assert!(html.contains("This file is not a CSV or XLSX file."), "{html}");
    assert!(!html.contains("invalid utf-8") && !html.contains("record 0"), "no parser internals: {html}");
    server.stop();
    tdb.drop_database().await;
}

async fn every_role_sees_what_the_policy_says(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "member@test.example", "officer", "PNH");
    let member = server.browser();
    member.sign_in_ok("member@test.example", PASSWORD).await;
    let normal = open_case(&member, "Ordinary case", "normal").await;
    let restricted = open_case(&member, "Quiet case", "restricted").await;
    // role, may use monitoring, sees the restricted case (not on its team)
    let matrix = [
        ("admin", true, false),
        ("head_of_office", true, true),
        ("officer", true, false),
        ("legal_officer", true, false),
        ("mechanisms_officer", true, false),
        ("programme_officer", false, false),
        ("analyst", false, false),
        ("viewer", false, false),
    ];
    for (role, monitoring, sees_restricted) in matrix {
        let email = format!("{role}@roles.example");
        add_user(&tdb, &email, role, "PNH");
        let b = server.browser();
        b.sign_in_ok(&email, PASSWORD).await;
        let list = b.text("/monitoring").await;
        assert_eq!(list.0, if monitoring { 200 } else { 403 }, "{role} list");
        assert_eq!(b.get(&normal).await.status().as_u16(), if monitoring { 200 } else { 403 }, "{role} normal case");
        let expected = if !monitoring {
            403
        } else if sees_restricted {
            200
        } else {
            404
        };
        assert_eq!(b.get(&restricted).await.status().as_u16(), expected, "{role} restricted case");
        assert_eq!(
            b.get("/monitoring/cases/new").await.status().as_u16(),
            if monitoring { 200 } else { 403 },
            "{role} new case"
        );
        assert_eq!(csv_of(&b, "format=csv").await.0, if monitoring { 200 } else { 403 }, "{role} export");
        if monitoring {
            assert_eq!(list.1.contains("Quiet case"), sees_restricted, "{role} list content");
        }
    }
    server.stop();
    tdb.drop_database().await;
}

async fn sources_and_evidence_through_the_api(db: Db) {
    use sha2::Digest;
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "member@test.example", "officer", "PNH");
    add_user(&tdb, "other@test.example", "officer", "BTB");
    let b = server.browser();
    b.sign_in_ok("member@test.example", PASSWORD).await;
    let case = open_case(&b, "Land dispute at the river", "normal").await;
    let r = add(&b, &case, vec![("role", "source".into()), ("name", "Pich Sophea".into())]).await;
    assert_eq!(r.status().as_u16(), 303);
    let token = |email: &str| {
        let out = tdb.cli(&["token", "create", "--email", email, "--label", "t"], None);
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let (mine, theirs) = (token("member@test.example"), token("other@test.example"));
    let api = reqwest::Client::new();
    let id = case_id(&case);
    let url = |p: &str| format!("{}/api/v1{p}", server.base);
    // Sources: validated, names refused, consent withdrawn once.
    let source = |body: Value| api.post(url(&format!("/cases/{id}/sources"))).bearer_auth(&mine).json(&body).send();
    let r = source(serde_json::json!({"person_code": "S1", "method": "interview", "reliability": "reliable",
        "validity": "confirmed", "consent": "raise_with_authorities", "information": "Pich Sophea saw the eviction."}))
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["fields"][0]["code"], "contains-name");
    let r = source(serde_json::json!({"person_code": "S7", "method": "interview", "reliability": "reliable",
        "validity": "confirmed", "consent": "internal_only", "information": "S7 saw it."}))
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let r = source(serde_json::json!({"person_code": "S1", "received": "2026-03-02", "method": "interview",
        "reliability": "reliable", "validity": "confirmed", "consent": "raise_with_authorities",
        "information": "S1 saw the eviction."}))
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let sid = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let listed: Value =
        api.get(url(&format!("/cases/{id}/sources"))).bearer_auth(&theirs).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed[0]["person_code"], "S1");
    let withdraw = |who: &str, body: Value| {
        api.post(url(&format!("/sources/{sid}/withdraw"))).bearer_auth(who.to_string()).json(&body).send()
    };
    assert_eq!(withdraw(&theirs, serde_json::json!({})).await.unwrap().status().as_u16(), 403);
    assert_eq!(withdraw(&mine, serde_json::json!({"date": "2026-02-30"})).await.unwrap().status().as_u16(), 422);
    let r = withdraw(&mine, serde_json::json!({"date": "2026-04-01", "note": "by phone"})).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["consent_withdrawn_on"], "2026-04-01");
    assert_eq!(withdraw(&mine, serde_json::json!({})).await.unwrap().status().as_u16(), 409);
    // Evidence: uploaded through the API, hashed, typed from its bytes.
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.extend(std::iter::repeat_n(b'x', 3000));
    let expected = hex::encode(sha2::Sha256::digest(&pdf));
    let upload = |who: &str, description: &str| {
        let form = reqwest::multipart::Form::new().text("description", description.to_string()).part(
            "file",
            reqwest::multipart::Part::bytes(pdf.clone()).file_name("statement.txt").mime_str("text/plain").unwrap(),
        );
        api.post(url(&format!("/cases/{id}/evidence"))).bearer_auth(who.to_string()).multipart(form).send()
    };
    assert_eq!(upload(&theirs, "x").await.unwrap().status().as_u16(), 403);
    let r = upload(&mine, "Statement of Pich Sophea").await.unwrap();
    assert_eq!(r.status().as_u16(), 422, "names stay out of descriptions");
    let r = upload(&mine, "Statement of S1").await.unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let e: Value = r.json().await.unwrap();
    assert_eq!(
        (e["sha256"].as_str().unwrap(), e["content_type"].as_str().unwrap()),
        (expected.as_str(), "application/pdf")
    );
    let eid = e["id"].as_i64().unwrap();
    // Listed, downloaded and recorded only for those who may see names.
    let listed: Value =
        api.get(url(&format!("/cases/{id}/evidence"))).bearer_auth(&mine).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(
        api.get(url(&format!("/cases/{id}/evidence"))).bearer_auth(&theirs).send().await.unwrap().status().as_u16(),
        403
    );
    assert_eq!(
        api.get(url(&format!("/evidence/{eid}/file"))).bearer_auth(&theirs).send().await.unwrap().status().as_u16(),
        403
    );
    let r = api.get(url(&format!("/evidence/{eid}/file"))).bearer_auth(&mine).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["x-content-sha256"], expected.as_str());
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains("statement.txt"));
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
    let custody =
        |body: Value| api.post(url(&format!("/evidence/{eid}/custody"))).bearer_auth(&mine).json(&body).send();
    assert_eq!(custody(serde_json::json!({"action": "transferred"})).await.unwrap().status().as_u16(), 422);
    assert_eq!(custody(serde_json::json!({"action": "burnt", "note": "x"})).await.unwrap().status().as_u16(), 422);
    let r = custody(serde_json::json!({"action": "transferred", "note": "to the court clerk, sealed"})).await.unwrap();
    assert_eq!(r.status().as_u16(), 201);
    for action in ["examined", "stored", "returned"] {
        let r = custody(serde_json::json!({"action": action, "note": "by the office"})).await.unwrap();
        assert_eq!(r.status().as_u16(), 201, "{action}");
    }
    let entries: Value = api
        .get(url(&format!("/evidence/{eid}/custody")))
        .bearer_auth(&mine)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = entries.as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["uploaded", "downloaded", "transferred", "examined", "stored", "returned"]);
    // The API is described.
    let doc = reqwest::get(url("/openapi.json")).await.unwrap().text().await.unwrap();
    assert!(doc.contains("/api/v1/evidence/{id}/file") && doc.contains("/api/v1/sources/{id}/withdraw"));
    server.stop();
    tdb.drop_database().await;
}

/// The HURIDOCS micro-thesauri, kept in testdata/ for the tests (AGPL-3.0,
/// see testdata/README.md); rightsdesk does not ship them.
fn huridocs_terms() -> String {
    rightsdesk_testdata::repo("vocab/huridocs_esf_microthesauri_terms.csv").to_str().unwrap().to_string()
}

async fn huridocs_vocabulary_imports_and_classifies_acts(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "member@test.example", "officer", "PNH");
    let terms = huridocs_terms();
    // A bad file: every bad row with its line and column, nothing imported.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    let real = std::fs::read_to_string(&terms).unwrap();
    let mut lines: Vec<String> = real.lines().take(6).map(str::to_string).collect();
    lines[2] = lines[2].replacen(",y,", ",perhaps,", 1);
    lines[4] = lines[4].replacen("1,index_term", "one,index_term", 1);
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let out = tdb.cli(&["vocabulary", "import-huridocs", bad.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3, column visible: invalid-choice"), "{err}");
    assert!(err.contains("line 5, column list_code: not-a-number"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    // The real file: a dry run, then the import (twice: the same result).
    let out = tdb.cli(&["vocabulary", "import-huridocs", "--dry-run", &terms], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let b = server.browser();
    b.sign_in_ok("member@test.example", PASSWORD).await;
    assert!(b.text("/reference/vocabularies").await.1.contains("No vocabulary has been imported yet"));
    for _ in 0..2 {
        let out = tdb.cli(&["vocabulary", "import-huridocs", &terms], None);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let said = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(said.starts_with("imported 50 vocabularies"), "{said}");
    }
    let page = b.text("/reference/vocabularies").await.1;
    assert!(page.contains("types of acts") && page.contains("types of perpetrators"), "{page}");
    let acts_page = b.text("/reference/vocabularies/huridocs-types_of_acts").await.1;
    assert!(acts_page.contains("Summary execution"));
    assert_eq!(b.get("/reference/vocabularies/nonsense").await.status().as_u16(), 404);
    // The act form offers the HURIDOCS types; the act shows the one chosen.
    let case = open_case(&b, "Killing at the checkpoint", "normal").await;
    let form = b.text(&format!("{case}/acts/new")).await.1;
    let value = form
        .split("<option value=\"huridocs-types_of_acts/")
        .skip(1)
        .find(|o| o.contains("Summary execution"))
        .map(|o| format!("huridocs-types_of_acts/{}", o.split('"').next().unwrap()))
        .expect("summary execution offered");
    let add_act = |extra: String| {
        let b = &b;
        let case = case.clone();
        async move {
            b.submit(
                &format!("{case}/acts/new"),
                &format!("{case}/acts"),
                &[("act_type", "killing"), ("extra_term", &extra)],
            )
            .await
        }
    };
    let r = add_act("huridocs-types_of_acts/99999999999999".into()).await;
    assert_eq!(r.status().as_u16(), 422, "a term that was never imported");
    let r = add_act(value.clone()).await;
    assert_eq!(r.status().as_u16(), 303);
    let page = b.text(&case).await.1;
    assert!(page.contains("HURIDOCS type of act") && page.contains("Summary execution"));
    // The API lists the vocabularies and their terms.
    let out = tdb.cli(&["token", "create", "--email", "member@test.example", "--label", "t"], None);
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let api = reqwest::Client::new();
    let v: Value = api
        .get(format!("{}/api/v1/reference/vocabularies", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v.as_array().unwrap().len(), 50);
    let terms: Value = api
        .get(format!("{}/api/v1/reference/vocabularies/huridocs-types_of_acts/terms", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(terms.as_array().unwrap().len() > 500);
    server.stop();
    tdb.drop_database().await;
}

/// A case's urgency (issue 15, the recipe's field): set on the form, shown on
/// the case and in the list, filtered on (pages and API), exported, imported.
async fn urgency_is_set_shown_filtered_exported_and_imported(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "urgent@test.example", "officer", "BTB");
    let b = server.browser();
    b.sign_in_ok("urgent@test.example", PASSWORD).await;
    let (_, form) = b.text("/monitoring/cases/new").await;
    for code in ["routine", "urgent", "emergency"] {
        assert!(form.contains(&format!("<option value=\"{code}\"")), "{code} on the form");
    }
    let routine = open_case(&b, "Land dispute in Sangkae", "normal").await;
    let r = b
        .submit(
            "/monitoring/cases/new",
            "/monitoring/cases",
            &[("title", "Defender detained tonight"), ("urgency", "emergency")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let emergency = r.headers()["location"].to_str().unwrap().to_string();
    let (_, page) = b.text(&emergency).await;
    assert!(page.contains("Urgency") && page.contains(">Emergency</strong>"), "shown on the case");
    assert!(b.text(&routine).await.1.contains("<dd>Routine</dd>"));
    // A bad value is a field message and writes nothing.
    let r = b.submit("/monitoring/cases/new", "/monitoring/cases", &[("title", "Bad"), ("urgency", "soon")]).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("field-error"));
    // Khmer labels.
    assert!(b.text(&format!("{emergency}?lang=km")).await.1.contains("អាសន្ន"));
    b.text("/?lang=en").await;
    // The list marks it and filters on it.
    let (_, list) = b.text("/monitoring").await;
    assert!(list.contains("tag urgency-emergency"), "marked in the list");
    let (_, only) = b.text("/monitoring?urgency=emergency").await;
    assert!(only.contains("Defender detained tonight") && !only.contains("Land dispute in Sangkae"));
    assert!(only.contains("One case matches."), "the count follows the filter");
    assert_eq!(b.text("/monitoring?urgency=soon").await.0, 200, "a bad filter is a message, not an error page");
    // Edit keeps and changes it.
    let id = case_id(&routine);
    let (_, edit) = b.text(&format!("/monitoring/cases/{id}/edit")).await;
    assert!(edit.contains("<option value=\"routine\" selected>"));
    let r = b
        .submit(
            &format!("/monitoring/cases/{id}/edit"),
            &format!("/monitoring/cases/{id}"),
            &[("title", "Land dispute in Sangkae"), ("urgency", "urgent")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(b.text(&routine).await.1.contains(">Urgent</strong>"));
    // Export: a column of its own.
    let (status, csv) = csv_of(&b, "urgency=emergency").await;
    assert_eq!(status, 200);
    let csv = String::from_utf8(csv).unwrap();
    let mut rows = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers = rows.headers().unwrap().clone();
    let col = headers.iter().position(|h| h == "urgency").expect("an urgency column");
    let records: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 1);
    assert_eq!(&records[0][col], "emergency");
    // Import: the column is read, and checked.
    let token = b.csrf("/monitoring/import").await;
    let file = "title,urgency\nFamilies evicted at dawn,urgent\nWrong,later\n";
    let send = |mode: &'static str, body: &'static str| {
        let form = reqwest::multipart::Form::new()
            .text("_csrf", token.clone())
            .text("mode", mode)
            .part("file", reqwest::multipart::Part::bytes(body.as_bytes().to_vec()).file_name("cases.csv"));
        b.http.post(b.url("/monitoring/import")).multipart(form).send()
    };
    let r = send("import", file).await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("<tr><td>3</td><td>B (urgency)</td>"));
    let r = send("import", "title,urgency\nFamilies evicted at dawn,urgent\n").await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // The API filters on it and returns it.
    let out = tdb.cli(&["token", "create", "--email", "urgent@test.example", "--label", "t"], None);
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let v = server.api_json(&token, "/api/v1/cases?urgency=urgent").await;
    assert_eq!(v["total"], 2, "{v}");
    assert!(v["items"].as_array().unwrap().iter().all(|c| c["urgency"] == "urgent"));
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/cases", server.base))
        .bearer_auth(&token)
        .json(&json!({"title": "By the API", "urgency": "emergency"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    assert_eq!(r.json::<Value>().await.unwrap()["urgency"], "emergency");
    server.stop();
    tdb.drop_database().await;
}

/// Issue 16: a government focal point (an account of an institution, in an
/// office) was offered as a member of a case team.
async fn only_office_staff_are_offered_for_a_case_team(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "officer@test.example", "officer", "PNH");
    add_user(&tdb, "colleague@test.example", "officer", "PNH");
    let b = server.browser();
    b.sign_in_ok("officer@test.example", PASSWORD).await;
    add_organisation(&b, "Ministry of Interior", "ក្រសួងមហាផ្ទៃ", "ministry").await;
    let out = tdb.cli(
        &[
            "user",
            "add",
            "--email",
            "focal@test.example",
            "--name",
            "Focal Person",
            "--role",
            "focal_point",
            "--office",
            "PNH",
            "--institution",
            "Ministry of Interior",
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let case = open_case(&b, "Team check", "normal").await;
    let page = b.text(&case).await.1;
    assert!(page.contains(&format!("{case}/team")), "the team form is there");
    assert!(!page.contains("Focal Person"), "a focal point is not offered for the team");
    let users = server.api_json(&tdb.api_token(ADMIN_EMAIL), "/api/v1/users").await;
    let id_of = |email: &str| {
        users.as_array().unwrap().iter().find(|u| u["email"] == email).map(|u| u["id"].to_string()).unwrap()
    };
    let r = b.submit(&case, &format!("{case}/team"), &[("member", &id_of("focal@test.example"))]).await;
    assert_eq!(r.status().as_u16(), 400, "nor taken when sent");
    let r = b.submit(&case, &format!("{case}/team"), &[("member", &id_of("colleague@test.example"))]).await;
    assert_eq!(r.status().as_u16(), 303, "an officer of the office is");
    server.stop();
    tdb.drop_database().await;
}
