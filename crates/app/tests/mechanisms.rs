//! UN mechanisms end to end: importing the UPR Info corpus through the CLI,
//! browsing and filtering recommendations, assessing their implementation
//! through the forms and the API, and linking cases without revealing
//! restricted ones.

mod common;

use common::*;
use serde_json::Value;

both!(
    upr_corpus_imports_reimports_and_rejects_bad_rows,
    recommendations_assessments_and_case_links,
    reporting_calendar_and_ical_feed,
    details_progress_and_export,
    focal_points_see_their_institution_and_report_progress,
    actions_indicators_and_raised_recommendations,
    treaty_body_recommendations_through_a_column_mapping,
    treaties_of_cambodia_and_other_states,
);

/// The UPR Info table of Cambodia's first two reviews (outside data, or
/// the fixture of the same layout), with its counts read independently of
/// the importer.
fn upr_cambodia() -> (rightsdesk_testdata::DataFile, rightsdesk_testdata::UprCounts) {
    let file = rightsdesk_testdata::outside("upr/upr_info_recommendations_cambodia_s06_s18.csv");
    let counts = rightsdesk_testdata::UprCounts::read(&file.path);
    (file, counts)
}

fn said(out: &std::process::Output) -> (String, String) {
    (String::from_utf8_lossy(&out.stdout).to_string(), String::from_utf8_lossy(&out.stderr).to_string())
}

async fn upr_corpus_imports_reimports_and_rejects_bad_rows(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    let (cambodia_file, cambodia) = upr_cambodia();
    let upr_cambodia = cambodia_file.as_str();
    let all_file = rightsdesk_testdata::outside("upr/upr_info_recommendations_s01-s20.csv");
    let all = rightsdesk_testdata::UprCounts::read(&all_file.path);
    if all_file.full {
        assert_eq!(all.rows, 41_066, "the UPR Info corpus, sessions 1 to 20");
        assert_eq!(cambodia.rows, 343, "Cambodia's first two reviews");
    }
    let n = cambodia.rows;
    add_user(&tdb, "mech@test.example", "mechanisms_officer", "PNH");
    let b = server.browser();
    b.sign_in_ok("mech@test.example", PASSWORD).await;
    // A dry run says what would happen and writes nothing.
    let out = tdb.cli(&["import", "upr", "--dry-run", upr_cambodia], None);
    let (stdout, stderr) = said(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.starts_with(&format!("dry run, nothing written: {n} added, 0 updated, 0 unchanged, 0 rejected")),
        "{stdout}"
    );
    assert!(b.text("/mechanisms/recommendations").await.1.contains("0 recommendations"));
    // The Cambodia file, then again: nothing is added twice.
    let out = tdb.cli(&["import", "upr", upr_cambodia], None);
    assert!(said(&out).0.starts_with(&format!("{n} added, 0 updated, 0 unchanged, 0 rejected")), "{:?}", said(&out));
    let out = tdb.cli(&["import", "upr", upr_cambodia], None);
    assert!(said(&out).0.starts_with(&format!("0 added, 0 updated, {n} unchanged, 0 rejected")), "{:?}", said(&out));
    // A changed row is updated; bad rows are rejected with line, column and
    // reason (exit code 2) while the good ones go in.
    let dir = tempfile::tempdir().unwrap();
    let edited = dir.path().join("edited.csv");
    let real = std::fs::read_to_string(upr_cambodia).unwrap();
    let mut lines: Vec<String> = real.lines().map(str::to_string).collect();
    lines[1] = lines[1].replacen("Accelerate the steps", "Accelerate all the steps", 1);
    lines.push("99990001,six,Cambodia,Asia,,Do something,Chile,GRULAC,,Accepted,4,NHRI,x".into());
    lines.push("99990002,18,Cambodia,Asia,,,Chile,GRULAC,,Accepted,4,NHRI,x".into());
    lines.push("99990003,18,Cambodia,Asia,,Protect defenders,Chile,GRULAC,,Noted,,Human rights defenders,x".into());
    std::fs::write(&edited, lines.join("\n")).unwrap();
    let out = tdb.cli(&["import", "upr", edited.to_str().unwrap()], None);
    let (stdout, stderr) = said(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stdout.starts_with(&format!("1 added, 1 updated, {} unchanged, 2 rejected", n - 1)), "{stdout}");
    assert!(stderr.contains(&format!("line {}, column session: not-a-session", n + 2)), "{stderr}");
    assert!(stderr.contains(&format!("line {}, column recommendation: required", n + 3)), "{stderr}");
    // A file that is not in the UPR Info layout is refused whole.
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "a,b\n1,2\n").unwrap();
    let out = tdb.cli(&["import", "upr", other.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(said(&out).1.contains("column id: missing-column"), "{:?}", said(&out));
    // The whole corpus (41,066 rows; the fixture's when it is absent): every
    // row is taken.
    let out = tdb.cli(&["import", "upr", all_file.as_str()], None);
    let (stdout, stderr) = said(&out);
    assert!(out.status.success(), "{stderr}");
    let counts: Vec<usize> =
        stdout.split(", ").take(4).map(|p| p.split(' ').next().unwrap().parse().unwrap()).collect();
    assert_eq!(counts[0] + counts[1] + counts[2], all.rows, "{stdout}");
    assert_eq!(counts[3], 0, "{stdout}");
    // One edited row came back to the corpus's text.
    assert_eq!(counts[1], 1, "{stdout}");
    let page = b.text("/mechanisms/recommendations").await.1;
    assert!(
        page.contains(&format!("{} recommendations", rightsdesk_testdata::grouped(all.rows + 1))),
        "the corpus and the one good row added by hand: {}",
        &page[page.find("recommendations</p>").map(|i| i - 40).unwrap_or(0)..][..80]
    );
    let page_cambodia = b.text("/mechanisms/recommendations?state=Cambodia&cycle=2&response=noted").await.1;
    let noted = all.count("Cambodia", 2, Some("Noted"));
    assert!(
        page_cambodia.contains(&format!("{} recommendations", noted + 1)),
        "{noted} noted in 2014 (42 in the corpus), and one added by hand"
    );
    // The import is in the audit log with its counts.
    let admin = server.browser();
    admin.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    let audit = admin.text("/admin/audit?action=recommendation.import").await.1;
    assert!(audit.contains(&format!("{n} added, 0 updated, 0 unchanged")), "{audit}");
    server.stop();
    tdb.drop_database().await;
}

async fn open_case(b: &Browser, title: &str, sensitivity: &str) -> (String, String) {
    let r =
        b.submit("/monitoring/cases/new", "/monitoring/cases", &[("title", title), ("sensitivity", sensitivity)]).await;
    assert_eq!(r.status().as_u16(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let page = b.text(&location).await.1;
    let reference = page.split("PNH-").nth(1).map(|s| format!("PNH-{}", &s[..9])).expect("reference on the page");
    (location, reference)
}

async fn recommendations_assessments_and_case_links(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    for (email, role) in [
        ("mech@test.example", "mechanisms_officer"),
        ("member@test.example", "officer"),
        ("outsider@test.example", "officer"),
        ("viewer@test.example", "viewer"),
    ] {
        add_user(&tdb, email, role, "PNH");
    }
    add_user(&tdb, "btb@test.example", "officer", "BTB");
    // The Cambodia file through the web upload: checked first, then imported;
    // a bad row is listed with its line and reason and left out.
    let mech = server.browser();
    mech.sign_in_ok("mech@test.example", PASSWORD).await;
    let upload = |bytes: Vec<u8>, mode: &'static str| {
        let b = &mech;
        async move {
            let token = b.csrf("/mechanisms/import").await;
            let form = reqwest::multipart::Form::new()
                .text("_csrf", token)
                .text("mode", mode)
                .part("file", reqwest::multipart::Part::bytes(bytes).file_name("upr.csv"));
            let r = b.http.post(b.url("/mechanisms/import")).multipart(form).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (cambodia_file, cambodia) = upr_cambodia();
    let n = cambodia.rows;
    let mut file = std::fs::read(&cambodia_file.path).unwrap();
    file.extend_from_slice(b"\n99990009,18,Cambodia,Asia,,,Chile,GRULAC,,Accepted,4,NHRI,x\n");
    let (status, html) = upload(file.clone(), "dry_run").await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains(&format!("Dry run, nothing was written: {n} added, 0 updated, 0 unchanged, 1 rejected.")),
        "{html}"
    );
    // The file ends with a line break, so the appended row follows an empty line.
    assert!(
        html.contains(&format!("<td>{}</td><td>recommendation</td><td>This field is required.</td>", n + 3)),
        "{html}"
    );
    assert!(mech.text("/mechanisms/recommendations").await.1.contains("0 recommendations"));
    let (status, html) = upload(file, "import").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("{n} added, 0 updated, 0 unchanged, 1 rejected.")), "{html}");
    let (status, _) = upload(b"a,b\n1,2\n".to_vec(), "import").await;
    assert_eq!(status, 422);
    let member = server.browser();
    member.sign_in_ok("member@test.example", PASSWORD).await;
    let (open_url, open_ref) = open_case(&member, "Land activists detained", "normal").await;
    let (secret_url, secret_ref) = open_case(&member, "Quillfeather witness hidden", "restricted").await;

    // The landing page and the filtered list with facets.
    let home = mech.text("/mechanisms").await.1;
    assert!(home.contains(&format!("{n} recommendations")) && home.contains("Universal Periodic Review"), "{home}");
    let list = mech.text("/mechanisms/recommendations?theme=NHRI").await.1;
    assert!(list.contains("national human rights institution"), "NHRI recommendations listed");
    assert!(list.contains("Supported"), "response facet");
    assert_eq!(mech.get("/mechanisms/recommendations?response=maybe").await.status().as_u16(), 200);
    assert!(mech.text("/mechanisms/recommendations?response=maybe").await.1.contains("Choose one of the options."));
    let km = mech.text("/mechanisms/recommendations?theme=NHRI&lang=km").await.1;
    assert!(km.contains("អនុសាសន៍"), "Khmer interface");
    let id = list
        .split("/mechanisms/recommendations/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().to_string())
        .find(|p| p.chars().all(|c| c.is_ascii_digit()))
        .unwrap();
    let page_url = format!("/mechanisms/recommendations/{id}");
    assert!(mech.text(&page_url).await.1.contains("Not assessed yet."));

    // An assessment through the form: a bad one gets field messages and
    // changes nothing; a good one shows in the history and the status.
    let action = format!("{page_url}/assessments");
    let r = mech.submit(&page_url, &action, &[("status", "finished"), ("assessed_on", "2026-13-01")]).await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("Choose one of the options."), "{body}");
    assert!(mech.text(&page_url).await.1.contains("Not assessed yet."));
    let r = mech
        .submit(
            &page_url,
            &action,
            &[
                ("status", "partially_implemented"),
                ("assessed_on", "2026-10-01"),
                ("evidence", "<b>Sub-decree 123</b>"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = mech.text(&page_url).await.1;
    assert!(page.contains("<dd>Partially implemented</dd>"), "{page}");
    assert!(page.contains("&#60;b&#62;Sub-decree 123") && !page.contains("<b>Sub-decree"), "escaped: {page}");
    // Without the anti-forgery token nothing is written.
    let r = mech.post_form(&action, &[("status", "implemented"), ("assessed_on", "2026-11-01")]).await;
    assert_eq!(r.status().as_u16(), 403);
    assert!(mech.text(&page_url).await.1.contains("<dd>Partially implemented</dd>"));

    // Linking cases: the team member links both; an outsider cannot tell a
    // restricted case from a missing one, and does not see it linked.
    let link = format!("{page_url}/cases");
    for reference in [&open_ref, &secret_ref] {
        let r = member.submit(&page_url, &link, &[("reference", reference)]).await;
        assert_eq!(r.status().as_u16(), 303, "member links {reference}");
    }
    let outsider = server.browser();
    outsider.sign_in_ok("outsider@test.example", PASSWORD).await;
    let seen = outsider.text(&page_url).await.1;
    assert!(seen.contains(&open_ref) && !seen.contains(&secret_ref) && !seen.contains("Quillfeather"), "{seen}");
    let hidden = outsider.submit(&page_url, &link, &[("reference", &secret_ref)]).await;
    let missing = outsider.submit(&page_url, &link, &[("reference", "PNH-2026-9999")]).await;
    assert_eq!((hidden.status().as_u16(), missing.status().as_u16()), (422, 422));
    assert!(hidden.text().await.unwrap().contains("No case with this reference that you can see."));
    assert!(member.text(&page_url).await.1.contains(&secret_ref));
    // Linking writes to the case's trail: someone who may read a normal case
    // of another office but not change it cannot link or unlink it.
    let other_office = server.browser();
    other_office.sign_in_ok("btb@test.example", PASSWORD).await;
    let r = other_office.submit(&page_url, &link, &[("reference", &open_ref)]).await;
    assert_eq!(r.status().as_u16(), 422, "a case of another office");
    let open_id = open_url.trim_start_matches("/monitoring/cases/");
    let unlink = format!("{page_url}/cases/{open_id}/unlink");
    let r = other_office.submit(&page_url, &unlink, &[]).await;
    assert_eq!(r.status().as_u16(), 403);
    // Without the anti-forgery token nothing is unlinked.
    let r = member.post_form(&unlink, &[]).await;
    assert_eq!(r.status().as_u16(), 403);
    assert!(member.text(&page_url).await.1.contains(&open_ref));
    assert!(member.text(&secret_url).await.1.contains(&page_url), "the case page shows the recommendation");
    // A viewer reads recommendations but neither assesses nor sees cases.
    let viewer = server.browser();
    viewer.sign_in_ok("viewer@test.example", PASSWORD).await;
    let v = viewer.text(&page_url).await.1;
    assert!(!v.contains(&open_ref) && !v.contains("assessments\" method"), "{v}");
    let r = viewer.submit(&page_url, &action, &[("status", "implemented"), ("assessed_on", "2026-11-01")]).await;
    assert_eq!(r.status().as_u16(), 403);

    // The API: the same list, facets and rules.
    let token = |email: &str| {
        let out = tdb.cli(&["token", "create", "--email", email, "--label", "t"], None);
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let api = reqwest::Client::new();
    let get = |path: String, t: String| {
        let api = api.clone();
        let url = format!("{}{path}", server.base);
        async move { api.get(url).bearer_auth(t).send().await.unwrap() }
    };
    let mech_token = token("mech@test.example");
    let v: Value = get("/api/v1/recommendations?state=Cambodia&cycle=1&limit=5".into(), mech_token.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        v["facets"]["total"],
        cambodia.count("Cambodia", 1, None),
        "Cambodia's first review (138 in the corpus)"
    );
    assert_eq!(v["items"].as_array().unwrap().len(), 5);
    let next = v["next_after"].as_i64().unwrap();
    let v2: Value =
        get(format!("/api/v1/recommendations?state=Cambodia&cycle=1&limit=5&after={next}"), mech_token.clone())
            .await
            .json()
            .await
            .unwrap();
    assert!(v2["items"].as_array().unwrap().iter().all(|r| r["id"].as_i64().unwrap() < next));
    let one: Value =
        get(format!("/api/v1/recommendations/{id}"), token("outsider@test.example")).await.json().await.unwrap();
    assert_eq!(one["status"], "partially_implemented");
    assert_eq!(one["assessments"].as_array().unwrap().len(), 1);
    assert_eq!(one["cases"].as_array().unwrap().len(), 1, "the restricted case is not there for an outsider");
    let post = |path: String, t: String, body: Value| {
        let api = api.clone();
        let url = format!("{}{path}", server.base);
        async move { api.post(url).bearer_auth(t).json(&body).send().await.unwrap() }
    };
    let r = post(
        format!("/api/v1/recommendations/{id}/assessments"),
        mech_token.clone(),
        serde_json::json!({"status": "done"}),
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "validation_failed");
    // Facet counts are kept between views until something changes: an
    // assessment must show in them at once.
    let implemented = |v: Value| {
        v["facets"]["status"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["value"] == "implemented")
            .map_or(0, |f| f["count"].as_i64().unwrap())
    };
    let facets = || get("/api/v1/recommendations?limit=1".into(), mech_token.clone());
    let before = implemented(facets().await.json().await.unwrap());
    assert_eq!(implemented(facets().await.json().await.unwrap()), before, "the same counts when nothing changed");
    let r = post(
        format!("/api/v1/recommendations/{id}/assessments"),
        mech_token.clone(),
        serde_json::json!({"status": "implemented", "assessed_on": "2026-11-20", "evidence": "Law promulgated"}),
    )
    .await;
    assert_eq!(r.status().as_u16(), 201);
    assert_eq!(implemented(facets().await.json().await.unwrap()), before + 1, "counted again after the assessment");
    let r = post(
        format!("/api/v1/recommendations/{id}/cases"),
        token("outsider@test.example"),
        serde_json::json!({"reference": secret_ref}),
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["fields"][0]["code"], "unknown-case");
    assert_eq!(get("/api/v1/recommendations/99999999".into(), mech_token.clone()).await.status().as_u16(), 404);
    assert_eq!(get("/api/v1/recommendations".into(), token("viewer@test.example")).await.status().as_u16(), 200);
    let analyst_free = get("/api/v1/mechanisms".into(), mech_token.clone()).await.json::<Value>().await.unwrap();
    assert!(analyst_free.as_array().unwrap().iter().any(|m| m["code"] == "CEDAW"));
    server.stop();
    tdb.drop_database().await;
}

async fn reporting_calendar_and_ical_feed(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "mech@test.example", "mechanisms_officer", "PNH");
    add_user(&tdb, "analyst@test.example", "analyst", "PNH");
    let b = server.browser();
    b.sign_in_ok("mech@test.example", PASSWORD).await;
    let page = b.text("/mechanisms/calendar").await.1;
    assert!(page.contains("Cambodia&#39;s third review") || page.contains("Cambodia's third review"), "{page}");
    assert!(page.contains("Mid-term report on the fourth cycle"), "seeded mid-term report");
    // A bad date gets field messages and adds nothing; a good one is listed.
    let r = b
        .submit(
            "/mechanisms/calendar",
            "/mechanisms/calendar",
            &[("mechanism_code", "CCPR"), ("kind", "party"), ("due_on", "2027-02-30")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("Choose one of the options.") && body.contains("This field is required."), "{body}");
    let fields = [
        ("mechanism_code", "CCPR"),
        ("kind", "state_report_due"),
        ("cycle", "CCPR, fourth periodic report"),
        ("title", "Fourth periodic report to the Human Rights Committee"),
        ("due_on", "2099-03-31"),
        ("title_km", "របាយការណ៍តាមកាលកំណត់លើកទីបួនជូនគណៈកម្មាធិការសិទ្ធិមនុស្ស"),
    ];
    let r = b.submit("/mechanisms/calendar", "/mechanisms/calendar", &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    // Khmer readers see the Khmer of the seeded dates and of the new one;
    // the cycle left empty in Khmer shows in English.
    let km = b.text("/mechanisms/calendar?lang=km").await.1;
    for khmer in ["ការត្រួតពិនិត្យលើកទីបួនរបស់កម្ពុជា", "UPR វដ្តទីបួន", "របាយការណ៍តាមកាលកំណត់លើកទីបួនជូនគណៈកម្មាធិការសិទ្ធិមនុស្ស"]
    {
        assert!(km.contains(khmer), "{khmer} not on the Khmer calendar");
    }
    assert!(!km.contains("Cambodia&#39;s third review") && !km.contains("Fourth periodic report to the Human"));
    assert!(km.contains("CCPR, fourth periodic report"));
    let page = b.text("/mechanisms/calendar").await.1;
    let upcoming = &page[page.find("id=\"upcoming\"").unwrap()..page.find("id=\"new-event\"").unwrap()];
    assert!(upcoming.contains("Fourth periodic report to the Human Rights Committee"), "{upcoming}");
    // Marking the seeded mid-term report done moves it out of the open lists.
    let overdue_or_upcoming = &page[page.find("id=\"overdue\"").unwrap()..page.find("id=\"new-event\"").unwrap()];
    let row = overdue_or_upcoming.split("<tr>").find(|r| r.contains("Mid-term report on the fourth cycle")).unwrap();
    let id = row.split("/mechanisms/calendar/").nth(1).unwrap().split('/').next().unwrap().to_string();
    let r = b.submit("/mechanisms/calendar", &format!("/mechanisms/calendar/{id}/status"), &[("status", "done")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let page = b.text("/mechanisms/calendar").await.1;
    let past = &page[page.find("id=\"past\"").unwrap()..];
    assert!(past.contains("Mid-term report on the fourth cycle") && past.contains("Done on"), "{past}");

    // The feed: a secret address shown once, read without any session.
    let r = b.submit("/mechanisms/calendar", "/mechanisms/calendar/feed", &[]).await;
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().await.unwrap();
    let url = html.split("<code>").nth(1).unwrap().split("</code>").next().unwrap().to_string();
    assert!(url.contains("/calendar/rdcal_") && url.ends_with(".ics"), "{url}");
    let path = url.splitn(4, '/').nth(3).map(|p| format!("/{p}")).unwrap();
    let anonymous = reqwest::Client::new();
    let r = anonymous.get(format!("{}{path}", server.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let ics = r.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    assert!(ics.contains("SUMMARY:[CCPR] Fourth periodic report to the Human Rights Committee"), "{ics}");
    assert!(ics.contains("DTSTART;VALUE=DATE:20990331"), "{ics}");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 9, "eight seeded dates and the new one");
    // A wrong address and a revoked one look the same.
    let wrong = anonymous.get(format!("{}/calendar/rdcal_nope.ics", server.base)).send().await.unwrap();
    assert_eq!(wrong.status().as_u16(), 404);
    let r = b.submit("/mechanisms/calendar", "/mechanisms/calendar/feed/revoke", &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(anonymous.get(format!("{}{path}", server.base)).send().await.unwrap().status().as_u16(), 404);
    // The secret address is a credential like a token (issue 14): a feed
    // stops when the password is changed, and with its account, and does not
    // come back when the account is enabled again.
    let start_feed = || async {
        let r = b.submit("/mechanisms/calendar", "/mechanisms/calendar/feed", &[]).await;
        let html = r.text().await.unwrap();
        let url = html.split("<code>").nth(1).unwrap().split("</code>").next().unwrap().to_string();
        let path = url.splitn(4, '/').nth(3).map(|p| format!("/{p}")).unwrap();
        assert_eq!(anonymous.get(format!("{}{path}", server.base)).send().await.unwrap().status().as_u16(), 200);
        path
    };
    let path = start_feed().await;
    let new_password = "a new passphrase for the feed test";
    let r = b
        .submit(
            "/profile",
            "/profile/password",
            &[("current", PASSWORD), ("new_password", new_password), ("confirm", new_password)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(anonymous.get(format!("{}{path}", server.base)).send().await.unwrap().status().as_u16(), 404);
    let path = start_feed().await;
    assert!(tdb.cli(&["user", "disable", "--email", "mech@test.example"], None).status.success());
    assert_eq!(anonymous.get(format!("{}{path}", server.base)).send().await.unwrap().status().as_u16(), 404);
    let admin = server.browser();
    admin.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    let users = admin.text("/admin/users").await.1;
    let row = users.split("<tr").find(|r| r.contains("mech@test.example")).expect("listed");
    let id = row.split("/admin/users/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let r = admin.submit(&format!("/admin/users/{id}"), &format!("/admin/users/{id}/enable"), &[]).await;
    assert!(r.status().is_redirection() || r.status().is_success(), "{}", r.status());
    assert_eq!(anonymous.get(format!("{}{path}", server.base)).send().await.unwrap().status().as_u16(), 404);
    // The API lists the calendar and adds to it under the same checks.
    let out = tdb.cli(&["token", "create", "--email", "analyst@test.example", "--label", "t"], None);
    let analyst_token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let r = anonymous
        .get(format!("{}/api/v1/reporting-events", server.base))
        .bearer_auth(&analyst_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    add_user(&tdb, "mech2@test.example", "mechanisms_officer", "PNH");
    let out = tdb.cli(&["token", "create", "--email", "mech2@test.example", "--label", "t"], None);
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let r = anonymous
        .post(format!("{}/api/v1/reporting-events", server.base))
        .bearer_auth(&token)
        .json(&serde_json::json!({"mechanism_code": "NOPE", "kind": "dialogue", "title": "x", "due_on": "2027-01-01"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let r = anonymous
        .post(format!("{}/api/v1/reporting-events", server.base))
        .bearer_auth(&token)
        .json(&serde_json::json!({"mechanism_code": "CRC", "kind": "dialogue", "title": "CRC dialogue", "due_on": "2027-01-20"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let list: Value = anonymous
        .get(format!("{}/api/v1/reporting-events", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 10);
    // Analysts do not work with mechanisms: no calendar for them.
    let analyst = server.browser();
    analyst.sign_in_ok("analyst@test.example", PASSWORD).await;
    assert_eq!(analyst.get("/mechanisms/calendar").await.status().as_u16(), 403);
    server.stop();
    tdb.drop_database().await;
}

async fn details_progress_and_export(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "mech@test.example", "mechanisms_officer", "PNH");
    add_user(&tdb, "viewer@test.example", "viewer", "PNH");
    let (cambodia_file, cambodia) = upr_cambodia();
    assert!(tdb.cli(&["import", "upr", cambodia_file.as_str()], None).status.success());
    let b = server.browser();
    b.sign_in_ok("mech@test.example", PASSWORD).await;
    let r = b
        .submit(
            "/monitoring/organisations",
            "/monitoring/organisations",
            &[("name_en", "Ministry of Justice"), ("name_km", "ក្រសួងយុត្តិធម៌"), ("kind", "ministry")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let list = b.text("/mechanisms/recommendations?theme=NHRI").await.1;
    let ids: Vec<String> = list
        .split("href=\"/mechanisms/recommendations/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().to_string())
        .filter(|p| p.chars().all(|c| c.is_ascii_digit()))
        .collect();
    assert!(ids.len() >= 3, "{ids:?}");
    let page_url = format!("/mechanisms/recommendations/{}", ids[0]);
    let page = b.text(&page_url).await.1;
    let institution = page
        .split("name=\"institution\" value=\"")
        .nth(1)
        .map(|p| p.split('"').next().unwrap().to_string())
        .expect("the ministry is offered");
    let details = format!("{page_url}/details");
    // An SDG target that does not exist: a field message, nothing saved.
    let r = b
        .submit(&page_url, &details, &[("themes", "NHRI"), ("sdg_targets", "16.99"), ("cluster", "Institutions")])
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Choose one of the options."));
    assert!(!b.text(&page_url).await.1.contains("Institutions</dd>"));
    for id in &ids[..3] {
        let url = format!("/mechanisms/recommendations/{id}");
        let r = b
            .submit(
                &url,
                &format!("{url}/details"),
                &[
                    ("themes", "NHRI, Paris Principles"),
                    ("sdg_targets", "16.a"),
                    ("affected_group", "human_rights_defenders"),
                    ("cluster", "Institutions"),
                    ("institution", &institution),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303, "details of {id}");
    }
    let page = b.text(&page_url).await.1;
    assert!(
        page.contains("16.a") && page.contains("Human rights defenders") && page.contains("Institutions</dd>"),
        "{page}"
    );
    assert!(page.contains("Ministry of Justice"));
    // The new facets filter the list.
    let by_group = b.text("/mechanisms/recommendations?group=human_rights_defenders").await.1;
    assert!(by_group.contains("<p>3 recommendations</p>"), "{by_group}");
    assert!(b.text("/mechanisms/recommendations?sdg_goal=16").await.1.contains("<p>3 recommendations</p>"));
    assert!(b
        .text(&format!("/mechanisms/recommendations?institution={institution}"))
        .await
        .1
        .contains("<p>3 recommendations</p>"));
    // Progress: a bar per institution, linked to its recommendations.
    let progress = b.text("/mechanisms/progress?by=institution").await.1;
    assert!(
        progress.contains("Ministry of Justice") && progress.contains(&format!("institution={institution}")),
        "{progress}"
    );
    assert!(progress.contains("<svg class=\"bar\""));
    let by_cycle = b.text("/mechanisms/progress?by=cycle&state=Cambodia").await.1;
    let cycle2 = cambodia.count("Cambodia", 2, None);
    assert!(by_cycle.contains("Cycle 2") && by_cycle.contains(&format!(">{cycle2}<")), "205 in the corpus: {by_cycle}");
    assert!(b.text("/mechanisms/progress?by=nonsense").await.1.contains("Choose one of the options."));
    // Export: CSV of the filtered list, XLSX, both audited; a GET does nothing.
    let token = b.csrf("/mechanisms/recommendations").await;
    let r = b
        .post_form(
            "/mechanisms/recommendations/export",
            &[("_csrf", &token), ("group", "human_rights_defenders"), ("format", "csv")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let csv = r.text().await.unwrap();
    assert!(csv.contains("sdg_targets") && csv.contains("Institutions"), "{csv}");
    assert_eq!(csv.lines().count(), 4, "header and three rows");
    let r = b.post_form("/mechanisms/recommendations/export", &[("_csrf", &token), ("format", "xlsx")]).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    assert_eq!(b.get("/mechanisms/recommendations/export").await.status().as_u16(), 405);
    // Viewers read progress but neither edit nor export.
    let viewer = server.browser();
    viewer.sign_in_ok("viewer@test.example", PASSWORD).await;
    assert_eq!(viewer.get("/mechanisms/progress").await.status().as_u16(), 200);
    let r = viewer.submit(&page_url, &details, &[("themes", "x")]).await;
    assert_eq!(r.status().as_u16(), 403);
    let t = viewer.csrf("/mechanisms/recommendations").await;
    let r = viewer.post_form("/mechanisms/recommendations/export", &[("_csrf", &t), ("format", "csv")]).await;
    assert_eq!(r.status().as_u16(), 403);
    // The API: details and progress.
    let out = tdb.cli(&["token", "create", "--email", "mech@test.example", "--label", "t"], None);
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let api = reqwest::Client::new();
    let r = api
        .post(format!("{}/api/v1/recommendations/{}/details", server.base, ids[1]))
        .bearer_auth(&token)
        .json(
            &serde_json::json!({"themes": "NHRI", "sdg_targets": "16.a, 10.3", "affected_groups": ["women_and_girls"]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["sdg_targets"], serde_json::json!(["10.3", "16.a"]));
    for (body, field) in [
        (serde_json::json!({"institutions": [424242]}), "institutions"),
        (serde_json::json!({"sdg_targets": "16.99"}), "sdg_targets"),
    ] {
        let r = api
            .post(format!("{}/api/v1/recommendations/{}/details", server.base, ids[1]))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 422);
        assert_eq!(r.json::<Value>().await.unwrap()["error"]["fields"][0]["field"], field);
    }
    assert_eq!(v["cluster"], Value::Null);
    let rows: Value = api
        .get(format!("{}/api/v1/recommendations/progress?by=sdg_goal", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rows[0]["key"], "16");
    assert_eq!(rows[0]["total"], 3);
    let admin = server.browser();
    admin.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    let audit = admin.text("/admin/audit?action=recommendation.export").await.1;
    assert!(audit.contains("3 recommendations, csv"), "{audit}");
    server.stop();
    tdb.drop_database().await;
}

async fn focal_points_see_their_institution_and_report_progress(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "mech@test.example", "mechanisms_officer", "PNH");
    let (cambodia_file, _) = upr_cambodia();
    assert!(tdb.cli(&["import", "upr", cambodia_file.as_str()], None).status.success());
    let mech = server.browser();
    mech.sign_in_ok("mech@test.example", PASSWORD).await;
    for name in ["Ministry of Justice", "Ministry of Interior"] {
        let r = mech
            .submit(
                "/monitoring/organisations",
                "/monitoring/organisations",
                &[("name_en", name), ("name_km", "ក្រសួង"), ("kind", "ministry")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
    }
    let orgs = mech.text("/mechanisms/recommendations?theme=NHRI").await.1;
    let ids: Vec<String> = orgs
        .split("href=\"/mechanisms/recommendations/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().to_string())
        .filter(|p| p.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let (mine, theirs) = (ids[0].clone(), ids[1].clone());
    let page = mech.text(&format!("/mechanisms/recommendations/{mine}")).await.1;
    let option = |name: &str| {
        page.split("name=\"institution\" value=\"")
            .skip(1)
            .find(|p| p.contains(name))
            .map(|p| p.split('"').next().unwrap().to_string())
            .unwrap()
    };
    let (justice, interior) = (option("Ministry of Justice"), option("Ministry of Interior"));
    for (id, org) in [(&mine, &justice), (&theirs, &interior)] {
        let url = format!("/mechanisms/recommendations/{id}");
        let r = mech.submit(&url, &format!("{url}/details"), &[("themes", "NHRI"), ("institution", org)]).await;
        assert_eq!(r.status().as_u16(), 303);
    }
    // The administrator adds a focal point; the institution is required.
    let admin = server.browser();
    admin.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    let account = |institution: &'static str| {
        vec![
            ("name", "Focal Point"),
            ("email", "fp@justice.example"),
            ("role", "focal_point"),
            ("office", "PNH"),
            ("password", PASSWORD),
            ("institution", institution),
        ]
    };
    let r = admin.submit("/admin/users/new", "/admin/users", &account("")).await;
    assert_eq!(r.status().as_u16(), 422);
    let justice_static: &'static str = Box::leak(justice.clone().into_boxed_str());
    let r = admin.submit("/admin/users/new", "/admin/users", &account(justice_static)).await;
    assert_eq!(r.status().as_u16(), 303);
    // The focal point sees their institution's recommendations and nothing else.
    let fp = server.browser();
    fp.sign_in_ok("fp@justice.example", PASSWORD).await;
    let list = fp.text("/mechanisms/recommendations").await.1;
    assert!(list.contains("<p>1 recommendations</p>") || list.contains("<p>1 recommendation</p>"), "{list}");
    assert!(
        list.contains(&format!("/mechanisms/recommendations/{mine}\""))
            && !list.contains(&format!("/mechanisms/recommendations/{theirs}\""))
    );
    let other = fp.get(&format!("/mechanisms/recommendations/{theirs}")).await;
    let missing = fp.get("/mechanisms/recommendations/99999999").await;
    assert_eq!((other.status().as_u16(), missing.status().as_u16()), (404, 404));
    // The same page but for the address asked for (the language link
    // of the menu returns to it).
    let (other, missing) = (other.text().await.unwrap(), missing.text().await.unwrap());
    assert_eq!(without_return_links(&other), without_return_links(&missing), "hidden looks like missing");
    // Even a filter for another institution shows only their own.
    let forced = fp.text(&format!("/mechanisms/recommendations?institution={interior}")).await.1;
    assert!(!forced.contains(&format!("/mechanisms/recommendations/{theirs}\"")), "{forced}");
    for (path, code) in [
        ("/mechanisms/calendar", 403),
        ("/monitoring", 403),
        ("/mechanisms/updates", 403),
        ("/mechanisms/progress", 200),
    ] {
        assert_eq!(fp.get(path).await.status().as_u16(), code, "{path}");
    }
    let mine_url = format!("/mechanisms/recommendations/{mine}");
    let page = fp.text(&mine_url).await.1;
    assert!(!page.contains("Assessments of implementation") && page.contains("Report progress"), "{page}");
    let r = fp
        .submit(
            &mine_url,
            &format!("{mine_url}/assessments"),
            &[("status", "implemented"), ("assessed_on", "2026-11-01")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 403);
    let r = fp.submit(&mine_url, &format!("{mine_url}/details"), &[("themes", "x")]).await;
    assert_eq!(r.status().as_u16(), 403);
    // Reporting progress: checked, then sent; not on another institution's.
    let send = format!("{mine_url}/updates");
    let r = fp.submit(&mine_url, &send, &[("status", "in_progress"), ("text", "")]).await;
    assert_eq!(r.status().as_u16(), 422);
    let r = fp.submit(&mine_url, &send, &[("status", "implemented"), ("text", "The NHRI law was adopted")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let r = fp
        .submit(
            &mine_url,
            &format!("/mechanisms/recommendations/{theirs}/updates"),
            &[("status", "implemented"), ("text", "x")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 404);
    assert!(fp.text(&mine_url).await.1.contains("Waiting for the office"));
    // The office sends it back (a comment is required), then accepts the next one.
    let queue = mech.text("/mechanisms/updates").await.1;
    assert!(queue.contains("The NHRI law was adopted") && queue.contains("Ministry of Justice"), "{queue}");
    let update_id = queue.split("/mechanisms/updates/").nth(1).unwrap().split('/').next().unwrap().to_string();
    let review = format!("/mechanisms/updates/{update_id}/review");
    let r = mech.submit("/mechanisms/updates", &review, &[("decision", "return"), ("comment", "")]).await;
    assert_eq!(r.status().as_u16(), 422);
    let r = mech
        .submit("/mechanisms/updates", &review, &[("decision", "return"), ("comment", "Give the law's number")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = fp.text(&mine_url).await.1;
    assert!(
        page.contains("Sent back") && page.contains("Give the law&#39;s number")
            || page.contains("Give the law's number"),
        "{page}"
    );
    let r =
        fp.submit(&mine_url, &send, &[("status", "implemented"), ("text", "Law No. NS/RKM/0526/001 adopted")]).await;
    assert_eq!(r.status().as_u16(), 303);
    // Through the API this time: the office lists and accepts it.
    let token = |email: &str| {
        let out = tdb.cli(&["token", "create", "--email", email, "--label", "t"], None);
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let (fp_token, mech_token) = (token("fp@justice.example"), token("mech@test.example"));
    let api = reqwest::Client::new();
    let pending: Value = api
        .get(format!("{}/api/v1/progress-updates", server.base))
        .bearer_auth(&mech_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(pending.as_array().unwrap().len(), 1);
    let pid = pending[0]["id"].as_i64().unwrap();
    assert_eq!(
        api.get(format!("{}/api/v1/progress-updates", server.base))
            .bearer_auth(&fp_token)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        403
    );
    let r = api
        .post(format!("{}/api/v1/progress-updates/{pid}/review", server.base))
        .bearer_auth(&mech_token)
        .json(&serde_json::json!({"accept": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let page = fp.text(&mine_url).await.1;
    assert!(page.contains("<dd>Implemented</dd>") && page.contains("Accepted"), "{page}");
    let office_page = mech.text(&mine_url).await.1;
    assert!(
        office_page.contains("Law No. NS/RKM/0526/001 adopted")
            && office_page.contains("Ministry of Justice (Focal Point)"),
        "the accepted update is an assessment"
    );
    // The focal point's API: their list only, no assessments, 404 elsewhere.
    let v: Value = api
        .get(format!("{}/api/v1/recommendations", server.base))
        .bearer_auth(&fp_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["facets"]["total"], 1);
    let one: Value = api
        .get(format!("{}/api/v1/recommendations/{mine}", server.base))
        .bearer_auth(&fp_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one["assessments"], Value::Null);
    assert_eq!(one["updates"].as_array().unwrap().len(), 2);
    let r = api
        .get(format!("{}/api/v1/recommendations/{theirs}", server.base))
        .bearer_auth(&fp_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let r = api
        .post(format!("{}/api/v1/recommendations/{mine}/updates", server.base))
        .bearer_auth(&fp_token)
        .json(&serde_json::json!({"status": "regressed", "text": "The law was suspended"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let r = api.get(format!("{}/api/v1/reporting-events", server.base)).bearer_auth(&fp_token).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    server.stop();
    tdb.drop_database().await;
}

async fn actions_indicators_and_raised_recommendations(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "member@test.example", "officer", "PNH");
    add_user(&tdb, "outsider@test.example", "officer", "PNH");
    let (cambodia_file, _) = upr_cambodia();
    assert!(tdb.cli(&["import", "upr", cambodia_file.as_str()], None).status.success());
    let b = server.browser();
    b.sign_in_ok("member@test.example", PASSWORD).await;
    let r = b
        .submit(
            "/monitoring/organisations",
            "/monitoring/organisations",
            &[("name_en", "Ministry of Justice"), ("name_km", "ក្រសួងយុត្តិធម៌"), ("kind", "ministry")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let list = b.text("/mechanisms/recommendations?theme=NHRI").await.1;
    let rid = list
        .split("href=\"/mechanisms/recommendations/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().to_string())
        .find(|p| p.chars().all(|c| c.is_ascii_digit()))
        .unwrap();
    // An action: checked, created, measured and linked.
    let r = b.submit("/mechanisms/actions", "/mechanisms/actions", &[("title", ""), ("due_on", "2027-02-30")]).await;
    assert_eq!(r.status().as_u16(), 422);
    let page = b.text("/mechanisms/actions").await.1;
    let ministry = page
        .split("<option value=\"")
        .skip(1)
        .find(|p| p.contains("Ministry of Justice"))
        .map(|p| p.split('"').next().unwrap().to_string())
        .unwrap();
    let r = b
        .submit(
            "/mechanisms/actions",
            "/mechanisms/actions",
            &[
                ("title", "Draft the law on the NHRI"),
                ("organisation_id", &ministry),
                ("due_on", "2027-06-30"),
                ("status", "ongoing"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let action_url = r.headers()["location"].to_str().unwrap().to_string();
    let r = b.submit(&action_url, &format!("{action_url}/indicators"), &[("name", ""), ("target", "5")]).await;
    assert_eq!(r.status().as_u16(), 422);
    let r = b
        .submit(
            &action_url,
            &format!("{action_url}/indicators"),
            &[("name", "Consultations held"), ("baseline", "0"), ("target", "5"), ("current", "1")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = b.text(&action_url).await.1;
    let indicator =
        page.split(&format!("{action_url}/indicators/")).nth(1).unwrap().split('"').next().unwrap().to_string();
    let r = b.submit(&action_url, &format!("{action_url}/indicators/{indicator}"), &[("current", "3")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let r = b.submit(&action_url, &format!("{action_url}/recommendations"), &[("recommendation_id", "99999999")]).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("There is no recommendation with this number."));
    // Found by its words, not its number: the box offers what has them.
    let page = b.text(&format!("{action_url}?find=Paris+Principles")).await.1;
    let offered: Vec<String> = page
        .split("name=\"recommendation_id\" value=\"")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().to_string())
        .collect();
    assert!(!offered.is_empty() && offered.len() <= 10, "{page}");
    for id in &offered {
        let text = b.text(&format!("/mechanisms/recommendations/{id}")).await.1;
        assert!(text.to_lowercase().contains("paris principles"), "recommendation {id} was offered for words it lacks");
    }
    let r =
        b.submit(&action_url, &format!("{action_url}/recommendations"), &[("recommendation_id", &offered[0])]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(b.text(&action_url).await.1.contains(&format!("/mechanisms/recommendations/{}", offered[0])));
    let none = b.text(&format!("{action_url}?find=zqxv+nothing")).await.1;
    assert!(none.contains("No recommendation you may see has these words.") && none.contains("Recommendation number"));
    let r = b.submit(&action_url, &format!("{action_url}/recommendations"), &[("recommendation_id", &rid)]).await;
    assert_eq!(r.status().as_u16(), 303);
    let list = b.text("/mechanisms/actions").await.1;
    assert!(
        list.contains("Consultations held: 0 → 5 (3)")
            && list.contains("Ongoing")
            && list.contains("Ministry of Justice"),
        "{list}"
    );
    let rec_url = format!("/mechanisms/recommendations/{rid}");
    assert!(b.text(&rec_url).await.1.contains("Draft the law on the NHRI"), "the recommendation shows its action");
    // Interventions of cases raise the recommendation; a restricted case's stays hidden.
    let mut cases = vec![];
    for (title, sensitivity) in [("Open letter case", "normal"), ("Quietpine restricted case", "restricted")] {
        let r = b
            .submit("/monitoring/cases/new", "/monitoring/cases", &[("title", title), ("sensitivity", sensitivity)])
            .await;
        let case = r.headers()["location"].to_str().unwrap().to_string();
        let r = b
            .submit(
                &format!("{case}/interventions/new"),
                &format!("{case}/interventions"),
                &[
                    ("organisation_id", &ministry),
                    ("kind", "letter"),
                    ("date", "2026-10-01"),
                    ("request", &format!("Raise the NHRI law ({title})")),
                    ("status", "sent"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303, "{title}");
        let page = b.text(&case).await.1;
        let iv = page
            .split("name=\"intervention_id\"><option value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        // The raise form finds the recommendation by its words too.
        let found = b.text(&format!("{case}?find=Paris+Principles")).await.1;
        assert!(found.contains("name=\"recommendation_id\" value=\""), "{found}");
        let r =
            b.submit(&case, &format!("{case}/raise"), &[("intervention_id", &iv), ("recommendation_id", &rid)]).await;
        assert_eq!(r.status().as_u16(), 303);
        assert!(b.text(&case).await.1.contains("Recommendations these interventions raise"));
        cases.push(case);
    }
    let page = b.text(&rec_url).await.1;
    assert!(page.contains("Open letter case") && page.contains("Quietpine restricted case"), "{page}");
    let outsider = server.browser();
    outsider.sign_in_ok("outsider@test.example", PASSWORD).await;
    let seen = outsider.text(&rec_url).await.1;
    assert!(seen.contains("Open letter case") && !seen.contains("Quietpine"), "{seen}");
    // The outsider cannot attach anything to the restricted case either.
    let r = outsider
        .submit(&rec_url, &format!("{}/raise", cases[1]), &[("intervention_id", "1"), ("recommendation_id", &rid)])
        .await;
    assert_eq!(r.status().as_u16(), 404);
    // The API lists actions with their indicators.
    let out = tdb.cli(&["token", "create", "--email", "member@test.example", "--label", "t"], None);
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let api = reqwest::Client::new();
    let v: Value = api
        .get(format!("{}/api/v1/actions", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v[0]["indicators"][0]["current"], "3");
    let linked: Vec<String> =
        v[0]["recommendation_ids"].as_array().unwrap().iter().map(|id| id.as_i64().unwrap().to_string()).collect();
    assert!(linked.contains(&rid) && linked.contains(&offered[0]) && linked.len() == 2, "{linked:?}");
    let r = api
        .post(format!("{}/api/v1/actions", server.base))
        .bearer_auth(&token)
        .json(&serde_json::json!({"title": "Train judges", "organisation_id": "424242"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    server.stop();
    tdb.drop_database().await;
}

async fn treaty_body_recommendations_through_a_column_mapping(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "mech@test.example", "mechanisms_officer", "PNH");
    let dir = tempfile::tempdir().unwrap();
    // Concluding observations as an office keeps them: its own headings.
    let table = rightsdesk_export::Table {
        headers: ["Committee", "Symbol", "Para", "Recommendation", "Adopted", "Topics"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        rows: vec![
            vec![
                "CCPR",
                "CCPR/C/KHM/CO/3",
                "11",
                "Ensure the full independence of the judiciary",
                "2022-04",
                "Judiciary",
            ],
            vec!["CCPR", "CCPR/C/KHM/CO/3", "21", "Guarantee peaceful assembly", "2022-04", "Assembly; Civic space"],
            vec!["CRC", "CRC/C/KHM/CO/4-6", "", "", "2022-06", ""],
        ]
        .into_iter()
        .map(|r| r.into_iter().map(str::to_string).collect())
        .collect(),
    };
    let xlsx = dir.path().join("concluding-observations.xlsx");
    std::fs::write(&xlsx, rightsdesk_export::to_xlsx(&table, "CO").unwrap()).unwrap();
    let maps = [
        "--map",
        "mechanism_code=Committee",
        "--map",
        "document_symbol=Symbol",
        "--map",
        "paragraph=Para",
        "--map",
        "text=Recommendation",
        "--map",
        "issued_on=Adopted",
        "--map",
        "themes=Topics",
    ];
    let mut args = vec!["import", "recommendations", xlsx.to_str().unwrap()];
    args.extend_from_slice(&maps);
    let out = tdb.cli(&args, None);
    let (stdout, stderr) = said(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stdout.starts_with("2 added, 0 updated, 0 unchanged, 1 rejected"), "{stdout}");
    assert!(stderr.contains("line 4, column Recommendation: required"), "{stderr}");
    let out = tdb.cli(&args, None);
    assert!(said(&out).0.starts_with("0 added, 0 updated, 2 unchanged, 1 rejected"), "{:?}", said(&out));
    // A mapping that names a column the file lacks: the file's columns are listed, nothing imported.
    let mut wrong = vec!["import", "recommendations", xlsx.to_str().unwrap(), "--map", "text=Text"];
    wrong.extend_from_slice(&["--mechanism", "CCPR"]);
    let out = tdb.cli(&wrong, None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        said(&out).1.contains("columns in the file: Committee, Symbol, Para, Recommendation, Adopted, Topics"),
        "{:?}",
        said(&out)
    );
    let b = server.browser();
    b.sign_in_ok("mech@test.example", PASSWORD).await;
    let list = b.text("/mechanisms/recommendations?mechanism=CCPR").await.1;
    assert!(list.contains("<p>2 recommendations</p>") && list.contains("Guarantee peaceful assembly"), "{list}");
    let rid = list
        .split("href=\"/mechanisms/recommendations/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().to_string())
        .find(|p| p.chars().all(|c| c.is_ascii_digit()))
        .unwrap();
    let page = b.text(&format!("/mechanisms/recommendations/{rid}")).await.1;
    assert!(page.contains("CCPR/C/KHM/CO/3") && page.contains("Human Rights Committee"), "{page}");
    // The same through the web form, from a CSV, for a special procedure.
    let upload = |csv: &'static str, text_column: &'static str, mode: &'static str| {
        let b = &b;
        async move {
            let token = b.csrf("/mechanisms/import").await;
            let form = reqwest::multipart::Form::new()
                .text("_csrf", token)
                .text("mode", mode)
                .text("mechanism", "SR-CAMBODIA")
                .text("state", "Cambodia")
                .text("map_text", text_column)
                .text("map_document_symbol", "Report")
                .part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("sr.csv"));
            let r = b.http.post(b.url("/mechanisms/import/mapped")).multipart(form).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let csv = "Report,Recommendation\nA/HRC/54/75,Release detained land activists\n";
    let (status, html) = upload(csv, "Text", "import").await;
    assert_eq!(status, 422);
    assert!(html.contains("<code>Report, Recommendation</code>"), "{html}");
    let (status, html) = upload(csv, "Recommendation", "import").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("1 added, 0 updated, 0 unchanged, 0 rejected."), "{html}");
    let sr = b.text("/mechanisms/recommendations?mechanism=SR-CAMBODIA").await.1;
    assert!(sr.contains("Release detained land activists"), "{sr}");
    // A thematic mandate the office adds, then imports for.
    let add = |code: &'static str| {
        let b = &b;
        async move {
            b.submit(
                "/mechanisms/mechanisms",
                "/mechanisms/mechanisms",
                &[
                    ("code", code),
                    ("kind", "special_procedure"),
                    ("name_en", "Special Rapporteur on human rights defenders"),
                    ("name_km", "អ្នករាយការណ៍ពិសេសស្តីពីអ្នកការពារសិទ្ធិមនុស្ស"),
                ],
            )
            .await
        }
    };
    assert_eq!(add("sr hrd!").await.status().as_u16(), 422);
    assert_eq!(add("sr-hrd").await.status().as_u16(), 303);
    assert_eq!(add("SR-HRD").await.status().as_u16(), 422, "the code is taken");
    assert!(b.text("/mechanisms/mechanisms").await.1.contains("Special Rapporteur on human rights defenders"));
    let csv2 = "Report,Recommendation\nA/HRC/55/50,Protect defenders from reprisals\n";
    let token = b.csrf("/mechanisms/import").await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("mode", "import")
        .text("mechanism", "SR-HRD")
        .text("state", "Cambodia")
        .text("map_text", "Recommendation")
        .part("file", reqwest::multipart::Part::bytes(csv2.as_bytes().to_vec()).file_name("hrd.csv"));
    let r = b.http.post(b.url("/mechanisms/import/mapped")).multipart(form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(b
        .text("/mechanisms/recommendations?mechanism=SR-HRD")
        .await
        .1
        .contains("Protect defenders from reprisals"));
    server.stop();
    tdb.drop_database().await;
}

async fn treaties_of_cambodia_and_other_states(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "mech@test.example", "mechanisms_officer", "PNH");
    add_user(&tdb, "viewer@test.example", "viewer", "PNH");
    let b = server.browser();
    b.sign_in_ok("mech@test.example", PASSWORD).await;
    // Cambodia ships: party to OP-CEDAW, so individual complaints under CEDAW are accepted.
    let page = b.text("/mechanisms/treaties").await.1;
    assert!(page.contains("Treaties: Cambodia") && page.contains("Accepted: party to OP-CEDAW"), "{page}");
    assert!(page.contains("Cambodia is not yet a party to"), "{page}");
    assert_eq!(b.get("/mechanisms/treaties?state=Thailand").await.status().as_u16(), 404);
    // Other States from the UN Treaty Collection tables (in testdata/): the
    // 2015 scrape, then the 2022 status.
    let participation_2015 = rightsdesk_testdata::repo("treaties/untc_hr_treaty_participation_2015.csv");
    let status_2022 = rightsdesk_testdata::repo("treaties/un_members_hr_treaty_status_2022.csv");
    let (participation_2015, status_2022) = (participation_2015.to_str().unwrap(), status_2022.to_str().unwrap());
    let out = tdb.cli(&["treaties", "import", "--dry-run", participation_2015], None);
    assert!(said(&out).0.contains("all valid (dry run"), "{:?}", said(&out));
    let out = tdb.cli(&["treaties", "import", participation_2015], None);
    assert!(out.status.success(), "{:?}", said(&out));
    assert!(said(&out).0.starts_with("imported "), "{:?}", said(&out));
    let out = tdb.cli(&["treaties", "import", status_2022], None);
    assert!(out.status.success(), "{:?}", said(&out));
    let thai = b.text("/mechanisms/treaties?state=Thailand").await.1;
    assert!(thai.contains("Treaties: Thailand") && thai.contains("ICCPR"), "{thai}");
    assert!(thai.contains("29 Oct 1996"), "the dated 2015 row stays when 2022 says the same: {thai}");
    let home = b.text("/mechanisms/treaties").await.1;
    let body = |html: &str| html[html.find("<tbody>").unwrap()..html.find("</tbody>").unwrap()].to_string();
    assert_eq!(body(&home), body(&page), "Cambodia's shipped status is not replaced by the imports");
    // A bad file is refused whole.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "untc_id,treaty_code,is_core_instrument,participant,signature_date,signature_type,consent_date,consent_type\nIV-4,ICCPR,yes,Narnia,,,29 Oct 1996,accession\n").unwrap();
    let out = tdb.cli(&["treaties", "import", bad.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(said(&out).1.contains("line 2, column consent_date: invalid-day"), "{:?}", said(&out));
    // Reservations, declarations and complaints, recorded by the office.
    let r = b
        .submit(
            "/mechanisms/treaties",
            "/mechanisms/treaties/CAT/commitment",
            &[
                ("state", "Cambodia"),
                ("reservations", "None"),
                ("declarations", "No declaration under article 22"),
                ("individual_complaints", "not_accepted"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = b.text("/mechanisms/treaties").await.1;
    assert!(page.contains("No declaration under article 22") && page.contains("Not accepted"), "{page}");
    let r = b
        .submit(
            "/mechanisms/treaties",
            "/mechanisms/treaties/CAT/commitment",
            &[("state", "Cambodia"), ("individual_complaints", "perhaps")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let viewer = server.browser();
    viewer.sign_in_ok("viewer@test.example", PASSWORD).await;
    assert_eq!(viewer.get("/mechanisms/treaties").await.status().as_u16(), 200);
    let r =
        viewer.submit("/mechanisms/treaties", "/mechanisms/treaties/CAT/commitment", &[("state", "Cambodia")]).await;
    assert_eq!(r.status().as_u16(), 403);
    let out = tdb.cli(&["token", "create", "--email", "viewer@test.example", "--label", "t"], None);
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let v: Value = reqwest::Client::new()
        .get(format!("{}/api/v1/treaties?state=Cambodia", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(v["ratifications"].as_array().unwrap().len() >= 17);
    assert_eq!(v["commitments"][0]["individual_complaints"], "not_accepted");
    server.stop();
    tdb.drop_database().await;
}
