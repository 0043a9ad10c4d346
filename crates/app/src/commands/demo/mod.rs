//! `serve --demo`: a small, clearly fictional dataset on an empty database.

mod asks;
mod cases;
mod engagement;
mod legislation;
mod mechanisms;
mod protection;

pub use cases::generate;

use super::accounts::generate_password;
use anyhow::Result;
use rightsdesk_crypto::hash_password;
use rightsdesk_domain::Role;
use rightsdesk_store::{AuditEntry, NewUser, Store};
use std::sync::Arc;

pub const DEMO_ADMIN: &str = "admin@demo.rightsdesk.example";

/// Cases in the demo that `serve --demo` loads.
const DEMO_CASES: u64 = 120;
/// Protection files of the demo (a few have missed a check-in).
const DEMO_PROTECTION_FILES: u64 = 40;

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

/// Public institutions an office in Cambodia writes to (real bodies; no people).
const DEMO_ORGANISATIONS: &[(&str, &str, &str)] = &[
    ("Ministry of Interior", "ក្រសួងមហាផ្ទៃ", "ministry"),
    ("Ministry of Justice", "ក្រសួងយុត្តិធម៌", "ministry"),
    ("General Commissariat of National Police", "អគ្គស្នងការដ្ឋាននគរបាលជាតិ", "police"),
    ("Cambodian Human Rights Committee", "គណៈកម្មាធិការសិទ្ធិមនុស្សកម្ពុជា", "human_rights_body"),
    ("Phnom Penh Municipal Court of First Instance", "សាលាដំបូងរាជធានីភ្នំពេញ", "court"),
    ("Battambang Provincial Court of First Instance", "សាលាដំបូងខេត្តបាត់ដំបង", "court"),
    ("Battambang Provincial Administration", "រដ្ឋបាលខេត្តបាត់ដំបង", "provincial_authority"),
    ("Ministry of Women's Affairs", "ក្រសួងកិច្ចការនារី", "ministry"),
    ("Ministry of Education, Youth and Sport", "ក្រសួងអប់រំ យុវជន និងកីឡា", "ministry"),
    ("Ministry of Land Management, Urban Planning and Construction", "ក្រសួងរៀបចំដែនដី នគរូបនីយកម្ម និងសំណង់", "ministry"),
    ("Ministry of Information", "ក្រសួងព័ត៌មាន", "ministry"),
    ("Ministry of Labour and Vocational Training", "ក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ", "ministry"),
    ("Ministry of Social Affairs, Veterans and Youth Rehabilitation", "ក្រសួងសង្គមកិច្ច អតីតយុទ្ធជន និងយុវនីតិសម្បទា", "ministry"),
    ("Ministry of Health", "ក្រសួងសុខាភិបាល", "ministry"),
];

/// Creates the demo accounts when the database has none, and prints the
/// address and the login once.
pub async fn load_if_empty(store: &Arc<dyn Store>, keys: &rightsdesk_crypto::Keyring, url: &str) -> Result<()> {
    if store.count_users().await? > 0 {
        println!(
            "--demo: the database already has accounts; no demo data was added.\n\
             The demo password was printed at the first start. To get in again, add an administrator\n\
             (it prints a new password): rightsdesk user add --email you@example.org --name \"Your Name\" \
             --role admin --office PNH\n\
             or start afresh in another folder: rightsdesk serve --demo --data-dir ./demo-2"
        );
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
            organisation_id: None,
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
    for (en, km, kind) in DEMO_ORGANISATIONS {
        let new =
            rightsdesk_store::NewOrganisation { name_en: (*en).into(), name_km: (*km).into(), kind: (*kind).into() };
        store.create_organisation(&new, &AuditEntry::system("organisation.create").summary("demo")).await?;
    }
    generate(store, keys, DEMO_CASES, 2026, None).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    protection::generate(store, DEMO_PROTECTION_FILES, 12, 2026, now, None).await?;
    let focal_point = mechanisms::seed(store, &hash).await?;
    legislation::seed(store).await?;
    engagement::seed(store, keys).await?;
    println!("Demo data loaded. Every person and account in it is fictional.");
    println!("Open {url} and sign in as {DEMO_ADMIN} with password {password}");
    println!("The other demo accounts (one per role) use the same password:");
    for (email, _, role, office) in &DEMO_STAFF[1..] {
        println!("  {email:<40} {role} ({office})");
    }
    println!("  {focal_point:<40} focal_point (Ministry of Justice)");
    Ok(())
}

/// `rightsdesk demo generate`: adds fictional cases and protection files to an existing installation.
pub async fn generate_command(
    settings: &crate::settings::Settings,
    cases: u64,
    seed: u64,
    protection_files: u64,
    checkins_per_file: u64,
) -> Result<std::process::ExitCode> {
    let store = super::open_store(settings).await?;
    super::serve::bootstrap(&store).await?;
    let keys = super::serve::load_keys(settings, &store).await?;
    let bar_of = |n: u64, what: &str| {
        let bar = indicatif::ProgressBar::new(n);
        bar.set_style(
            indicatif::ProgressStyle::with_template(&format!(
                "{{bar:40}} {{pos}}/{{len}} {what}, {{per_sec}}, {{eta}} left"
            ))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    };
    if cases > 0 {
        let started = std::time::Instant::now();
        let bar = bar_of(cases, "cases");
        generate(&store, &keys, cases, seed, Some(&bar)).await?;
        bar.finish();
        let secs = started.elapsed().as_secs_f64();
        println!("added {cases} fictional cases in {secs:.1} s ({:.0} cases/s)", cases as f64 / secs.max(0.001));
    }
    if protection_files > 0 {
        let started = std::time::Instant::now();
        let bar = bar_of(protection_files, "protection files");
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let n = protection::generate(&store, protection_files, checkins_per_file, seed, now, Some(&bar)).await?;
        bar.finish();
        let secs = started.elapsed().as_secs_f64();
        println!("added {n} fictional protection files with {} check-ins in {secs:.1} s", n * checkins_per_file);
    }
    Ok(std::process::ExitCode::SUCCESS)
}
