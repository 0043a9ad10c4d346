//! Legislation end to end (issue 18), on both backends: the register, stages,
//! versions from DOCX, PDF and pasted text (and the files that cannot be
//! read, refused with nothing stored), comments that move to the next
//! version, the Government's response, the links that make case →
//! recommendation → law walkable both ways, a focal point who sees only
//! linked laws, the analysis as PDF and DOCX, the calendar and search, the
//! JSON API. Through the real forms (with CSRF) and the API.

mod common;

use common::*;
use serde_json::Value;
use std::io::Write;

both!(laws_through_forms_api_and_exports);

/// A Word document whose paragraphs are `lines`.
fn docx(lines: &[&str]) -> Vec<u8> {
    let body: String =
        lines.iter().map(|l| format!("<w:p><w:r><w:t xml:space=\"preserve\">{l}</w:t></w:r></w:p>")).collect();
    let xml = format!(
        "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("[Content_Types].xml", opts).unwrap();
        z.write_all(b"<Types/>").unwrap();
        z.start_file("word/document.xml", opts).unwrap();
        z.write_all(xml.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    out.into_inner()
}

/// 200 MiB of spaces in a document part: a few hundred kB compressed.
fn zip_bomb() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("word/document.xml", opts).unwrap();
        let block = vec![b' '; 1024 * 1024];
        for _ in 0..200 {
            z.write_all(&block).unwrap();
        }
        z.finish().unwrap();
    }
    out.into_inner()
}

/// Uploads a version through the law page's form.
async fn upload(
    b: &Browser,
    law: &str,
    label: &str,
    dated: &str,
    file: Option<(&str, Vec<u8>)>,
    pasted: &str,
) -> reqwest::Response {
    let token = b.csrf(&format!("/legislation/laws/{law}")).await;
    let mut form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("label", label.to_string())
        .text("dated", dated.to_string())
        .text("source", "Ministry of Interior website")
        .text("pasted", pasted.to_string());
    if let Some((name, bytes)) = file {
        form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
    }
    b.http.post(b.url(&format!("/legislation/laws/{law}/versions"))).multipart(form).send().await.unwrap()
}

fn id_after(location: &str, prefix: &str) -> String {
    location.split(prefix).nth(1).unwrap().split(['/', '#', '?']).next().unwrap().to_string()
}

/// The value of the `<option>` whose label contains `label` in the select named `name`.
fn option_value(page: &str, name: &str, label: &str) -> String {
    let select = page.split(&format!("name=\"{name}\"")).nth(1).unwrap().split("</select>").next().unwrap();
    select
        .split("<option value=\"")
        .skip(1)
        .find(|o| o.contains(label))
        .map(|o| o.split('"').next().unwrap().to_string())
        .unwrap_or_else(|| panic!("no option {label} in {name}"))
}

async fn versions_of(server: &Server, token: &str, law: &str) -> usize {
    server.api_json(token, &format!("/api/v1/laws/{law}")).await["versions"].as_array().unwrap().len()
}

async fn laws_through_forms_api_and_exports(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "legal@test.example", "legal_officer", "PNH");
    add_user(&tdb, "officer@test.example", "officer", "PNH");
    let upr = rightsdesk_testdata::outside("upr/upr_info_recommendations_cambodia_s06_s18.csv");
    assert!(tdb.cli(&["import", "upr", upr.as_str()], None).status.success());
    let legal = server.browser();
    legal.sign_in_ok("legal@test.example", PASSWORD).await;
    let legal_token = tdb.api_token("legal@test.example");
    let officer = server.browser();
    officer.sign_in_ok("officer@test.example", PASSWORD).await;
    add_organisation(&legal, "Ministry of Interior", "ក្រសួងមហាផ្ទៃ", "ministry").await;
    add_organisation(&legal, "Ministry of Justice", "ក្រសួងយុត្តិធម៌", "ministry").await;

    // Registering: field errors first, nothing written.
    let r = legal
        .submit(
            "/legislation/new",
            "/legislation/laws",
            &[("short_name", "LANGO"), ("priority", "high"), ("stage", "drafting"), ("stage_on", "2026-01-05")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Give the title in Khmer or in English."));
    assert!(legal.text("/legislation").await.1.contains("No draft laws match."));
    let form = legal.text("/legislation/new").await.1;
    let interior = option_value(&form, "ministry_id", "Ministry of Interior");
    let r = legal
        .submit(
            "/legislation/new",
            "/legislation/laws",
            &[
                ("title_km", "សេចក្តីព្រាងច្បាប់ស្តីពីសមាគម និងអង្គការមិនមែនរដ្ឋាភិបាល"),
                ("title_en", "Draft law on associations and non-governmental organisations"),
                ("short_name", "LANGO"),
                ("ministry_id", &interior),
                ("priority", "high"),
                ("themes", "freedom of association, civic space"),
                ("stage", "drafting"),
                ("stage_on", "2026-01-05"),
                ("consultation_opens", "2026-02-01"),
                ("consultation_closes", "2026-02-28"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let law = id_after(r.headers()["location"].to_str().unwrap(), "/legislation/laws/");
    let law_url = format!("/legislation/laws/{law}");
    let list = legal.text("/legislation?stage=drafting").await.1;
    assert!(list.contains("LANGO") && list.contains("Ministry of Interior"), "{list}");
    assert!(legal.text("/legislation?stage=senate").await.1.contains("No draft laws match."));
    assert_eq!(legal.get("/legislation?priority=urgent").await.status().as_u16(), 400);

    // A stage change is dated and cannot go back in time.
    let stage =
        |on: &'static str| [("stage", "inter_ministerial"), ("stage_on", on), ("note", "Sent to the ministries")];
    let r = legal.submit(&law_url, &format!("{law_url}/stage"), &stage("2026-01-01")).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("This date is before the previous one."));
    let r = legal.submit(&law_url, &format!("{law_url}/stage"), &stage("2026-02-10")).await;
    assert_eq!(r.status().as_u16(), 303);
    let page = legal.text(&law_url).await.1;
    assert!(page.contains("Inter-ministerial review") && page.contains("Sent to the ministries"), "{page}");

    // Other office roles read; only legal officers (and heads, admins) write.
    assert_eq!(officer.get(&law_url).await.status().as_u16(), 200);
    assert_eq!(officer.get("/legislation/new").await.status().as_u16(), 403);
    let r = officer.submit(&law_url, &format!("{law_url}/stage"), &stage("2026-03-01")).await;
    assert_eq!(r.status().as_u16(), 403);

    // Version 1 from a Word document, split into its Khmer articles.
    let first = docx(&[
        "ច្បាប់ស្តីពីសមាគម",
        "មាត្រា ១",
        "ច្បាប់នេះមានគោលបំណងការពារសិទ្ធិសេរីភាពក្នុងការបង្កើតសមាគម។",
        "មាត្រា ២",
        "សមាគមទាំងអស់ត្រូវចុះបញ្ជីជាមួយក្រសួងមហាផ្ទៃ មុនពេលធ្វើសកម្មភាព។",
        "មាត្រា ៣",
        "សមាគមដែលមិនបានចុះបញ្ជីត្រូវផាកពិន័យ។",
    ]);
    let r = upload(&legal, &law, "First draft", "2026-01-05", Some(("lango-v1.docx", first.clone())), "").await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    let v1 = id_after(r.headers()["location"].to_str().unwrap(), "/versions/");
    let page = legal.text(&format!("{law_url}/versions/{v1}")).await.1;
    assert!(page.contains("មាត្រា ២") && page.contains("សមាគមទាំងអស់ត្រូវចុះបញ្ជី"), "{page}");
    let r = legal.get(&format!("{law_url}/versions/{v1}/file")).await;
    assert_eq!(
        r.headers()["content-disposition"].to_str().unwrap(),
        "attachment; filename=\"lango-v1.docx\"; filename*=UTF-8''lango%2Dv1%2Edocx"
    );
    assert_eq!(r.bytes().await.unwrap().to_vec(), first, "the file as it came");

    // Files that cannot be read: a clear message each, nothing stored.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[0; 32]);
    for (name, bytes, message) in [
        ("damaged.docx", first[..first.len() / 2].to_vec(), "This file is damaged and cannot be read"),
        (
            "locked.docx",
            vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0],
            "This file is password-protected",
        ),
        ("bomb.docx", zip_bomb(), "This file expands to more than a law ever holds"),
        ("photo.png", png, "This is not a DOCX, PDF or plain-text file."),
        (
            "locked.pdf",
            std::fs::read(rightsdesk_testdata::repo("legislation/encrypted.pdf")).unwrap(),
            "This file is password-protected",
        ),
    ] {
        let r = upload(&legal, &law, "Bad", "2026-02-01", Some((name, bytes)), "").await;
        assert_eq!(r.status().as_u16(), 422, "{name}");
        let page = r.text().await.unwrap();
        assert!(page.contains(message), "{name}: {page}");
    }
    // Over the 25 MB a version's file may have (under the 50 MB an upload may).
    let big = "Article 1\n".to_string() + &"x".repeat(26 * 1024 * 1024);
    let r = upload(&legal, &law, "Too big", "2026-02-01", Some(("big.txt", big.into_bytes())), "").await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("The file is larger than 25 MB"));
    let r = upload(&legal, &law, "Nothing", "2026-02-01", None, "  ").await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Upload the version as a file or paste its text."));
    assert_eq!(versions_of(&server, &legal_token, &law).await, 1, "nothing half-stored");

    // Comments on the first version: bad input refused, then written.
    let version_url = format!("{law_url}/versions/{v1}");
    let comment = |article: &'static str, standards: &'static str| {
        vec![
            ("article_number", article),
            ("concern", "Registration is mandatory before any activity."),
            ("standard", "Freedom of association"),
            ("standard_articles", standards),
            ("recommended_change", "Make registration voluntary."),
            ("severity", "major"),
            ("status", "shared"),
        ]
    };
    let r = legal.submit(&version_url, &format!("{version_url}/comments"), &comment("2", "ICCPR twenty-two")).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Write each as an instrument code and an article number"));
    let r = legal.submit(&version_url, &format!("{version_url}/comments"), &comment("9", "ICCPR 22")).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("This version has no article with this number."));
    let r = legal.submit(&version_url, &format!("{version_url}/comments"), &comment("2", "ICCPR 22, ICCPR 19")).await;
    assert_eq!(r.status().as_u16(), 303);
    let on_two = id_after(r.headers()["location"].to_str().unwrap(), "#comment-");
    let mut fines = comment("3", "");
    fines[1] = ("concern", "Fines for unregistered groups.");
    let r = legal.submit(&version_url, &format!("{version_url}/comments"), &fines).await;
    assert_eq!(r.status().as_u16(), 303);
    let page = legal.text(&version_url).await.1;
    assert!(page.contains("ICCPR art. 22") && page.contains("Registration is mandatory"), "{page}");

    // Version 2, pasted: a new article 2, the old 2 reworded as 3, the old 3 gone.
    let second = "មាត្រា ១\nច្បាប់នេះមានគោលបំណងការពារសិទ្ធិសេរីភាពក្នុងការបង្កើតសមាគម។\n\
                  មាត្រា ២\nនិយមន័យនៃពាក្យដែលប្រើក្នុងច្បាប់នេះ។\n\
                  មាត្រា ៣\nសមាគមទាំងអស់អាចចុះបញ្ជីជាមួយក្រសួងមហាផ្ទៃ មុនពេលធ្វើសកម្មភាព។";
    let r = upload(&legal, &law, "Council of Ministers", "2026-01-01", None, second).await;
    assert_eq!(r.status().as_u16(), 422, "dated before the first");
    let r = upload(&legal, &law, "Council of Ministers", "2026-03-01", None, second).await;
    assert_eq!(r.status().as_u16(), 303);
    let v2 = id_after(r.headers()["location"].to_str().unwrap(), "/versions/");
    let page = legal.text(&law_url).await.1;
    assert!(page.contains("moved from article 2, which changed number"), "{page}");
    assert!(page.contains("article 3 was removed in this version"), "{page}");
    let compare = legal.text(&format!("{law_url}/compare?from={v1}&to={v2}")).await.1;
    assert!(compare.contains("Renumbered") && compare.contains("Added") && compare.contains("Removed"), "{compare}");
    assert!(compare.contains("<del>ត្រូវ</del>") && compare.contains("<ins>អាច</ins>"), "{compare}");
    // Comments go on the latest version only.
    let r = legal.submit(&version_url, &format!("{version_url}/comments"), &comment("1", "")).await;
    assert_eq!(r.status().as_u16(), 422);

    // The Government's response, and the summary of what was taken up.
    let r = legal
        .submit(
            &format!("{law_url}/versions/{v2}"),
            &format!("{law_url}/comments/{on_two}/response"),
            &[("response", "partly_accepted"), ("response_on", "2026-04-02"), ("response_text", "Simplified.")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(legal.text(&law_url).await.1.contains("one taken up in full or in part"));

    // Links: a recommendation and a case; walkable both ways.
    let recs = legal.text("/mechanisms/recommendations?theme=NHRI").await.1;
    let rec = recs
        .split("href=\"/mechanisms/recommendations/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().to_string())
        .find(|p| p.chars().all(|c| c.is_ascii_digit()))
        .unwrap();
    let r = legal
        .submit(&law_url, &format!("{law_url}/links"), &[("kind", "recommendation"), ("target", "99999999")])
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let r = legal.submit(&law_url, &format!("{law_url}/links"), &[("kind", "recommendation"), ("target", &rec)]).await;
    assert_eq!(r.status().as_u16(), 303);
    let rec_page = legal.text(&format!("/mechanisms/recommendations/{rec}")).await.1;
    assert!(rec_page.contains("Draft laws that would implement it") && rec_page.contains(&law_url), "{rec_page}");
    let r = legal
        .submit(
            "/monitoring/cases/new",
            "/monitoring/cases",
            &[("title", "Association refused registration"), ("province", "12")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let case = id_after(r.headers()["location"].to_str().unwrap(), "/monitoring/cases/");
    let r = legal.submit(&law_url, &format!("{law_url}/links"), &[("kind", "case"), ("target", &case)]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(legal.text(&format!("/monitoring/cases/{case}")).await.1.contains(&law_url));
    // An intervention on that case (a letter to the ministry about the law).
    let orgs: Value = server.api_json(&legal_token, "/api/v1/organisations").await;
    let interior_id =
        orgs.as_array().unwrap().iter().find(|o| o["name_en"] == "Ministry of Interior").unwrap()["id"].to_string();
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/cases/{case}/interventions", server.base))
        .bearer_auth(&legal_token)
        .json(&serde_json::json!({"organisation_id": interior_id, "kind": "letter", "request": "Registration must stay voluntary."}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
    let intervention = r.json::<Value>().await.unwrap()["id"].to_string();
    let r = legal
        .submit(&law_url, &format!("{law_url}/links"), &[("kind", "intervention"), ("target", &intervention)])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = legal.text(&law_url).await.1;
    assert!(
        page.contains(&format!("/mechanisms/recommendations/{rec}"))
            && page.contains(&format!("/monitoring/cases/{case}"))
    );
    assert!(page.contains(&format!("#intervention-{intervention}")), "{page}");

    // A focal point of the Ministry of Justice sees the law only once it is
    // linked to a recommendation of their institution.
    let justice_form = legal.text(&format!("/mechanisms/recommendations/{rec}")).await.1;
    let justice = justice_form
        .split("name=\"institution\" value=\"")
        .skip(1)
        .find(|p| p.contains("Ministry of Justice"))
        .map(|p| p.split('"').next().unwrap().to_string())
        .unwrap();
    let out = tdb.cli(
        &[
            "user",
            "add",
            "--email",
            "fp@justice.example",
            "--name",
            "Focal Point",
            "--role",
            "focal_point",
            "--office",
            "PNH",
            "--institution",
            "Ministry of Justice",
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let fp = server.browser();
    fp.sign_in_ok("fp@justice.example", PASSWORD).await;
    assert_eq!(fp.get(&law_url).await.status().as_u16(), 404, "not linked to their institution yet");
    assert!(fp.text("/legislation").await.1.contains("No draft laws match."));
    let url = format!("/mechanisms/recommendations/{rec}");
    let r = legal.submit(&url, &format!("{url}/details"), &[("themes", "NHRI"), ("institution", &justice)]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(fp.get(&law_url).await.status().as_u16(), 200);
    assert!(fp.text("/legislation").await.1.contains("LANGO"));
    let r = fp.submit(&law_url, &format!("{law_url}/stage"), &stage("2026-05-01")).await;
    assert_eq!(r.status().as_u16(), 403);

    // A second law from a PDF with a text layer, then a scanned one kept without text.
    let r = legal
        .submit(
            "/legislation/new",
            "/legislation/laws",
            &[
                ("title_en", "Draft law on peaceful assembly"),
                ("short_name", "Assembly"),
                ("priority", "medium"),
                ("stage", "council_of_ministers"),
                ("stage_on", "2026-02-01"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let assembly = id_after(r.headers()["location"].to_str().unwrap(), "/legislation/laws/");
    let pdf = std::fs::read(rightsdesk_testdata::repo("legislation/text-layer.pdf")).unwrap();
    let r = upload(&legal, &assembly, "Council draft", "2026-02-01", Some(("assembly.pdf", pdf)), "").await;
    assert_eq!(r.status().as_u16(), 303);
    let page = legal.get(r.headers()["location"].to_str().unwrap()).await.text().await.unwrap();
    assert!(page.contains("Organisers shall notify the authorities") && page.contains("Article 3"), "{page}");
    let scanned = std::fs::read(rightsdesk_testdata::repo("legislation/scanned.pdf")).unwrap();
    let r = upload(&legal, &assembly, "Signed copy", "2026-02-15", Some(("signed.pdf", scanned)), "").await;
    assert_eq!(r.status().as_u16(), 303);
    let scanned_url = r.headers()["location"].to_str().unwrap().to_string();
    assert!(legal.text(&scanned_url).await.1.contains("This file has no text layer"));
    let r = legal
        .submit(
            &format!("{scanned_url}/edit"),
            &format!("{scanned_url}/edit"),
            &[("text", "Article 1\nThe right of peaceful assembly.\nArticle 2\nNotification three days in advance.")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = legal.text(&scanned_url).await.1;
    assert!(page.contains("Notification three days in advance.") && !page.contains("This file has no text layer"));

    // The analysis as PDF (Khmer) and DOCX (English).
    let export = |format: &'static str, lang: &'static str| {
        let legal = &legal;
        let law_url = law_url.clone();
        async move { legal.submit(&law_url, &format!("{law_url}/export"), &[("format", format), ("lang", lang)]).await }
    };
    let r = export("pdf", "km").await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.len() > 10_000);
    if let Ok(dir) = std::env::var("RIGHTSDESK_KEEP_EXPORTS") {
        std::fs::write(std::path::Path::new(&dir).join(format!("analysis-{db:?}.pdf")), &pdf).unwrap();
    }
    let r = export("docx", "en").await;
    assert_eq!(r.status().as_u16(), 200);
    let (_, text) = rightsdesk_export::law_text::extract_law_text(&r.bytes().await.unwrap()).unwrap();
    assert!(
        text.contains("Legal analysis") && text.contains("Registration is mandatory before any activity."),
        "{text}"
    );
    assert!(text.contains("Partly accepted (2 Apr 2026)") && text.contains("ICCPR art. 22"), "{text}");
    assert!(text.contains("Article 3 (article 3 was removed in this version)"), "{text}");
    assert_eq!(export("odt", "en").await.status().as_u16(), 400);
    assert_eq!(
        officer.submit(&law_url, &format!("{law_url}/export"), &[("format", "pdf")]).await.status().as_u16(),
        403
    );

    // The consultation window is on the reporting calendar.
    let calendar = legal.text("/mechanisms/calendar").await.1;
    assert!(calendar.contains("Public consultation on") && calendar.contains(&law_url), "{calendar}");

    // The API: the register, writes for legal officers only, field errors.
    let api = reqwest::Client::new();
    let call = |method: &str, path: &str, token: &str, body: Value| {
        let req = if method == "GET" {
            api.get(server.base.clone() + path)
        } else {
            api.post(server.base.clone() + path).json(&body)
        };
        req.bearer_auth(token.to_string()).send()
    };
    let v: Value = call("GET", "/api/v1/laws", &legal_token, Value::Null).await.unwrap().json().await.unwrap();
    assert_eq!(v["total"], 2);
    let officer_token = tdb.api_token("officer@test.example");
    let r = call("POST", "/api/v1/laws", &officer_token, serde_json::json!({"short_name": "X"})).await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let r = call("POST", "/api/v1/laws", &legal_token, serde_json::json!({"short_name": "Cyber", "priority": "top"}))
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let v: Value = r.json().await.unwrap();
    let fields: Vec<&str> =
        v["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"priority") && fields.contains(&"title_en"), "{v}");
    let r = call(
        "POST",
        "/api/v1/laws",
        &legal_token,
        serde_json::json!({"title_en": "Draft cybercrime law", "short_name": "Cyber", "priority": "high", "stage": "drafting", "stage_on": "2026-03-01"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let cyber = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    use base64::Engine;
    let file = base64::engine::general_purpose::STANDARD.encode(docx(&[
        "Article 1",
        "Content online is monitored.",
        "Article 2",
        "Offences.",
    ]));
    let r = call(
        "POST",
        &format!("/api/v1/laws/{cyber}/versions"),
        &legal_token,
        serde_json::json!({"label": "First draft", "dated": "2026-03-01", "file_name": "cyber.docx", "file_base64": file}),
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let version: Value = r.json().await.unwrap();
    assert_eq!((version["format"].as_str(), version["articles"].as_i64()), (Some("docx"), Some(2)));
    let r = call(
        "POST",
        &format!("/api/v1/laws/{cyber}/comments"),
        &legal_token,
        serde_json::json!({"article_number": "1", "concern": "Surveillance.", "severity": "grave"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let r = call(
        "POST",
        &format!("/api/v1/laws/{cyber}/comments"),
        &legal_token,
        serde_json::json!({"article_number": "1", "concern": "Surveillance without a court order.", "standard_articles": "ICCPR 17", "severity": "critical"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let c: Value = r.json().await.unwrap();
    let r = call(
        "POST",
        &format!("/api/v1/laws/{cyber}/comments/{}/response", c["id"]),
        &legal_token,
        serde_json::json!({"response": "rejected", "response_on": "2026-04-01"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let cmp: Value = server.api_json(&legal_token, &format!("/api/v1/laws/{law}/compare?from={v1}&to={v2}")).await;
    let kinds: Vec<&str> = cmp["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"renumbered") && kinds.contains(&"removed") && kinds.contains(&"added"), "{cmp}");
    let detail = server.api_json(&legal_token, &format!("/api/v1/laws/{law}")).await;
    assert_eq!(detail["responses"]["taken_up"], 1);
    let fp_token = tdb.api_token("fp@justice.example");
    assert_eq!(
        call("GET", &format!("/api/v1/laws/{cyber}"), &fp_token, Value::Null).await.unwrap().status().as_u16(),
        404
    );
    let v: Value = call("GET", "/api/v1/laws", &fp_token, Value::Null).await.unwrap().json().await.unwrap();
    assert_eq!(v["total"], 1, "{v}");

    // Search: laws, the text of their versions and the comments, for the
    // office; a focal point finds the linked law by its title only.
    // Polls until something is found (the indexer follows the change log),
    // or once only when `wait` is false.
    // Polls until a hit of `kind` is there (other kinds may be found first:
    // the recommendations mention LANGO too).
    let search_until = |token: String, q: &'static str, wait: bool, kind: Option<&'static str>| {
        let base = server.base.clone();
        async move {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(if wait { 30 } else { 0 });
            loop {
                let v: Value = reqwest::Client::new()
                    .get(format!("{base}/api/v1/search?q={}", enc(q)))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let kinds: Vec<String> = v["hits"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| h["kind"].as_str().unwrap_or_default().to_string())
                    .collect();
                let done = match kind {
                    Some(k) => kinds.iter().any(|x| x == k),
                    None => !kinds.is_empty(),
                };
                if done || std::time::Instant::now() > deadline {
                    return kinds;
                }
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            }
        }
    };
    let search = |token: String, q: &'static str, wait: bool| search_until(token, q, wait, None);
    let found = |token: String, q: &'static str, kind: &'static str| search_until(token, q, true, Some(kind));
    assert!(found(legal_token.clone(), "LANGO", "law").await.contains(&"law".to_string()));
    assert!(found(legal_token.clone(), "និយមន័យ", "law_version").await.contains(&"law_version".to_string()));
    assert!(found(legal_token.clone(), "Surveillance", "law_comment").await.contains(&"law_comment".to_string()));
    assert!(found(fp_token.clone(), "LANGO", "law").await.contains(&"law".to_string()));
    // Waited for above: the index has the comments by now.
    assert!(search(fp_token.clone(), "Surveillance", false).await.is_empty(), "comments are the office's");

    // Every write is in the audit chain, which verifies.
    let out = tdb.cli(&["audit", "verify"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    server.stop();
    tdb.drop_database().await;
}
