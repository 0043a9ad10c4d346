//! Conformance of monitoring: cases, people, acts, interventions, sources, bundles.

use super::*;

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
    // Staff: the case's office and its team, as the account list has them.
    let c = s.case(c.id).await.unwrap().unwrap();
    let expected: Vec<(i64, String, i64)> = s
        .list_users()
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.office_id == c.office_id || c.assigned.contains(&u.id))
        .map(|u| (u.id, u.name, u.office_id))
        .collect();
    let staff: Vec<(i64, String, i64)> = records.staff.iter().map(|m| (m.id, m.name.clone(), m.office_id)).collect();
    assert!(!staff.is_empty());
    assert_eq!(staff, expected);
    let empty = s.case_records(i64::MAX).await.unwrap();
    assert!(empty.persons.is_empty() && empty.acts.is_empty() && empty.history.is_empty() && empty.staff.is_empty());
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
                kind: "police".into(),
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
    assert_eq!(s.source(doc.id).await.unwrap().unwrap().consent.as_str(), "raise_with_authorities");
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
