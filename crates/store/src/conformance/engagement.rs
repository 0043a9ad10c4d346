//! Engagement: the directory with kinds, parents, provinces and relations;
//! contacts sealed or clear by their organisation's kind, recognised and
//! merged; meetings with their links and follow-up actions.

use super::*;
use crate::engagement::*;
use rightsdesk_domain::engagement::*;

fn audit(action: &str) -> AuditEntry {
    AuditEntry::new(Some(1), "officer@example.org", action)
}

fn organisation(en: &str, kind: &str, parent: Option<i64>, province: &str) -> OrganisationInput {
    OrganisationFields {
        name_en: en.into(),
        name_km: format!("{en} (km)"),
        kind: kind.into(),
        parent_id: parent.map(|p| p.to_string()).unwrap_or_default(),
        province_code: province.into(),
        ..Default::default()
    }
    .parse()
    .unwrap()
}

pub async fn stakeholder_directory_kinds_relations_and_links(arc: Arc<dyn Store>) {
    let s = arc.as_ref();
    s.load_reference(&ReferenceData::embedded().unwrap(), &AuditEntry::system("reference.load")).await.unwrap();
    let justice =
        s.create_stakeholder(&organisation("Ministry of Justice", "ministry", None, ""), &audit("o")).await.unwrap();
    let dept = s
        .create_stakeholder(
            &organisation("Battambang Department of Justice", "provincial_authority", Some(justice.id), "02"),
            &audit("o"),
        )
        .await
        .unwrap();
    assert_eq!((dept.parent_en.as_deref(), dept.province_code.as_deref()), (Some("Ministry of Justice"), Some("02")));
    assert!(dept.province_en.is_some(), "the province's name comes from the gazetteer");
    let ngo = s
        .create_stakeholder(&organisation("Land Rights Network", "civil_society", None, "02"), &audit("o"))
        .await
        .unwrap();

    // A taken name, an unknown province or parent, a loop: refused, nothing written.
    let taken = s.create_stakeholder(&organisation("Ministry of Justice", "ministry", None, ""), &audit("o")).await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
    let nowhere = s.create_stakeholder(&organisation("Nowhere", "ministry", None, "99"), &audit("o")).await;
    assert!(matches!(nowhere, Err(StoreError::Constraint(_))), "{nowhere:?}");
    let orphan = s.create_stakeholder(&organisation("Orphan", "ministry", Some(999_999), ""), &audit("o")).await;
    assert!(matches!(orphan, Err(StoreError::Constraint(_))), "{orphan:?}");
    let looped = s
        .update_stakeholder(
            justice.id,
            &organisation("Ministry of Justice", "ministry", Some(dept.id), ""),
            &audit("o"),
        )
        .await;
    assert!(matches!(looped, Err(StoreError::Constraint(_))), "{looped:?}");
    assert_eq!(s.stakeholder(justice.id).await.unwrap().unwrap().parent_id, None);
    assert_eq!(s.count_stakeholders(&StakeholderFilter::default()).await.unwrap(), 3);

    // The view by kind and province, and text in either language.
    let f = |f: StakeholderFilter| StakeholderFilter { limit: 50, ..f };
    let names = |v: Vec<Stakeholder>| v.into_iter().map(|o| o.name_en).collect::<Vec<_>>();
    let in_battambang = f(StakeholderFilter { province_code: Some("02".into()), ..Default::default() });
    assert_eq!(
        names(s.list_stakeholders(&in_battambang).await.unwrap()),
        ["Battambang Department of Justice", "Land Rights Network"]
    );
    assert_eq!(
        s.count_stakeholders_by_kind(&in_battambang).await.unwrap(),
        [(StakeholderKind::ProvincialAuthority, 1), (StakeholderKind::CivilSociety, 1)]
    );
    let cso = f(StakeholderFilter { kind: Some(StakeholderKind::CivilSociety), ..Default::default() });
    assert_eq!(names(s.list_stakeholders(&cso).await.unwrap()), ["Land Rights Network"]);
    let text = f(StakeholderFilter { text: Some("department OF justice (km)".into()), ..Default::default() });
    assert_eq!(s.count_stakeholders(&text).await.unwrap(), 1, "the Khmer name matched, in any case");
    let wildcard = f(StakeholderFilter { text: Some("%".into()), ..Default::default() });
    assert_eq!(s.count_stakeholders(&wildcard).await.unwrap(), 0, "a % is a character, not a wildcard");

    // Relations read from both ends; twice is once; unknown refused.
    s.relate(justice.id, RelationKind::Oversees, dept.id, &audit("r")).await.unwrap();
    s.relate(justice.id, RelationKind::Oversees, dept.id, &audit("r")).await.unwrap();
    s.relate(ngo.id, RelationKind::PartnerOf, dept.id, &audit("r")).await.unwrap();
    let bad = s.relate(ngo.id, RelationKind::Funds, 999_999, &audit("r")).await;
    assert!(matches!(bad, Err(StoreError::Constraint(_))), "{bad:?}");
    let links = s.organisation_links(dept.id).await.unwrap();
    let rel: Vec<_> = links.relations.iter().map(|r| (r.kind, r.outgoing, r.other_id)).collect();
    assert_eq!(rel, [(RelationKind::PartnerOf, false, ngo.id), (RelationKind::Oversees, false, justice.id)]);
    assert_eq!(
        s.organisation_links(justice.id).await.unwrap().children,
        [OrgRef { id: dept.id, name_en: dept.name_en.clone(), name_km: dept.name_km.clone() }]
    );
    s.unrelate(ngo.id, RelationKind::PartnerOf, dept.id, &audit("r")).await.unwrap();
    assert_eq!(s.organisation_links(dept.id).await.unwrap().relations.len(), 1);

    // What is addressed to an organisation, and what it is responsible for.
    let pnh = office(s, "PNH").await;
    let officer = user(s, "officer@example.org", Role::Officer).await;
    let case = open_case(s, &pnh, &officer, "Detention in Battambang", false, &[officer.id]).await;
    let letter = rightsdesk_domain::monitoring::intervention::InterventionFields {
        organisation_id: dept.id.to_string(),
        kind: "letter".into(),
        date: "2026-05-02".into(),
        request: "Release of V1".into(),
        status: "awaiting_response".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    s.add_intervention(case.id, &letter, officer.id, &audit("intervention")).await.unwrap();
    let links = s.organisation_links(dept.id).await.unwrap();
    assert_eq!(links.interventions.len(), 1);
    assert_eq!(
        (links.interventions[0].intervention.case_id, links.interventions[0].status.as_str()),
        (case.id, "awaiting_response")
    );
    assert!(links.recommendations.is_empty());
}

fn contact(org: i64, name: &str) -> ContactInput {
    ContactFields {
        organisation_id: org.to_string(),
        name: name.into(),
        position: "Director".into(),
        phone: "+855 12 345 678".into(),
        email: "someone@example.org".into(),
        ..Default::default()
    }
    .parse()
    .unwrap()
}

pub async fn contacts_sealed_merged_and_meetings_with_follow_ups(arc: Arc<dyn Store>) {
    let s = arc.as_ref();
    let keys = rightsdesk_crypto::Keyring::generate("test");
    let pnh = office(s, "PNH").await;
    let btb = office(s, "BTB").await;
    let officer = user(s, "officer@example.org", Role::Officer).await;
    let police =
        s.create_stakeholder(&organisation("Provincial Police", "police", None, ""), &audit("o")).await.unwrap();
    let ngo = s
        .create_stakeholder(&organisation("Land Rights Network", "civil_society", None, ""), &audit("o"))
        .await
        .unwrap();

    // An official in clear; a civil society contact sealed, opened only with the key.
    let chief =
        s.add_contact(pnh.id, &contact(police.id, "Chief Sok"), false, &keys, officer.id, &audit("c")).await.unwrap();
    assert_eq!(chief.clear.name, "Chief Sok");
    let activist =
        s.add_contact(pnh.id, &contact(ngo.id, "សុខ ចាន់ថា"), true, &keys, officer.id, &audit("c")).await.unwrap();
    assert!(activist.clear.name.is_empty() && activist.clear.phone.is_empty());
    assert!(activist
        .sealed
        .name
        .as_ref()
        .is_some_and(|c| !c.windows(6).any(|w| w == "ចាន់".as_bytes().get(..6).unwrap())));
    assert_eq!(activist.identity(&keys).unwrap().name, "សុខ ចាន់ថា");
    assert!(activist.identity(&rightsdesk_crypto::Keyring::generate("other")).is_err());
    let audit_log = s.audit_events_after(0, 1000).await.unwrap();
    assert!(!audit_log.iter().any(|e| e.summary.contains("ចាន់")), "no name in the audit log");

    // The same person typed without the space, with a zero-width space: recognised.
    let again =
        s.add_contact(pnh.id, &contact(ngo.id, "សុខ\u{200b}ចាន់ថា"), true, &keys, officer.id, &audit("c")).await.unwrap();
    let same = s.contacts_named(&contact_name_bidx(&keys, "សុខចាន់ថា"), again.id).await.unwrap();
    assert_eq!(same.iter().map(|c| c.id).collect::<Vec<_>>(), [activist.id]);
    let elsewhere =
        s.add_contact(btb.id, &contact(ngo.id, "Other Person"), true, &keys, officer.id, &audit("c")).await.unwrap();

    // Meetings: links checked, lists filtered, follow-ups on their owner's list.
    let input = MeetingFields {
        kind: "meeting".into(),
        held_on: "2026-11-20".into(),
        title: "Land dispute in Bavel".into(),
        topics: "land, housing".into(),
        organisation_ids: format!("{}, {}", police.id, ngo.id),
        contact_ids: format!("{}, {}", chief.id, again.id),
        staff_ids: officer.id.to_string(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let m =
        s.create_meeting(&NewMeeting { input: &input, office_id: pnh.id, by: officer.id }, &audit("m")).await.unwrap();
    assert_eq!(m.topics, ["housing", "land"]);
    assert_eq!(m.organisations.iter().map(|o| o.id).collect::<Vec<_>>(), [ngo.id, police.id]);
    assert_eq!(m.staff, [StaffRef { id: officer.id, name: "Test User".into() }]);
    let mut bad = input.clone();
    bad.links.case_ids = vec![999_999];
    let refused = s.create_meeting(&NewMeeting { input: &bad, office_id: pnh.id, by: officer.id }, &audit("m")).await;
    assert!(matches!(&refused, Err(StoreError::Constraint(c)) if c.contains("case_id")), "{refused:?}");
    assert_eq!(s.count_meetings(&MeetingFilter::default()).await.unwrap(), 1, "nothing half-written");
    let by_org = MeetingFilter { organisation_id: Some(police.id), limit: 10, ..Default::default() };
    assert_eq!(s.list_meetings(&by_org).await.unwrap().len(), 1);
    let later = MeetingFilter { from: Some("2026-12-01".into()), limit: 10, ..Default::default() };
    assert_eq!(s.count_meetings(&later).await.unwrap(), 0);

    let follow = MeetingActionFields {
        action: "Send the land map".into(),
        owner_id: officer.id.to_string(),
        due_on: "2026-12-01".into(),
    };
    let a = s.add_meeting_action(m.id, &follow.parse().unwrap(), &audit("a")).await.unwrap();
    assert_eq!((a.owner_name.as_str(), a.meeting_title.as_str()), ("Test User", "Land dispute in Bavel"));
    let nobody = MeetingActionFields { owner_id: "999999".into(), ..follow };
    assert!(matches!(
        s.add_meeting_action(m.id, &nobody.parse().unwrap(), &audit("a")).await,
        Err(StoreError::Constraint(_))
    ));
    assert_eq!(s.open_actions_of(officer.id).await.unwrap().len(), 1);
    s.set_meeting_action_done(m.id, a.id, Some("2026-11-30"), &audit("a")).await.unwrap();
    assert!(s.open_actions_of(officer.id).await.unwrap().is_empty());
    assert!(s.open_meeting_actions().await.unwrap().is_empty());
    assert_eq!(s.meeting_actions(m.id).await.unwrap()[0].done_on.as_deref(), Some("2026-11-30"));

    // Merging the duplicate: its meetings follow; across offices refused.
    s.merge_contact(again.id, activist.id, &audit("merge")).await.unwrap();
    assert!(s.contact(again.id).await.unwrap().is_none());
    let m = s.meeting(m.id).await.unwrap().unwrap();
    assert_eq!(m.links.contact_ids, [chief.id, activist.id]);
    let across = s.merge_contact(elsewhere.id, activist.id, &audit("merge")).await;
    assert!(matches!(across, Err(StoreError::Conflict(_))), "{across:?}");
    assert!(s.contact(elsewhere.id).await.unwrap().is_some());
    assert_eq!(s.contacts_of(ngo.id).await.unwrap().len(), 2);
}
