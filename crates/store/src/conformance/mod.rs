//! The conformance suite: the behaviour every storage backend must show.
//! Each backend runs it from its own tests with [`conformance_tests!`](crate::conformance_tests),
//! against a fresh database per test.

mod engagement;
mod legislation;
mod mechanisms;
mod monitoring;
mod platform;
mod protection;

pub use engagement::*;
pub use legislation::*;
pub use mechanisms::*;
pub use monitoring::*;
pub use platform::*;
pub use protection::*;

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
            protection_files_stay_in_scope,
            missed_checkins_raise_one_alert_each,
            a_pass_raises_what_is_pending_once,
            assessments_and_measures_fall_due,
            protection_bundles_are_written_like_files,
            laws_register_stages_links_and_scope,
            law_versions_carry_comments_and_responses,
            stakeholder_directory_kinds_relations_and_links,
            contacts_sealed_merged_and_meetings_with_follow_ups,
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

pub(crate) fn admin_audit(action: &str) -> AuditEntry {
    AuditEntry::new(Some(1), "admin@example.org", action)
}

pub(crate) async fn office(s: &dyn Store, code: &str) -> Office {
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

pub(crate) async fn user(s: &dyn Store, email: &str, role: Role) -> User {
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

pub(crate) fn case_input(title: &str, restricted: bool) -> rightsdesk_domain::monitoring::CaseInput {
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

pub(crate) async fn open_case(
    s: &dyn Store,
    office: &Office,
    by: &User,
    title: &str,
    restricted: bool,
    team: &[i64],
) -> Case {
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

pub(crate) fn scope_of(u: &User) -> rightsdesk_domain::CaseScope {
    rightsdesk_domain::CaseScope {
        user_id: u.id,
        head_of_office: (u.role == Role::HeadOfOffice).then_some(u.office_id),
    }
}
