//! Search end to end: the index fed by the change log, Khmer words inside
//! compounds, the policy inside the query, and a rebuild from the database.

mod common;

use common::*;
use serde_json::Value;

both!(search_finds_what_each_user_may_see);

/// Waits for the background indexer (it catches up every two seconds).
async fn results(b: &Browser, q: &str, expect: &str) -> String {
    let url = format!("/search?q={}", q.replace(' ', "+"));
    for _ in 0..40 {
        let page = b.text(&url).await.1;
        if page.contains(expect) {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    let page = b.text(&url).await.1;
    panic!("{q}: {expect:?} not found in\n{page}");
}

async fn search_finds_what_each_user_may_see(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "member@test.example", "officer", "PNH");
    add_user(&tdb, "outsider@test.example", "officer", "PNH");
    let member = server.browser();
    member.sign_in_ok("member@test.example", PASSWORD).await;
    for (title, sensitivity, province, summary) in [
        ("Eviction in Sangkae", "normal", "02", "ការរំលោភសិទ្ធិមនុស្សនៅខេត្តបាត់ដំបង: families were evicted"),
        ("Witness threatened", "restricted", "12", "V1 reported Zephyrquartz threats near the border"),
    ] {
        let r = member
            .submit(
                "/monitoring/cases/new",
                "/monitoring/cases",
                &[("title", title), ("sensitivity", sensitivity), ("province", province), ("summary", summary)],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
    }
    // A word inside a compound, in two spellings; English stems.
    let page = results(&member, "មនុស្ស", "Eviction in Sangkae").await;
    assert!(page.contains("1 result"), "{page}");
    results(&member, "មនុ\u{200B}ស្ស", "Eviction in Sangkae").await;
    results(&member, "evict", "Eviction in Sangkae").await;
    let page = results(&member, "zephyrquartz", "Witness threatened").await;
    assert!(page.contains("<b>Zephyrquartz</b>"), "the team sees the snippet: {page}");
    // An outsider: not found, not counted, not in any snippet.
    let outsider = server.browser();
    outsider.sign_in_ok("outsider@test.example", PASSWORD).await;
    let page = results(&outsider, "zephyrquartz", "0 results").await;
    assert!(!page.contains("Witness threatened") && !page.contains("<b>Zephyrquartz</b>"), "{page}");
    let page = results(&outsider, "zephyrquartz OR evicted", "Eviction in Sangkae").await;
    assert!(page.contains("Eviction in Sangkae") && !page.contains("Witness"), "{page}");
    // Facets count only what the user may see: the restricted case's
    // province is not among them for the outsider; the team sees both.
    assert!(page.contains("Battambang") && !page.contains("Phnom Penh"), "{page}");
    let page = results(&member, "zephyrquartz OR evicted", "Witness threatened").await;
    assert!(page.contains("Battambang") && page.contains("Phnom Penh"), "{page}");
    assert!(page.contains("province%3A12"), "a facet value narrows the search: {page}");
    let page = results(&member, "zephyrquartz OR evicted province:12", "Witness threatened").await;
    assert!(!page.contains("Eviction in Sangkae"), "{page}");
    // Organisations are searchable documents too.
    let r = member
        .submit(
            "/monitoring/organisations",
            "/monitoring/organisations",
            &[("name_en", "Zephyr Provincial Department"), ("name_km", "មន្ទីរខេត្ត"), ("kind", "ministry")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = results(&outsider, "zephyr provincial", "Zephyr Provincial Department").await;
    assert!(page.contains("/engagement/organisations/"), "{page}");
    // Recommendations and treaty articles are found too.
    let upr = rightsdesk_testdata::outside("upr/upr_info_recommendations_cambodia_s06_s18.csv");
    assert!(tdb.cli(&["import", "upr", upr.as_str()], None).status.success());
    results(&member, "\"national human rights institution\"", "Recommendation").await;
    results(&member, "arbitrary arrest", "ICCPR 9").await;
    // Filters and counts by kind.
    let page = results(&member, "evicted type:case", "Eviction in Sangkae").await;
    assert!(page.contains("Case 1"), "kind count: {page}");
    let page = results(&member, "evicted status:received", "Eviction in Sangkae").await;
    assert!(!page.contains("Treaty article"), "{page}");
    // The API answers the same, under the same rules.
    let token = |email: &str| {
        let out = tdb.cli(&["token", "create", "--email", email, "--label", "t"], None);
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let api = reqwest::Client::new();
    let get = |q: &str, t: String| {
        let url = format!("{}/api/v1/search?q={}", server.base, q);
        let api = api.clone();
        async move { api.get(url).bearer_auth(t).send().await.unwrap() }
    };
    let v: Value = get("zephyrquartz", token("outsider@test.example")).await.json().await.unwrap();
    assert_eq!(v["total"], 0);
    let v: Value = get("zephyrquartz", token("member@test.example")).await.json().await.unwrap();
    assert_eq!(v["total"], 1);
    let v: Value = get("zephyrquartz+OR+evicted", token("outsider@test.example")).await.json().await.unwrap();
    assert_eq!(v["facets"]["province"], serde_json::json!([["02", 1]]), "{v}");
    assert_eq!(v["kinds"][0], serde_json::json!(["case", 1]), "the restricted case is not counted: {v}");
    assert!(v["hits"][0]["href"].as_str().unwrap().starts_with("/monitoring/cases/"));
    assert_eq!(get("", token("member@test.example")).await.status().as_u16(), 422);
    // Only the documented filters parse (issue 14): an internal field is a
    // plain word and finds nothing hidden; a wildcard filter is refused; none is a 500.
    let outsider_token = token("outsider@test.example");
    for q in ["title:*", "audience:monitoring", "key:case:2", "module:monitoring+zephyrquartz"] {
        let r = get(q, outsider_token.clone()).await;
        assert_eq!(r.status().as_u16(), 200, "{q}");
        let v: Value = r.json().await.unwrap();
        assert!(!v.to_string().contains("Witness threatened"), "{q}: {v}");
    }
    let r = get("status:*", outsider_token.clone()).await;
    assert_eq!(r.status().as_u16(), 422);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["fields"][0]["code"], "invalid-query");
    server.stop();
    // Deleting the index loses nothing: `reindex` builds it from the database.
    std::fs::remove_dir_all(tdb.data_dir().join("index")).unwrap();
    let out = tdb.cli(&["reindex"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("indexed "), "{}", String::from_utf8_lossy(&out.stdout));
    let server = Server::start(&tdb, &[]);
    let member = server.browser();
    member.sign_in_ok("member@test.example", PASSWORD).await;
    results(&member, "zephyrquartz", "Witness threatened").await;
    server.stop();
    tdb.drop_database().await;
}
