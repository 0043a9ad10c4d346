//! A fictional stakeholder directory and dialogue log for the engagement
//! module: the demo's public institutions placed in their provinces and
//! hierarchy, two fictional civil society organisations and a union,
//! officials in clear and civil society contacts sealed, and meetings with
//! follow-up actions linked to a case and a draft law.

use anyhow::{Context, Result};
use rightsdesk_domain::engagement::*;
use rightsdesk_domain::Role;
use rightsdesk_store::engagement::NewMeeting;
use rightsdesk_store::{AuditEntry, Store};
use std::sync::Arc;

/// (name in English, in Khmer, kind, province, parent's English name)
const MORE_ORGANISATIONS: &[(&str, &str, &str, &str, &str)] = &[
    ("Land Rights Network [DEMO]", "បណ្តាញសិទ្ធិដីធ្លី [DEMO]", "civil_society", "02", ""),
    ("Battambang Women's Voice [DEMO]", "សំឡេងស្ត្រីបាត់ដំបង [DEMO]", "civil_society", "02", ""),
    ("Independent Garment Workers' Union [DEMO]", "សហជីពកម្មករកាត់ដេរឯករាជ្យ [DEMO]", "union", "12", ""),
    (
        "Battambang Provincial Police Commissariat",
        "ស្នងការដ្ឋាននគរបាលខេត្តបាត់ដំបង",
        "police",
        "02",
        "General Commissariat of National Police",
    ),
];

/// (organisation, name, position, phone): fictional people.
const CONTACTS: &[(&str, &str, &str, &str)] = &[
    ("Ministry of Justice", "Chea Sophal (fictional)", "Director, Department of Legislation", "+855 23 000 101"),
    ("Battambang Provincial Administration", "Nhem Vuthy (fictional)", "Deputy Governor", "+855 53 000 202"),
    ("Battambang Provincial Police Commissariat", "Tep Rithy (fictional)", "Deputy Commissioner", "+855 53 000 303"),
    ("Land Rights Network [DEMO]", "សុខ ចាន់ថា (fictional)", "Coordinator", "+855 12 000 404"),
    ("Battambang Women's Voice [DEMO]", "Keo Malis (fictional)", "Director", "+855 12 000 505"),
];

pub async fn seed(store: &Arc<dyn Store>, keys: &rightsdesk_crypto::Keyring) -> Result<()> {
    let audit = || AuditEntry::system("engagement.demo").summary("demo");
    let users = store.list_users().await?;
    let officer = users.iter().find(|u| u.role == Role::Officer && u.office_code == "BTB").context("a BTB officer")?;
    let legal = users.iter().find(|u| u.role == Role::LegalOfficer).context("a legal officer")?;
    let find =
        |orgs: &[rightsdesk_store::Organisation], name: &str| orgs.iter().find(|o| o.name_en == name).map(|o| o.id);

    // The Battambang institutions in their province and hierarchy.
    let orgs = store.organisations().await?;
    for (name, province, parent) in [
        ("Battambang Provincial Court of First Instance", "02", ""),
        ("Battambang Provincial Administration", "02", "Ministry of Interior"),
    ] {
        let Some(id) = find(&orgs, name) else { continue };
        let Some(o) = store.stakeholder(id).await? else { continue };
        let input = OrganisationInput {
            name_en: o.name_en,
            name_km: o.name_km,
            acronym: o.acronym,
            kind: o.kind,
            parent_id: find(&orgs, parent),
            province_code: Some(province.into()),
            notes: o.notes,
        };
        store.update_stakeholder(id, &input, &audit()).await?;
    }
    for (en, km, kind, province, parent) in MORE_ORGANISATIONS {
        let input = OrganisationFields {
            name_en: (*en).into(),
            name_km: (*km).into(),
            kind: (*kind).into(),
            province_code: (*province).into(),
            parent_id: find(&orgs, parent).map(|p| p.to_string()).unwrap_or_default(),
            ..Default::default()
        }
        .parse()
        .map_err(|e| anyhow::anyhow!("demo organisation {en}: {e:?}"))?;
        store.create_stakeholder(&input, &audit()).await?;
    }
    let orgs = store.organisations().await?;
    if let (Some(interior), Some(province)) =
        (find(&orgs, "Ministry of Interior"), find(&orgs, "Battambang Provincial Administration"))
    {
        store.relate(interior, RelationKind::Oversees, province, &audit()).await?;
    }
    if let (Some(a), Some(b)) =
        (find(&orgs, "Battambang Women's Voice [DEMO]"), find(&orgs, "Land Rights Network [DEMO]"))
    {
        store.relate(a, RelationKind::MemberOf, b, &audit()).await?;
    }

    // Contacts, kept by the Battambang office.
    let mut contact_ids = vec![];
    for (org, name, position, phone) in CONTACTS {
        let Some(org_id) = find(&orgs, org) else { continue };
        let kind = store.stakeholder(org_id).await?.context("the organisation")?.kind;
        let input = ContactFields {
            organisation_id: org_id.to_string(),
            name: (*name).into(),
            position: (*position).into(),
            phone: (*phone).into(),
            ..Default::default()
        }
        .parse()
        .map_err(|e| anyhow::anyhow!("demo contact: {e:?}"))?;
        let c = store
            .add_contact(officer.office_id, &input, kind.contacts_are_identifying(), keys, officer.id, &audit())
            .await?;
        contact_ids.push((*org, c.id));
    }
    let contact =
        |org: &str| contact_ids.iter().find(|(o, _)| *o == org).map(|(_, id)| id.to_string()).unwrap_or_default();
    let id = |name: &str| find(&orgs, name).map(|i| i.to_string()).unwrap_or_default();

    // Meetings with follow-ups.
    let laws = store.list_laws(&rightsdesk_store::legislation::LawFilter { limit: 5, ..Default::default() }).await?;
    let lango = laws.iter().find(|l| l.short_name.starts_with("LANGO")).map(|l| l.id.to_string()).unwrap_or_default();
    let meetings = [
        (
            MeetingFields {
                kind: "meeting".into(),
                held_on: "2026-10-14".into(),
                title: "Pre-trial detention at the Battambang court [DEMO]".into(),
                place: "Battambang Provincial Court".into(),
                province_code: "02".into(),
                topics: "detention, fair trial".into(),
                summary:
                    "The court's president agreed to share the list of detainees held beyond the legal limit. [DEMO]"
                        .into(),
                organisation_ids: format!(
                    "{},{}",
                    id("Battambang Provincial Court of First Instance"),
                    id("Battambang Provincial Police Commissariat")
                ),
                contact_ids: contact("Battambang Provincial Police Commissariat"),
                staff_ids: officer.id.to_string(),
                ..Default::default()
            },
            vec![("Send the court the list of cases the office follows [DEMO]", officer.id, "2026-10-31")],
        ),
        (
            MeetingFields {
                kind: "meeting".into(),
                held_on: "2026-11-05".into(),
                title: "Civil society consultation on the draft law on associations [DEMO]".into(),
                place: "Battambang office".into(),
                province_code: "02".into(),
                topics: "freedom of association, civic space".into(),
                summary: "Organisations described the registration difficulties they expect. [DEMO]".into(),
                organisation_ids: format!(
                    "{},{}",
                    id("Land Rights Network [DEMO]"),
                    id("Battambang Women's Voice [DEMO]")
                ),
                contact_ids: format!(
                    "{},{}",
                    contact("Land Rights Network [DEMO]"),
                    contact("Battambang Women's Voice [DEMO]")
                ),
                staff_ids: format!("{},{}", officer.id, legal.id),
                law_ids: lango,
                ..Default::default()
            },
            vec![("Share the office's analysis of article 3 [DEMO]", legal.id, "2026-12-20")],
        ),
        (
            MeetingFields {
                kind: "call".into(),
                held_on: "2026-11-18".into(),
                title: "Follow-up call with the Ministry of Justice [DEMO]".into(),
                topics: "detention".into(),
                organisation_ids: id("Ministry of Justice"),
                contact_ids: contact("Ministry of Justice"),
                staff_ids: officer.id.to_string(),
                ..Default::default()
            },
            vec![],
        ),
    ];
    for (fields, actions) in meetings {
        let input = fields.parse().map_err(|e| anyhow::anyhow!("demo meeting: {e:?}"))?;
        let m = store
            .create_meeting(&NewMeeting { input: &input, office_id: officer.office_id, by: officer.id }, &audit())
            .await?;
        for (action, owner, due) in actions {
            let a = MeetingActionInput { action: action.into(), owner_id: owner, due_on: due.into() };
            store.add_meeting_action(m.id, &a, &audit()).await?;
        }
    }
    Ok(())
}
