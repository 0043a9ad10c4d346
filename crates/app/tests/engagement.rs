//! Engagement end to end (issue 19), on both backends: the stakeholder
//! directory with kinds, parents, provinces and relations; contacts, an
//! official's in clear and a civil society contact's sealed, named only to
//! the office that keeps them (every view audited), recognised when typed
//! another way and merged within one office only; the dialogue log with
//! links checked against what the user may see and follow-up actions on
//! "My follow-ups"; the JSON API and search. Through the real forms (with
//! CSRF) and the API.

mod common;

use common::*;
use serde_json::Value;

both!(directory_contacts_and_dialogue_log);

fn id_after(location: &str, prefix: &str) -> String {
    location.split(prefix).nth(1).unwrap().split(['/', '#', '?']).next().unwrap().to_string()
}

/// The id in the first `/engagement/contacts/{id}` link whose text contains `label`.
fn contact_link(page: &str, label: &str) -> String {
    page.split("/engagement/contacts/")
        .skip(1)
        .find(|rest| rest.split('<').next().is_some_and(|link| link.contains(label)))
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .unwrap_or_else(|| panic!("no contact {label} in {page}"))
}

async fn create_org(b: &Browser, fields: &[(&str, &str)]) -> String {
    let r = b.submit("/engagement/organisations/new", "/engagement/organisations", fields).await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    id_after(r.headers()["location"].to_str().unwrap(), "/engagement/organisations/")
}

async fn directory_contacts_and_dialogue_log(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "pnh@test.example", "officer", "PNH");
    add_user(&tdb, "team@test.example", "officer", "PNH");
    add_user(&tdb, "btb@test.example", "officer", "BTB");
    add_user(&tdb, "analyst@test.example", "analyst", "PNH");
    let pnh = server.browser();
    pnh.sign_in_ok("pnh@test.example", PASSWORD).await;
    let team = server.browser();
    team.sign_in_ok("team@test.example", PASSWORD).await;
    let btb = server.browser();
    btb.sign_in_ok("btb@test.example", PASSWORD).await;
    let analyst = server.browser();
    analyst.sign_in_ok("analyst@test.example", PASSWORD).await;
    let pnh_token = tdb.api_token("pnh@test.example");
    let btb_token = tdb.api_token("btb@test.example");

    // The directory: field errors first, nothing written.
    let r = pnh
        .submit("/engagement/organisations/new", "/engagement/organisations", &[("name_en", "Ministry of Justice")])
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("This field is required.") && page.contains("Choose one of the options."), "{page}");
    assert!(pnh.text("/engagement").await.1.contains("No organisations yet."));
    let justice =
        create_org(&pnh, &[("name_en", "Ministry of Justice"), ("name_km", "ក្រសួងយុត្តិធម៌"), ("kind", "ministry")]).await;
    let r = pnh
        .submit(
            "/engagement/organisations/new",
            "/engagement/organisations",
            &[("name_en", "Ministry of Justice"), ("name_km", "x"), ("kind", "ministry")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("An organisation with this name already exists."));
    let dept = create_org(
        &pnh,
        &[
            ("name_en", "Battambang Department of Justice"),
            ("name_km", "មន្ទីរយុត្តិធម៌ខេត្តបាត់ដំបង"),
            ("kind", "provincial_authority"),
            ("parent_id", &justice),
            ("province_code", "02"),
        ],
    )
    .await;
    let ngo = create_org(
        &pnh,
        &[
            ("name_en", "Land Rights Network"),
            ("name_km", "បណ្តាញសិទ្ធិដីធ្លី"),
            ("acronym", "LRN"),
            ("kind", "civil_society"),
            ("province_code", "02"),
        ],
    )
    .await;
    // An unknown province is refused on its field.
    let r = pnh
        .submit(
            "/engagement/organisations/new",
            "/engagement/organisations",
            &[("name_en", "Nowhere Office"), ("name_km", "គ្មាន"), ("kind", "ministry"), ("province_code", "99")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Choose one from the list."));
    // A parent inside its own unit is refused with a field message.
    let r = pnh
        .submit(
            &format!("/engagement/organisations/{justice}/edit"),
            &format!("/engagement/organisations/{justice}"),
            &[("name_en", "Ministry of Justice"), ("name_km", "ក្រសួងយុត្តិធម៌"), ("kind", "ministry"), ("parent_id", &dept)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("cannot be part of itself"));
    // The view by kind and province, and a name in Khmer.
    let list = pnh.text("/engagement?province=02").await.1;
    assert!(list.contains("Battambang Department of Justice") && list.contains("Land Rights Network"), "{list}");
    assert!(!list.contains(&format!("/engagement/organisations/{justice}\"")), "{list}");
    let list = pnh.text("/engagement?kind=civil_society").await.1;
    assert!(list.contains("Land Rights Network") && !list.contains("Battambang Department"), "{list}");
    assert!(pnh
        .text(&format!("/engagement?q={}", enc("យុត្តិធម៌ខេត្ត")))
        .await
        .1
        .contains("Battambang Department of Justice"));
    assert_eq!(pnh.get("/engagement?kind=embassy").await.status().as_u16(), 400);
    assert_eq!(analyst.get("/engagement").await.status().as_u16(), 403);
    // Relations, read from both ends.
    let r = pnh
        .submit(
            &format!("/engagement/organisations/{justice}"),
            &format!("/engagement/organisations/{justice}/relations"),
            &[("kind", "oversees"), ("to_id", &dept)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = pnh.text(&format!("/engagement/organisations/{dept}")).await.1;
    assert!(page.contains("is overseen by") && page.contains("Ministry of Justice"), "{page}");
    let page = pnh.text(&format!("/engagement/organisations/{justice}")).await.1;
    assert!(page.contains("Battambang Department of Justice"), "units under it: {page}");

    // Contacts: an official in clear, a civil society contact sealed.
    let r = pnh
        .submit(
            &format!("/engagement/organisations/{dept}"),
            "/engagement/contacts",
            &[
                ("organisation_id", &dept),
                ("name", "Chea Sophal"),
                ("position", "Director"),
                ("phone", "+855 53 952 000"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = pnh
        .submit(
            &format!("/engagement/organisations/{ngo}"),
            "/engagement/contacts",
            &[("organisation_id", &ngo), ("name", "Sok Chantha"), ("position", "Coordinator"), ("phone", "call me")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Write the number with digits"));
    let r = pnh
        .submit(
            &format!("/engagement/organisations/{ngo}"),
            "/engagement/contacts",
            &[
                ("organisation_id", &ngo),
                ("name", "Sok Chantha"),
                ("position", "Coordinator"),
                ("phone", "+855 12 777 313"),
                ("email", "chantha@lrn.example"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = pnh.text(&format!("/engagement/organisations/{ngo}")).await.1;
    assert!(page.contains("Sok Chantha") && page.contains("+855 12 777 313"), "{page}");
    let chantha = contact_link(&page, "Sok Chantha");
    // Another office sees that a contact exists, never who it is.
    let page = btb.text(&format!("/engagement/organisations/{ngo}")).await.1;
    assert!(!page.contains("Chantha") && !page.contains("777 313") && page.contains(&format!("C-{chantha}")), "{page}");
    let page = btb.text(&format!("/engagement/contacts/{chantha}")).await.1;
    assert!(!page.contains("Chantha") && !page.contains("lrn.example"), "{page}");
    let r = btb
        .submit(
            &format!("/engagement/contacts/{chantha}"),
            &format!("/engagement/contacts/{chantha}"),
            &[("organisation_id", &ngo), ("name", "Renamed")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 403);
    // A change of kind that would decide anew whether its contacts are
    // sealed is refused while it has contacts.
    let r = pnh
        .submit(
            &format!("/engagement/organisations/{dept}/edit"),
            &format!("/engagement/organisations/{dept}"),
            &[
                ("name_en", "Battambang Department of Justice"),
                ("name_km", "មន្ទីរយុត្តិធម៌ខេត្តបាត់ដំបង"),
                ("kind", "civil_society"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Move its contacts to another organisation first."));
    let official = btb.text(&format!("/engagement/organisations/{dept}")).await.1;
    assert!(official.contains("Chea Sophal") && official.contains("+855 53 952 000"), "officials in clear: {official}");
    let api: Value = server.api_json(&btb_token, &format!("/api/v1/organisations/{ngo}")).await;
    assert_eq!(api["contacts"][0]["name"], Value::Null, "{api}");
    let api: Value = server.api_json(&pnh_token, &format!("/api/v1/organisations/{ngo}")).await;
    assert_eq!(api["contacts"][0]["name"], "Sok Chantha", "{api}");
    // Who saw the name is in the audit log; the name is not.
    let events = server.api_json(&tdb.api_token(ADMIN_EMAIL), "/api/v1/audit?action=contact.&limit=1000").await;
    let text = serde_json::to_string(&events).unwrap();
    assert!(text.contains("contact.identifying_view") && text.contains("contact.create"), "{text}");
    assert!(!text.contains("Chantha"), "{text}");

    // The same person typed the Khmer way, without the space and with a
    // zero-width space, is suggested as a duplicate and merged.
    let r = pnh
        .submit(
            &format!("/engagement/organisations/{ngo}"),
            "/engagement/contacts",
            &[("organisation_id", &ngo), ("name", "Sok\u{200b}Chantha"), ("position", "Coordinator")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = pnh.text(&format!("/engagement/organisations/{ngo}")).await.1;
    let again = page
        .split("/engagement/contacts/")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .find(|id| *id != chantha)
        .unwrap();
    let page = pnh.text(&format!("/engagement/contacts/{again}")).await.1;
    assert!(page.contains("The same person?") && page.contains(&format!("/engagement/contacts/{chantha}")), "{page}");
    // Merging into a contact another office keeps is refused, nothing changed.
    let r = btb
        .submit(
            &format!("/engagement/organisations/{ngo}"),
            "/engagement/contacts",
            &[("organisation_id", &ngo), ("name", "Mao Dara")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let theirs = contact_link(&btb.text(&format!("/engagement/organisations/{ngo}")).await.1, "Mao Dara");
    let r = pnh
        .submit(
            &format!("/engagement/contacts/{again}"),
            &format!("/engagement/contacts/{again}/merge"),
            &[("into", &theirs)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("kept by another office"));
    assert_eq!(pnh.get(&format!("/engagement/contacts/{again}")).await.status().as_u16(), 200);
    let r = pnh
        .submit(
            &format!("/engagement/contacts/{again}"),
            &format!("/engagement/contacts/{again}/merge"),
            &[("into", &chantha)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(pnh.get(&format!("/engagement/contacts/{again}")).await.status().as_u16(), 404);

    // The dialogue log: a restricted case the user may not see is refused
    // as unknown, nothing written; a visible one links.
    let team_token = tdb.api_token("team@test.example");
    let case_of = |title: &'static str, sensitivity: &'static str| {
        let (base, token) = (server.base.clone(), team_token.clone());
        async move {
            let r = reqwest::Client::new()
                .post(format!("{base}/api/v1/cases"))
                .bearer_auth(token)
                .json(&serde_json::json!({"title": title, "province": "02", "start_date": "2026-05", "sensitivity": sensitivity}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 201);
            r.json::<Value>().await.unwrap()["id"].to_string()
        }
    };
    let open = case_of("Land dispute in Bavel", "normal").await;
    let secret = case_of("Threats against a witness", "restricted").await;
    let meeting = |case: &str| {
        vec![
            ("kind".to_string(), "meeting".to_string()),
            ("held_on".to_string(), "2026-11-20".to_string()),
            ("title".to_string(), "Pre-trial detention in Battambang".to_string()),
            ("organisation_ids".to_string(), dept.clone()),
            ("organisation_ids".to_string(), ngo.clone()),
            ("contact_ids".to_string(), chantha.clone()),
            ("topics".to_string(), "detention".to_string()),
            ("summary".to_string(), "The department agreed to review the files.".to_string()),
            ("case_ids".to_string(), case.to_string()),
        ]
    };
    let post_meeting = |fields: Vec<(String, String)>| async {
        let token = pnh.csrf("/engagement/meetings/new").await;
        let mut all = vec![("_csrf".to_string(), token)];
        all.extend(fields);
        pnh.http.post(pnh.url("/engagement/meetings")).form(&all).send().await.unwrap()
    };
    let r = post_meeting(meeting(&secret)).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Choose one from the list."));
    assert!(pnh.text("/engagement/meetings").await.1.contains("No meetings recorded."));
    let r = post_meeting(meeting(&open)).await;
    assert_eq!(r.status().as_u16(), 303);
    let m = id_after(r.headers()["location"].to_str().unwrap(), "/engagement/meetings/");
    let page = pnh.text(&format!("/engagement/meetings/{m}")).await.1;
    assert!(page.contains("Battambang Department of Justice") && page.contains("Land Rights Network"), "{page}");
    assert!(page.contains("Sok Chantha") && page.contains(&format!("/monitoring/cases/{open}")), "{page}");
    let case_page = pnh.text(&format!("/monitoring/cases/{open}")).await.1;
    assert!(case_page.contains(&format!("/engagement/meetings/{m}")), "the meeting on the case's page: {case_page}");
    let page = btb.text(&format!("/engagement/meetings/{m}")).await.1;
    assert!(!page.contains("Chantha") && page.contains(&format!("C-{chantha}")), "{page}");
    let log = pnh.text(&format!("/engagement/meetings?organisation={ngo}")).await.1;
    assert!(log.contains("Pre-trial detention in Battambang"), "{log}");
    assert!(pnh.text("/engagement/meetings?from=2026-12-01").await.1.contains("No meetings recorded."));
    // The API says the same, with a stable code.
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/meetings", server.base))
        .bearer_auth(&pnh_token)
        .json(&serde_json::json!({"kind": "call", "held_on": "2026-11-21", "title": "Call", "organisation_ids": ngo, "case_ids": secret}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "case_ids", "{body}");
    let listed = server.api_json(&pnh_token, "/api/v1/meetings").await;
    assert_eq!(listed["total"], 1, "{listed}");

    // A meeting the team linked to its restricted case, edited by someone
    // outside the team: the form does not show the case, and saving keeps it.
    let r = team
        .submit(
            "/engagement/meetings/new",
            "/engagement/meetings",
            &[
                ("kind", "call"),
                ("held_on", "2026-11-22"),
                ("title", "Call about the witness"),
                ("organisation_ids", &dept),
                ("case_ids", &secret),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let call = id_after(r.headers()["location"].to_str().unwrap(), "/engagement/meetings/");
    let form = pnh.text(&format!("/engagement/meetings/{call}/edit")).await.1;
    assert!(form.contains("name=\"case_ids\" value=\"\""), "the restricted case is not on the form: {form}");
    let r = pnh
        .submit(
            &format!("/engagement/meetings/{call}/edit"),
            &format!("/engagement/meetings/{call}"),
            &[
                ("kind", "call"),
                ("held_on", "2026-11-22"),
                ("title", "Call about the hearing"),
                ("organisation_ids", &dept),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let seen = server.api_json(&team_token, &format!("/api/v1/meetings/{call}")).await;
    assert_eq!(seen["meeting"]["title"], "Call about the hearing");
    assert_eq!(seen["case_ids"][0].to_string(), secret, "the hidden link is kept: {seen}");

    // A follow-up action: on its owner's "My follow-ups" until done.
    let me = server.api_json(&pnh_token, "/api/v1/me").await["id"].to_string();
    let r = pnh
        .submit(
            &format!("/engagement/meetings/{m}"),
            &format!("/engagement/meetings/{m}/actions"),
            &[("action", "Send the list of detainees"), ("owner_id", &me), ("due_on", "2026-01-10")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = pnh
        .submit(
            &format!("/engagement/meetings/{m}"),
            &format!("/engagement/meetings/{m}/actions"),
            &[("action", "x"), ("due_on", "2026-13-40")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let follow = pnh.text("/monitoring/follow-ups").await.1;
    assert!(follow.contains("Send the list of detainees") && follow.contains("overdue"), "{follow}");
    let detail = server.api_json(&pnh_token, &format!("/api/v1/meetings/{m}")).await;
    let action = detail["actions"][0]["id"].to_string();
    let r = pnh
        .submit(
            &format!("/engagement/meetings/{m}"),
            &format!("/engagement/meetings/{m}/actions/{action}"),
            &[("done", "1")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(!pnh.text("/monitoring/follow-ups").await.1.contains("Send the list of detainees"));

    // Search finds the meeting by its subject, never by its summary.
    let found = |q: &'static str| {
        let b = &pnh;
        async move {
            for _ in 0..40 {
                let page = b.text(&format!("/search?q={q}")).await.1;
                if page.contains("/engagement/meetings/") {
                    return true;
                }
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            }
            false
        }
    };
    assert!(found("pre-trial").await);
    assert!(!found("agreed").await, "the summary is not indexed");
    server.stop();
    // The civil society contact's phone is not in the database file in clear.
    if db == Db::Sqlite {
        assert!(!file_contains(&tdb.sqlite_path(), b"777 313"));
    }
    tdb.drop_database().await;
}
