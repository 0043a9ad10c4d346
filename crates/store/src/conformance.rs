//! The conformance suite: the behaviour every storage backend must show.
//! Each backend runs it from its own tests with [`conformance_tests!`](crate::conformance_tests),
//! against a fresh database per test.

use crate::audit::verify_chain;
use crate::*;
use rightsdesk_domain::{Locale, Role};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub type BoxFut<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// A fresh, migrated database for one test, and how to remove it afterwards.
pub struct TestDb {
    pub store: Arc<dyn Store>,
    pub cleanup: Option<BoxFut<()>>,
}

/// Runs one case. A factory returning `None` means the backend is not
/// configured here (PostgreSQL without `RIGHTSDESK_TEST_POSTGRES_URL`).
pub async fn run<F, C>(factory: F, case: C)
where
    F: FnOnce() -> BoxFut<Option<TestDb>>,
    C: FnOnce(Arc<dyn Store>) -> BoxFut<()>,
{
    let Some(db) = factory().await else {
        eprintln!("skipped: backend not configured");
        return;
    };
    let store = db.store.clone();
    // Run the case on its own task so a failed assertion still lets us clean up.
    let outcome = tokio::spawn(case(store.clone())).await;
    store.close().await;
    if let Some(c) = db.cleanup {
        c.await;
    }
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// Generates one `#[tokio::test]` per conformance case for a backend factory.
#[macro_export]
macro_rules! conformance_tests {
    ($factory:expr) => {
        $crate::conformance_tests!($factory;
            offices_are_seeded_unique_and_logged,
            users_round_trip_and_conflict,
            failed_write_changes_nothing,
            disabling_a_user_ends_sessions_and_tokens,
            login_throttle_locks_and_resets,
            parallel_attempts_cannot_pass_the_lock,
            totp_steps_are_used_once,
            tokens_and_sessions_can_be_ended_in_bulk,
            sessions_expire_and_purge,
            api_tokens_are_per_user_and_revocable,
            audit_chain_grows_and_verifies,
            concurrent_writes_keep_the_chain,
            audit_filters_and_pagination,
            reference_data_loads_once_and_answers,
            encrypted_fields_are_listed_and_swapped,
            cases_get_references_per_office_and_year,
            case_urgency_is_kept_and_filtered,
            case_workflow_keeps_history,
            restricted_cases_stay_in_scope,
            case_filters_and_keyset_paging,
            persons_are_sealed_coded_and_matched,
            acts_link_people_and_articles_and_filter_cases,
            interventions_and_follow_ups,
            sources_keep_consent_and_withdrawal,
            case_bundles_are_written_whole_or_not_at_all,
            vocabularies_import_and_classify_acts,
            recommendations_import_update_assess_and_link,
            reporting_calendar_and_feeds,
            recommendation_details_and_progress,
            focal_points_report_progress,
            actions_indicators_and_intervention_links,
            other_states_and_treaty_commitments,
        );
    };
    ($factory:expr; $($case:ident),+ $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                $crate::conformance::run($factory, |s| Box::pin($crate::conformance::$case(s))).await;
            }
        )+
    };
}

fn admin_audit(action: &str) -> AuditEntry {
    AuditEntry::new(Some(1), "admin@example.org", action)
}

async fn office(s: &dyn Store, code: &str) -> Office {
    match s.office_by_code(code).await.unwrap() {
        Some(o) => o,
        None => s
            .create_office(
                &NewOffice {
                    code: code.into(), name_en: format!("Office {code}"), name_km: format!("ការិយាល័យ {code}")
                },
                &admin_audit("office.create"),
            )
            .await
            .unwrap(),
    }
}

async fn user(s: &dyn Store, email: &str, role: Role) -> User {
    let o = office(s, "PNH").await;
    s.create_user(
        &NewUser {
            email: email.into(),
            name: "Test User".into(),
            role,
            office_id: o.id,
            organisation_id: None,
            locale: Locale::En,
            password_hash: "$argon2id$fake".into(),
        },
        &admin_audit("user.create"),
    )
    .await
    .unwrap()
}

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

fn case_input(title: &str, restricted: bool) -> rightsdesk_domain::monitoring::CaseInput {
    use rightsdesk_domain::monitoring::{CaseFields, CaseInput};
    CaseInput::parse(&CaseFields {
        title: title.into(),
        summary: "V1 was detained without a warrant.".into(),
        sensitivity: if restricted { "restricted".into() } else { "normal".into() },
        start_date: "2026-03".into(),
        themes: "detention, fair trial".into(),
        ..Default::default()
    })
    .unwrap()
}

async fn open_case(s: &dyn Store, office: &Office, by: &User, title: &str, restricted: bool, team: &[i64]) -> Case {
    s.create_case(
        &NewCase {
            input: case_input(title, restricted),
            office_id: office.id,
            year: 2026,
            created_by: by.id,
            assigned: team.to_vec(),
        },
        &AuditEntry::new(Some(by.id), by.email.clone(), "case.create"),
    )
    .await
    .unwrap()
}

fn scope_of(u: &User) -> rightsdesk_domain::CaseScope {
    rightsdesk_domain::CaseScope {
        user_id: u.id,
        head_of_office: (u.role == Role::HeadOfOffice).then_some(u.office_id),
    }
}

/// A case's urgency (issue 15): stored, changed, listed and filtered on.
pub async fn case_urgency_is_kept_and_filtered(arc: Arc<dyn Store>) {
    use rightsdesk_domain::monitoring::{CaseFields, CaseInput, Urgency};
    let s = arc.as_ref();
    let officer = user(s, "urgency@example.org", Role::Officer).await;
    let pnh = office(s, "PNH").await;
    let routine = open_case(s, &pnh, &officer, "Routine", false, &[officer.id]).await;
    assert_eq!(routine.urgency, Urgency::Routine, "routine unless someone says otherwise");
    let input = CaseInput::parse(&CaseFields {
        title: "Detained tonight".into(),
        urgency: "emergency".into(),
        ..Default::default()
    })
    .unwrap();
    let new = NewCase { input, office_id: pnh.id, year: 2026, created_by: officer.id, assigned: vec![officer.id] };
    let emergency = s.create_case(&new, &AuditEntry::system("case.create")).await.unwrap();
    assert_eq!(s.case(emergency.id).await.unwrap().unwrap().urgency, Urgency::Emergency);
    // Bulk import keeps it too.
    let mut bulk = new.clone();
    bulk.input.urgency = Urgency::Urgent;
    let refs = s.import_cases(&[bulk], &AuditEntry::system("case.import")).await.unwrap();
    let imported = s.case_by_reference(&refs[0]).await.unwrap().unwrap();
    assert_eq!(imported.urgency, Urgency::Urgent);
    // Changing it.
    let mut edit = case_input("Routine", false);
    edit.urgency = Urgency::Urgent;
    assert_eq!(
        s.update_case(routine.id, &edit, &AuditEntry::system("case.update")).await.unwrap().urgency,
        Urgency::Urgent
    );
    // Filtering on it: the list and the count agree.
    let mut f = CaseFilter::new(scope_of(&officer));
    f.urgency = Some(Urgency::Urgent);
    let listed: Vec<i64> = s.list_cases(&f).await.unwrap().iter().map(|c| c.id).collect();
    assert_eq!(listed.len(), 2);
    assert!(listed.contains(&routine.id) && listed.contains(&imported.id));
    assert!(s.list_cases(&f).await.unwrap().iter().all(|c| c.urgency == Urgency::Urgent));
    assert_eq!(s.count_cases(&f).await.unwrap(), 2);
    f.urgency = Some(Urgency::Emergency);
    assert_eq!(s.list_cases(&f).await.unwrap().iter().map(|c| c.id).collect::<Vec<_>>(), vec![emergency.id]);
}

pub async fn cases_get_references_per_office_and_year(arc: Arc<dyn Store>) {
    let s = arc.as_ref();
    let officer = user(s, "refs@example.org", Role::Officer).await;
    let pnh = office(s, "PNH").await;
    let btb = office(s, "BTB").await;
    let a = open_case(s, &pnh, &officer, "A", false, &[officer.id]).await;
    let b = open_case(s, &pnh, &officer, "B", false, &[]).await;
    let c = open_case(s, &btb, &officer, "C", false, &[]).await;
    assert_eq!(
        (a.reference.as_str(), b.reference.as_str(), c.reference.as_str()),
        ("PNH-2026-0001", "PNH-2026-0002", "BTB-2026-0001")
    );
    let next_year = s
        .create_case(
            &NewCase {
                input: case_input("D", false),
                office_id: pnh.id,
                year: 2027,
                created_by: officer.id,
                assigned: vec![],
            },
            &AuditEntry::system("case.create"),
        )
        .await
        .unwrap();
    assert_eq!(next_year.reference, "PNH-2027-0001");
    assert_eq!(a.status, rightsdesk_domain::monitoring::CaseStatus::Received);
    assert_eq!(a.assigned, vec![officer.id]);
    assert_eq!(a.themes, ["detention", "fair trial"]);
    assert_eq!(a.start.as_ref().unwrap().value, "2026-03");
    // Parallel openings never share a number.
    let mut tasks = vec![];
    for _ in 0..10 {
        let (st, office_id, by) = (arc.clone(), pnh.id, officer.id);
        tasks.push(tokio::spawn(async move {
            let new = NewCase {
                input: case_input("parallel", false),
                office_id,
                year: 2026,
                created_by: by,
                assigned: vec![],
            };
            st.create_case(&new, &AuditEntry::system("case.create")).await.unwrap().reference
        }));
    }
    let mut refs = std::collections::BTreeSet::new();
    for t in tasks {
        refs.insert(t.await.unwrap());
    }
    assert_eq!(refs.len(), 10);
    assert!(refs.contains("PNH-2026-0012"));
    // Every case is in the change log.
    let changes = s.changes_since(0, 10_000).await.unwrap();
    assert!(changes.iter().any(|c| c.table_name == "cases" && c.record_id == a.id.to_string()));
    verify_chain(s).await.unwrap();
}

pub async fn case_workflow_keeps_history(s: Arc<dyn Store>) {
    use rightsdesk_domain::monitoring::CaseStatus::*;
    let s = s.as_ref();
    let officer = user(s, "flow@example.org", Role::Officer).await;
    let pnh = office(s, "PNH").await;
    let c = open_case(s, &pnh, &officer, "Workflow", false, &[officer.id]).await;
    let a = AuditEntry::new(Some(officer.id), officer.email.clone(), "case.status");
    assert!(s.transition_case(c.id, Received, UnderVerification, "", officer.id, &a).await.unwrap());
    // A second person acting on the old status changes nothing.
    assert!(!s.transition_case(c.id, Received, UnderVerification, "", officer.id, &a).await.unwrap());
    assert!(s.transition_case(c.id, UnderVerification, Verified, "", officer.id, &a).await.unwrap());
    assert!(s.transition_case(c.id, Verified, Closed, "", officer.id, &a).await.unwrap());
    assert!(s
        .transition_case(c.id, Closed, UnderVerification, "new witness came forward", officer.id, &a)
        .await
        .unwrap());
    let h = s.case_history(c.id).await.unwrap();
    let steps: Vec<_> = h.iter().map(|x| (x.from_status, x.to_status)).collect();
    assert_eq!(
        steps,
        [
            (None, Received),
            (Some(Received), UnderVerification),
            (Some(UnderVerification), Verified),
            (Some(Verified), Closed),
            (Some(Closed), UnderVerification)
        ]
    );
    assert_eq!(h[4].reason, "new witness came forward");
    assert_eq!(h[4].changed_by_name, "Test User");
    assert_eq!(s.case(c.id).await.unwrap().unwrap().status, UnderVerification);
    // Edits and team changes are recorded too.
    let mut input = case_input("Workflow, renamed", true);
    input.location_text = "Near the market".into();
    let edited = s.update_case(c.id, &input, &AuditEntry::new(Some(officer.id), "x", "case.update")).await.unwrap();
    assert_eq!(
        (edited.title.as_str(), edited.sensitivity),
        ("Workflow, renamed", rightsdesk_domain::monitoring::Sensitivity::Restricted)
    );
    let other = user(s, "other@example.org", Role::Officer).await;
    s.set_case_team(c.id, &[officer.id, other.id], &AuditEntry::system("case.team")).await.unwrap();
    assert_eq!(s.case(c.id).await.unwrap().unwrap().assigned, vec![officer.id, other.id]);
    assert!(matches!(s.update_case(999_999, &input, &AuditEntry::system("x")).await, Err(StoreError::NotFound)));
    assert!(s.case(999_999).await.unwrap().is_none());
    verify_chain(s).await.unwrap();
}

pub async fn restricted_cases_stay_in_scope(s: Arc<dyn Store>) {
    let s = s.as_ref();
    let pnh = office(s, "PNH").await;
    let btb = office(s, "BTB").await;
    let member = user(s, "member@example.org", Role::Officer).await;
    let outsider = user(s, "outsider@example.org", Role::Officer).await;
    let head = s
        .create_user(
            &NewUser {
                email: "head@example.org".into(),
                name: "Head".into(),
                role: Role::HeadOfOffice,
                office_id: pnh.id,
                organisation_id: None,
                locale: Locale::En,
                password_hash: "x".into(),
            },
            &admin_audit("user.create"),
        )
        .await
        .unwrap();
    let other_head = s
        .create_user(
            &NewUser {
                email: "head.btb@example.org".into(),
                name: "Head BTB".into(),
                role: Role::HeadOfOffice,
                office_id: btb.id,
                organisation_id: None,
                locale: Locale::En,
                password_hash: "x".into(),
            },
            &admin_audit("user.create"),
        )
        .await
        .unwrap();
    open_case(s, &pnh, &member, "Open case", false, &[member.id]).await;
    let secret = open_case(s, &pnh, &member, "Restricted case", true, &[member.id]).await;
    let count = |u: &User| {
        let f = CaseFilter::new(scope_of(u));
        async move { (s.count_cases(&f).await.unwrap(), s.list_cases(&f).await.unwrap()) }
    };
    for (who, expected) in [(&member, 2), (&head, 2), (&outsider, 1), (&other_head, 1)] {
        let (n, list) = count(who).await;
        assert_eq!(n, expected, "{}", who.email);
        assert_eq!(list.len() as i64, expected, "{}", who.email);
        assert_eq!(list.iter().any(|c| c.id == secret.id), expected == 2, "{}", who.email);
    }
    // Filters never widen the scope.
    let mut f = CaseFilter::new(scope_of(&outsider));
    f.sensitivity = Some(rightsdesk_domain::monitoring::Sensitivity::Restricted);
    assert_eq!(s.count_cases(&f).await.unwrap(), 0);
    f.assigned_to = Some(member.id);
    assert!(s.list_cases(&f).await.unwrap().is_empty());
}

pub async fn case_filters_and_keyset_paging(s: Arc<dyn Store>) {
    use rightsdesk_domain::monitoring::CaseStatus::*;
    let s = s.as_ref();
    s.load_reference(&ReferenceData::embedded().unwrap(), &AuditEntry::system("reference.load")).await.unwrap();
    let pnh = office(s, "PNH").await;
    let btb = office(s, "BTB").await;
    let o = user(s, "filters@example.org", Role::Officer).await;
    let mut ids = vec![];
    for i in 0..25 {
        let mut input = case_input(&format!("Case {i}"), false);
        if i % 5 == 0 {
            input.province_code = Some("02".into());
        }
        input.start =
            rightsdesk_domain::monitoring::FuzzyDate::parse("start", &format!("2025-{:02}-01", i % 12 + 1), false)
                .unwrap();
        if i == 7 || i == 19 {
            // Cases without a start date come last in the incident order, and page on.
            input.start = None;
        }
        let office = if i % 2 == 0 { &pnh } else { &btb };
        let team = if i % 3 == 0 { vec![o.id] } else { vec![] };
        let c = s
            .create_case(
                &NewCase { input, office_id: office.id, year: 2025, created_by: o.id, assigned: team },
                &AuditEntry::system("case.create"),
            )
            .await
            .unwrap();
        if i % 4 == 0 {
            s.transition_case(c.id, Received, UnderVerification, "", o.id, &AuditEntry::system("case.status"))
                .await
                .unwrap();
        }
        ids.push(c.id);
    }
    let scope = scope_of(&o);
    let mut f = CaseFilter::new(scope);
    f.limit = 10;
    let p1 = s.list_cases(&f).await.unwrap();
    assert_eq!(p1.len(), 10);
    assert_eq!(p1[0].id, *ids.last().unwrap(), "newest first");
    f.after = Some(CaseSort::Newest.cursor_of(&p1[9]));
    let p2 = s.list_cases(&f).await.unwrap();
    assert_eq!(p2[0].id, p1[9].id - 1);
    f.after = Some(CaseSort::Newest.cursor_of(&p2[9]));
    assert_eq!(s.list_cases(&f).await.unwrap().len(), 5);
    // Every order pages through all 25 cases exactly once, in its order.
    for sort in CaseSort::ALL {
        let mut f = CaseFilter::new(scope);
        f.sort = sort;
        f.limit = 7;
        let mut seen: Vec<CaseSummary> = vec![];
        loop {
            let page = s.list_cases(&f).await.unwrap();
            let Some(last) = page.last() else { break };
            // Through the text form, as a link carries it.
            f.after = Some(CaseCursor::parse(sort, &sort.cursor_of(last).encode()).unwrap());
            seen.extend(page);
        }
        let mut ids_seen: Vec<i64> = seen.iter().map(|c| c.id).collect();
        assert_eq!(ids_seen.len(), 25, "{sort:?}");
        let keys: Vec<(String, i64)> = seen.iter().map(|c| (sort.cursor_of(c).key, c.id)).collect();
        let mut expected = keys.clone();
        match sort {
            CaseSort::Oldest => expected.sort_by_key(|k| k.1),
            CaseSort::Updated => expected
                .sort_by(|a, b| b.0.parse::<i64>().unwrap().cmp(&a.0.parse::<i64>().unwrap()).then(b.1.cmp(&a.1))),
            _ => expected.sort_by(|a, b| b.cmp(a)),
        }
        assert_eq!(keys, expected, "{sort:?}");
        ids_seen.sort();
        ids_seen.dedup();
        assert_eq!(ids_seen.len(), 25, "{sort:?}: no case twice");
    }
    // The incident order puts the latest start date first.
    let mut f = CaseFilter::new(scope);
    f.sort = CaseSort::Incident;
    assert_eq!(s.list_cases(&f).await.unwrap()[0].start.as_ref().unwrap().sort_key(), "2025-12-01");
    // A capped count stops at cap + 1.
    let mut capped = CaseFilter::new(scope);
    capped.count_cap = Some(10);
    assert_eq!(s.count_cases(&capped).await.unwrap(), 11);
    capped.count_cap = Some(100);
    assert_eq!(s.count_cases(&capped).await.unwrap(), 25);
    let with = |edit: &dyn Fn(&mut CaseFilter)| {
        let mut f = CaseFilter::new(scope);
        f.limit = 100;
        edit(&mut f);
        f
    };
    assert_eq!(s.count_cases(&with(&|f| f.office_id = Some(pnh.id))).await.unwrap(), 13);
    assert_eq!(s.count_cases(&with(&|f| f.province_code = Some("02".into()))).await.unwrap(), 5);
    assert_eq!(s.count_cases(&with(&|f| f.status = Some(UnderVerification))).await.unwrap(), 7);
    assert_eq!(s.count_cases(&with(&|f| f.assigned_to = Some(o.id))).await.unwrap(), 9);
    assert_eq!(
        s.count_cases(&with(&|f| {
            f.from = Some("2025-03-01".into());
            f.to = Some("2025-04-30".into());
        }))
        .await
        .unwrap(),
        4
    );
    // An unknown province is refused by the database, not stored.
    let mut bad = case_input("Bad place", false);
    bad.province_code = Some("99".into());
    let r = s
        .create_case(
            &NewCase { input: bad, office_id: pnh.id, year: 2025, created_by: o.id, assigned: vec![] },
            &AuditEntry::system("x"),
        )
        .await;
    assert!(matches!(r, Err(StoreError::Constraint(_))), "{r:?}");
    assert_eq!(s.count_cases(&with(&|_| {})).await.unwrap(), 25);
}

pub async fn persons_are_sealed_coded_and_matched(s: Arc<dyn Store>) {
    use rightsdesk_domain::monitoring::PersonFields;
    let s = s.as_ref();
    let keys = rightsdesk_crypto::Keyring::generate("test");
    let pnh = office(s, "PNH").await;
    let member = user(s, "persons@example.org", Role::Officer).await;
    let outsider = user(s, "persons-out@example.org", Role::Officer).await;
    let open_c = open_case(s, &pnh, &member, "Open", false, &[member.id]).await;
    let secret = open_case(s, &pnh, &member, "Secret", true, &[member.id]).await;
    let add = |case_id: i64, role: &str, name: &str| {
        let (profile, identity) = PersonFields {
            role: role.into(),
            name: name.into(),
            aliases: "Ta Sok".into(),
            contact: "+855 12 345 678".into(),
            sex: "female".into(),
            age: "34".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let keys = &keys;
        async move { s.add_person(case_id, &profile, &identity, keys, &AuditEntry::system("person.add")).await.unwrap() }
    };
    let v1 = add(open_c.id, "victim", "Sok Dara").await;
    let v2 = add(open_c.id, "victim", "Chan Thida").await;
    let w1 = add(open_c.id, "witness", "Keo Pisey").await;
    let v1b = add(secret.id, "victim", "DARA sok").await;
    assert_eq!((v1.code.as_str(), v2.code.as_str(), w1.code.as_str(), v1b.code.as_str()), ("V1", "V2", "W1", "V1"));
    let listed = s.persons(open_c.id).await.unwrap();
    assert_eq!(listed.len(), 3);
    let who = listed.iter().find(|p| p.code == "V1").unwrap().identity(&keys).unwrap();
    assert_eq!(
        (who.name.as_str(), who.contact.as_str(), who.aliases.clone()),
        ("Sok Dara", "+855 12 345 678", vec!["Ta Sok".to_string()])
    );
    assert_eq!(listed[0].profile.age, Some(34));
    // Sealed: the stored bytes are not the name, and open only with the key and in place.
    let sealed = v1.sealed.name.clone().unwrap();
    assert!(!sealed.windows(8).any(|w| w == b"Sok Dara"));
    assert!(v1.identity(&rightsdesk_crypto::Keyring::generate("other")).is_err());
    let moved = PersonRecord { id: v2.id, ..v1.clone() };
    assert!(moved.identity(&keys).is_err(), "a ciphertext copied to another record does not open");
    // Duplicates: the same name (any order, case) in another case the user may see.
    let bidx = crate::monitoring::person_name_bidx(&keys, "sok   DARA");
    let for_member = s.person_matches(&bidx, &scope_of(&member), open_c.id).await.unwrap();
    assert_eq!(
        for_member.iter().map(|m| (m.reference.clone(), m.code.clone())).collect::<Vec<_>>(),
        vec![(secret.reference.clone(), "V1".into())]
    );
    // ... but never a restricted case the user may not see.
    assert!(s.person_matches(&bidx, &scope_of(&outsider), open_c.id).await.unwrap().is_empty());
    // Nor a normal case whose names the user may not see (not on its team).
    assert!(s.person_matches(&bidx, &scope_of(&outsider), secret.id).await.unwrap().is_empty());
    assert_eq!(s.person_matches(&bidx, &scope_of(&member), secret.id).await.unwrap().len(), 1);
    // Key rotation sees every sealed person field.
    let names = s.encrypted_values(ENCRYPTED_FIELDS[1]).await.unwrap();
    assert_eq!(names.len(), 4);
    verify_chain(s).await.unwrap();
}

pub async fn acts_link_people_and_articles_and_filter_cases(s: Arc<dyn Store>) {
    use rightsdesk_domain::monitoring::{ActFields, PersonFields};
    let s = s.as_ref();
    s.load_reference(&ReferenceData::embedded().unwrap(), &AuditEntry::system("reference.load")).await.unwrap();
    let keys = rightsdesk_crypto::Keyring::generate("test");
    let pnh = office(s, "PNH").await;
    let o = user(s, "acts@example.org", Role::Officer).await;
    let c = open_case(s, &pnh, &o, "Arrest at a protest", false, &[o.id]).await;
    let other = open_case(s, &pnh, &o, "Other case", false, &[o.id]).await;
    let person = |role: &str, name: &str, ptype: &str| {
        let (profile, identity) = PersonFields {
            role: role.into(),
            name: name.into(),
            kind: if role == "perpetrator" { "institution".into() } else { "individual".into() },
            perpetrator_type: ptype.into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let keys = &keys;
        let case_id = c.id;
        async move { s.add_person(case_id, &profile, &identity, keys, &AuditEntry::system("person.add")).await.unwrap() }
    };
    let v1 = person("victim", "A", "").await;
    let p1 = person("perpetrator", "District police", "police").await;
    let foreign = s
        .add_person(
            other.id,
            &PersonFields { role: "victim".into(), name: "B".into(), ..Default::default() }.parse().unwrap().0,
            &Default::default(),
            &keys,
            &AuditEntry::system("x"),
        )
        .await
        .unwrap();
    let input = ActFields {
        act_type: "arbitrary_arrest_detention".into(),
        date: "2026-03-14".into(),
        rights: "ICCPR 9, ICCPR 21".into(),
        involvement: "direct".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let act = s
        .add_act(
            &NewAct {
                case_id: c.id,
                input: input.clone(),
                victims: vec![v1.id],
                perpetrators: vec![p1.id],
                created_by: o.id,
            },
            &AuditEntry::system("act.add"),
        )
        .await
        .unwrap();
    assert_eq!(act.victims, ["V1"]);
    assert_eq!(act.perpetrators, [("P1".to_string(), "direct".to_string())]);
    assert_eq!(act.rights.iter().map(|r| r.label()).collect::<Vec<_>>(), ["ICCPR 9", "ICCPR 21"]);
    // People of another case, or in the wrong role, are refused; nothing is half-written.
    for (victims, perpetrators) in [(vec![foreign.id], vec![]), (vec![p1.id], vec![])] {
        let r = s
            .add_act(
                &NewAct { case_id: c.id, input: input.clone(), victims, perpetrators, created_by: o.id },
                &AuditEntry::system("x"),
            )
            .await;
        assert!(matches!(r, Err(StoreError::Constraint(_))), "{r:?}");
    }
    // An article that does not exist is refused.
    let mut bad = input.clone();
    bad.rights = vec![rightsdesk_domain::monitoring::ArticleRef { instrument_code: "ICCPR".into(), number: 99 }];
    let r = s
        .add_act(
            &NewAct { case_id: c.id, input: bad, victims: vec![], perpetrators: vec![], created_by: o.id },
            &AuditEntry::system("x"),
        )
        .await;
    assert!(matches!(r, Err(StoreError::Constraint(_))), "{r:?}");
    assert_eq!(s.acts(c.id).await.unwrap().len(), 1);
    // The case list filters by act type, right and perpetrator type.
    let scope = scope_of(&o);
    let count = |edit: &dyn Fn(&mut CaseFilter)| {
        let mut f = CaseFilter::new(scope);
        edit(&mut f);
        async move { s.count_cases(&f).await.unwrap() }
    };
    assert_eq!(count(&|_| {}).await, 2);
    assert_eq!(count(&|f| f.act_type = Some("arbitrary_arrest_detention".into())).await, 1);
    assert_eq!(count(&|f| f.act_type = Some("killing".into())).await, 0);
    assert_eq!(count(&|f| f.right = rightsdesk_domain::monitoring::ArticleRef::parse("ICCPR 21")).await, 1);
    assert_eq!(count(&|f| f.right = rightsdesk_domain::monitoring::ArticleRef::parse("ICCPR 7")).await, 0);
    assert_eq!(count(&|f| f.perpetrator_type = Some("police".into())).await, 1);
    assert_eq!(count(&|f| f.perpetrator_type = Some("military".into())).await, 0);
    // The case page's one-round-trip read gives what the single reads give.
    let records = s.case_records(c.id).await.unwrap();
    assert_eq!(records.acts, s.acts(c.id).await.unwrap());
    assert!(!records.acts.is_empty() && !records.acts[0].victims.is_empty(), "acts with their people");
    assert_eq!(records.history, s.case_history(c.id).await.unwrap());
    let ids = |ps: &[PersonRecord]| ps.iter().map(|p| (p.id, p.code.clone())).collect::<Vec<_>>();
    assert_eq!(ids(&records.persons), ids(&s.persons(c.id).await.unwrap()));
    assert!(!records.persons.is_empty());
    assert_eq!(records.interventions, s.interventions(c.id).await.unwrap());
    assert_eq!(records.sources, s.sources(c.id).await.unwrap());
    assert_eq!(records.evidence, s.case_evidence(c.id).await.unwrap());
    let empty = s.case_records(i64::MAX).await.unwrap();
    assert!(empty.persons.is_empty() && empty.acts.is_empty() && empty.history.is_empty());
    verify_chain(s).await.unwrap();
}

pub async fn interventions_and_follow_ups(s: Arc<dyn Store>) {
    use rightsdesk_domain::monitoring::intervention::InterventionFields;
    let s = s.as_ref();
    let pnh = office(s, "PNH").await;
    let member = user(s, "iv@example.org", Role::Officer).await;
    let outsider = user(s, "iv-out@example.org", Role::Officer).await;
    let police = s
        .create_organisation(
            &NewOrganisation {
                name_en: "Provincial police".into(),
                name_km: "ស្នងការដ្ឋាននគរបាលខេត្ត".into(),
                kind: "security_forces".into(),
            },
            &AuditEntry::system("organisation.create"),
        )
        .await
        .unwrap();
    let dup = s
        .create_organisation(
            &NewOrganisation { name_en: "Provincial police".into(), name_km: "x".into(), kind: "other".into() },
            &AuditEntry::system("x"),
        )
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))));
    let open_c = open_case(s, &pnh, &member, "Open", false, &[member.id]).await;
    let secret = open_case(s, &pnh, &member, "Secret", true, &[member.id]).await;
    let fields = |status: &str, follow: &str| {
        InterventionFields {
            organisation_id: police.id.to_string(),
            kind: "letter".into(),
            date: "2026-05-02".into(),
            request: "Release V1".into(),
            status: status.into(),
            next_follow_up: follow.into(),
            response: if status == "responded" { "Released".into() } else { String::new() },
            ..Default::default()
        }
        .parse()
        .unwrap()
    };
    let a = s
        .add_intervention(open_c.id, &fields("sent", "2026-05-10"), member.id, &AuditEntry::system("iv.add"))
        .await
        .unwrap();
    s.add_intervention(open_c.id, &fields("awaiting_response", "2026-06-30"), member.id, &AuditEntry::system("iv.add"))
        .await
        .unwrap();
    s.add_intervention(secret.id, &fields("sent", "2026-05-01"), member.id, &AuditEntry::system("iv.add"))
        .await
        .unwrap();
    assert_eq!(a.organisation_en, "Provincial police");
    let mut bad = fields("sent", "");
    bad.organisation_id = 999_999;
    assert!(matches!(
        s.add_intervention(open_c.id, &bad, member.id, &AuditEntry::system("x")).await,
        Err(StoreError::Constraint(_))
    ));
    // Due by 15 May: the secret one first (earliest), for the team only.
    let due = s.follow_ups_due(&scope_of(&member), Some(member.id), "2026-05-15", 50).await.unwrap();
    assert_eq!(
        due.iter().map(|d| d.case_reference.clone()).collect::<Vec<_>>(),
        [secret.reference.clone(), open_c.reference.clone()]
    );
    let seen = s.follow_ups_due(&scope_of(&outsider), None, "2026-05-15", 50).await.unwrap();
    assert_eq!(seen.len(), 1, "an outsider never sees the restricted case's follow-up");
    assert!(s.follow_ups_due(&scope_of(&outsider), Some(outsider.id), "2026-05-15", 50).await.unwrap().is_empty());
    // A response closes the follow-up.
    let done = s.update_intervention(a.id, &fields("responded", ""), &AuditEntry::system("iv.update")).await.unwrap();
    assert_eq!((done.status.as_str(), done.response.as_str()), ("responded", "Released"));
    assert_eq!(s.follow_ups_due(&scope_of(&member), Some(member.id), "2026-05-15", 50).await.unwrap().len(), 1);
    assert_eq!(s.interventions(open_c.id).await.unwrap().len(), 2);
    assert!(matches!(
        s.update_intervention(999_999, &fields("sent", ""), &AuditEntry::system("x")).await,
        Err(StoreError::NotFound)
    ));
    verify_chain(s).await.unwrap();
}

pub async fn sources_keep_consent_and_withdrawal(s: Arc<dyn Store>) {
    use rightsdesk_domain::monitoring::source::SourceFields;
    use rightsdesk_domain::monitoring::PersonFields;
    let s = s.as_ref();
    let keys = rightsdesk_crypto::Keyring::generate("test");
    let pnh = office(s, "PNH").await;
    let o = user(s, "src@example.org", Role::Officer).await;
    let c = open_case(s, &pnh, &o, "Sources", false, &[o.id]).await;
    let (profile, identity) =
        PersonFields { role: "source".into(), name: "Informant".into(), ..Default::default() }.parse().unwrap();
    s.add_person(c.id, &profile, &identity, &keys, &AuditEntry::system("person.add")).await.unwrap();
    let fields = |code: &str| SourceFields {
        person_code: code.into(),
        received: "2026-04-01".into(),
        method: "interview".into(),
        reliability: "usually_reliable".into(),
        validity: "probably_true".into(),
        consent: "raise_with_authorities".into(),
        information: "S1 saw V1 taken away.".into(),
    };
    let src =
        s.add_source(c.id, &fields("S1").parse().unwrap(), o.id, &AuditEntry::system("source.add")).await.unwrap();
    assert_eq!(src.person_code.as_deref(), Some("S1"));
    assert!(!src.withdrawn());
    let r = s.add_source(c.id, &fields("S9").parse().unwrap(), o.id, &AuditEntry::system("x")).await;
    assert!(matches!(r, Err(StoreError::Constraint(_))), "a source code not of this case");
    let doc = s.add_source(c.id, &fields("").parse().unwrap(), o.id, &AuditEntry::system("source.add")).await.unwrap();
    assert_eq!(doc.person_code, None);
    assert!(s
        .withdraw_consent(src.id, "2026-05-01", "asked by phone", &AuditEntry::system("source.withdraw"))
        .await
        .unwrap());
    assert!(!s.withdraw_consent(src.id, "2026-05-02", "", &AuditEntry::system("x")).await.unwrap(), "only once");
    let all = s.sources(c.id).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].consent_withdrawn_on.as_deref(), Some("2026-05-01"));
    assert_eq!(s.source(doc.id).await.unwrap().unwrap().consent, "raise_with_authorities");
    verify_chain(s).await.unwrap();
}

pub async fn case_bundles_are_written_whole_or_not_at_all(s: Arc<dyn Store>) {
    use crate::monitoring::{BundleAct, CaseBundle};
    use rightsdesk_domain::monitoring::intervention::InterventionFields;
    use rightsdesk_domain::monitoring::{ActFields, CaseStatus, PersonFields};
    let s = s.as_ref();
    s.load_reference(&ReferenceData::embedded().unwrap(), &AuditEntry::system("reference.load")).await.unwrap();
    let keys = rightsdesk_crypto::Keyring::generate("test");
    let pnh = office(s, "PNH").await;
    let o = user(s, "bundles@example.org", Role::Officer).await;
    let police = s
        .create_organisation(
            &NewOrganisation {
                name_en: "Provincial police".into(), name_km: "ប៉ូលិសខេត្ត".into(), kind: "police".into()
            },
            &AuditEntry::system("organisation.create"),
        )
        .await
        .unwrap();
    let bundle = |title: &str, path: Vec<CaseStatus>, victim_index: usize| {
        let person = |role: &str, name: &str| {
            PersonFields {
                role: role.into(),
                name: name.into(),
                kind: if role == "perpetrator" { "institution".into() } else { "individual".into() },
                perpetrator_type: if role == "perpetrator" { "police".into() } else { String::new() },
                ..Default::default()
            }
            .parse()
            .unwrap()
        };
        CaseBundle {
            case: NewCase {
                input: case_input(title, false),
                office_id: pnh.id,
                year: 2026,
                created_by: o.id,
                assigned: vec![o.id],
            },
            persons: vec![person("victim", "Sok Dara"), person("perpetrator", "District police")],
            acts: vec![BundleAct {
                input: ActFields {
                    act_type: "arbitrary_arrest_detention".into(),
                    date: "2026-03".into(),
                    rights: "ICCPR 9".into(),
                    ..Default::default()
                }
                .parse()
                .unwrap(),
                victims: vec![victim_index],
                perpetrators: vec![1],
            }],
            status_path: path,
            interventions: vec![InterventionFields {
                organisation_id: police.id.to_string(),
                kind: "letter".into(),
                date: "2026-03-05".into(),
                request: "Release V1.".into(),
                status: "awaiting_response".into(),
                next_follow_up: "2026-04-01".into(),
                ..Default::default()
            }
            .parse()
            .unwrap()],
        }
    };
    let audit_before = s.audit_events_after(0, 100_000).await.unwrap().len();
    let walk = vec![CaseStatus::UnderVerification, CaseStatus::Verified, CaseStatus::UnderIntervention];
    let ids = s
        .insert_case_bundles(
            &[bundle("First", walk.clone(), 0), bundle("Second", vec![], 0)],
            &keys,
            &AuditEntry::system("case.create"),
        )
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    let first = s.case(ids[0]).await.unwrap().unwrap();
    assert_eq!((first.status, first.reference.as_str()), (CaseStatus::UnderIntervention, "PNH-2026-0001"));
    assert_eq!(s.case(ids[1]).await.unwrap().unwrap().reference, "PNH-2026-0002");
    assert_eq!(s.case_history(ids[0]).await.unwrap().len(), 4, "received + three steps");
    let people = s.persons(ids[0]).await.unwrap();
    assert_eq!(people.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), vec!["V1", "P1"]);
    assert_eq!(people[0].identity(&keys).unwrap().name, "Sok Dara");
    let acts = s.acts(ids[0]).await.unwrap();
    assert_eq!(acts.len(), 1);
    assert_eq!(acts[0].victims, vec!["V1".to_string()]);
    assert_eq!(s.interventions(ids[1]).await.unwrap().len(), 1);
    // The counters moved with the bulk write: the next case and the next
    // victim of a bundled case get the next reference and code, under a
    // fresh id whose sealed name opens.
    let next = s
        .create_case(
            &NewCase {
                input: case_input("After", false),
                office_id: pnh.id,
                year: 2026,
                created_by: o.id,
                assigned: vec![],
            },
            &AuditEntry::system("case.create"),
        )
        .await
        .unwrap();
    assert_eq!(next.reference, "PNH-2026-0003");
    let second =
        PersonFields { role: "victim".into(), name: "Chan Thida".into(), ..Default::default() }.parse().unwrap();
    let added = s.add_person(ids[0], &second.0, &second.1, &keys, &AuditEntry::system("person.add")).await.unwrap();
    assert_eq!(added.code, "V2");
    assert!(people.iter().all(|p| p.id != added.id));
    assert_eq!(added.identity(&keys).unwrap().name, "Chan Thida");
    let audit_before = audit_before + 1 + 1;
    // Two audit events per case (opened; what the bundle held), and the chain still verifies.
    assert_eq!(s.audit_events_after(0, 100_000).await.unwrap().len(), audit_before + 4);
    verify_chain(s).await.unwrap();
    // A bad bundle anywhere in the batch writes nothing at all: an act naming
    // a person who is not in the bundle, or a status walk the workflow refuses.
    let all = CaseFilter::new(scope_of(&o));
    let before = s.count_cases(&all).await.unwrap();
    // A victim index that points at the perpetrator, and an article that
    // does not exist (refused by the database itself, mid-write).
    let mut unknown_article = bundle("Bad article", vec![], 0);
    unknown_article.acts[0].input.rights[0].number = 199;
    for bad in [
        bundle("Bad person", vec![], 7),
        bundle("Bad walk", vec![CaseStatus::Closed, CaseStatus::Verified], 0),
        bundle("Wrong role", vec![], 1),
        unknown_article,
    ] {
        let err =
            s.insert_case_bundles(&[bundle("Fine", vec![], 0), bad], &keys, &AuditEntry::system("case.create")).await;
        assert!(matches!(err, Err(StoreError::Constraint(_))), "{err:?}");
        assert_eq!(s.count_cases(&all).await.unwrap(), before);
        assert_eq!(s.audit_events_after(0, 100_000).await.unwrap().len(), audit_before + 4);
    }
    verify_chain(s).await.unwrap();
}

pub async fn vocabularies_import_and_classify_acts(s: Arc<dyn Store>) {
    use rightsdesk_domain::monitoring::ActFields;
    use rightsdesk_domain::vocabulary::{Vocabulary, VocabularyTerm};
    let s = s.as_ref();
    s.load_reference(&ReferenceData::embedded().unwrap(), &AuditEntry::system("reference.load")).await.unwrap();
    let term = |code: &str, parent: Option<&str>, level: i64, order: i64, label: &str| VocabularyTerm {
        code: code.into(),
        parent: parent.map(str::to_string),
        level,
        order,
        visible: true,
        label_en: label.into(),
        label_fr: String::new(),
        label_es: String::new(),
        label_km: String::new(),
    };
    let acts = Vocabulary {
        code: "huridocs-types_of_acts".into(),
        name: "types of acts".into(),
        source: "HURIDOCS".into(),
        // Out of order on purpose: the store gives them back as a tree.
        terms: vec![
            term("0102", Some("01"), 2, 1, "Summary execution"),
            term("02", None, 1, 2, "Torture"),
            term("01", None, 1, 1, "Killing"),
        ],
    };
    assert_eq!(
        s.import_vocabularies(std::slice::from_ref(&acts), &AuditEntry::system("vocabulary.import")).await.unwrap(),
        3
    );
    // A second import refreshes, it does not duplicate.
    assert_eq!(
        s.import_vocabularies(std::slice::from_ref(&acts), &AuditEntry::system("vocabulary.import")).await.unwrap(),
        3
    );
    let listed = s.vocabularies().await.unwrap();
    assert_eq!((listed.len(), listed[0].terms), (1, 3));
    let terms = s.vocabulary_terms("huridocs-types_of_acts").await.unwrap();
    assert_eq!(terms.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(), ["01", "0102", "02"]);
    // An act classified with an imported term; an unknown term is refused.
    let pnh = office(s, "PNH").await;
    let o = user(s, "vocab@example.org", Role::Officer).await;
    let c = open_case(s, &pnh, &o, "Classified", false, &[o.id]).await;
    let fields = |extra: &str| {
        ActFields { act_type: "killing".into(), extra_term: extra.into(), ..Default::default() }.parse().unwrap()
    };
    let new = |input| NewAct { case_id: c.id, input, victims: vec![], perpetrators: vec![], created_by: o.id };
    let act = s.add_act(&new(fields("huridocs-types_of_acts/0102")), &AuditEntry::system("act.add")).await.unwrap();
    assert_eq!(
        act.terms.iter().map(|t| (t.code.as_str(), t.label_en.as_str())).collect::<Vec<_>>(),
        [("0102", "Summary execution")]
    );
    let bad = s.add_act(&new(fields("huridocs-types_of_acts/9999")), &AuditEntry::system("act.add")).await;
    assert!(matches!(bad, Err(StoreError::Constraint(_))), "{bad:?}");
    assert_eq!(s.acts(c.id).await.unwrap().len(), 1, "nothing half-written");
    verify_chain(s).await.unwrap();
}

pub async fn recommendations_import_update_assess_and_link(arc: Arc<dyn Store>) {
    use rightsdesk_domain::mechanisms::{AssessmentInput, ImplementationStatus, RecommendationInput, Response};
    let s = arc.as_ref();
    let mechanisms = s.mechanisms().await.unwrap();
    assert!(mechanisms.iter().any(|m| m.code == "UPR"));
    assert_eq!(mechanisms.iter().find(|m| m.code == "CCPR").unwrap().instrument_code.as_deref(), Some("ICCPR"));
    let rec = |id: &str, session: i64, text: &str, response: Response, themes: &[&str]| RecommendationInput {
        source_key: format!("upr-info:{id}"),
        mechanism_code: "UPR".into(),
        state_under_review: "Cambodia".into(),
        session: session.to_string(),
        cycle: rightsdesk_domain::mechanisms::upr_cycle(session),
        document_symbol: String::new(),
        paragraph: String::new(),
        issued_on: None,
        recommending_state: "Chile".into(),
        text: text.into(),
        response: Some(response),
        response_raw: "Accepted".into(),
        action_category: Some(4),
        themes: themes.iter().map(|t| t.to_string()).collect(),
    };
    let first = vec![
        rec("1", 6, "Establish a national human rights institution", Response::Supported, &["NHRI"]),
        rec(
            "2",
            6,
            "Guarantee freedom of expression; it's 100% due",
            Response::Noted,
            &["Freedom of opinion and expression"],
        ),
        rec("3", 18, "Ratify the OP-CAT", Response::Supported, &["Torture and other CID", "International instruments"]),
    ];
    let audit = AuditEntry::system("recommendation.import").summary("test file");
    let out = s.import_recommendations(&first, &audit, false, &|_| {}).await.unwrap();
    assert_eq!((out.added, out.updated, out.unchanged), (3, 0, 0));
    // The same file again changes nothing; a changed row is updated, a new one added.
    let out = s.import_recommendations(&first, &audit, false, &|_| {}).await.unwrap();
    assert_eq!((out.added, out.updated, out.unchanged), (0, 0, 3));
    let mut second = first.clone();
    second[2].text = "Ratify the Optional Protocol to the Convention against Torture".into();
    second[2].themes = vec!["Torture and other CID".into()];
    second.push(rec("4", 18, "Adopt a law on access to information", Response::Supported, &["NHRI"]));
    // A dry run counts the same and writes nothing.
    let dry = s.import_recommendations(&second, &audit, true, &|_| {}).await.unwrap();
    assert_eq!((dry.added, dry.updated, dry.unchanged), (1, 1, 2));
    assert_eq!(s.recommendations(&RecommendationFilter { limit: 50, ..Default::default() }).await.unwrap().len(), 3);
    let seen = std::sync::atomic::AtomicUsize::new(0);
    let out = s
        .import_recommendations(&second, &audit, false, &|n| seen.store(n, std::sync::atomic::Ordering::Relaxed))
        .await
        .unwrap();
    assert_eq!((out.added, out.updated, out.unchanged), (1, 1, 2));
    assert_eq!(seen.load(std::sync::atomic::Ordering::Relaxed), 4, "progress reaches every row");
    let all = RecommendationFilter { limit: 50, ..Default::default() };
    let list = s.recommendations(&all).await.unwrap();
    assert_eq!(list.len(), 4, "re-imports update, never duplicate");
    let opcat = list.iter().find(|r| r.source_key == "upr-info:3").unwrap();
    assert_eq!(opcat.themes, vec!["Torture and other CID".to_string()], "themes replaced");
    assert_eq!(opcat.cycle, Some(2));
    // Filters, text words (SQL metacharacters taken literally) and facets.
    let by = |f: RecommendationFilter| async move { s.recommendations(&f).await.unwrap().len() };
    assert_eq!(by(RecommendationFilter { theme: Some("NHRI".into()), ..all.clone() }).await, 2);
    assert_eq!(by(RecommendationFilter { response: Some(Response::Noted), ..all.clone() }).await, 1);
    assert_eq!(by(RecommendationFilter { cycle: Some(1), ..all.clone() }).await, 2);
    assert_eq!(by(RecommendationFilter { text: Some("RATIFY torture".into()), ..all.clone() }).await, 1);
    assert_eq!(by(RecommendationFilter { text: Some("100%".into()), ..all.clone() }).await, 1);
    assert_eq!(by(RecommendationFilter { text: Some("it's".into()), ..all.clone() }).await, 1);
    assert_eq!(by(RecommendationFilter { text: Some("0_".into()), ..all.clone() }).await, 0);
    let facets = s.recommendation_facets(&all).await.unwrap();
    assert_eq!(facets.total, 4);
    assert_eq!(facets.response[0], FacetCount { value: "supported".into(), count: 3 });
    assert_eq!(facets.theme[0], FacetCount { value: "NHRI".into(), count: 2 });
    assert!(facets.cycle.contains(&FacetCount { value: "2".into(), count: 2 }));
    // Keyset paging, newest first, no overlap.
    let page1 = s.recommendations(&RecommendationFilter { limit: 3, ..all.clone() }).await.unwrap();
    let page2 = s
        .recommendations(&RecommendationFilter { limit: 3, after: Some(page1.last().unwrap().id), ..all.clone() })
        .await
        .unwrap();
    assert_eq!(page1.len() + page2.len(), 4);
    assert!(page2.iter().all(|r| r.id < page1.last().unwrap().id));

    // Assessments: the status is the latest by date, whatever the order entered.
    let officer = user(s, "mech@example.org", Role::MechanismsOfficer).await;
    let nhri = list.iter().find(|r| r.source_key == "upr-info:1").unwrap().id;
    let assess = |status, on: &str| AssessmentInput {
        status,
        assessed_on: on.into(),
        evidence: "Law adopted".into(),
        source: "Official Gazette".into(),
    };
    // Every change of what the list counts moves the change log (the web
    // layer keeps facet counts until it moves).
    let seq_before = s.latest_change_seq("recommendations").await.unwrap();
    let a = s
        .add_assessment(
            nhri,
            &assess(ImplementationStatus::PartiallyImplemented, "2026-06-01"),
            officer.id,
            &admin_audit("assess"),
        )
        .await
        .unwrap();
    assert_eq!(a.assessor_name, "Test User");
    assert!(s.latest_change_seq("recommendations").await.unwrap() > seq_before, "an assessment is a logged change");
    s.add_assessment(nhri, &assess(ImplementationStatus::NotStarted, "2025-01-01"), officer.id, &admin_audit("assess"))
        .await
        .unwrap();
    assert_eq!(s.recommendation(nhri).await.unwrap().unwrap().status, ImplementationStatus::PartiallyImplemented);
    let history = s.assessments(nhri).await.unwrap();
    assert_eq!(history.iter().map(|a| a.assessed_on.as_str()).collect::<Vec<_>>(), ["2026-06-01", "2025-01-01"]);
    assert_eq!(
        by(RecommendationFilter { status: Some(ImplementationStatus::PartiallyImplemented), ..all.clone() }).await,
        1
    );
    let missing = s
        .add_assessment(
            999_999,
            &assess(ImplementationStatus::Implemented, "2026-01-01"),
            officer.id,
            &admin_audit("assess"),
        )
        .await;
    assert!(matches!(missing, Err(StoreError::Constraint(_)) | Err(StoreError::NotFound)), "{missing:?}");

    // Links to cases: an outsider does not see (or count) a restricted case.
    let pnh = office(s, "PNH").await;
    let outsider = user(s, "outsider-mech@example.org", Role::Officer).await;
    let open = open_case(s, &pnh, &officer, "Open", false, &[officer.id]).await;
    let hidden = open_case(s, &pnh, &officer, "Hidden", true, &[officer.id]).await;
    for c in [&open, &hidden] {
        s.link_case(nhri, c.id, officer.id, &admin_audit("link")).await.unwrap();
    }
    s.link_case(nhri, open.id, officer.id, &admin_audit("link")).await.unwrap();
    assert_eq!(s.linked_cases(nhri, &scope_of(&officer)).await.unwrap().len(), 2);
    let seen = s.linked_cases(nhri, &scope_of(&outsider)).await.unwrap();
    assert_eq!(seen.iter().map(|c| c.id).collect::<Vec<_>>(), vec![open.id]);
    assert_eq!(s.case_recommendations(hidden.id).await.unwrap()[0].id, nhri);
    assert_eq!(s.case_by_reference(&hidden.reference).await.unwrap().unwrap().id, hidden.id);
    s.unlink_case(nhri, hidden.id, &admin_audit("unlink")).await.unwrap();
    assert!(s.case_recommendations(hidden.id).await.unwrap().is_empty());
    assert!(matches!(s.unlink_case(nhri, hidden.id, &admin_audit("unlink")).await, Err(StoreError::NotFound)));

    // Responsible institutions, and the list of one institution's recommendations.
    let ministry = s
        .create_organisation(
            &NewOrganisation {
                name_en: "Ministry of Justice".into(),
                name_km: "ក្រសួងយុត្តិធម៌".into(),
                kind: "ministry".into(),
            },
            &admin_audit("organisation.create"),
        )
        .await
        .unwrap();
    let seq_before = s.latest_change_seq("recommendations").await.unwrap();
    s.set_institutions(nhri, &[ministry.id, ministry.id], &admin_audit("institutions")).await.unwrap();
    assert!(s.latest_change_seq("recommendations").await.unwrap() > seq_before, "institutions are a logged change");
    assert_eq!(s.institutions(nhri).await.unwrap()[0].name_en, "Ministry of Justice");
    let mine =
        s.recommendations(&RecommendationFilter { institution: Some(ministry.id), ..all.clone() }).await.unwrap();
    assert_eq!(mine.iter().map(|r| r.id).collect::<Vec<_>>(), vec![nhri]);
    verify_chain(s).await.unwrap();
}

pub async fn reporting_calendar_and_feeds(arc: Arc<dyn Store>) {
    use rightsdesk_domain::mechanisms::ReportingEventFields;
    let s = arc.as_ref();
    // Cambodia's UPR reviews ship with the product.
    let seeded = s.reporting_events().await.unwrap();
    let reviews: Vec<&str> = seeded.iter().filter(|e| e.kind == "upr_review").map(|e| &e.due_on[..4]).collect();
    assert_eq!(reviews, ["2009", "2014", "2019", "2024"]);
    assert!(seeded.iter().any(|e| e.kind == "mid_term_report" && e.status == "open"));
    let officer = user(s, "calendar@example.org", Role::MechanismsOfficer).await;
    let input = ReportingEventFields {
        mechanism_code: "CCPR".into(),
        kind: "state_report_due".into(),
        cycle: "CCPR, fourth periodic report".into(),
        title: "Fourth periodic report due".into(),
        due_on: "2026-03-31".into(),
        notes: String::new(),
    }
    .parse()
    .unwrap();
    let e = s.add_reporting_event(&input, officer.id, &admin_audit("calendar.add")).await.unwrap();
    assert_eq!((e.status.as_str(), e.done_on.as_deref()), ("open", None));
    let mut unknown = input.clone();
    unknown.mechanism_code = "NOPE".into();
    assert!(matches!(
        s.add_reporting_event(&unknown, officer.id, &admin_audit("calendar.add")).await,
        Err(StoreError::Constraint(_))
    ));
    let done =
        s.set_reporting_event_status(e.id, "done", Some("2026-04-02"), &admin_audit("calendar.status")).await.unwrap();
    assert_eq!((done.status.as_str(), done.done_on.as_deref()), ("done", Some("2026-04-02")));
    assert!(matches!(
        s.set_reporting_event_status(e.id, "finished", None, &admin_audit("calendar.status")).await,
        Err(StoreError::Constraint(_))
    ));
    assert!(matches!(
        s.set_reporting_event_status(999_999, "done", None, &admin_audit("calendar.status")).await,
        Err(StoreError::NotFound)
    ));
    let all = s.reporting_events().await.unwrap();
    assert_eq!(all.len(), seeded.len() + 1);
    assert!(all.windows(2).all(|w| w[0].due_on <= w[1].due_on), "by due date");
    // Feeds: one live address per user; a new one ends the old one.
    assert!(!s.has_calendar_feed(officer.id).await.unwrap());
    s.create_calendar_feed(officer.id, "hash-one", &admin_audit("feed")).await.unwrap();
    assert_eq!(s.calendar_feed_user("hash-one").await.unwrap(), Some(officer.id));
    s.create_calendar_feed(officer.id, "hash-two", &admin_audit("feed")).await.unwrap();
    assert_eq!(s.calendar_feed_user("hash-one").await.unwrap(), None);
    assert_eq!(s.calendar_feed_user("hash-two").await.unwrap(), Some(officer.id));
    s.revoke_calendar_feeds(officer.id, &admin_audit("feed")).await.unwrap();
    assert_eq!(s.calendar_feed_user("hash-two").await.unwrap(), None);
    assert!(!s.has_calendar_feed(officer.id).await.unwrap());
    verify_chain(s).await.unwrap();
}

pub async fn recommendation_details_and_progress(arc: Arc<dyn Store>) {
    use rightsdesk_domain::mechanisms::{
        AssessmentInput, ImplementationStatus, RecommendationDetailsFields, RecommendationInput, Response,
    };
    let s = arc.as_ref();
    s.load_reference(&ReferenceData::embedded().unwrap(), &AuditEntry::system("reference.load")).await.unwrap();
    let rows: Vec<RecommendationInput> = (1..=4)
        .map(|i| RecommendationInput {
            source_key: format!("test:{i}"),
            mechanism_code: if i <= 3 { "UPR".into() } else { "CRC".into() },
            state_under_review: "Cambodia".into(),
            session: "18".into(),
            cycle: Some(2),
            document_symbol: String::new(),
            paragraph: String::new(),
            issued_on: None,
            recommending_state: String::new(),
            text: format!("Recommendation {i}"),
            response: Some(Response::Supported),
            response_raw: String::new(),
            action_category: None,
            themes: vec!["Detention".into()],
        })
        .collect();
    s.import_recommendations(&rows, &admin_audit("import"), false, &|_| {}).await.unwrap();
    let all = RecommendationFilter { limit: 50, ..Default::default() };
    let ids: Vec<i64> = s.recommendations(&all).await.unwrap().iter().map(|r| r.id).collect();
    let ministry = s
        .create_organisation(
            &NewOrganisation {
                name_en: "Ministry of Interior".into(),
                name_km: "ក្រសួងមហាផ្ទៃ".into(),
                kind: "ministry".into(),
            },
            &admin_audit("organisation.create"),
        )
        .await
        .unwrap();
    let details = |targets: &str, groups: &[&str], cluster: &str| RecommendationDetailsFields {
        themes: "Detention, Torture".into(),
        sdg_targets: targets.into(),
        affected_groups: groups.iter().map(|g| g.to_string()).collect(),
        cluster: cluster.into(),
        institutions: vec![ministry.id],
    };
    for (i, id) in ids.iter().enumerate().take(3) {
        let d = details(if i == 0 { "16.3, 16.10" } else { "5.2" }, &["persons_deprived_of_liberty"], "Prisons")
            .parse()
            .unwrap();
        s.update_recommendation_details(*id, &d, &admin_audit("details")).await.unwrap();
    }
    let r = s.recommendation(ids[0]).await.unwrap().unwrap();
    assert_eq!(r.sdg_targets, ["16.10", "16.3"]);
    assert_eq!((r.cluster.as_deref(), r.affected_groups.len()), (Some("Prisons"), 1));
    assert_eq!(r.themes, ["Detention", "Torture"]);
    // A target that does not exist changes nothing.
    let bad = details("16.99", &[], "Elsewhere").parse().unwrap();
    assert!(matches!(
        s.update_recommendation_details(ids[3], &bad, &admin_audit("details")).await,
        Err(StoreError::Constraint(_))
    ));
    assert_eq!(s.recommendation(ids[3]).await.unwrap().unwrap().cluster, None);
    assert_eq!(
        s.clusters().await.unwrap().iter().map(|c| (c.name.as_str(), c.recommendations)).collect::<Vec<_>>(),
        [("Prisons", 3)]
    );
    // Filters on the new facets.
    let by = |f: RecommendationFilter| async move { s.recommendations(&f).await.unwrap().len() };
    assert_eq!(by(RecommendationFilter { sdg_goal: Some(16), ..all.clone() }).await, 1);
    assert_eq!(
        by(RecommendationFilter { affected_group: Some("persons_deprived_of_liberty".into()), ..all.clone() }).await,
        3
    );
    let cluster = s.clusters().await.unwrap()[0].id;
    assert_eq!(by(RecommendationFilter { cluster_id: Some(cluster), ..all.clone() }).await, 3);
    // Progress by dimension, with the status of the latest assessment.
    let assessor = user(s, "progress@example.org", Role::MechanismsOfficer).await;
    // ids run newest first: ids[0] is the CRC one, ids[1] a UPR one.
    s.add_assessment(
        ids[1],
        &AssessmentInput {
            status: ImplementationStatus::Implemented,
            assessed_on: "2026-01-01".into(),
            evidence: String::new(),
            source: String::new(),
        },
        assessor.id,
        &admin_audit("assess"),
    )
    .await
    .unwrap();
    let implemented = ImplementationStatus::ALL.iter().position(|s| *s == ImplementationStatus::Implemented).unwrap();
    let by_mechanism = s.recommendation_progress(ProgressDimension::Mechanism, &all).await.unwrap();
    assert_eq!(by_mechanism[0].key, "UPR");
    assert_eq!((by_mechanism[0].total, by_mechanism[0].by_status[implemented]), (3, 1));
    let by_goal = s.recommendation_progress(ProgressDimension::SdgGoal, &all).await.unwrap();
    assert_eq!(by_goal.iter().map(|r| (r.key.as_str(), r.total)).collect::<Vec<_>>(), [("5", 2), ("16", 1)]);
    let by_institution = s.recommendation_progress(ProgressDimension::Institution, &all).await.unwrap();
    assert_eq!((by_institution[0].label.as_str(), by_institution[0].total), ("Ministry of Interior", 3));
    let by_theme = s.recommendation_progress(ProgressDimension::Theme, &all).await.unwrap();
    assert_eq!(
        by_theme.iter().map(|r| (r.key.as_str(), r.total)).collect::<Vec<_>>(),
        [("Detention", 4), ("Torture", 3)]
    );
    let by_cycle = s
        .recommendation_progress(
            ProgressDimension::Cycle,
            &RecommendationFilter { mechanism_code: Some("CRC".into()), ..all.clone() },
        )
        .await
        .unwrap();
    assert_eq!((by_cycle[0].key.as_str(), by_cycle[0].total), ("2", 1));
    verify_chain(s).await.unwrap();
}

pub async fn focal_points_report_progress(arc: Arc<dyn Store>) {
    use rightsdesk_domain::mechanisms::{ImplementationStatus, RecommendationInput, Response};
    let s = arc.as_ref();
    let pnh = office(s, "PNH").await;
    let org = |name: &str| NewOrganisation { name_en: name.into(), name_km: name.into(), kind: "government".into() };
    let justice = s.create_organisation(&org("Ministry of Justice"), &admin_audit("org")).await.unwrap();
    let interior = s.create_organisation(&org("Ministry of Interior"), &admin_audit("org")).await.unwrap();
    let account = |email: &str, role: Role, organisation_id: Option<i64>| NewUser {
        email: email.into(),
        name: "Focal Point".into(),
        role,
        office_id: pnh.id,
        organisation_id,
        locale: Locale::En,
        password_hash: "x".into(),
    };
    // The database holds the rule too: a focal point has an institution, no one else does.
    for bad in [
        account("fp-none@example.org", Role::FocalPoint, None),
        account("officer-org@example.org", Role::Officer, Some(justice.id)),
    ] {
        assert!(
            matches!(s.create_user(&bad, &admin_audit("user.create")).await, Err(StoreError::Constraint(_))),
            "{}",
            bad.email
        );
    }
    let fp = s
        .create_user(&account("fp@example.org", Role::FocalPoint, Some(justice.id)), &admin_audit("user.create"))
        .await
        .unwrap();
    assert_eq!((fp.role, fp.organisation_id), (Role::FocalPoint, Some(justice.id)));
    let officer = user(s, "reviewer@example.org", Role::MechanismsOfficer).await;
    let rec = |key: &str| RecommendationInput {
        source_key: key.into(),
        mechanism_code: "UPR".into(),
        state_under_review: "Cambodia".into(),
        session: "32".into(),
        cycle: Some(3),
        document_symbol: String::new(),
        paragraph: String::new(),
        issued_on: None,
        recommending_state: String::new(),
        text: format!("Recommendation {key}"),
        response: Some(Response::Supported),
        response_raw: String::new(),
        action_category: None,
        themes: vec![],
    };
    s.import_recommendations(&[rec("a"), rec("b")], &admin_audit("import"), false, &|_| {}).await.unwrap();
    let all = s.recommendations(&RecommendationFilter { limit: 10, ..Default::default() }).await.unwrap();
    let (mine, other) = (all[0].id, all[1].id);
    s.set_institutions(mine, &[justice.id], &admin_audit("institutions")).await.unwrap();
    s.set_institutions(other, &[interior.id], &admin_audit("institutions")).await.unwrap();
    // Updates only for recommendations assigned to the institution.
    let refused = s
        .submit_progress_update(
            other,
            justice.id,
            fp.id,
            ImplementationStatus::Implemented,
            "Done",
            &admin_audit("update"),
        )
        .await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
    let first = s
        .submit_progress_update(
            mine,
            justice.id,
            fp.id,
            ImplementationStatus::InProgress,
            "Draft law sent to the Council of Ministers",
            &admin_audit("update"),
        )
        .await
        .unwrap();
    let second = s
        .submit_progress_update(
            mine,
            justice.id,
            fp.id,
            ImplementationStatus::Implemented,
            "Law adopted",
            &admin_audit("update"),
        )
        .await
        .unwrap();
    assert_eq!(
        s.pending_progress_updates().await.unwrap().iter().map(|u| u.id).collect::<Vec<_>>(),
        [first.id, second.id]
    );
    // Sent back: a comment, no assessment. Accepted: an assessment; the status follows.
    let back = s
        .review_progress_update(
            second.id,
            false,
            "Which law? Give the number.",
            "2026-11-20",
            officer.id,
            &admin_audit("review"),
        )
        .await
        .unwrap();
    assert_eq!((back.review.as_str(), back.review_comment.as_str()), ("returned", "Which law? Give the number."));
    assert_eq!(s.recommendation(mine).await.unwrap().unwrap().status, ImplementationStatus::NoInformation);
    let ok =
        s.review_progress_update(first.id, true, "", "2026-11-21", officer.id, &admin_audit("review")).await.unwrap();
    assert_eq!((ok.review.as_str(), ok.reviewed_by_name.as_str()), ("accepted", "Test User"));
    assert_eq!(s.recommendation(mine).await.unwrap().unwrap().status, ImplementationStatus::InProgress);
    let history = s.assessments(mine).await.unwrap();
    assert_eq!(history.len(), 1);
    assert!(history[0].source.contains("Ministry of Justice"));
    assert!(matches!(
        s.review_progress_update(first.id, false, "again", "2026-11-22", officer.id, &admin_audit("review")).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(s.pending_progress_updates().await.unwrap().is_empty());
    assert_eq!(s.progress_updates(mine, Some(interior.id)).await.unwrap().len(), 0);
    assert_eq!(s.progress_updates(mine, Some(justice.id)).await.unwrap().len(), 2);
    // Changing an account to focal point needs its institution.
    assert!(matches!(
        s.update_user(officer.id, "x", Role::FocalPoint, pnh.id, None, &admin_audit("user.update")).await,
        Err(StoreError::Constraint(_))
    ));
    verify_chain(s).await.unwrap();
}

pub async fn actions_indicators_and_intervention_links(arc: Arc<dyn Store>) {
    use rightsdesk_domain::mechanisms::{ActionFields, IndicatorFields, RecommendationInput};
    use rightsdesk_domain::monitoring::intervention::InterventionFields;
    let s = arc.as_ref();
    let officer = user(s, "actions@example.org", Role::MechanismsOfficer).await;
    let outsider = user(s, "actions-outsider@example.org", Role::Officer).await;
    let pnh = office(s, "PNH").await;
    let ministry = s
        .create_organisation(
            &NewOrganisation {
                name_en: "Ministry of Women's Affairs".into(),
                name_km: "ក្រសួងកិច្ចការនារី".into(),
                kind: "government".into(),
            },
            &admin_audit("org"),
        )
        .await
        .unwrap();
    let rec = RecommendationInput {
        source_key: "actions:1".into(),
        mechanism_code: "CEDAW".into(),
        state_under_review: "Cambodia".into(),
        session: "74".into(),
        cycle: None,
        document_symbol: "CEDAW/C/KHM/CO/6".into(),
        paragraph: "25".into(),
        issued_on: Some("2019-11".into()),
        recommending_state: String::new(),
        text: "Adopt a comprehensive law on violence against women".into(),
        response: None,
        response_raw: String::new(),
        action_category: None,
        themes: vec![],
    };
    s.import_recommendations(&[rec], &admin_audit("import"), false, &|_| {}).await.unwrap();
    let rid = s.recommendations(&RecommendationFilter { limit: 5, ..Default::default() }).await.unwrap()[0].id;
    let input = ActionFields {
        title: "Draft the law".into(),
        organisation_id: ministry.id.to_string(),
        due_on: "2027-03-08".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let a = s.create_action(&input, officer.id, &admin_audit("action.create")).await.unwrap();
    assert_eq!((a.status.as_str(), a.organisation_name.as_deref()), ("planned", Some("Ministry of Women's Affairs")));
    let undated = ActionFields { title: "Train judges".into(), ..Default::default() }.parse().unwrap();
    s.create_action(&undated, officer.id, &admin_audit("action.create")).await.unwrap();
    assert_eq!(
        s.actions().await.unwrap().iter().map(|a| a.title.as_str()).collect::<Vec<_>>(),
        ["Draft the law", "Train judges"]
    );
    let ind = s
        .add_indicator(
            a.id,
            &IndicatorFields {
                name: "Consultations held".into(),
                baseline: "0".into(),
                target: "5".into(),
                current: "0".into(),
            },
            &admin_audit("indicator"),
        )
        .await
        .unwrap();
    s.update_indicator(a.id, ind.id, "3", &admin_audit("indicator")).await.unwrap();
    assert!(matches!(
        s.update_indicator(a.id + 1, ind.id, "4", &admin_audit("indicator")).await,
        Err(StoreError::NotFound)
    ));
    s.link_action(a.id, rid, &admin_audit("link")).await.unwrap();
    s.link_action(a.id, rid, &admin_audit("link")).await.unwrap();
    let a = s.action(a.id).await.unwrap().unwrap();
    assert_eq!((a.indicators[0].current.as_str(), a.recommendation_ids.clone()), ("3", vec![rid]));
    let mut ongoing = input.clone();
    ongoing.status = "ongoing".into();
    assert_eq!(s.update_action(a.id, &ongoing, &admin_audit("action.update")).await.unwrap().status, "ongoing");
    assert_eq!(s.recommendation_actions(rid).await.unwrap().len(), 1);
    // Interventions raise recommendations; one on a restricted case stays hidden from outsiders.
    let police = s
        .create_organisation(
            &NewOrganisation {
                name_en: "National Police".into(),
                name_km: "នគរបាលជាតិ".into(),
                kind: "security_forces".into(),
            },
            &admin_audit("org"),
        )
        .await
        .unwrap();
    let letter = InterventionFields {
        organisation_id: police.id.to_string(),
        kind: "letter".into(),
        date: "2026-05-01".into(),
        request: "Investigate".into(),
        status: "sent".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let open = open_case(s, &pnh, &officer, "Open", false, &[officer.id]).await;
    let hidden = open_case(s, &pnh, &officer, "Hidden", true, &[officer.id]).await;
    let mut ivs = vec![];
    for c in [&open, &hidden] {
        ivs.push(s.add_intervention(c.id, &letter, officer.id, &admin_audit("iv")).await.unwrap().id);
    }
    for iv in &ivs {
        s.link_intervention(rid, *iv, &admin_audit("link")).await.unwrap();
    }
    assert!(matches!(s.link_intervention(rid, 999_999, &admin_audit("link")).await, Err(StoreError::NotFound)));
    assert_eq!(s.recommendation_interventions(rid, &scope_of(&officer)).await.unwrap().len(), 2);
    assert_eq!(
        s.recommendation_interventions(rid, &scope_of(&outsider))
            .await
            .unwrap()
            .iter()
            .map(|i| i.id)
            .collect::<Vec<_>>(),
        vec![ivs[0]]
    );
    let on_case = s.case_intervention_recommendations(hidden.id).await.unwrap();
    assert_eq!((on_case[0].0, on_case[0].1.id), (ivs[1], rid));
    verify_chain(s).await.unwrap();
}

pub async fn other_states_and_treaty_commitments(arc: Arc<dyn Store>) {
    use rightsdesk_domain::reference::{CommitmentFields, Ratification, RatificationStatus};
    let s = arc.as_ref();
    s.load_reference(&ReferenceData::embedded().unwrap(), &AuditEntry::system("reference.load")).await.unwrap();
    assert_eq!(s.ratification_states().await.unwrap(), ["Cambodia"], "only the home State ships");
    let row = |code: &str, state: &str, status| Ratification {
        instrument_code: code.into(),
        state: state.into(),
        status,
        signature_date: None,
        consent_date: Some("1996-10-29".into()),
        source: "test".into(),
    };
    let n = s
        .import_ratifications(
            &[
                row("ICCPR", "Thailand", RatificationStatus::Acceded),
                row("CAT", "Thailand", RatificationStatus::NoAction),
            ],
            &admin_audit("treaties.import"),
        )
        .await
        .unwrap();
    assert_eq!(n, 2);
    // Importing again updates.
    s.import_ratifications(&[row("CAT", "Thailand", RatificationStatus::Acceded)], &admin_audit("treaties.import"))
        .await
        .unwrap();
    let thai = s.ratifications("Thailand").await.unwrap();
    assert_eq!(thai.len(), 2);
    assert!(thai.iter().all(|r| r.status == RatificationStatus::Acceded));
    assert_eq!(s.ratification_states().await.unwrap(), ["Cambodia", "Thailand"]);
    let officer = user(s, "treaties@example.org", Role::MechanismsOfficer).await;
    let f = CommitmentFields {
        declarations: "Article 22 declaration".into(),
        individual_complaints: "accepted".into(),
        ..Default::default()
    };
    s.set_treaty_commitment("CAT", "Thailand", &f.parse().unwrap(), officer.id, &admin_audit("treaty")).await.unwrap();
    let g = CommitmentFields { reservations: "Art. 20".into(), ..Default::default() };
    s.set_treaty_commitment("CAT", "Thailand", &g.parse().unwrap(), officer.id, &admin_audit("treaty")).await.unwrap();
    let c = s.treaty_commitments("Thailand").await.unwrap();
    assert_eq!((c.len(), c[0].individual_complaints.as_str(), c[0].reservations.as_str()), (1, "unknown", "Art. 20"));
    assert!(matches!(
        s.set_treaty_commitment("NOPE", "Thailand", &g.parse().unwrap(), officer.id, &admin_audit("treaty")).await,
        Err(StoreError::Constraint(_))
    ));
    verify_chain(s).await.unwrap();
}
