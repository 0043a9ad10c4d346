//! `serve --demo`: a small, clearly fictional dataset on an empty database.

use super::accounts::generate_password;
use anyhow::Result;
use rightsdesk_crypto::hash_password;
use rightsdesk_domain::Role;
use rightsdesk_store::{AuditEntry, NewUser, Store};
use std::sync::Arc;

pub const DEMO_ADMIN: &str = "admin@demo.rightsdesk.example";

/// Fictional staff, one per role, in both offices. The `.example` domain
/// cannot belong to anyone (RFC 2606).
const DEMO_STAFF: &[(&str, &str, Role, &str)] = &[
    (DEMO_ADMIN, "Demo Administrator (fictional)", Role::Admin, "PNH"),
    ("head@demo.rightsdesk.example", "Chan Sophea (fictional head of office)", Role::HeadOfOffice, "PNH"),
    ("officer.pnh@demo.rightsdesk.example", "Keo Dara (fictional officer)", Role::Officer, "PNH"),
    ("officer.btb@demo.rightsdesk.example", "Mao Sreymom (fictional officer)", Role::Officer, "BTB"),
    ("legal@demo.rightsdesk.example", "Ly Vannak (fictional legal officer)", Role::LegalOfficer, "PNH"),
    (
        "mechanisms@demo.rightsdesk.example",
        "Heng Rachana (fictional mechanisms officer)",
        Role::MechanismsOfficer,
        "PNH",
    ),
    (
        "programme@demo.rightsdesk.example",
        "Pich Sokunthea (fictional programme officer)",
        Role::ProgrammeOfficer,
        "BTB",
    ),
    ("analyst@demo.rightsdesk.example", "Demo Analyst (fictional)", Role::Analyst, "PNH"),
    ("viewer@demo.rightsdesk.example", "Demo Viewer (fictional)", Role::Viewer, "BTB"),
];

const DEMO_ORGANISATIONS: &[(&str, &str, &str)] = &[
    ("Ministry of Interior", "ក្រសួងមហាផ្ទៃ", "government"),
    ("Ministry of Justice", "ក្រសួងយុត្តិធម៌", "government"),
    ("General Commissariat of National Police", "អគ្គស្នងការដ្ឋាននគរបាលជាតិ", "security_forces"),
    ("Cambodian Human Rights Committee", "គណៈកម្មាធិការសិទ្ធិមនុស្សកម្ពុជា", "national_institution"),
    ("Phnom Penh Municipal Court of First Instance", "សាលាដំបូងរាជធានីភ្នំពេញ", "judiciary"),
    ("Battambang Provincial Court of First Instance", "សាលាដំបូងខេត្តបាត់ដំបង", "judiciary"),
    ("Battambang Provincial Administration", "រដ្ឋបាលខេត្តបាត់ដំបង", "local_authority"),
];

/// Creates the demo accounts when the database has none, and prints the
/// address and the login once.
pub async fn load_if_empty(store: &Arc<dyn Store>, url: &str) -> Result<()> {
    if store.count_users().await? > 0 {
        println!("--demo: the database already has accounts; no demo data was added.");
        return Ok(());
    }
    let password = generate_password();
    let hash = hash_password(&password)?;
    for (email, name, role, office) in DEMO_STAFF {
        let Some(o) = store.office_by_code(office).await? else { continue };
        let new = NewUser {
            email: (*email).into(),
            name: (*name).into(),
            role: *role,
            office_id: o.id,
            locale: Default::default(),
            password_hash: hash.clone(),
        };
        store
            .create_user(
                &new,
                &AuditEntry::system("user.create")
                    .record("user", "")
                    .summary(format!("demo role={role} office={office}")),
            )
            .await?;
    }
    // Public institutions an office in Cambodia writes to (real bodies; no people).
    for (en, km, kind) in DEMO_ORGANISATIONS {
        let new =
            rightsdesk_store::NewOrganisation { name_en: (*en).into(), name_km: (*km).into(), kind: (*kind).into() };
        store.create_organisation(&new, &AuditEntry::system("organisation.create").summary("demo")).await?;
    }
    println!("Demo data loaded. Every person and account in it is fictional.");
    println!("Open {url} and sign in as {DEMO_ADMIN} with password {password}");
    println!("The other demo accounts (one per role) use the same password:");
    for (email, _, role, office) in &DEMO_STAFF[1..] {
        println!("  {email:<40} {role} ({office})");
    }
    Ok(())
}
