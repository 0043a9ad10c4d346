//! End-to-end tests through the real HTTP interface, on SQLite and PostgreSQL.

mod common;

use common::*;
use serde_json::Value;

both!(
    sign_in_sign_out_and_session_rotation,
    csrf_is_required_on_every_form,
    repeated_failures_lock_the_account,
    roles_see_only_their_pages,
    admin_manages_accounts_with_field_messages,
    api_tokens_and_api_errors,
    totp_enrolment_and_second_factor,
    admins_must_enrol_when_required,
    language_toggle_and_khmer_pages,
    reference_pages_and_api,
    every_route_answers_through_the_policy,
    audit_log_records_and_filters,
);

async fn sign_in_sign_out_and_session_rotation(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    let b = server.browser();
    // Anonymous: the home page sends to sign-in.
    let r = b.get("/").await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/login");
    // Wrong password: a clear message, no session.
    let r = b.sign_in(ADMIN_EMAIL, "wrong password, certainly").await;
    assert_eq!(r.status().as_u16(), 401);
    assert!(r.text().await.unwrap().contains("Wrong e-mail address or password."));
    // Unknown account: the same answer.
    let r = b.sign_in("nobody@test.example", PASSWORD).await;
    assert_eq!(r.status().as_u16(), 401);
    assert!(r.text().await.unwrap().contains("Wrong e-mail address or password."));
    // Right password: a session cookie with the security attributes.
    let r = b.sign_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(r.status().as_u16(), 303);
    let cookies: Vec<String> =
        r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    let session = cookies.iter().find(|c| c.starts_with("rd_session=")).expect("session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
    let first = session.split(';').next().unwrap().to_string();
    let (status, home) = b.text("/").await;
    assert_eq!(status, 200);
    assert!(home.contains("Welcome, Test Person"));
    // Signing in again gives a new session id; the old one no longer works.
    let r = b.sign_in(ADMIN_EMAIL, PASSWORD).await;
    let second = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("rd_session="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_ne!(first, second);
    let old = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = old.get(b.url("/")).header("cookie", &first).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303, "old session id must not work");
    // Signing out ends the session.
    let token = b.csrf("/profile").await;
    let r = b.post_form("/logout", &[("_csrf", &token)]).await;
    assert_eq!(r.status().as_u16(), 303);
    let r = old.get(b.url("/")).header("cookie", &second).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303, "signed-out session must not work");
    server.stop();
    tdb.drop_database().await;
}

async fn csrf_is_required_on_every_form(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    let b = server.browser();
    // Sign-in without and with a wrong token.
    let r = b.post_form("/login", &[("email", ADMIN_EMAIL), ("password", PASSWORD)]).await;
    assert_eq!(r.status().as_u16(), 403);
    let r = b.post_form("/login", &[("_csrf", "forged"), ("email", ADMIN_EMAIL), ("password", PASSWORD)]).await;
    assert_eq!(r.status().as_u16(), 403);
    assert!(r.text().await.unwrap().contains("This form has expired"));
    b.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    // A signed-in form without the token changes nothing.
    let before = b.text("/admin/offices").await.1;
    let r = b.post_form("/admin/offices", &[("code", "KPT"), ("name_en", "Kampot"), ("name_km", "កំពត")]).await;
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(b.text("/admin/offices").await.1.matches("<tr>").count(), before.matches("<tr>").count());
    // The token of another browser's session does not work either.
    let other = server.browser();
    other.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    let foreign = other.csrf("/profile").await;
    let r = b
        .post_form("/admin/offices", &[("_csrf", &foreign), ("code", "KPT"), ("name_en", "Kampot"), ("name_km", "កំពត")])
        .await;
    assert_eq!(r.status().as_u16(), 403);
    // A pre-session token (its cookie can be chosen by anyone) does not count
    // while a live session exists.
    let pre = "p".repeat(43);
    let raw = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let login =
        raw.get(b.url("/login")).header("cookie", format!("rd_pre={pre}")).send().await.unwrap().text().await.unwrap();
    let pre_token = csrf_of(&login);
    let r = b.get("/").await;
    assert_eq!(r.status().as_u16(), 200);
    let session = b.any_csrf().await; // the browser's own token, to prove the session is live
    assert_ne!(session, pre_token);
    let cookies = {
        let r = b.http.get(b.url("/profile")).send().await.unwrap();
        drop(r);
        // reqwest keeps its cookies private: sign in on a raw client instead.
        let t = csrf_of(
            &raw.get(b.url("/login"))
                .header("cookie", format!("rd_pre={pre}"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        );
        let r = raw
            .post(b.url("/login"))
            .header("cookie", format!("rd_pre={pre}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("_csrf={t}&email=admin%40test.example&password=correct+horse+battery+staple"))
            .send()
            .await
            .unwrap();
        let s = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap())
            .find(|c| c.starts_with("rd_session="))
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        format!("{s}; rd_pre={pre}")
    };
    let r = raw
        .post(b.url("/admin/offices"))
        .header("cookie", &cookies)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("_csrf={pre_token}&code=PRE&name_en=Pre&name_km=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403, "pre-session token must not work with a live session");
    // With its own token it works.
    let r = b
        .submit("/admin/offices", "/admin/offices", &[("code", "KPT"), ("name_en", "Kampot"), ("name_km", "កំពត")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(b.text("/admin/offices").await.1.contains("KPT"));
    // Bad bodies: invalid UTF-8 and oversized bodies are refused with clear pages.
    let token = b.csrf("/profile").await;
    let r = b
        .http
        .post(b.url("/admin/offices"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("_csrf={token}&code=ABC&name_en=%FF&name_km=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    // Refused on its declared size, before any of it is read.
    let status =
        status_for_declared_body(&b.base, "/admin/offices", "application/x-www-form-urlencoded", "", 2 * 1024 * 1024);
    assert_eq!(status, 413);
    server.stop();
    tdb.drop_database().await;
}

async fn repeated_failures_lock_the_account(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    let b = server.browser();
    for _ in 0..5 {
        assert_eq!(b.sign_in(ADMIN_EMAIL, "not the password at all").await.status().as_u16(), 401);
    }
    // Locked: even the right password is refused for now, and the answer
    // says for how long.
    let r = b.sign_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(r.status().as_u16(), 401);
    let locked = r.text().await.unwrap();
    assert!(locked.contains("this account is locked for 15 more minutes"), "{locked}");
    // An address without an account gets the same answers after the same
    // number of failures, so the lock reveals nothing about which exist.
    let stranger = server.browser();
    for _ in 0..5 {
        let r = stranger.sign_in("nobody@test.example", "not the password at all").await;
        assert_eq!(r.status().as_u16(), 401);
        assert!(r.text().await.unwrap().contains("Wrong e-mail address or password"));
    }
    let r = stranger.sign_in("nobody@test.example", PASSWORD).await;
    assert_eq!(r.status().as_u16(), 401);
    assert!(r.text().await.unwrap().contains("this account is locked for 15 more minutes"));
    let (_, audit) = {
        let out = tdb.cli(&["audit", "verify"], None);
        (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    assert!(audit.starts_with("audit chain intact"));
    // Every attempt is in the audit log, which still verifies.
    let out = tdb.cli(&["audit", "verify"], None);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("audit chain intact: "), "{text}");
    server.stop();
    tdb.drop_database().await;
}

async fn roles_see_only_their_pages(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "officer@test.example", "officer", "BTB");
    add_user(&tdb, "analyst@test.example", "analyst", "PNH");
    let officer = server.browser();
    officer.sign_in_ok("officer@test.example", PASSWORD).await;
    assert_eq!(officer.get("/admin/users").await.status().as_u16(), 403);
    assert_eq!(officer.get("/admin/audit").await.status().as_u16(), 403);
    assert_eq!(officer.get("/monitoring").await.status().as_u16(), 200);
    // Addresses people type go to the page they meant, not a blank 405 or 404.
    let r = officer.get("/monitoring/cases?status=received").await;
    assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().unwrap()), (303, "/monitoring?status=received"));
    assert_eq!(officer.get("/admin").await.status().as_u16(), 403);
    // Error pages keep the menu for someone signed in, and say what happened.
    for (path, status, says) in [
        ("/admin/users", 403, "You do not have access to this page."),
        ("/no/such/page", 404, "This page does not exist."),
        ("/logout", 405, "This address does not answer that kind of request."),
    ] {
        let (got, html) = officer.text(path).await;
        assert_eq!(got, status, "{path}");
        assert!(html.contains("aria-label=\"Main navigation\"") && html.contains(says), "{path}: {html}");
    }
    let (got, html) = server.browser().text("/no/such/page").await;
    assert_eq!(got, 404);
    assert!(!html.contains("Main navigation"), "no menu for someone not signed in");
    assert_eq!(officer.get("/grants").await.status().as_u16(), 403);
    let home = officer.text("/").await.1;
    assert!(
        home.contains("href=\"/monitoring\"")
            && !home.contains("href=\"/grants\"")
            && !home.contains("href=\"/admin/users\"")
    );
    let analyst = server.browser();
    analyst.sign_in_ok("analyst@test.example", PASSWORD).await;
    assert_eq!(analyst.get("/monitoring").await.status().as_u16(), 403);
    assert_eq!(analyst.get("/assessment").await.status().as_u16(), 200);
    assert_eq!(analyst.get("/reference/provinces").await.status().as_u16(), 200);
    // Aggregates, never a record: the progress views, without links to the lists.
    let (status, progress) = analyst.text("/mechanisms/progress").await;
    assert_eq!(status, 200);
    assert!(progress.contains("href=\"/mechanisms/progress\""), "in the analyst's menu");
    assert!(!progress.contains("/mechanisms/recommendations"), "no way to the records");
    assert_eq!(analyst.get("/mechanisms/recommendations").await.status().as_u16(), 403);
    // Anonymous visitors are sent to sign in, and come back afterwards.
    let anon = server.browser();
    let r = anon.get("/admin/users").await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/login?next=%2Fadmin%2Fusers");
    let token = anon.csrf("/login?next=%2Fadmin%2Fusers").await;
    let r = anon
        .post_form(
            "/login",
            &[("_csrf", &token), ("email", ADMIN_EMAIL), ("password", PASSWORD), ("next", "/admin/users")],
        )
        .await;
    assert_eq!(r.headers()["location"], "/admin/users");
    // No open redirect.
    let token = anon.any_csrf().await;
    let r = anon
        .post_form(
            "/login",
            &[("_csrf", &token), ("email", ADMIN_EMAIL), ("password", PASSWORD), ("next", "//evil.example/")],
        )
        .await;
    assert_eq!(r.headers()["location"], "/");
    server.stop();
    tdb.drop_database().await;
}

async fn admin_manages_accounts_with_field_messages(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    let b = server.browser();
    b.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    let users_before = b.text("/admin/users").await.1.matches("<tr>").count();
    // Bad input: every field gets its own message, nothing is written.
    let r = b
        .submit(
            "/admin/users/new",
            "/admin/users",
            &[("name", ""), ("email", "not-an-email"), ("role", "boss"), ("office", "PNH"), ("password", "short")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    for msg in [
        "This field is required.",
        "Enter an e-mail address",
        "Choose a role from the list.",
        "Use at least 12 characters",
    ] {
        assert!(html.contains(msg), "missing {msg}");
    }
    assert_eq!(b.text("/admin/users").await.1.matches("<tr>").count(), users_before);
    // A good one.
    let r = b
        .submit(
            "/admin/users/new",
            "/admin/users",
            &[
                ("name", "Sok Mean"),
                ("email", "Sok.Mean@Test.Example"),
                ("role", "legal_officer"),
                ("office", "BTB"),
                ("password", "a long enough passphrase"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let list = b.text("/admin/users").await.1;
    assert!(list.contains("sok.mean@test.example") && list.contains("Legal officer"));
    // The same address again is refused beside the field.
    let r = b
        .submit(
            "/admin/users/new",
            "/admin/users",
            &[
                ("name", "X"),
                ("email", "sok.mean@test.example"),
                ("role", "viewer"),
                ("office", "PNH"),
                ("password", "a long enough passphrase"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("already exists"));
    // Disable: the account can no longer sign in.
    let r = b.submit(&location, &format!("{location}/disable"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    let other = server.browser();
    assert_eq!(other.sign_in("sok.mean@test.example", "a long enough passphrase").await.status().as_u16(), 401);
    // An administrator cannot disable their own account.
    let list = tdb.cli(&["user", "list"], None);
    let me_line = String::from_utf8_lossy(&list.stdout).lines().find(|l| l.contains(ADMIN_EMAIL)).unwrap().to_string();
    let my_id = me_line.split_whitespace().next().unwrap().to_string();
    let r = b.submit("/profile", &format!("/admin/users/{my_id}/disable"), &[]).await;
    assert_eq!(r.status().as_u16(), 409);
    server.stop();
    tdb.drop_database().await;
}

async fn api_tokens_and_api_errors(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "officer@test.example", "officer", "PNH");
    let b = server.browser();
    b.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    // Creating a token asks for the password again.
    let r = b.submit("/profile", "/profile/tokens", &[("label", "sync script"), ("password", "not it")]).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(!r.text().await.unwrap().contains("rdk_"));
    let r = b.submit("/profile", "/profile/tokens", &[("label", "sync script"), ("password", PASSWORD)]).await;
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().await.unwrap();
    let token =
        html.split("rdk_").nth(1).map(|t| format!("rdk_{}", t.split('<').next().unwrap())).expect("token shown once");
    let api = reqwest::Client::new();
    let get = |path: &str, tok: Option<&str>| {
        let mut req = api.get(format!("{}{path}", server.base));
        if let Some(t) = tok {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    let r = get("/api/v1/me", Some(&token)).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let me: Value = r.json().await.unwrap();
    assert_eq!(me["email"], ADMIN_EMAIL);
    assert_eq!(me["role"], "admin");
    // No token, a wrong one: 401 with a stable code.
    for tok in [None, Some("rdk_wrong")] {
        let r = get("/api/v1/me", tok).await.unwrap();
        assert_eq!(r.status().as_u16(), 401);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthorized");
    }
    // The API does not accept the browser's session cookie.
    assert_eq!(b.get("/api/v1/me").await.status().as_u16(), 401);
    // Unknown API path: JSON 404.
    let r = get("/api/v1/nothing-here", Some(&token)).await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "not_found");
    // Writes: malformed JSON, invalid UTF-8, missing fields, validation, oversize, conflict.
    let post = |body: Vec<u8>, ct: &str| {
        api.post(format!("{}/api/v1/offices", server.base))
            .bearer_auth(&token)
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let code_of = |v: Value| v["error"]["code"].as_str().unwrap().to_string();
    let r = post(b"{\"code\": ".to_vec(), "application/json").await.unwrap();
    assert_eq!((r.status().as_u16(), code_of(r.json().await.unwrap())), (400, "invalid_json".into()));
    let r = post(b"{\"code\": \"\xff\"}".to_vec(), "application/json").await.unwrap();
    assert_eq!((r.status().as_u16(), code_of(r.json().await.unwrap())), (400, "invalid_utf8".into()));
    let r = post(b"{\"code\": \"KPT\"}".to_vec(), "application/json").await.unwrap();
    assert_eq!((r.status().as_u16(), code_of(r.json().await.unwrap())), (400, "invalid_json".into()));
    let r =
        post(b"{\"code\": \"kp1\", \"name_en\": \"\", \"name_km\": \"x\"}".to_vec(), "application/json").await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "validation_failed");
    let fields: Vec<&str> =
        v["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["code", "name_en"]);
    let auth = format!("Authorization: Bearer {token}\r\n");
    assert_eq!(
        status_for_declared_body(&server.base, "/api/v1/offices", "application/json", &auth, 2 * 1024 * 1024),
        413
    );
    let r = post(
        b"{\"code\": \"KPT\", \"name_en\": \"Kampot\", \"name_km\": \"\xe1\x9e\x80\"}".to_vec(),
        "application/json",
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let r = post(b"{\"code\": \"KPT\", \"name_en\": \"Kampot\", \"name_km\": \"x\"}".to_vec(), "application/json")
        .await
        .unwrap();
    assert_eq!((r.status().as_u16(), code_of(r.json().await.unwrap())), (409, "conflict".into()));
    // An officer's token: same policy as the pages.
    let out = tdb.cli(&["token", "create", "--email", "officer@test.example", "--label", "cli"], None);
    assert!(out.status.success());
    let officer_token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let r = get("/api/v1/users", Some(&officer_token)).await.unwrap();
    assert_eq!((r.status().as_u16(), code_of(r.json().await.unwrap())), (403, "forbidden".into()));
    assert_eq!(get("/api/v1/reference/provinces", Some(&officer_token)).await.unwrap().status().as_u16(), 200);
    // Revoking the token on the profile page stops it.
    let profile = b.text("/profile").await.1;
    let revoke = profile.split("action=\"/profile/tokens/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let r = b.submit("/profile", &format!("/profile/tokens/{revoke}"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(get("/api/v1/me", Some(&token)).await.unwrap().status().as_u16(), 401);
    // Someone else's token id cannot be revoked: 404.
    let r = b.submit("/profile", "/profile/tokens/999999/revoke", &[]).await;
    assert_eq!(r.status().as_u16(), 404);
    // The OpenAPI document describes the API.
    let doc: Value = get("/api/v1/openapi.json", None).await.unwrap().json().await.unwrap();
    assert!(doc["paths"]["/api/v1/reference/provinces"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    server.stop();
    tdb.drop_database().await;
}

fn totp_secret_of(html: &str) -> (Vec<u8>, String) {
    let secret_text = html.split("<code>").nth(1).unwrap().split("</code>").next().unwrap().to_string();
    let sealed = html.split("name=\"sealed\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    (rightsdesk_crypto::totp::secret_from_base32(&secret_text).expect("base32 secret"), sealed)
}

fn code_at(secret: &[u8], unix: u64) -> String {
    rightsdesk_crypto::totp::current_code(secret, unix)
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

fn code_now(secret: &[u8]) -> String {
    code_at(secret, unix_now())
}

async fn totp_enrolment_and_second_factor(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "officer@test.example", "officer", "PNH");
    let t0 = unix_now();
    let b = server.browser();
    b.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    let profile = b.text("/profile").await.1;
    assert!(profile.contains("<svg"), "QR code as SVG");
    let (secret, sealed) = totp_secret_of(&profile);
    // A token made before the second factor (issue 14).
    let before = tdb.api_token(ADMIN_EMAIL);
    let me = |t: String| {
        let url = format!("{}/api/v1/me", server.base);
        async move { reqwest::Client::new().get(url).bearer_auth(t).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(me(before.clone()).await, 200);
    // A wrong code enrols nothing.
    let r = b.submit("/profile", "/profile/totp/enable", &[("sealed", &sealed), ("code", "000000")]).await;
    assert_eq!(r.status().as_u16(), 422);
    let r = b.submit("/profile", "/profile/totp/enable", &[("sealed", &sealed), ("code", &code_at(&secret, t0))]).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().await.unwrap().contains("now required"));
    // Tokens made before the second factor did not pass it: revoked (decision 0011).
    assert_eq!(me(before).await, 401, "a token from before the second factor");
    // The secret is stored encrypted: not in the database in clear.
    if db == Db::Sqlite {
        assert!(!file_contains(&tdb.sqlite_path(), &secret));
    }
    // Signing in now asks for the code; until then nothing else opens.
    let c = server.browser();
    let r = c.sign_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/login/second-factor?next=%2F");
    let r = c.get("/admin/users").await;
    assert_eq!(r.headers()["location"], "/login/second-factor?next=%2Fadmin%2Fusers");
    let r = c.submit("/login/second-factor", "/login/second-factor", &[("code", "123456"), ("next", "/")]).await;
    assert_eq!(r.status().as_u16(), 401);
    // The code already used to enrol cannot be replayed.
    let r = c
        .submit("/login/second-factor", "/login/second-factor", &[("code", &code_at(&secret, t0)), ("next", "/")])
        .await;
    assert_eq!(r.status().as_u16(), 401);
    let next_code = code_at(&secret, t0 + 30);
    let r = c
        .submit("/login/second-factor", "/login/second-factor", &[("code", &next_code), ("next", "/admin/users")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/admin/users");
    assert_eq!(c.get("/admin/users").await.status().as_u16(), 200);
    // The officer enrols too.
    let o = server.browser();
    o.sign_in_ok("officer@test.example", PASSWORD).await;
    let (officer_secret, officer_sealed) = totp_secret_of(&o.text("/profile").await.1);
    let r = o
        .submit(
            "/profile",
            "/profile/totp/enable",
            &[("sealed", &officer_sealed), ("code", &code_at(&officer_secret, t0))],
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);
    // Key rotation refuses to run under a live server.
    let out = tdb.cli(&["key", "rotate"], None);
    assert_eq!(out.status.code(), Some(2));
    server.stop();
    // Key rotation re-encrypts both secrets; signing in with a code still works.
    let out = tdb.cli(&["key", "rotate"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 encrypted values re-encrypted"));
    let server = Server::start(&tdb, &[]);
    let d = server.browser();
    d.sign_in("officer@test.example", PASSWORD).await;
    let r = d
        .submit(
            "/login/second-factor",
            "/login/second-factor",
            &[("code", &code_at(&officer_secret, t0 + 30)), ("next", "/")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(d.get("/").await.status().as_u16(), 200);
    server.stop();
    tdb.drop_database().await;
}

async fn admins_must_enrol_when_required(db: Db) {
    let (tdb, server) = setup(db, &["--require-totp-for-admins"]).await;
    add_user(&tdb, "viewer@test.example", "viewer", "PNH");
    let v = server.browser();
    v.sign_in_ok("viewer@test.example", PASSWORD).await;
    let a = server.browser();
    let r = a.sign_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(r.headers()["location"], "/login/second-factor?next=%2F");
    let page = a.text("/login/second-factor").await.1;
    assert!(page.contains("Administrators must use an authenticator app"));
    assert_eq!(a.get("/admin/users").await.status().as_u16(), 303);
    let (secret, sealed) = totp_secret_of(&page);
    let r = a
        .submit(
            "/login/second-factor",
            "/login/second-factor",
            &[("sealed", &sealed), ("code", &code_now(&secret)), ("next", "/")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(a.get("/admin/users").await.status().as_u16(), 200);
    server.stop();
    tdb.drop_database().await;
}

async fn language_toggle_and_khmer_pages(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    let b = server.browser();
    assert!(b.text("/login").await.1.contains("Sign in to rightsdesk"));
    let r = b.get("/lang/km?next=%2Flogin").await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/login");
    let (_, html) = b.text("/login").await;
    assert!(html.contains("<html lang=\"km\">") && html.contains("ចូលប្រើ rightsdesk"), "{html}");
    // Per request, and from the browser's language.
    let c = server.browser();
    assert!(c.text("/login?lang=km").await.1.contains("ចូលប្រើ"));
    let r = c.http.get(c.url("/login")).header("accept-language", "km-KH,km;q=0.9,en;q=0.5").send().await.unwrap();
    assert!(r.text().await.unwrap().contains("ចូលប្រើ"));
    // The toggle follows only local paths (tabs are stripped by browsers).
    for next in ["%2F%09%2Fevil.example", "%2F%2Fevil.example", "https%3A%2F%2Fevil.example"] {
        let r = c.get(&format!("/lang/en?next={next}")).await;
        assert_eq!(r.headers()["location"], "/", "{next}");
    }
    // Unknown languages get a clear error.
    assert_eq!(c.get("/login?lang=fr").await.status().as_u16(), 400);
    assert_eq!(c.get("/lang/fr").await.status().as_u16(), 400);
    // Khmer digits, per user.
    b.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    let r = b.submit("/profile", "/profile/preferences", &[("locale", "km"), ("khmer_digits", "on")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let home = b.text("/").await.1;
    assert!(home.contains("សូមស្វាគមន៍") && home.contains("១,៦៤៦"), "Khmer digits for 1,646 communes");
    server.stop();
    tdb.drop_database().await;
}

async fn reference_pages_and_api(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    let b = server.browser();
    b.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    let provinces = b.text("/reference/provinces").await.1;
    assert!(provinces.contains("បាត់ដំបង") && provinces.contains("Battambang"));
    let btb = b.text("/reference/provinces/02").await.1;
    assert!(btb.contains("Battambang Municipality"));
    assert!(b.text("/reference/districts/0203").await.0 == 200);
    assert_eq!(b.get("/reference/provinces/99").await.status().as_u16(), 404);
    assert_eq!(b.get("/reference/provinces/x%27%20OR%201=1").await.status().as_u16(), 404);
    let iccpr = b.text("/reference/instruments/ICCPR").await.1;
    assert!(iccpr.contains("arbitrary arrest"));
    let rat = b.text("/reference/ratifications").await.1;
    assert!(rat.contains("ICCPR-OP2-DP") && rat.contains("Not signed") && rat.contains("26 May 1992"));
    let sdg = b.text("/reference/sdg/16").await.1;
    assert!(sdg.contains("16.10"));
    let out = tdb.cli(&["token", "create", "--email", ADMIN_EMAIL, "--label", "t"], None);
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let api = reqwest::Client::new();
    let j = |p: &'static str| api.get(format!("{}{p}", server.base)).bearer_auth(&token).send();
    let v: Value = j("/api/v1/reference/provinces/02/districts").await.unwrap().json().await.unwrap();
    assert_eq!(v.as_array().unwrap().len(), 14);
    let v: Value = j("/api/v1/reference/ratifications").await.unwrap().json().await.unwrap();
    assert_eq!(v.as_array().unwrap().len(), 18);
    let v: Value = j("/api/v1/reference/instruments/CAT/articles").await.unwrap().json().await.unwrap();
    assert!(v.as_array().unwrap().len() > 30);
    assert_eq!(j("/api/v1/reference/instruments/NOPE/articles").await.unwrap().status().as_u16(), 404);
    server.stop();
    tdb.drop_database().await;
}

/// Every registered route, as an anonymous visitor, an officer and an
/// administrator: never a 500 (the policy guard turns a successful answer
/// without a policy decision into one), and nothing but the public pages
/// succeeds for a visitor who has not signed in.
async fn every_route_answers_through_the_policy(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    add_user(&tdb, "officer@test.example", "officer", "PNH");
    let routes = route_list().await;
    assert!(routes.len() > 40);
    let public = ["/healthz", "/assets/{*name}", "/lang/{code}", "/login", "/api/v1/openapi.json"];
    let anon = server.browser();
    let anon_csrf = anon.csrf("/login").await;
    let officer = server.browser();
    officer.sign_in_ok("officer@test.example", PASSWORD).await;
    let officer_csrf = officer.csrf("/profile").await;
    let admin = server.browser();
    admin.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    let admin_csrf = admin.csrf("/profile").await;
    for route in &routes {
        let path = route.path.replace("{*name}", "app.css").replace("{id}", "999999").replace("{goal}", "16").replace(
            "{code}",
            if route.path.contains("districts/") {
                "0203"
            } else if route.path.contains("provinces/") {
                "02"
            } else if route.path.contains("lang") {
                "km"
            } else {
                "ICCPR"
            },
        );
        for (who, b, csrf) in
            [("anonymous", &anon, &anon_csrf), ("officer", &officer, &officer_csrf), ("admin", &admin, &admin_csrf)]
        {
            if route.method == "POST" && (route.path == "/logout" || route.path == "/login") {
                continue; // would end the session or start another one
            }
            let r =
                if route.method == "GET" { b.get(&path).await } else { b.post_form(&path, &[("_csrf", csrf)]).await };
            let status = r.status().as_u16();
            assert_ne!(status, 500, "{who} {} {path}", route.method);
            if who == "anonymous" && !public.contains(&route.path) {
                let location = r.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
                assert!(
                    status >= 400 || (status == 303 && location.starts_with("/login")),
                    "anonymous {} {path} answered {status} {location}",
                    route.method
                );
            }
        }
    }
    server.stop();
    tdb.drop_database().await;
}

async fn audit_log_records_and_filters(db: Db) {
    let (tdb, server) = setup(db, &[]).await;
    let b = server.browser();
    assert_eq!(b.sign_in(ADMIN_EMAIL, "a wrong password here").await.status().as_u16(), 401);
    b.sign_in_ok(ADMIN_EMAIL, PASSWORD).await;
    b.submit("/admin/offices", "/admin/offices", &[("code", "SRP"), ("name_en", "Siem Reap"), ("name_km", "សៀមរាប")])
        .await;
    let all = b.text("/admin/audit").await.1;
    for action in ["auth.login_failed", "auth.login", "office.create", "user.create", "reference.load"] {
        assert!(all.contains(&format!("<code>{action}</code>")), "{action} missing");
    }
    assert!(!all.contains(PASSWORD));
    let only_auth = b.text("/admin/audit?action=auth.").await.1;
    assert!(only_auth.contains("auth.login") && !only_auth.contains("<code>office.create</code>"));
    assert_eq!(b.get("/admin/audit?from=not-a-date").await.status().as_u16(), 200);
    assert!(b.text("/admin/audit?from=not-a-date").await.1.contains("Enter a date as YYYY-MM-DD."));
    server.stop();
    tdb.drop_database().await;
}
