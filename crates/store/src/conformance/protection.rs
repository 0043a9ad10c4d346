//! Protection: files in their scope, check-ins and the alerts the
//! scheduler raises from the database alone, assessments and measures.

use super::*;
use crate::protection::*;
use rightsdesk_domain::protection::*;
use rightsdesk_domain::ProtectionScope;

fn file_input(label: &str, profile: &str) -> ProtectionFileInput {
    ProtectionFileFields {
        subject: "individual".into(),
        label: label.into(),
        profile: profile.into(),
        province: "12".into(),
        ..Default::default()
    }
    .parse()
    .unwrap()
}

async fn open_file(s: &dyn Store, office: &Office, by: &User, label: &str, team: &[i64]) -> ProtectionFile {
    s.create_protection_file(
        &NewProtectionFile {
            office_id: office.id,
            year: 2026,
            input: file_input(label, "defender"),
            created_by: by.id,
            team: team.to_vec(),
        },
        &AuditEntry::new(Some(by.id), by.email.clone(), "protection.create"),
    )
    .await
    .unwrap()
}

fn scope(u: &User) -> ProtectionScope {
    ProtectionScope { user_id: u.id, head_of_office: (u.role == Role::HeadOfOffice).then_some(u.office_id) }
}

async fn head_of(s: &dyn Store, email: &str, office: &Office) -> User {
    s.create_user(
        &NewUser {
            email: email.into(),
            name: "Head".into(),
            role: Role::HeadOfOffice,
            office_id: office.id,
            organisation_id: None,
            locale: Locale::Km,
            password_hash: "$argon2id$fake".into(),
        },
        &admin_audit("user.create"),
    )
    .await
    .unwrap()
}

pub async fn protection_files_stay_in_scope(s: Arc<dyn Store>) {
    let s = s.as_ref();
    let pnh = office(s, "PNH").await;
    let btb = office(s, "BTB").await;
    let a = user(s, "pa@example.org", Role::Officer).await;
    let b = user(s, "pb@example.org", Role::Officer).await;
    let head = head_of(s, "phead@example.org", &pnh).await;
    let f1 = open_file(s, &pnh, &a, "Defender D1, Phnom Penh", &[]).await;
    let f2 = open_file(s, &pnh, &b, "Journalist J1", &[a.id]).await;
    let f3 = open_file(s, &btb, &b, "Community C1", &[]).await;
    assert_eq!(f1.reference, "PR-PNH-2026-0001");
    assert_eq!(f2.reference, "PR-PNH-2026-0002");
    assert_eq!(f3.reference, "PR-BTB-2026-0001");
    assert_eq!(f2.team, {
        let mut t = vec![a.id, b.id];
        t.sort();
        t
    });
    assert_eq!((f1.status, f1.level, f1.checkins), (FileStatus::Open, None, None));
    let refs = |list: Vec<ProtectionFileSummary>| list.into_iter().map(|f| f.reference).collect::<Vec<_>>();
    let mut fa = ProtectionFileFilter::new(scope(&a));
    let mut got = refs(s.list_protection_files(&fa).await.unwrap());
    got.sort();
    assert_eq!(got, ["PR-PNH-2026-0001", "PR-PNH-2026-0002"]);
    assert_eq!(s.count_protection_files(&fa).await.unwrap(), 2);
    // The head of office sees the office's files, not another office's.
    let fh = ProtectionFileFilter::new(scope(&head));
    assert_eq!(s.count_protection_files(&fh).await.unwrap(), 2);
    // b sees their own two, a colleague who is on no team sees nothing.
    let c = user(s, "pc@example.org", Role::Officer).await;
    assert_eq!(s.count_protection_files(&ProtectionFileFilter::new(scope(&c))).await.unwrap(), 0);
    assert_eq!(s.count_protection_files(&ProtectionFileFilter::new(scope(&b))).await.unwrap(), 2);
    // Filters.
    fa.officer = Some(b.id);
    assert_eq!(refs(s.list_protection_files(&fa).await.unwrap()), ["PR-PNH-2026-0002"]);
    fa.officer = None;
    fa.profile = Some(ProfileCategory::Journalist);
    assert_eq!(s.count_protection_files(&fa).await.unwrap(), 0);
    // Team changes and status with reason; closing keeps the reason.
    s.set_protection_team(f1.id, &[a.id, c.id], &admin_audit("team")).await.unwrap();
    assert_eq!(s.count_protection_files(&ProtectionFileFilter::new(scope(&c))).await.unwrap(), 1);
    assert!(matches!(s.set_protection_team(f1.id, &[], &admin_audit("team")).await, Err(StoreError::Constraint(_))));
    assert!(matches!(
        s.set_protection_team(f1.id, &[a.id, 999_999], &admin_audit("team")).await,
        Err(StoreError::Constraint(_))
    ));
    assert_eq!(s.protection_file(f1.id).await.unwrap().unwrap().team.len(), 2, "a failed change changes nothing");
    s.transition_protection_file(f1.id, FileStatus::Closed, "relocated abroad", &admin_audit("status")).await.unwrap();
    let closed = s.protection_file_by_reference("PR-PNH-2026-0001").await.unwrap().unwrap();
    assert_eq!((closed.status, closed.status_reason.as_str()), (FileStatus::Closed, "relocated abroad"));
    let mut fc = ProtectionFileFilter::new(scope(&a));
    fc.status = Some(FileStatus::Closed);
    assert_eq!(refs(s.list_protection_files(&fc).await.unwrap()), ["PR-PNH-2026-0001"]);
    // Links to monitoring: unknown ids are refused.
    let case = open_case(s, &pnh, &a, "Summons of a defender", false, &[a.id]).await;
    s.link_protection_case(f2.id, case.id, &admin_audit("link")).await.unwrap();
    s.link_protection_case(f2.id, case.id, &admin_audit("link")).await.unwrap();
    assert!(matches!(
        s.link_protection_case(f2.id, 999_999, &admin_audit("link")).await,
        Err(StoreError::Constraint(_))
    ));
    assert!(matches!(
        s.link_protection_person(f2.id, 999_999, &admin_audit("link")).await,
        Err(StoreError::Constraint(_))
    ));
    let records = s.protection_records(f2.id).await.unwrap();
    assert_eq!(records.cases, vec![(case.id, case.reference.clone(), case.title.clone())]);
    assert_eq!(s.protection_files_of_case(case.id).await.unwrap(), vec![f2.id]);
    let filter = AuditFilter { record_type: Some("protection_file".into()), limit: 100, ..Default::default() };
    let log = s.list_audit(&filter).await.unwrap();
    assert!(log.iter().any(|e| e.summary.contains("PR-PNH-2026-0001 opened")));
    assert!(log.iter().all(|e| !e.summary.contains("relocated")), "reasons stay out of the audit log");
}

pub async fn missed_checkins_raise_one_alert_each(s: Arc<dyn Store>) {
    let s = s.as_ref();
    let pnh = office(s, "PNH").await;
    let a = user(s, "ca@example.org", Role::Officer).await;
    let head = head_of(s, "chead@example.org", &pnh).await;
    let f = open_file(s, &pnh, &a, "Defender D2", &[]).await;
    let t0 = 1_800_000_000;
    let day = 86_400;
    let plan = CheckinPlan {
        every: day,
        channel: CheckinChannel::Call,
        grace: 2 * 3_600,
        escalate_after: 12 * 3_600,
        starts_at: t0,
    };
    s.set_checkin_plan(f.id, Some(&plan), &admin_audit("plan")).await.unwrap();
    let file = s.protection_file(f.id).await.unwrap().unwrap();
    assert_eq!((file.checkin_due_at, file.checkin_missed_at), (Some(t0 + day), Some(t0 + day + 7_200)));
    // Within grace: nothing.
    assert!(s.scan_alerts(t0 + day + 3_600).await.unwrap().raised.is_empty());
    // Missed: one alert, however often the scheduler passes (a restart included).
    let missed = s.scan_alerts(t0 + day + 7_200).await.unwrap();
    assert_eq!(missed.raised.len(), 1);
    assert_eq!((missed.raised[0].kind, missed.raised[0].due_at), (AlertKind::MissedCheckin, t0 + day));
    assert_eq!(missed.raised[0].file_reference, f.reference);
    assert!(s.scan_alerts(t0 + day + 8_000).await.unwrap().raised.is_empty());
    // A "no answer" is recorded but changes nothing.
    let no_answer = CheckinInput {
        at: t0 + day + 8_000,
        channel: CheckinChannel::Call,
        outcome: CheckinOutcome::NoAnswer,
        note: String::new(),
    };
    s.record_checkin(f.id, &no_answer, a.id, &admin_audit("checkin")).await.unwrap();
    // Still open after the escalation period: the head of office too.
    let esc = s.scan_alerts(t0 + day + 7_200 + 12 * 3_600).await.unwrap();
    assert_eq!(esc.raised.iter().map(|a| a.kind).collect::<Vec<_>>(), [AlertKind::EscalatedCheckin]);
    let mut who: Vec<_> = s.alert_recipients(esc.raised[0].id).await.unwrap().into_iter().map(|r| r.email).collect();
    who.sort();
    assert_eq!(who, ["ca@example.org", "chead@example.org"]);
    let to_team = s.alert_recipients(missed.raised[0].id).await.unwrap();
    assert_eq!(to_team.iter().map(|r| r.user_id).collect::<Vec<_>>(), [a.id]);
    // What each sees: the officer their file's alerts, the head the escalation.
    let mine = |u: &User| AlertFilter { scope: scope(u), for_user: true, open_only: true, limit: 50 };
    assert_eq!(s.count_alerts(&mine(&a)).await.unwrap(), 2);
    let for_head = s.alerts(&mine(&head)).await.unwrap();
    assert_eq!(for_head.iter().map(|a| a.kind).collect::<Vec<_>>(), [AlertKind::EscalatedCheckin]);
    let outsider = user(s, "cout@example.org", Role::Officer).await;
    assert_eq!(s.count_alerts(&AlertFilter { for_user: false, ..mine(&outsider) }).await.unwrap(), 0);
    // E-mail: claimed once, by one pass.
    let claimed = s.claim_unsent_alerts(t0 + day + 50_000, 10).await.unwrap();
    assert_eq!(claimed.len(), 2);
    assert!(s.claim_unsent_alerts(t0 + day + 50_001, 10).await.unwrap().is_empty());
    s.set_alert_emailed(claimed[0].id, 1).await.unwrap();
    // What could not be sent goes back for the next pass; what was sent stays sent.
    s.release_alert_claim(claimed[1].id).await.unwrap();
    s.release_alert_claim(claimed[0].id).await.unwrap();
    let again = s.claim_unsent_alerts(t0 + day + 50_002, 10).await.unwrap();
    assert_eq!(again.iter().map(|a| a.id).collect::<Vec<_>>(), [claimed[1].id]);
    assert_eq!(s.alert(claimed[0].id).await.unwrap().unwrap().emailed_to, 1);
    // Acknowledging needs an open alert; the note stays.
    s.acknowledge_alert(esc.raised[0].id, head.id, "Called the contact person", &admin_audit("ack")).await.unwrap();
    assert!(matches!(
        s.acknowledge_alert(esc.raised[0].id, head.id, "again", &admin_audit("ack")).await,
        Err(StoreError::NotFound)
    ));
    let acked = s.alert(esc.raised[0].id).await.unwrap().unwrap();
    assert_eq!((acked.state, acked.note.as_str()), (AlertState::Acknowledged, "Called the contact person"));
    // A check-in that reaches the person resolves what is open and moves the clock.
    let reached = CheckinInput {
        at: t0 + day + 60_000,
        channel: CheckinChannel::Visit,
        outcome: CheckinOutcome::Safe,
        note: "At home".into(),
    };
    s.record_checkin(f.id, &reached, a.id, &admin_audit("checkin")).await.unwrap();
    let file = s.protection_file(f.id).await.unwrap().unwrap();
    assert_eq!(file.last_reached_at, Some(t0 + day + 60_000));
    assert_eq!(file.checkin_due_at, Some(t0 + 2 * day + 60_000));
    let states: Vec<_> = s.protection_records(f.id).await.unwrap().alerts.iter().map(|a| a.state).collect();
    assert_eq!(states, [AlertState::Resolved, AlertState::Resolved]);
    assert_eq!(s.count_alerts(&mine(&a)).await.unwrap(), 0);
    let records = s.protection_records(f.id).await.unwrap();
    assert_eq!(
        records.checkins.iter().map(|c| c.outcome).collect::<Vec<_>>(),
        [CheckinOutcome::Safe, CheckinOutcome::NoAnswer]
    );
    // The next miss is a new alert; a closed file raises none.
    assert_eq!(s.scan_alerts(t0 + 2 * day + 60_000 + 7_200).await.unwrap().raised.len(), 1);
    s.transition_protection_file(f.id, FileStatus::Closed, "safe now", &admin_audit("close")).await.unwrap();
    assert!(s.scan_alerts(t0 + 30 * day).await.unwrap().raised.is_empty());
    assert_eq!(s.count_alerts(&mine(&a)).await.unwrap(), 0, "closing resolves");
}

/// A pass reads only what is pending (migration 0018): what it raised
/// leaves the pending rows, a file closed while its check-in was pending
/// raises on reopening, an escalation whose missed alert was acknowledged
/// in time never comes, and a plan change that puts a due time before the
/// last pass still raises.
pub async fn a_pass_raises_what_is_pending_once(s: Arc<dyn Store>) {
    let s = s.as_ref();
    let pnh = office(s, "PNH").await;
    let a = user(s, "pa@example.org", Role::Officer).await;
    let head = head_of(s, "phead@example.org", &pnh).await;
    let closing = open_file(s, &pnh, &a, "Defender D7", &[]).await;
    let acked = open_file(s, &pnh, &a, "Journalist J3", &[]).await;
    let t0 = 1_800_000_000;
    let day = 86_400;
    let plan = |starts_at| CheckinPlan {
        every: day,
        channel: CheckinChannel::Call,
        grace: 3_600,
        escalate_after: 6 * 3_600,
        starts_at,
    };
    for f in [&closing, &acked] {
        s.set_checkin_plan(f.id, Some(&plan(t0)), &admin_audit("plan")).await.unwrap();
    }
    // Closed before its check-in was missed: nothing while closed.
    s.transition_protection_file(closing.id, FileStatus::Closed, "moved away", &admin_audit("close")).await.unwrap();
    let missed = s.scan_alerts(t0 + day + 3_600).await.unwrap().raised;
    assert_eq!(missed.iter().map(|x| (x.file_id, x.kind)).collect::<Vec<_>>(), [(acked.id, AlertKind::MissedCheckin)]);
    assert!(s.scan_alerts(t0 + day + 3_700).await.unwrap().raised.is_empty());
    // Acknowledged before the escalation period ends: no escalation, then or later.
    s.acknowledge_alert(missed[0].id, a.id, "Reached the contact person", &admin_audit("ack")).await.unwrap();
    assert!(s.scan_alerts(t0 + day + 3_600 + 6 * 3_600).await.unwrap().raised.is_empty());
    assert!(s.scan_alerts(t0 + day + 3_600 + 7 * 3_600).await.unwrap().raised.is_empty());
    let for_head = AlertFilter { scope: scope(&head), for_user: true, open_only: true, limit: 50 };
    assert_eq!(s.count_alerts(&for_head).await.unwrap(), 0);
    // Reopened: the check-in that fell due while it was closed is missed
    // now, and for longer than the escalation period.
    s.transition_protection_file(closing.id, FileStatus::Reopened, "threats again", &admin_audit("reopen"))
        .await
        .unwrap();
    let reopened = s.scan_alerts(t0 + day + 8 * 3_600).await.unwrap().raised;
    assert_eq!(
        reopened.iter().map(|x| (x.file_id, x.kind, x.due_at)).collect::<Vec<_>>(),
        [(closing.id, AlertKind::MissedCheckin, t0 + day), (closing.id, AlertKind::EscalatedCheckin, t0 + day)]
    );
    // A plan that starts earlier puts the next due time before the last
    // pass: the next pass still raises it (and, past the escalation period
    // already, its escalation), once.
    let now = t0 + day + 8 * 3_600;
    s.set_checkin_plan(acked.id, Some(&plan(t0 - 3 * day + 1)), &admin_audit("plan")).await.unwrap();
    let moved = s.protection_file(acked.id).await.unwrap().unwrap();
    assert!(moved.checkin_missed_at.unwrap() < now, "{moved:?}");
    let again = s.scan_alerts(now + 60).await.unwrap().raised;
    assert_eq!(
        again.iter().map(|x| (x.file_id, x.kind, x.due_at)).collect::<Vec<_>>(),
        [
            (acked.id, AlertKind::MissedCheckin, moved.checkin_due_at.unwrap()),
            (acked.id, AlertKind::EscalatedCheckin, moved.checkin_due_at.unwrap())
        ]
    );
    assert!(s.scan_alerts(now + 120).await.unwrap().raised.is_empty());
}

pub async fn assessments_and_measures_fall_due(s: Arc<dyn Store>) {
    use rightsdesk_domain::monitoring::intervention::{InterventionInput, InterventionKind, InterventionStatus};
    let s = s.as_ref();
    let pnh = office(s, "PNH").await;
    let a = user(s, "ma@example.org", Role::Officer).await;
    let f = open_file(s, &pnh, &a, "Unionist U1", &[]).await;
    let t0 = 1_800_000_000;
    let input = RiskAssessmentFields {
        likelihood: "3".into(),
        impact: "4".into(),
        vulnerabilities: "Lives alone\nKnown address".into(),
        capacities: "Network of lawyers".into(),
        override_level: "critical".into(),
        override_reason: "Summoned twice this week".into(),
    }
    .parse()
    .unwrap();
    let days = ReassessmentDays::default();
    let next = days.due_after(t0, input.level());
    let first = s
        .add_risk_assessment(
            f.id,
            &NewAssessment { input: &input, at: t0, next_due_at: next, by: a.id },
            &admin_audit("ra"),
        )
        .await
        .unwrap();
    assert_eq!((first.level, first.computed), (RiskLevel::Critical, RiskLevel::High));
    assert_eq!(first.vulnerabilities, ["Lives alone", "Known address"]);
    let file = s.protection_file(f.id).await.unwrap().unwrap();
    assert_eq!((file.level, file.reassess_due_at), (Some(RiskLevel::Critical), Some(t0 + 7 * 86_400)));
    let due = s.scan_alerts(t0 + 7 * 86_400).await.unwrap();
    assert_eq!(due.raised.iter().map(|a| a.kind).collect::<Vec<_>>(), [AlertKind::ReassessmentOverdue]);
    let calmer =
        RiskAssessmentFields { likelihood: "1".into(), impact: "2".into(), ..Default::default() }.parse().unwrap();
    let at = t0 + 8 * 86_400;
    s.add_risk_assessment(
        f.id,
        &NewAssessment { input: &calmer, at, next_due_at: days.due_after(at, calmer.level()), by: a.id },
        &admin_audit("ra"),
    )
    .await
    .unwrap();
    let records = s.protection_records(f.id).await.unwrap();
    assert_eq!(records.assessments.iter().map(|a| a.level).collect::<Vec<_>>(), [RiskLevel::Low, RiskLevel::Critical]);
    assert_eq!(records.alerts[0].state, AlertState::Resolved);
    assert_eq!(s.protection_file(f.id).await.unwrap().unwrap().level, Some(RiskLevel::Low));

    // An urgent appeal is a monitoring intervention on the linked case.
    let police = s
        .create_organisation(
            &NewOrganisation {
                name_en: "Municipal police".into(),
                name_km: "នគរបាលរាជធានី".into(),
                kind: "police".into(),
            },
            &AuditEntry::system("organisation.create"),
        )
        .await
        .unwrap();
    let case = open_case(s, &pnh, &a, "Threats against a unionist", false, &[a.id]).await;
    s.link_protection_case(f.id, case.id, &admin_audit("link")).await.unwrap();
    let appeal = MeasureFields {
        kind: "urgent_appeal".into(),
        status: "active".into(),
        starts_on: "2026-12-01".into(),
        review_on: "2026-12-10".into(),
        description: "Appeal for the protection of U1".into(),
        case_id: case.id.to_string(),
        authority_id: police.id.to_string(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let intervention = InterventionInput {
        organisation_id: police.id,
        kind: InterventionKind::UrgentAppeal,
        date: Some("2026-12-01".into()),
        request: appeal.description.clone(),
        status: InterventionStatus::Sent,
        response_date: None,
        response: String::new(),
        next_follow_up: None,
    };
    let review_due = t0 + 20 * 86_400;
    let new =
        NewMeasure { input: &appeal, review_due_at: Some(review_due), intervention: Some(intervention), by: a.id };
    let m = s.add_measure(f.id, &new, &admin_audit("measure")).await.unwrap();
    let iv = s.interventions(case.id).await.unwrap();
    assert_eq!(iv.len(), 1);
    assert_eq!((m.intervention_id, iv[0].kind), (Some(iv[0].id), InterventionKind::UrgentAppeal));
    let due = s.scan_alerts(review_due).await.unwrap();
    assert_eq!(
        due.raised.iter().map(|a| (a.kind, a.subject_id)).collect::<Vec<_>>(),
        [(AlertKind::MeasureReviewOverdue, m.id)]
    );
    let done = MeasureFields {
        kind: "urgent_appeal".into(),
        status: "completed".into(),
        outcome: "Police patrols".into(),
        case_id: case.id.to_string(),
        authority_id: police.id.to_string(),
        description: "Appeal".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let upd = NewMeasure { input: &done, review_due_at: None, intervention: None, by: a.id };
    let m2 = s.update_measure(f.id, m.id, &upd, &admin_audit("measure")).await.unwrap();
    assert_eq!((m2.status, m2.outcome.as_str()), (MeasureStatus::Completed, "Police patrols"));
    assert_eq!(s.alert(due.raised[0].id).await.unwrap().unwrap().state, AlertState::Resolved);
    assert!(s.scan_alerts(review_due + 86_400).await.unwrap().raised.is_empty());
    assert!(matches!(s.update_measure(f.id, 999_999, &upd, &admin_audit("m")).await, Err(StoreError::NotFound)));

    // A threat: an unknown act is refused and nothing is written.
    let threat = ThreatFields {
        date: "2026-11-28".into(),
        kind: "summons".into(),
        description: "U1 summoned without a stated reason".into(),
        actor_organisation_id: police.id.to_string(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let t = s.add_threat(f.id, &NewThreat { input: &threat, by: a.id }, &admin_audit("threat")).await.unwrap();
    assert_eq!(t.actor_organisation_en.as_deref(), Some("Municipal police"));
    assert_eq!((t.actor_person_id, t.actor_person.as_deref()), (None, None));
    // The suspected person: an alleged perpetrator of the linked case, known by code.
    let keys = rightsdesk_crypto::Keyring::generate("test");
    let (profile, identity) = rightsdesk_domain::monitoring::PersonFields {
        role: "perpetrator".into(),
        name: "Commune police chief".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let p1 = s.add_person(case.id, &profile, &identity, &keys, &AuditEntry::system("person.add")).await.unwrap();
    let by_person = ThreatInput { actor_person_id: Some(p1.id), ..threat.clone() };
    let t2 = s.add_threat(f.id, &NewThreat { input: &by_person, by: a.id }, &admin_audit("threat")).await.unwrap();
    assert_eq!(t2.actor_person_id, Some(p1.id));
    assert_eq!(t2.actor_person, Some(format!("{} P1", case.reference)));
    let listed = s.protection_records(f.id).await.unwrap().threats;
    assert_eq!(listed.iter().filter(|x| x.actor_person.is_some()).count(), 1, "read back with the file");
    let nobody = ThreatInput { actor_person_id: Some(999_999), ..threat.clone() };
    assert!(matches!(
        s.add_threat(f.id, &NewThreat { input: &nobody, by: a.id }, &admin_audit("threat")).await,
        Err(StoreError::Constraint(_))
    ));
    let bad = ThreatInput { act_id: Some(999_999), ..threat.clone() };
    assert!(matches!(
        s.add_threat(f.id, &NewThreat { input: &bad, by: a.id }, &admin_audit("threat")).await,
        Err(StoreError::Constraint(_))
    ));
    assert_eq!(s.protection_records(f.id).await.unwrap().threats.len(), 2);
}

pub async fn protection_bundles_are_written_like_files(s: Arc<dyn Store>) {
    let s = s.as_ref();
    let pnh = office(s, "PNH").await;
    let a = user(s, "bulk@example.org", Role::Officer).await;
    let first = open_file(s, &pnh, &a, "Made through the form", &[]).await;
    let t0 = 1_800_000_000;
    let plan = CheckinPlan {
        every: 86_400,
        channel: CheckinChannel::Message,
        grace: 3_600,
        escalate_after: 7_200,
        starts_at: t0,
    };
    let checkin = |at, outcome| CheckinInput { at, channel: CheckinChannel::Message, outcome, note: String::new() };
    let input =
        RiskAssessmentFields { likelihood: "2".into(), impact: "2".into(), ..Default::default() }.parse().unwrap();
    let bundle = |label: &str| ProtectionBundle {
        file: NewProtectionFile {
            office_id: pnh.id,
            year: 2026,
            input: file_input(label, "journalist"),
            created_by: a.id,
            team: vec![],
        },
        plan: Some(plan),
        checkins: vec![checkin(t0 + 1_000, CheckinOutcome::Safe), checkin(t0 + 90_000, CheckinOutcome::NoAnswer)],
        assessment: Some(BundleAssessment { input: input.clone(), at: t0, next_due_at: t0 + 90 * 86_400, by: a.id }),
    };
    let n = s.insert_protection_bundles(&[bundle("G1"), bundle("G2")], &admin_audit("demo")).await.unwrap();
    assert_eq!(n, 2);
    let g2 = s.protection_file_by_reference("PR-PNH-2026-0003").await.unwrap().expect("numbered after the form's file");
    assert_eq!(first.reference, "PR-PNH-2026-0001");
    assert_eq!(g2.label, "G2");
    assert_eq!(g2.team, vec![a.id]);
    assert_eq!((g2.level, g2.reassess_due_at), (Some(RiskLevel::Low), Some(t0 + 90 * 86_400)));
    // "No answer" does not restart the clock: due one day after the safe check-in.
    assert_eq!((g2.last_reached_at, g2.checkin_due_at), (Some(t0 + 1_000), Some(t0 + 1_000 + 86_400)));
    let r = s.protection_records(g2.id).await.unwrap();
    assert_eq!((r.checkins.len(), r.assessments.len()), (2, 1));
    let raised = s.scan_alerts(t0 + 1_000 + 86_400 + 3_600).await.unwrap().raised;
    assert_eq!(raised.len(), 2, "both generated files missed their check-in");
    assert_eq!(s.count_protection_files(&ProtectionFileFilter::new(scope(&a))).await.unwrap(), 3);
}
