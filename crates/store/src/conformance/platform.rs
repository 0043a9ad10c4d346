//! Conformance of the platform: offices, users, sessions, tokens, audit, reference data.

use super::*;

pub async fn offices_are_seeded_unique_and_logged(s: Arc<dyn Store>) {
    let s = s.as_ref();
    let before = s.changes_since(0, 1000).await.unwrap().len();
    let pnh = office(s, "PNH").await;
    assert_eq!(pnh.code, "PNH");
    let again = s
        .create_office(
            &NewOffice { code: "PNH".into(), name_en: "dup".into(), name_km: "dup".into() },
            &admin_audit("office.create"),
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let kmp = office(s, "KMP").await;
    assert_eq!(kmp.name_km, "ការិយាល័យ KMP");
    let codes: Vec<_> = s.list_offices().await.unwrap().into_iter().map(|o| o.code).collect();
    assert!(codes.contains(&"PNH".to_string()) && codes.contains(&"KMP".to_string()));
    let changes = s.changes_since(0, 1000).await.unwrap();
    assert_eq!(changes.len(), before + 2, "one change per created office");
    let last = changes.last().unwrap();
    assert_eq!(
        (last.table_name.as_str(), last.record_id.as_str(), last.op.as_str()),
        ("offices", &*kmp.id.to_string(), "insert")
    );
    assert!(changes.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(s.changes_since(last.seq, 10).await.unwrap().len(), 0);
    assert_eq!(s.latest_change_seq("offices").await.unwrap(), last.seq);
    assert_eq!(s.latest_change_seq("no such table").await.unwrap(), 0);
}

pub async fn users_round_trip_and_conflict(s: Arc<dyn Store>) {
    let s = s.as_ref();
    let u = user(s, "sok@example.org", Role::Officer).await;
    assert_eq!(u.role, Role::Officer);
    assert_eq!(u.office_code, "PNH");
    assert!(!u.disabled);
    let by_email = s.user_by_email("sok@example.org").await.unwrap().unwrap();
    assert_eq!(by_email.id, u.id);
    assert!(s.user_by_email("nobody@example.org").await.unwrap().is_none());
    let dup = s
        .create_user(
            &NewUser {
                email: "sok@example.org".into(),
                name: "Other".into(),
                role: Role::Viewer,
                office_id: u.office_id,
                organisation_id: None,
                locale: Locale::Km,
                password_hash: "x".into(),
            },
            &admin_audit("user.create"),
        )
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
    let btb = office(s, "BTB").await;
    let changed =
        s.update_user(u.id, "Sok Dara", Role::LegalOfficer, btb.id, None, &admin_audit("user.update")).await.unwrap();
    assert_eq!(
        (changed.role, changed.office_code.as_str(), changed.name.as_str()),
        (Role::LegalOfficer, "BTB", "Sok Dara")
    );
    s.set_preferences(u.id, Locale::Km, true, &admin_audit("user.preferences")).await.unwrap();
    s.set_password_hash(u.id, "$argon2id$new", &admin_audit("user.password")).await.unwrap();
    let u2 = s.user_by_id(u.id).await.unwrap().unwrap();
    assert_eq!((u2.locale, u2.khmer_digits, u2.password_hash.as_str()), (Locale::Km, true, "$argon2id$new"));
    assert_eq!(s.count_users().await.unwrap(), 1);
    assert_eq!(s.list_users().await.unwrap().len(), 1);
    assert!(matches!(
        s.update_user(9999, "x", Role::Viewer, btb.id, None, &admin_audit("user.update")).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn failed_write_changes_nothing(s: Arc<dyn Store>) {
    let s = s.as_ref();
    office(s, "PNH").await;
    let events_before = s.audit_events_after(0, 10_000).await.unwrap().len();
    let changes_before = s.changes_since(0, 10_000).await.unwrap().len();
    let bad = s
        .create_user(
            &NewUser {
                email: "ghost@example.org".into(),
                name: "Ghost".into(),
                role: Role::Viewer,
                office_id: 424242,
                organisation_id: None,
                locale: Locale::En,
                password_hash: "x".into(),
            },
            &admin_audit("user.create"),
        )
        .await;
    assert!(matches!(bad, Err(StoreError::Constraint(_))), "{bad:?}");
    assert!(s.user_by_email("ghost@example.org").await.unwrap().is_none());
    assert_eq!(
        s.audit_events_after(0, 10_000).await.unwrap().len(),
        events_before,
        "no audit event for a refused write"
    );
    assert_eq!(s.changes_since(0, 10_000).await.unwrap().len(), changes_before);
    verify_chain(s).await.unwrap();
}

pub async fn disabling_a_user_ends_sessions_and_tokens(s: Arc<dyn Store>) {
    let s = s.as_ref();
    let u = user(s, "dara@example.org", Role::Officer).await;
    let now = now_micros();
    s.create_session(&NewSession {
        id_hash: "h1".into(),
        user_id: u.id,
        now,
        expires_at: now + 1_000_000_000,
        second_factor_pending: false,
    })
    .await
    .unwrap();
    s.create_api_token(u.id, "script", "tokhash", &admin_audit("token.create")).await.unwrap();
    assert!(s.api_token_user("tokhash", now).await.unwrap().is_some());
    s.set_user_disabled(u.id, true, &admin_audit("user.disable")).await.unwrap();
    assert!(s.user_by_id(u.id).await.unwrap().unwrap().disabled);
    assert!(s.session("h1").await.unwrap().is_none());
    assert!(s.api_token_user("tokhash", now).await.unwrap().is_none());
    s.set_user_disabled(u.id, false, &admin_audit("user.enable")).await.unwrap();
    assert!(!s.user_by_id(u.id).await.unwrap().unwrap().disabled);
    assert!(s.api_token_user("tokhash", now).await.unwrap().is_none(), "enabling does not revive tokens");
}

pub async fn login_throttle_locks_and_resets(s: Arc<dyn Store>) {
    let s = s.as_ref();
    let u = user(s, "lock@example.org", Role::Viewer).await;
    let now = 1_000_000;
    let lock = 900_000_000;
    for i in 1..5 {
        let t = s.claim_login_attempt(u.id, now, 5, lock).await.unwrap();
        assert_eq!(t, Some(LoginThrottle { failed_logins: i, locked_until: None }));
    }
    let t = s.claim_login_attempt(u.id, now, 5, lock).await.unwrap();
    assert_eq!(t, Some(LoginThrottle { failed_logins: 5, locked_until: Some(now + lock) }));
    // Locked: no further attempt is even taken.
    assert_eq!(s.claim_login_attempt(u.id, now + 1, 5, lock).await.unwrap(), None);
    assert_eq!(s.user_by_id(u.id).await.unwrap().unwrap().failed_logins, 5);
    // Once the lock has run out, counting starts afresh.
    let t = s.claim_login_attempt(u.id, now + lock, 5, lock).await.unwrap();
    assert_eq!(t, Some(LoginThrottle { failed_logins: 1, locked_until: None }));
    s.record_successful_login(u.id, now + lock + 1, &AuditEntry::new(Some(u.id), "lock@example.org", "auth.login"))
        .await
        .unwrap();
    let stored = s.user_by_id(u.id).await.unwrap().unwrap();
    assert_eq!((stored.failed_logins, stored.locked_until, stored.last_login_at), (0, None, Some(now + lock + 1)));
}

pub async fn parallel_attempts_cannot_pass_the_lock(s: Arc<dyn Store>) {
    let u = user(s.as_ref(), "race@example.org", Role::Viewer).await;
    let mut tasks = vec![];
    for _ in 0..16 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move { s.claim_login_attempt(u.id, 5_000_000, 5, 900_000_000).await.unwrap() }));
    }
    let mut taken = 0;
    for t in tasks {
        if t.await.unwrap().is_some() {
            taken += 1;
        }
    }
    assert_eq!(taken, 5, "exactly the threshold of attempts is taken");
}

pub async fn tokens_and_sessions_can_be_ended_in_bulk(s: Arc<dyn Store>) {
    let s = s.as_ref();
    let a = user(s, "bulk-a@example.org", Role::Officer).await;
    let b = user(s, "bulk-b@example.org", Role::Officer).await;
    for (u, h) in [(&a, "ta1"), (&a, "ta2"), (&b, "tb1")] {
        s.create_api_token(u.id, "x", h, &admin_audit("token.create")).await.unwrap();
    }
    assert_eq!(s.revoke_api_tokens(Some(a.id), &admin_audit("token.revoke_all")).await.unwrap(), 2);
    assert!(s.api_token_user("tb1", 1).await.unwrap().is_some());
    assert_eq!(s.revoke_api_tokens(None, &admin_audit("token.revoke_all")).await.unwrap(), 1);
    assert!(s.api_token_user("tb1", 1).await.unwrap().is_none());
    for (u, h) in [(&a, "s1"), (&b, "s2")] {
        s.create_session(&NewSession {
            id_hash: h.into(),
            user_id: u.id,
            now: 1,
            expires_at: i64::MAX,
            second_factor_pending: false,
        })
        .await
        .unwrap();
    }
    assert_eq!(s.delete_all_sessions().await.unwrap(), 2);
    verify_chain(s).await.unwrap();
}

pub async fn totp_steps_are_used_once(s: Arc<dyn Store>) {
    let s = s.as_ref();
    let u = user(s, "steps@example.org", Role::Admin).await;
    assert!(s.use_totp_step(u.id, 100).await.unwrap());
    assert!(!s.use_totp_step(u.id, 100).await.unwrap(), "the same step twice");
    assert!(!s.use_totp_step(u.id, 99).await.unwrap(), "an older step");
    assert!(s.use_totp_step(u.id, 101).await.unwrap());
}

pub async fn sessions_expire_and_purge(s: Arc<dyn Store>) {
    let s = s.as_ref();
    let u = user(s, "sess@example.org", Role::Viewer).await;
    let now = 10_000_000;
    for (h, exp, pending) in [("a", now + 100, true), ("b", now - 1, false), ("c", now + 100, false)] {
        s.create_session(&NewSession {
            id_hash: h.into(),
            user_id: u.id,
            now,
            expires_at: exp,
            second_factor_pending: pending,
        })
        .await
        .unwrap();
    }
    let a = s.session("a").await.unwrap().unwrap();
    assert!(a.second_factor_pending);
    s.complete_second_factor(
        "a",
        u.id,
        now + 5,
        &AuditEntry::new(Some(u.id), "sess@example.org", "auth.second_factor"),
    )
    .await
    .unwrap();
    assert_eq!(s.user_by_id(u.id).await.unwrap().unwrap().last_login_at, Some(now + 5));
    assert!(matches!(
        s.complete_second_factor("a", u.id + 1, now, &AuditEntry::system("x")).await,
        Err(StoreError::NotFound)
    ));
    assert!(!s.session("a").await.unwrap().unwrap().second_factor_pending);
    s.touch_session("a", now + 50).await.unwrap();
    assert_eq!(s.session("a").await.unwrap().unwrap().last_seen_at, now + 50);
    // "b" is past its absolute expiry, "c" idle since `now`, "a" seen at now+50.
    let purged = s.purge_sessions(now + 10, now + 10).await.unwrap();
    assert_eq!(purged, 2);
    assert!(s.session("a").await.unwrap().is_some());
    s.delete_session("a").await.unwrap();
    assert!(s.session("a").await.unwrap().is_none());
    s.create_session(&NewSession {
        id_hash: "d".into(),
        user_id: u.id,
        now,
        expires_at: now + 100,
        second_factor_pending: false,
    })
    .await
    .unwrap();
    s.delete_user_sessions(u.id).await.unwrap();
    assert!(s.session("d").await.unwrap().is_none());
}

pub async fn api_tokens_are_per_user_and_revocable(s: Arc<dyn Store>) {
    let s = s.as_ref();
    let a = user(s, "a@example.org", Role::Officer).await;
    let b = user(s, "b@example.org", Role::Officer).await;
    let now = now_micros();
    let ta = s.create_api_token(a.id, "sync", "hash-a", &admin_audit("token.create")).await.unwrap();
    s.create_api_token(b.id, "sync", "hash-b", &admin_audit("token.create")).await.unwrap();
    let (tok, owner) = s.api_token_user("hash-a", now).await.unwrap().unwrap();
    assert_eq!((tok.id, owner.id), (ta.id, a.id));
    assert_eq!(s.api_token_user("hash-a", now).await.unwrap().unwrap().0.last_used_at, Some(now));
    assert!(s.api_token_user("nope", now).await.unwrap().is_none());
    assert_eq!(s.list_api_tokens(a.id).await.unwrap().len(), 1);
    assert!(!s.revoke_api_token(b.id, ta.id, &admin_audit("token.revoke")).await.unwrap(), "not b's token");
    assert!(s.api_token_user("hash-a", now).await.unwrap().is_some());
    assert!(s.revoke_api_token(a.id, ta.id, &admin_audit("token.revoke")).await.unwrap());
    assert!(s.api_token_user("hash-a", now).await.unwrap().is_none());
    assert!(s.list_api_tokens(a.id).await.unwrap()[0].revoked_at.is_some());
    assert!(!s.revoke_api_token(a.id, ta.id, &admin_audit("token.revoke")).await.unwrap(), "already revoked");
}

pub async fn audit_chain_grows_and_verifies(s: Arc<dyn Store>) {
    let s = s.as_ref();
    let empty = verify_chain(s).await.unwrap();
    let u = user(s, "chain@example.org", Role::Viewer).await;
    let ev = s
        .append_audit(
            &AuditEntry::new(Some(u.id), "chain@example.org", "record.view").record("case", 42).summary("opened"),
        )
        .await
        .unwrap();
    assert_eq!((ev.action.as_str(), ev.record_type.as_str(), ev.record_id.as_str()), ("record.view", "case", "42"));
    let report = verify_chain(s).await.unwrap();
    assert_eq!(report.events, empty.events + 3, "office, user and view events");
    assert_eq!(report.head_hash, ev.hash);
    let all = s.audit_events_after(0, 100).await.unwrap();
    let created = all.iter().find(|e| e.action == "user.create").unwrap();
    assert_eq!(created.record_id, u.id.to_string(), "backend fills in the new record id");
    assert!(!created.summary.contains("chain@example.org"), "summaries carry no identifying data");
}

pub async fn concurrent_writes_keep_the_chain(s: Arc<dyn Store>) {
    let mut tasks = Vec::new();
    for i in 0..24 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            if i % 3 == 0 {
                office(s.as_ref(), &format!("C{}", (b'A' + i as u8) as char)).await;
            } else {
                s.append_audit(&AuditEntry::new(None, "t", "record.view").record("case", i)).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let report = verify_chain(s.as_ref()).await.unwrap();
    assert_eq!(report.events, 24);
    let changes = s.changes_since(0, 100).await.unwrap();
    assert_eq!(changes.len(), 8);
}

pub async fn audit_filters_and_pagination(s: Arc<dyn Store>) {
    let s = s.as_ref();
    for i in 0..30 {
        let action = if i % 2 == 0 { "record.view" } else { "auth.login" };
        s.append_audit(&AuditEntry::new(Some(i % 3), format!("u{}", i % 3), action).record("case", i)).await.unwrap();
    }
    let page1 = s.list_audit(&AuditFilter { limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(page1.len(), 10);
    assert!(page1.windows(2).all(|w| w[0].seq > w[1].seq), "newest first");
    let page2 = s
        .list_audit(&AuditFilter { limit: 10, before_seq: Some(page1.last().unwrap().seq), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(page2.first().unwrap().seq, page1.last().unwrap().seq - 1);
    let views = s
        .list_audit(&AuditFilter { action_prefix: Some("record.".into()), limit: 100, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(views.len(), 15);
    let by_actor = s.list_audit(&AuditFilter { actor_id: Some(1), limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(by_actor.len(), 10);
    let first = s.audit_events_after(0, 1).await.unwrap()[0].at_micros;
    let none =
        s.list_audit(&AuditFilter { to_micros: Some(first - 1), limit: 100, ..Default::default() }).await.unwrap();
    assert!(none.is_empty());
    // A percent sign in the prefix is matched literally, not as a wildcard.
    let literal =
        s.list_audit(&AuditFilter { action_prefix: Some("%".into()), limit: 100, ..Default::default() }).await.unwrap();
    assert!(literal.is_empty());
}

pub async fn reference_data_loads_once_and_answers(s: Arc<dyn Store>) {
    let s = s.as_ref();
    assert!(!s.reference_loaded().await.unwrap());
    let data = ReferenceData::embedded().unwrap();
    let counts = s.load_reference(&data, &AuditEntry::system("reference.load")).await.unwrap();
    assert_eq!(
        counts,
        ReferenceCounts {
            provinces: 25,
            districts: 197,
            communes: 1646,
            instruments: 19,
            articles: data.articles.len() as i64,
            ratifications: 18,
            sdg_goals: 17,
            sdg_targets: 169,
        }
    );
    assert!(s.reference_loaded().await.unwrap());
    // Loading again refreshes in place: same counts, nothing duplicated.
    assert_eq!(s.load_reference(&data, &AuditEntry::system("reference.load")).await.unwrap(), counts);
    assert_eq!(s.reference_counts().await.unwrap(), counts);
    let btb = s.province("02").await.unwrap().unwrap();
    assert_eq!(btb.name_km, "បាត់ដំបង");
    let districts = s.districts("02").await.unwrap();
    assert_eq!(districts.len(), 14);
    assert!(s.district("0203").await.unwrap().is_some());
    assert!(!s.communes("0203").await.unwrap().is_empty());
    assert!(s.province("99").await.unwrap().is_none());
    let iccpr = s.instrument("ICCPR").await.unwrap().unwrap();
    assert!(iccpr.article_count > 50);
    let arts = s.articles("ICCPR").await.unwrap();
    assert_eq!(arts.len() as i64, iccpr.article_count);
    assert!(arts.windows(2).all(|w| w[0].number < w[1].number));
    let rat = s.ratifications("Cambodia").await.unwrap();
    assert_eq!(rat.len(), 18);
    assert_eq!(s.sdg_goals().await.unwrap().len(), 17);
    let t16 = s.sdg_targets(16).await.unwrap();
    assert!(t16.iter().any(|t| t.code == "16.10"));
    // Articles are indexed records: each is in the change log.
    let changes = s.changes_since(0, 100_000).await.unwrap();
    assert!(changes.iter().filter(|c| c.table_name == "articles").count() >= data.articles.len());
}

pub async fn encrypted_fields_are_listed_and_swapped(s: Arc<dyn Store>) {
    let s = s.as_ref();
    let u = user(s, "totp@example.org", Role::Admin).await;
    let field = ENCRYPTED_FIELDS[0];
    assert!(s.encrypted_values(field).await.unwrap().is_empty());
    s.set_totp_secret(u.id, Some(b"cipher-1"), &admin_audit("user.totp_enable")).await.unwrap();
    assert_eq!(s.encrypted_values(field).await.unwrap(), vec![(u.id, b"cipher-1".to_vec())]);
    assert!(!s.replace_encrypted_value(field, u.id, b"stale", b"cipher-2").await.unwrap());
    assert!(s.replace_encrypted_value(field, u.id, b"cipher-1", b"cipher-2").await.unwrap());
    assert_eq!(s.user_by_id(u.id).await.unwrap().unwrap().totp_secret.as_deref(), Some(&b"cipher-2"[..]));
    s.set_totp_secret(u.id, None, &admin_audit("user.totp_disable")).await.unwrap();
    assert!(s.encrypted_values(field).await.unwrap().is_empty());
}
