//! `serve --demo`: a small, clearly fictional dataset on an empty database.

use super::accounts::generate_password;
use anyhow::{Context, Result};
use rightsdesk_crypto::hash_password;
use rightsdesk_domain::Role;
use rightsdesk_store::{AuditEntry, BundleAct, CaseBundle, NewCase, NewUser, Store};
use std::sync::Arc;

pub const DEMO_ADMIN: &str = "admin@demo.rightsdesk.example";

/// Cases in the demo that `serve --demo` loads.
const DEMO_CASES: u64 = 120;

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
    // Public institutions an office in Cambodia writes to (real bodies; no people).
    for (en, km, kind) in DEMO_ORGANISATIONS {
        let new =
            rightsdesk_store::NewOrganisation { name_en: (*en).into(), name_km: (*km).into(), kind: (*kind).into() };
        store.create_organisation(&new, &AuditEntry::system("organisation.create").summary("demo")).await?;
    }
    generate(store, keys, DEMO_CASES, 2026, None).await?;
    let focal_point = seed_mechanisms(store, &hash).await?;
    println!("Demo data loaded. Every person and account in it is fictional.");
    println!("Open {url} and sign in as {DEMO_ADMIN} with password {password}");
    println!("The other demo accounts (one per role) use the same password:");
    for (email, _, role, office) in &DEMO_STAFF[1..] {
        println!("  {email:<40} {role} ({office})");
    }
    println!("  {focal_point:<40} focal_point (Ministry of Justice)");
    Ok(())
}

/// Fictional recommendations (marked [DEMO]; the UPR Info corpus is not
/// shipped), some assigned to the Ministry of Justice, with an assessment,
/// an implementation action and that ministry's focal point. Returns the
/// focal point's e-mail.
async fn seed_mechanisms(store: &Arc<dyn Store>, hash: &str) -> Result<&'static str> {
    use rightsdesk_domain::mechanisms::{
        ActionFields, AssessmentInput, ImplementationStatus, RecommendationDetailsFields, RecommendationInput, Response,
    };
    const FOCAL_POINT: &str = "focal.point@demo.rightsdesk.example";
    let demo: [(&str, &str, &str, Option<Response>, &str); 6] = [
        (
            "UPR",
            "46",
            "[DEMO] Adopt a law establishing a national human rights institution in line with the Paris Principles",
            Some(Response::Supported),
            "NHRI",
        ),
        (
            "UPR",
            "46",
            "[DEMO] Ensure that land activists and journalists can work without fear of arrest or reprisal",
            Some(Response::Supported),
            "Human rights defenders, Freedom of opinion and expression",
        ),
        (
            "UPR",
            "46",
            "[DEMO] Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights",
            Some(Response::Noted),
            "International instruments",
        ),
        (
            "CCPR",
            "",
            "[DEMO] Guarantee the independence of judges and prosecutors, including in their appointment",
            None,
            "Justice, Fair trial",
        ),
        (
            "CEDAW",
            "",
            "[DEMO] Provide legal aid to women victims of gender-based violence in every province",
            None,
            "Women's rights, Access to justice",
        ),
        (
            "SR-CAMBODIA",
            "",
            "[DEMO] Release those held in pre-trial detention beyond the legal time limits",
            None,
            "Detention",
        ),
    ];
    let rows: Vec<RecommendationInput> = demo
        .iter()
        .enumerate()
        .map(|(i, (mechanism, session, text, response, themes))| RecommendationInput {
            source_key: format!("demo:{}", i + 1),
            mechanism_code: (*mechanism).into(),
            state_under_review: "Cambodia".into(),
            session: (*session).into(),
            cycle: if *mechanism == "UPR" { Some(4) } else { None },
            document_symbol: String::new(),
            paragraph: String::new(),
            issued_on: Some("2024".into()),
            recommending_state: String::new(),
            text: (*text).into(),
            response: *response,
            response_raw: String::new(),
            action_category: None,
            themes: themes.split(", ").map(str::to_string).collect(),
        })
        .collect();
    let audit = AuditEntry::system("recommendation.import").summary("demo");
    store.import_recommendations(&rows, &audit, false, &|_| {}).await?;
    let justice = store
        .organisations()
        .await?
        .into_iter()
        .find(|o| o.name_en == "Ministry of Justice")
        .map(|o| o.id)
        .context("the demo organisations come first")?;
    let recs =
        store.recommendations(&rightsdesk_store::RecommendationFilter { limit: 50, ..Default::default() }).await?;
    let mut assigned = vec![];
    for r in recs
        .iter()
        .filter(|r| r.text.contains("judges") || r.text.contains("legal aid") || r.text.contains("pre-trial"))
    {
        let details = RecommendationDetailsFields {
            themes: r.themes.join(", "),
            sdg_targets: "16.3".into(),
            affected_groups: vec!["persons_deprived_of_liberty".into()],
            cluster: "Justice".into(),
            institutions: vec![justice],
        }
        .parse()
        .map_err(|e| anyhow::anyhow!("demo details: {e:?}"))?;
        store
            .update_recommendation_details(
                r.id,
                &details,
                &AuditEntry::system("recommendation.details").summary("demo"),
            )
            .await?;
        assigned.push(r.id);
    }
    let head = store.user_by_email("mechanisms@demo.rightsdesk.example").await?.context("demo mechanisms officer")?;
    if let Some(first) = assigned.first() {
        let a = AssessmentInput {
            status: ImplementationStatus::InProgress,
            assessed_on: "2026-06-30".into(),
            evidence: "[DEMO] A draft sub-decree was discussed with the office.".into(),
            source: "[DEMO] Meeting with the ministry".into(),
        };
        store.add_assessment(*first, &a, head.id, &AuditEntry::system("recommendation.assess").summary("demo")).await?;
        let action = ActionFields {
            title: "[DEMO] Draft a sub-decree on pre-trial detention time limits".into(),
            organisation_id: justice.to_string(),
            due_on: "2027-06-30".into(),
            status: "ongoing".into(),
            ..Default::default()
        }
        .parse()
        .map_err(|e| anyhow::anyhow!("demo action: {e:?}"))?;
        let created =
            store.create_action(&action, head.id, &AuditEntry::system("action.create").summary("demo")).await?;
        store.link_action(created.id, *first, &AuditEntry::system("action.link").summary("demo")).await?;
    }
    let Some(pnh) = store.office_by_code("PNH").await? else { return Ok(FOCAL_POINT) };
    let new = NewUser {
        email: FOCAL_POINT.into(),
        name: "Ouk Sothea (fictional focal point, Ministry of Justice)".into(),
        role: Role::FocalPoint,
        office_id: pnh.id,
        organisation_id: Some(justice),
        locale: Default::default(),
        password_hash: hash.to_string(),
    };
    store
        .create_user(&new, &AuditEntry::system("user.create").record("user", "").summary("demo role=focal_point"))
        .await?;
    Ok(FOCAL_POINT)
}

/// Fictional people: common Cambodian family and given names, combined at
/// random. Names are encrypted like any real record.
const FAMILY: &[&str] =
    &["Sok", "Chan", "Keo", "Heng", "Ly", "Meas", "Nhem", "Pich", "Sam", "Mao", "Chea", "Kim", "Ouk", "Prak", "Touch"];
const GIVEN: &[&str] = &[
    "Dara", "Sophea", "Vanna", "Sreymom", "Rithy", "Bopha", "Chenda", "Vuthy", "Sokha", "Kosal", "Leakhena", "Piseth",
    "Thida", "Rotha", "Sovann", "Malis",
];

/// What happened, in English and Khmer, referring to people by code only.
const STORIES: &[(&str, &str, &str, &str)] = &[
    (
        "forced_eviction",
        "Forced eviction",
        "V1 and about {n} families were removed from their land by P1 without notice or compensation.",
        "V1 និងគ្រួសារប្រហែល {n} ត្រូវបាន P1 បណ្តេញចេញពីដីរបស់ពួកគេ ដោយគ្មានការជូនដំណឹង ឬសំណងឡើយ។",
    ),
    (
        "arbitrary_arrest_detention",
        "Arrest without warrant",
        "V1 was arrested by P1 at night and held for {n} days without being brought before a judge.",
        "V1 ត្រូវបាន P1 ចាប់ខ្លួននៅពេលយប់ ហើយឃុំខ្លួនរយៈពេល {n} ថ្ងៃ ដោយមិនបាននាំទៅជួបចៅក្រមឡើយ។",
    ),
    (
        "threat_intimidation",
        "Threats against a land activist",
        "V1 received {n} threatening calls after speaking at a community meeting; P1 visited V1's house.",
        "V1 បានទទួលការហៅទូរស័ព្ទគំរាមកំហែងចំនួន {n} ដង បន្ទាប់ពីបាននិយាយនៅក្នុងកិច្ចប្រជុំសហគមន៍ ហើយ P1 បានមកផ្ទះរបស់ V1។",
    ),
    (
        "restriction_assembly",
        "Peaceful gathering dispersed",
        "About {n} people gathered peacefully; P1 dispersed them and confiscated V1's phone.",
        "មនុស្សប្រហែល {n} នាក់បានជួបជុំគ្នាដោយសន្តិវិធី ហើយ P1 បានបំបែកពួកគេ និងរឹបអូសទូរស័ព្ទរបស់ V1។",
    ),
    (
        "torture_ill_treatment",
        "Ill-treatment in custody",
        "V1 reported being beaten during {n} hours of questioning by P1.",
        "V1 បានរាយការណ៍ថាត្រូវបានវាយដំក្នុងអំឡុងពេលសួរចម្លើយរយៈពេល {n} ម៉ោង ដោយ P1។",
    ),
    (
        "restriction_expression",
        "Journalist summoned over a post",
        "V1 was summoned {n} times by P1 over an online post about a land dispute.",
        "V1 ត្រូវបាន P1 កោះហៅចំនួន {n} ដង ពាក់ព័ន្ធនឹងការបង្ហោះតាមអនឡាញអំពីវិវាទដីធ្លី។",
    ),
];

const RIGHTS: &[(&str, &[&str])] = &[
    ("forced_eviction", &["ICESCR 11", "ICCPR 17"]),
    ("arbitrary_arrest_detention", &["ICCPR 9"]),
    ("threat_intimidation", &["ICCPR 19"]),
    ("restriction_assembly", &["ICCPR 21"]),
    ("torture_ill_treatment", &["CAT 1", "ICCPR 7"]),
    ("restriction_expression", &["ICCPR 19"]),
];

const PERPETRATORS: &[(&str, &str)] = &[
    ("District police", "police"),
    ("Commune authority", "local_authority"),
    ("Military police unit", "military"),
    ("Plantation company", "company"),
    ("Private security guards", "private_security"),
];

/// `rightsdesk demo generate`: adds fictional cases to an existing installation.
pub async fn generate_command(
    settings: &crate::settings::Settings,
    cases: u64,
    seed: u64,
) -> Result<std::process::ExitCode> {
    let store = super::open_store(settings).await?;
    super::serve::bootstrap(&store).await?;
    let keys = super::serve::load_keys(settings, &store).await?;
    let started = std::time::Instant::now();
    let bar = indicatif::ProgressBar::new(cases);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} cases, {per_sec}, {eta} left")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    generate(&store, &keys, cases, seed, Some(&bar)).await?;
    bar.finish();
    let secs = started.elapsed().as_secs_f64();
    println!("added {cases} fictional cases in {secs:.1} s ({:.0} cases/s)", cases as f64 / secs.max(0.001));
    Ok(std::process::ExitCode::SUCCESS)
}

/// Adds `n` fictional cases, deterministically for a given seed: spread over
/// Cambodia's provinces, with Khmer and English narratives that name people
/// by code only, people (encrypted), acts with articles, status changes and
/// interventions.
pub async fn generate(
    store: &Arc<dyn Store>,
    keys: &rightsdesk_crypto::Keyring,
    n: u64,
    seed: u64,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<()> {
    use rand::{Rng, SeedableRng};
    use rightsdesk_domain::monitoring::intervention::InterventionFields;
    use rightsdesk_domain::monitoring::{ActFields, CaseFields, CaseInput, CaseStatus, PersonFields};
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let offices = store.list_offices().await?;
    let users = store.list_users().await?;
    // Each case is opened by an officer of its office (or any active account).
    let author = |office_id: i64| {
        users
            .iter()
            .filter(|u| !u.disabled && !matches!(u.role, Role::Analyst | Role::Viewer))
            .find(|u| u.office_id == office_id)
            .or_else(|| users.iter().find(|u| !u.disabled))
    };
    if users.is_empty() {
        anyhow::bail!("no accounts yet: add users first (rightsdesk user add), or start with `serve --demo`");
    }
    let mut organisations = store.organisations().await?;
    if organisations.is_empty() {
        for (en, km, kind) in DEMO_ORGANISATIONS {
            let new = rightsdesk_store::NewOrganisation {
                name_en: (*en).into(),
                name_km: (*km).into(),
                kind: (*kind).into(),
            };
            organisations.push(
                store.create_organisation(&new, &AuditEntry::system("organisation.create").summary("demo")).await?,
            );
        }
    }
    let provinces = store.provinces().await?;
    let mut districts = std::collections::HashMap::new();
    for p in &provinces {
        districts.insert(p.code.clone(), store.districts(&p.code).await?);
    }
    // Cases are written in batches: one transaction each, so a million
    // cases load in minutes rather than hours.
    const BATCH: usize = 500;
    let mut batch: Vec<CaseBundle> = Vec::with_capacity(BATCH);
    for i in 0..n {
        let office = &offices[if rng.gen_bool(0.7) { 0 } else { 1 % offices.len() }];
        let Some(by) = author(office.id) else { continue };
        let (act_type, title, en, km) = STORIES[rng.gen_range(0..STORIES.len())];
        // Battambang office cases mostly in the north-west provinces.
        let province = if office.code == "BTB" && rng.gen_bool(0.8) {
            ["02", "01", "15", "22", "24"][rng.gen_range(0..5)].to_string()
        } else {
            provinces[rng.gen_range(0..provinces.len())].code.clone()
        };
        let ds = &districts[&province];
        let district = ds.get(rng.gen_range(0..ds.len().max(1))).map(|d| d.code.clone()).unwrap_or_default();
        let count = rng.gen_range(2..60).to_string();
        let year = rng.gen_range(2019..=2026);
        let month = rng.gen_range(1..=12);
        let fields = CaseFields {
            title: format!("[DEMO] {title}"),
            summary: format!("{}\n\n{}", en.replace("{n}", &count), km.replace("{n}", &count)),
            sensitivity: if rng.gen_bool(0.1) { "restricted".into() } else { "normal".into() },
            // Most cases are routine; a few need action within days or hours.
            urgency: [
                "routine",
                "routine",
                "routine",
                "routine",
                "routine",
                "routine",
                "urgent",
                "urgent",
                "emergency",
            ][rng.gen_range(0..9)]
            .into(),
            province,
            district,
            start_date: format!("{year}-{month:02}"),
            themes: act_type.replace('_', " "),
            ..Default::default()
        };
        let input = CaseInput::parse(&fields).map_err(|e| anyhow::anyhow!("demo case does not validate: {e:?}"))?;
        let case = NewCase { input, office_id: office.id, year, created_by: by.id, assigned: vec![by.id] };
        let name = format!("{} {}", FAMILY[rng.gen_range(0..FAMILY.len())], GIVEN[rng.gen_range(0..GIVEN.len())]);
        let victim = PersonFields {
            role: "victim".into(),
            name,
            sex: ["female", "male"][rng.gen_range(0..2)].into(),
            age: rng.gen_range(16..75).to_string(),
            occupation: ["land_activist", "farmer", "journalist", "human_rights_defender", "worker"]
                [rng.gen_range(0..5)]
            .into(),
            contact: format!(
                "+855 1{} {:03} {:03}",
                rng.gen_range(0..10),
                rng.gen_range(0..1000),
                rng.gen_range(0..1000)
            ),
            ..Default::default()
        }
        .parse()
        .map_err(|e| anyhow::anyhow!("demo person does not validate: {e:?}"))?;
        let (pname, ptype) = PERPETRATORS[rng.gen_range(0..PERPETRATORS.len())];
        let perpetrator = PersonFields {
            role: "perpetrator".into(),
            kind: "institution".into(),
            name: pname.into(),
            perpetrator_type: ptype.into(),
            ..Default::default()
        }
        .parse()
        .map_err(|e| anyhow::anyhow!("demo perpetrator does not validate: {e:?}"))?;
        let rights = RIGHTS.iter().find(|(t, _)| *t == act_type).map(|(_, r)| r.join(", ")).unwrap_or_default();
        let act =
            ActFields { act_type: act_type.into(), date: format!("{year}-{month:02}"), rights, ..Default::default() }
                .parse()
                .map_err(|e| anyhow::anyhow!("demo act does not validate: {e:?}"))?;
        // Walk part of the workflow.
        let steps = rng.gen_range(0..4);
        let path = [CaseStatus::UnderVerification, CaseStatus::Verified, CaseStatus::UnderIntervention];
        let status_path: Vec<CaseStatus> = path.iter().take(steps).copied().collect();
        let mut interventions = Vec::new();
        if status_path.last() == Some(&CaseStatus::UnderIntervention) {
            let org = &organisations[rng.gen_range(0..organisations.len())];
            let follow = format!("{}-{:02}-{:02}", year.min(2026), month, rng.gen_range(1..=28));
            interventions.push(
                InterventionFields {
                    organisation_id: org.id.to_string(),
                    kind: ["letter", "meeting", "call", "urgent_appeal"][rng.gen_range(0..4)].into(),
                    date: format!("{year}-{month:02}-01"),
                    request: "Investigate the allegations concerning V1 and inform the office of the measures taken."
                        .into(),
                    status: "awaiting_response".into(),
                    next_follow_up: follow,
                    ..Default::default()
                }
                .parse()
                .map_err(|e| anyhow::anyhow!("demo intervention does not validate: {e:?}"))?,
            );
        }
        batch.push(CaseBundle {
            case,
            persons: vec![victim, perpetrator],
            acts: vec![BundleAct { input: act, victims: vec![0], perpetrators: vec![1] }],
            status_path,
            interventions,
        });
        if batch.len() == BATCH || i + 1 == n {
            // One transaction per batch; two audit events per case, by the
            // generator (the cases still name their officer as author).
            store.insert_case_bundles(&batch, keys, &AuditEntry::system("case.create").summary("demo")).await?;
            batch.clear();
            if let Some(bar) = progress {
                bar.set_position(i + 1);
            }
        }
    }
    if !batch.is_empty() {
        store.insert_case_bundles(&batch, keys, &AuditEntry::system("case.create").summary("demo")).await?;
    }
    // Fresh statistics, or the planner keeps planning for the empty tables.
    store.analyze().await?;
    Ok(())
}
