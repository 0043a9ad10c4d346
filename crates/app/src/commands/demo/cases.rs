//! Fictional cases: fourteen kinds of story told in many places, in English
//! and Khmer, with people named by code only in every text.

use super::DEMO_ORGANISATIONS;
use anyhow::Result;
use rightsdesk_domain::Role;
use rightsdesk_store::{AuditEntry, BundleAct, CaseBundle, NewCase, Store};
use std::sync::Arc;

/// Fictional people: common Cambodian family and given names, combined at
/// random. Names are encrypted like any real record.
const FAMILY: &[&str] =
    &["Sok", "Chan", "Keo", "Heng", "Ly", "Meas", "Nhem", "Pich", "Sam", "Mao", "Chea", "Kim", "Ouk", "Prak", "Touch"];
const GIVEN: &[&str] = &[
    "Dara", "Sophea", "Vanna", "Sreymom", "Rithy", "Bopha", "Chenda", "Vuthy", "Sokha", "Kosal", "Leakhena", "Piseth",
    "Thida", "Rotha", "Sovann", "Malis",
];

/// One kind of case: its act, titles (English, Khmer; `{place}` is the
/// district), what happened in both languages (`{n}` a number; people by
/// code), its themes (as the UPR Info table names them, so they show in the
/// reader's language) and the articles at stake.
struct Story {
    act_type: &'static str,
    /// How often it is told, against the others.
    weight: u32,
    titles: &'static [(&'static str, &'static str)],
    en: &'static str,
    km: &'static str,
    themes: &'static str,
    rights: &'static str,
}

const STORIES: &[Story] = &[
    Story {
        act_type: "forced_eviction",
        weight: 6,
        titles: &[
            ("Forced eviction in {place}", "ការបណ្តេញចេញដោយបង្ខំនៅ{place}"),
            ("Families removed for a land concession in {place}", "គ្រួសារត្រូវបានបណ្តេញចេញដើម្បីដីសម្បទាននៅ{place}"),
            ("Houses demolished without notice in {place}", "ផ្ទះត្រូវបានរុះរើដោយគ្មានការជូនដំណឹងនៅ{place}"),
        ],
        en: "V1 and about {n} families were removed from their land by P1 without notice or compensation.",
        km: "V1 និងគ្រួសារប្រហែល {n} ត្រូវបាន P1 បណ្តេញចេញពីដីរបស់ពួកគេ ដោយគ្មានការជូនដំណឹង ឬសំណងឡើយ។",
        themes: "Right to housing, Right to land",
        rights: "ICESCR 11, ICCPR 17",
    },
    Story {
        act_type: "arbitrary_arrest_detention",
        weight: 5,
        titles: &[
            ("Arrest without warrant in {place}", "ការចាប់ខ្លួនដោយគ្មានដីកានៅ{place}"),
            ("Held beyond the legal time limit in {place}", "ការឃុំខ្លួនហួសរយៈពេលកំណត់ដោយច្បាប់នៅ{place}"),
        ],
        en: "V1 was arrested by P1 at night and held for {n} days without being brought before a judge.",
        km: "V1 ត្រូវបាន P1 ចាប់ខ្លួននៅពេលយប់ ហើយឃុំខ្លួនរយៈពេល {n} ថ្ងៃ ដោយមិនបាននាំទៅជួបចៅក្រមឡើយ។",
        themes: "Detention, Justice",
        rights: "ICCPR 9",
    },
    Story {
        act_type: "threat_intimidation",
        weight: 5,
        titles: &[
            ("Threats against a land activist in {place}", "ការគំរាមកំហែងសកម្មជនដីធ្លីនៅ{place}"),
            ("Community representative followed and warned in {place}", "តំណាងសហគមន៍ត្រូវបានតាមដាន និងព្រមាននៅ{place}"),
        ],
        en: "V1 received {n} threatening calls after speaking at a community meeting; P1 visited V1's house.",
        km: "V1 បានទទួលការហៅទូរស័ព្ទគំរាមកំហែងចំនួន {n} ដង បន្ទាប់ពីបាននិយាយនៅក្នុងកិច្ចប្រជុំសហគមន៍ ហើយ P1 បានមកផ្ទះរបស់ V1។",
        themes: "Human rights defenders",
        rights: "ICCPR 19",
    },
    Story {
        act_type: "restriction_assembly",
        weight: 3,
        titles: &[
            ("Peaceful gathering dispersed in {place}", "ការជួបជុំដោយសន្តិវិធីត្រូវបានបំបែកនៅ{place}"),
            ("March of garment workers stopped in {place}", "ការដើរដង្ហែរបស់កម្មករកាត់ដេរត្រូវបានរារាំងនៅ{place}"),
        ],
        en: "About {n} people gathered peacefully; P1 dispersed them and confiscated V1's phone.",
        km: "មនុស្សប្រហែល {n} នាក់បានជួបជុំគ្នាដោយសន្តិវិធី ហើយ P1 បានបំបែកពួកគេ និងរឹបអូសទូរស័ព្ទរបស់ V1។",
        themes: "Freedom of association and peaceful assembly",
        rights: "ICCPR 21",
    },
    Story {
        act_type: "torture_ill_treatment",
        weight: 3,
        titles: &[
            ("Ill-treatment in custody in {place}", "ការធ្វើបាបក្នុងពេលឃុំខ្លួននៅ{place}"),
            ("Confession said to be forced at a police post in {place}", "ចម្លើយសារភាពដែលគេថាត្រូវបង្ខំនៅប៉ុស្តិ៍នគរបាលនៅ{place}"),
        ],
        en: "V1 reported being beaten during {n} hours of questioning by P1.",
        km: "V1 បានរាយការណ៍ថាត្រូវបានវាយដំក្នុងអំឡុងពេលសួរចម្លើយរយៈពេល {n} ម៉ោង ដោយ P1។",
        themes: "Torture and other CID treatment",
        rights: "CAT 1, ICCPR 7",
    },
    Story {
        act_type: "restriction_expression",
        weight: 3,
        titles: &[
            ("Journalist summoned over a post in {place}", "អ្នកសារព័ត៌មានត្រូវបានកោះហៅពាក់ព័ន្ធនឹងការបង្ហោះនៅ{place}"),
            ("Radio programme taken off air in {place}", "កម្មវិធីវិទ្យុត្រូវបានបញ្ឈប់ការផ្សាយនៅ{place}"),
        ],
        en: "V1 was summoned {n} times by P1 over an online post about a land dispute.",
        km: "V1 ត្រូវបាន P1 កោះហៅចំនួន {n} ដង ពាក់ព័ន្ធនឹងការបង្ហោះតាមអនឡាញអំពីវិវាទដីធ្លី។",
        themes: "Freedom of the press, Freedom of opinion and expression",
        rights: "ICCPR 19",
    },
    Story {
        act_type: "restriction_association",
        weight: 2,
        titles: &[("Community association refused registration in {place}", "សមាគមសហគមន៍ត្រូវបានបដិសេធការចុះបញ្ជីនៅ{place}")],
        en:
            "The association led by V1, with about {n} members, was told by P1 that it may not meet until it registers.",
        km: "សមាគមដែលដឹកនាំដោយ V1 មានសមាជិកប្រហែល {n} នាក់ ត្រូវបាន P1 ប្រាប់ថាមិនអាចជួបប្រជុំបានទេ រហូតដល់ចុះបញ្ជី។",
        themes: "Civil society, Freedom of association and peaceful assembly",
        rights: "ICCPR 22",
    },
    Story {
        act_type: "destruction_property",
        weight: 2,
        titles: &[("Crops destroyed in a land dispute in {place}", "ដំណាំត្រូវបានបំផ្លាញក្នុងវិវាទដីធ្លីនៅ{place}")],
        en: "P1 cleared about {n} hectares farmed by V1 and neighbouring families, days before the harvest.",
        km: "P1 បានឈូសឆាយដីប្រហែល {n} ហិកតា ដែល V1 និងគ្រួសារជិតខាងធ្វើស្រែចម្ការ មុនពេលប្រមូលផលប៉ុន្មានថ្ងៃ។",
        themes: "Right to land, Right to food",
        rights: "ICESCR 11",
    },
    Story {
        act_type: "denial_fair_trial",
        weight: 2,
        titles: &[("Trial without a lawyer in {place}", "ការជំនុំជម្រះដោយគ្មានមេធាវីនៅ{place}")],
        en:
            "V1 was tried without a lawyer after {n} months in pre-trial detention; the hearing took less than an hour.",
        km: "V1 ត្រូវបានជំនុំជម្រះដោយគ្មានមេធាវី បន្ទាប់ពីឃុំខ្លួនបណ្តោះអាសន្នរយៈពេល {n} ខែ ហើយសវនាការមានរយៈពេលតិចជាងមួយម៉ោង។",
        themes: "Justice, Detention",
        rights: "ICCPR 14",
    },
    Story {
        act_type: "sexual_violence",
        weight: 1,
        titles: &[(
            "Complaint of sexual violence not registered in {place}",
            "ពាក្យបណ្តឹងអំពីអំពើហិង្សាផ្លូវភេទមិនត្រូវបានចុះបញ្ជីនៅ{place}",
        )],
        en: "V1 reported an assault by P1; the complaint was not registered for {n} days.",
        km: "V1 បានរាយការណ៍ពីការរំលោភដោយ P1 ប៉ុន្តែពាក្យបណ្តឹងមិនត្រូវបានចុះបញ្ជីរយៈពេល {n} ថ្ងៃ។",
        themes: "Women's rights, Justice",
        rights: "CEDAW 2, ICCPR 7",
    },
    Story {
        act_type: "discrimination",
        weight: 1,
        titles: &[(
            "Children of a minority refused school enrolment in {place}",
            "កុមារជនជាតិភាគតិចត្រូវបានបដិសេធការចុះឈ្មោះចូលរៀននៅ{place}",
        )],
        en: "About {n} children of V1's community were refused enrolment by P1 for lack of birth certificates.",
        km: "កុមារប្រហែល {n} នាក់នៃសហគមន៍របស់ V1 ត្រូវបាន P1 បដិសេធការចុះឈ្មោះចូលរៀន ដោយសារគ្មានសំបុត្រកំណើត។",
        themes: "Minorities, Right to education, Rights of the Child",
        rights: "ICESCR 13, CRC 28",
    },
    Story {
        act_type: "surveillance",
        weight: 1,
        titles: &[(
            "Defender's phone searched at a checkpoint in {place}",
            "ទូរស័ព្ទរបស់អ្នកការពារសិទ្ធិត្រូវបានឆែកឆេរនៅប៉ុស្តិ៍ត្រួតពិនិត្យនៅ{place}",
        )],
        en: "P1 stopped V1 at a checkpoint and read the messages on V1's phone for {n} minutes.",
        km: "P1 បានឃាត់ V1 នៅប៉ុស្តិ៍ត្រួតពិនិត្យ ហើយអានសារនៅក្នុងទូរស័ព្ទរបស់ V1 អស់រយៈពេល {n} នាទី។",
        themes: "Human rights defenders, Freedom of opinion and expression",
        rights: "ICCPR 17",
    },
    Story {
        act_type: "enforced_disappearance",
        weight: 1,
        titles: &[("Activist missing after being taken away in {place}", "សកម្មជនបាត់ខ្លួនបន្ទាប់ពីត្រូវបាននាំយកទៅនៅ{place}")],
        en: "V1 was last seen {n} days ago being taken away in a car; P1 deny holding V1.",
        km: "V1 ត្រូវបានគេឃើញចុងក្រោយកាលពី {n} ថ្ងៃមុន ពេលត្រូវបាននាំយកទៅក្នុងឡាន ហើយ P1 បដិសេធថាមិនបានឃុំខ្លួន V1 ទេ។",
        themes: "Enforced disappearances",
        rights: "ICPPED 2, ICCPR 9",
    },
    Story {
        act_type: "killing",
        weight: 1,
        titles: &[("Death in police custody in {place}", "ការស្លាប់ក្នុងពេលឃុំខ្លួនរបស់នគរបាលនៅ{place}")],
        en: "V1 died {n} hours after being arrested by P1; the family was not allowed to see the body.",
        km: "V1 បានស្លាប់ {n} ម៉ោង បន្ទាប់ពីត្រូវបាន P1 ចាប់ខ្លួន ហើយក្រុមគ្រួសារមិនត្រូវបានអនុញ្ញាតឱ្យមើលសាកសពទេ។",
        themes: "Extrajudicial executions, Impunity",
        rights: "ICCPR 6",
    },
];

/// What happened next, added to some narratives.
const NEXT: &[(&str, &str)] = &[
    ("The office visited the site and met V1.", "ការិយាល័យបានចុះទៅទីកន្លែងកើតហេតុ និងបានជួប V1។"),
    ("A neighbour confirmed the account by phone.", "អ្នកជិតខាងម្នាក់បានបញ្ជាក់ពីរឿងរ៉ាវនេះតាមទូរស័ព្ទ។"),
    ("A complaint was filed with the provincial court.", "ពាក្យបណ្តឹងត្រូវបានដាក់ទៅសាលាដំបូងខេត្ត។"),
    ("Local authorities said they would look into it.", "អាជ្ញាធរមូលដ្ឋានបាននិយាយថាពួកគេនឹងពិនិត្យមើលរឿងនេះ។"),
    ("V1 asked that the office not raise the case publicly.", "V1 បានស្នើកុំឱ្យការិយាល័យលើកករណីនេះជាសាធារណៈ។"),
];

const PERPETRATORS: &[(&str, &str)] = &[
    ("District police", "police"),
    ("Commune authority", "local_authority"),
    ("Military police unit", "military"),
    ("Plantation company", "company"),
    ("Private security guards", "private_security"),
];

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
    let total_weight: u32 = STORIES.iter().map(|s| s.weight).sum();
    // Cases are written in batches: one transaction each, so a million
    // cases load in minutes rather than hours.
    const BATCH: usize = 500;
    let mut batch: Vec<CaseBundle> = Vec::with_capacity(BATCH);
    for i in 0..n {
        let office = &offices[if rng.gen_bool(0.7) { 0 } else { 1 % offices.len() }];
        let Some(by) = author(office.id) else { continue };
        let mut pick = rng.gen_range(0..total_weight);
        let story = STORIES
            .iter()
            .find(|s| {
                let here = pick < s.weight;
                pick = pick.saturating_sub(s.weight);
                here
            })
            .unwrap_or(&STORIES[0]);
        // Battambang office cases mostly in the north-west provinces.
        let province = if office.code == "BTB" && rng.gen_bool(0.8) {
            ["02", "01", "15", "22", "24"][rng.gen_range(0..5)].to_string()
        } else {
            provinces[rng.gen_range(0..provinces.len())].code.clone()
        };
        let ds = &districts[&province];
        let chosen = ds.get(rng.gen_range(0..ds.len().max(1)));
        let district = chosen.map(|d| d.code.clone()).unwrap_or_default();
        let p = provinces.iter().find(|p| p.code == province);
        let place_en = chosen.map(|d| d.name_en.as_str()).or(p.map(|p| p.name_en.as_str())).unwrap_or_default();
        let place_km = chosen.map(|d| d.name_km.as_str()).or(p.map(|p| p.name_km.as_str())).unwrap_or_default();
        // Staff write titles in either language.
        let (title_en, title_km) = story.titles[rng.gen_range(0..story.titles.len())];
        let title = if rng.gen_bool(0.4) {
            title_km.replace("{place}", place_km)
        } else {
            title_en.replace("{place}", place_en)
        };
        let count = rng.gen_range(2..60).to_string();
        let (mut en, mut km) = (story.en.replace("{n}", &count), story.km.replace("{n}", &count));
        if rng.gen_bool(0.6) {
            let (next_en, next_km) = NEXT[rng.gen_range(0..NEXT.len())];
            en = format!("{en} {next_en}");
            km = format!("{km} {next_km}");
        }
        let year = rng.gen_range(2019..=2026);
        let month = rng.gen_range(1..=12);
        let fields = CaseFields {
            title: format!("[DEMO] {title}"),
            summary: format!("{en}\n\n{km}"),
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
            themes: story.themes.into(),
            ..Default::default()
        };
        let input = CaseInput::parse(&fields).map_err(|e| anyhow::anyhow!("demo case does not validate: {e:?}"))?;
        let case = NewCase { input, office_id: office.id, year, created_by: by.id, assigned: vec![by.id] };
        // A victim's name never appears in the case's own texts (a place
        // may be spelled like a name): draw again until it does not.
        let texts = format!("{}\n{}", fields.title, fields.summary);
        let name = loop {
            let name = format!("{} {}", FAMILY[rng.gen_range(0..FAMILY.len())], GIVEN[rng.gen_range(0..GIVEN.len())]);
            if rightsdesk_domain::monitoring::names_in_text(&texts, &[("V1".into(), name.clone())]).is_empty() {
                break name;
            }
        };
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
        let act = ActFields {
            act_type: story.act_type.into(),
            date: format!("{year}-{month:02}"),
            rights: story.rights.into(),
            ..Default::default()
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stories_are_valid_and_bilingual() {
        use rightsdesk_domain::monitoring::{ActFields, ACT_TYPES};
        let khmer = |s: &str| s.chars().any(|c| ('\u{1780}'..='\u{17FF}').contains(&c));
        for s in STORIES {
            assert!(ACT_TYPES.contains(&s.act_type), "{}", s.act_type);
            assert!(s.en.contains("{n}") && s.km.contains("{n}") && khmer(s.km), "{}", s.act_type);
            assert!(s.titles.iter().all(|(en, km)| en.contains("{place}") && km.contains("{place}") && khmer(km)));
            let act = ActFields { act_type: s.act_type.into(), rights: s.rights.into(), ..Default::default() };
            assert!(act.parse().is_ok(), "{}", s.act_type);
            // Themes are known ones, shown in the reader's language.
            let km = rightsdesk_web::i18n::Tr::new(rightsdesk_domain::Locale::Km, false);
            for t in s.themes.split(", ") {
                assert!(khmer(&km.theme(t)), "{t} has no Khmer label");
            }
        }
        // Enough different titles that a search does not list one many times.
        let titles: std::collections::HashSet<_> = STORIES.iter().flat_map(|s| s.titles.iter()).collect();
        assert!(titles.len() >= 20 && titles.len() == STORIES.iter().map(|s| s.titles.len()).sum::<usize>());
    }
}
