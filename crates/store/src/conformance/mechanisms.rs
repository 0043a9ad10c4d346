//! Conformance of mechanisms: recommendations, calendar, progress, actions, treaties.

use super::*;

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
    // ... in both languages.
    for e in &seeded {
        let khmer = |s: &str| s.chars().any(|c| ('\u{1780}'..='\u{17FF}').contains(&c));
        assert!(khmer(&e.title_km) && khmer(&e.cycle_km) && khmer(&e.notes_km), "{} has no Khmer", e.title);
    }
    let officer = user(s, "calendar@example.org", Role::MechanismsOfficer).await;
    let input = ReportingEventFields {
        mechanism_code: "CCPR".into(),
        kind: "state_report_due".into(),
        cycle: "CCPR, fourth periodic report".into(),
        title: "Fourth periodic report due".into(),
        due_on: "2026-03-31".into(),
        notes: String::new(),
        title_km: "ថ្ងៃផុតកំណត់របាយការណ៍តាមកាលកំណត់លើកទីបួន".into(),
        cycle_km: String::new(),
        notes_km: String::new(),
    }
    .parse()
    .unwrap();
    let e = s.add_reporting_event(&input, officer.id, &admin_audit("calendar.add")).await.unwrap();
    assert_eq!((e.status.as_str(), e.done_on.as_deref()), ("open", None));
    assert_eq!((e.title_km.as_str(), e.cycle_km.as_str()), ("ថ្ងៃផុតកំណត់របាយការណ៍តាមកាលកំណត់លើកទីបួន", ""));
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
    let org = |name: &str| NewOrganisation { name_en: name.into(), name_km: name.into(), kind: "ministry".into() };
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
                kind: "ministry".into(),
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
                name_en: "National Police".into(), name_km: "នគរបាលជាតិ".into(), kind: "police".into()
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
