//! Fictional recommendations for the mechanisms module: three UPR cycles and
//! the treaty bodies' concluding observations, written like the real ones
//! but marked [DEMO] (the UPR Info corpus is not shipped), with what the
//! office adds (themes, SDG targets, groups, clusters, institutions), its
//! assessments over the years, implementation actions with indicators, the
//! reporting calendar around today, and the Ministry of Justice's focal point.

use anyhow::{Context, Result};
use rand::{Rng, SeedableRng};
use rightsdesk_domain::mechanisms::{
    ActionFields, AssessmentInput, ImplementationStatus, IndicatorFields, RecommendationDetailsFields,
    RecommendationInput, ReportingEventFields, Response,
};
use rightsdesk_domain::Role;
use rightsdesk_store::{AuditEntry, NewUser, RecommendationFilter, Store};
use std::collections::HashMap;
use std::sync::Arc;

pub const FOCAL_POINT: &str = "focal.point@demo.rightsdesk.example";

/// What a recommendation asks for, as many states and committees ask it:
/// the request (after a verb such as "Ensure that" or "Take measures to"),
/// its UPR Info themes, SDG target, affected group, cluster and the
/// institution that answers for it.
struct Ask {
    text: &'static str,
    themes: &'static str,
    sdg: &'static str,
    group: &'static str,
    cluster: &'static str,
    institution: &'static str,
}

const JUSTICE: &str = "Ministry of Justice";
const INTERIOR: &str = "Ministry of Interior";
const POLICE: &str = "General Commissariat of National Police";
const CHRC: &str = "Cambodian Human Rights Committee";
const WOMEN: &str = "Ministry of Women's Affairs";
const EDUCATION: &str = "Ministry of Education, Youth and Sport";
const LAND: &str = "Ministry of Land Management, Urban Planning and Construction";
const INFORMATION: &str = "Ministry of Information";
const LABOUR: &str = "Ministry of Labour and Vocational Training";
const SOCIAL: &str = "Ministry of Social Affairs, Veterans and Youth Rehabilitation";
const HEALTH: &str = "Ministry of Health";

const ASKS: &[Ask] = &[
    Ask {
        text: "establish a national human rights institution in line with the Paris Principles",
        themes: "NHRI",
        sdg: "16.a",
        group: "",
        cluster: "Institutions and treaties",
        institution: CHRC,
    },
    Ask {
        text: "guarantee the independence of judges and prosecutors, including in their appointment and discipline",
        themes: "Justice",
        sdg: "16.3",
        group: "",
        cluster: "Justice and detention",
        institution: JUSTICE,
    },
    Ask {
        text: "release those held in pre-trial detention beyond the time limits set by law",
        themes: "Detention, Justice",
        sdg: "16.3",
        group: "persons_deprived_of_liberty",
        cluster: "Justice and detention",
        institution: JUSTICE,
    },
    Ask {
        text: "provide free legal aid to everyone accused of a crime who cannot pay for a lawyer",
        themes: "Justice",
        sdg: "16.3",
        group: "persons_living_in_poverty",
        cluster: "Justice and detention",
        institution: JUSTICE,
    },
    Ask {
        text: "reduce overcrowding in prisons and use alternatives to detention for minor offences",
        themes: "Detention",
        sdg: "16.3",
        group: "persons_deprived_of_liberty",
        cluster: "Justice and detention",
        institution: INTERIOR,
    },
    Ask {
        text: "investigate every allegation of torture or ill-treatment in custody and bring those responsible to justice",
        themes: "Torture and other CID treatment, Impunity",
        sdg: "16.3",
        group: "persons_deprived_of_liberty",
        cluster: "Justice and detention",
        institution: POLICE,
    },
    Ask {
        text: "exclude from evidence any statement obtained under torture",
        themes: "Torture and other CID treatment, Justice",
        sdg: "16.3",
        group: "persons_deprived_of_liberty",
        cluster: "Justice and detention",
        institution: JUSTICE,
    },
    Ask {
        text: "ensure that human rights defenders and land activists can work without fear of arrest or reprisal",
        themes: "Human rights defenders, Civil society",
        sdg: "16.10",
        group: "human_rights_defenders",
        cluster: "Civic space",
        institution: INTERIOR,
    },
    Ask {
        text: "ensure that journalists can report freely and investigate threats and attacks against them",
        themes: "Freedom of the press, Freedom of opinion and expression",
        sdg: "16.10",
        group: "journalists_and_media",
        cluster: "Civic space",
        institution: INFORMATION,
    },
    Ask {
        text: "amend the Law on Associations and Non-Governmental Organizations so that it meets international standards",
        themes: "Freedom of association and peaceful assembly, Civil society",
        sdg: "16.7",
        group: "human_rights_defenders",
        cluster: "Civic space",
        institution: INTERIOR,
    },
    Ask {
        text: "respect the right of peaceful assembly and refrain from excessive force against demonstrators",
        themes: "Freedom of association and peaceful assembly, Public security",
        sdg: "16.10",
        group: "",
        cluster: "Civic space",
        institution: POLICE,
    },
    Ask {
        text: "bring its laws on online expression into line with article 19 of the International Covenant on Civil and Political Rights",
        themes: "Freedom of opinion and expression",
        sdg: "16.10",
        group: "journalists_and_media",
        cluster: "Civic space",
        institution: INFORMATION,
    },
    Ask {
        text: "end forced evictions and provide adequate compensation and resettlement to affected families",
        themes: "Right to housing, Right to land",
        sdg: "11.1",
        group: "rural_and_land_communities",
        cluster: "Land and housing",
        institution: LAND,
    },
    Ask {
        text: "resolve land disputes through an independent and transparent mechanism",
        themes: "Right to land, Justice",
        sdg: "1.4",
        group: "rural_and_land_communities",
        cluster: "Land and housing",
        institution: LAND,
    },
    Ask {
        text: "register the collective land titles of indigenous communities",
        themes: "Indigenous peoples, Right to land",
        sdg: "1.4",
        group: "indigenous_peoples",
        cluster: "Land and housing",
        institution: LAND,
    },
    Ask {
        text: "review economic land concessions that affect the land of local and indigenous communities",
        themes: "Right to land, Environment",
        sdg: "1.4",
        group: "indigenous_peoples",
        cluster: "Land and housing",
        institution: LAND,
    },
    Ask {
        text: "strengthen the fight against violence against women, including domestic violence",
        themes: "Women's rights",
        sdg: "5.2",
        group: "women_and_girls",
        cluster: "Women and children",
        institution: WOMEN,
    },
    Ask {
        text: "provide legal aid and shelters to women victims of gender-based violence in every province",
        themes: "Women's rights, Justice",
        sdg: "5.2",
        group: "women_and_girls",
        cluster: "Women and children",
        institution: WOMEN,
    },
    Ask {
        text: "prevent child marriage and raise the minimum age of marriage to 18 for everyone",
        themes: "Rights of the Child, Women's rights",
        sdg: "5.3",
        group: "children",
        cluster: "Women and children",
        institution: WOMEN,
    },
    Ask {
        text: "combat trafficking in persons and protect its victims, in particular women and children",
        themes: "Trafficking",
        sdg: "16.2",
        group: "women_and_girls",
        cluster: "Women and children",
        institution: INTERIOR,
    },
    Ask {
        text: "ensure that every child completes free primary and lower secondary education",
        themes: "Right to education, Rights of the Child",
        sdg: "4.1",
        group: "children",
        cluster: "Economic and social rights",
        institution: EDUCATION,
    },
    Ask {
        text: "make schools accessible to children with disabilities",
        themes: "Right to education, Persons with disabilities",
        sdg: "4.5",
        group: "persons_with_disabilities",
        cluster: "Economic and social rights",
        institution: EDUCATION,
    },
    Ask {
        text: "include human rights education in school curricula and in the training of the police",
        themes: "Human rights education and training",
        sdg: "4.7",
        group: "",
        cluster: "Economic and social rights",
        institution: EDUCATION,
    },
    Ask {
        text: "end child labour, in particular in brick kilns and agriculture",
        themes: "Labour, Rights of the Child",
        sdg: "8.7",
        group: "children",
        cluster: "Economic and social rights",
        institution: LABOUR,
    },
    Ask {
        text: "protect the right of workers to form and join independent trade unions",
        themes: "Labour, Freedom of association and peaceful assembly",
        sdg: "8.8",
        group: "workers",
        cluster: "Economic and social rights",
        institution: LABOUR,
    },
    Ask {
        text: "extend health care and social protection to persons living in poverty in rural areas",
        themes: "Right to health, Poverty",
        sdg: "3.8",
        group: "persons_living_in_poverty",
        cluster: "Economic and social rights",
        institution: HEALTH,
    },
    Ask {
        text: "ensure access to safe drinking water and sanitation in every commune",
        themes: "Right to water, Right to health",
        sdg: "6.1",
        group: "rural_and_land_communities",
        cluster: "Economic and social rights",
        institution: HEALTH,
    },
    Ask {
        text: "adopt a national action plan for persons with disabilities and fund it",
        themes: "Persons with disabilities, National plan of action",
        sdg: "10.2",
        group: "persons_with_disabilities",
        cluster: "Economic and social rights",
        institution: SOCIAL,
    },
    Ask {
        text: "protect the rights of migrant workers and of those who return from abroad",
        themes: "Migrants, Labour",
        sdg: "10.7",
        group: "migrants",
        cluster: "Economic and social rights",
        institution: LABOUR,
    },
    Ask {
        text: "ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights and the Optional Protocol to the Convention on the Rights of Persons with Disabilities",
        themes: "International instruments",
        sdg: "16.a",
        group: "",
        cluster: "Institutions and treaties",
        institution: CHRC,
    },
    Ask {
        text: "submit its overdue reports to the treaty bodies and accept the visits of special procedures",
        themes: "Treaty bodies, Special procedures",
        sdg: "16.a",
        group: "",
        cluster: "Institutions and treaties",
        institution: CHRC,
    },
    Ask {
        text: "strengthen the independence of the National Election Committee and ensure free and fair elections",
        themes: "Elections, CP rights - general",
        sdg: "16.7",
        group: "",
        cluster: "Civic space",
        institution: INTERIOR,
    },
    Ask {
        text: "fight corruption in the courts and the public administration",
        themes: "Corruption, Justice",
        sdg: "16.5",
        group: "",
        cluster: "Justice and detention",
        institution: JUSTICE,
    },
    Ask {
        text: "protect lesbian, gay, bisexual, transgender and intersex persons from discrimination",
        themes: "Sexual Orientation and Gender Identity",
        sdg: "10.3",
        group: "lgbti_persons",
        cluster: "Women and children",
        institution: WOMEN,
    },
];

/// How a recommendation begins.
const VERBS: &[&str] = &[
    "",
    "Take measures to",
    "Continue its efforts to",
    "Take further steps to",
    "Redouble efforts to",
    "Consider steps to",
];

/// States that make recommendations at the UPR.
const STATES: &[&str] = &[
    "Australia",
    "Austria",
    "Belgium",
    "Brazil",
    "Canada",
    "Chile",
    "Czechia",
    "Denmark",
    "Finland",
    "France",
    "Germany",
    "Ghana",
    "Iceland",
    "Indonesia",
    "Ireland",
    "Italy",
    "Japan",
    "Malaysia",
    "Mexico",
    "Netherlands",
    "New Zealand",
    "Norway",
    "Philippines",
    "Portugal",
    "Republic of Korea",
    "Sierra Leone",
    "Slovenia",
    "Spain",
    "Sweden",
    "Switzerland",
    "Thailand",
    "Timor-Leste",
    "United Kingdom",
    "Uruguay",
    "Viet Nam",
];

/// A body's recommendations in one review: mechanism, session, UPR cycle,
/// year, how many, the paragraph they are numbered under.
type Review = (&'static str, &'static str, Option<i64>, i32, usize, &'static str);
const REVIEWS: &[Review] = &[
    ("UPR", "18", Some(2), 2014, 70, "118"),
    ("UPR", "32", Some(3), 2019, 72, "110"),
    ("UPR", "46", Some(4), 2024, 74, "115"),
    ("CCPR", "134", None, 2022, 18, "CO"),
    ("CESCR", "73", None, 2023, 14, "CO"),
    ("CEDAW", "74", None, 2019, 16, "CO"),
    ("CRC", "91", None, 2022, 16, "CO"),
    ("CAT", "47", None, 2011, 10, "CO"),
    ("CRPD", "22", None, 2019, 12, "CO"),
    ("SR-CAMBODIA", "", None, 2025, 12, "R"),
];

/// The organisations the demo needs by English name.
fn organisation_ids(orgs: &[rightsdesk_store::Organisation]) -> HashMap<&str, i64> {
    orgs.iter().map(|o| (o.name_en.as_str(), o.id)).collect()
}

/// Loads the mechanisms demo. Returns the focal point's e-mail.
pub async fn seed(store: &Arc<dyn Store>, hash: &str) -> Result<&'static str> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    let orgs = store.organisations().await?;
    let org = organisation_ids(&orgs);
    let id_of = |name: &str| org.get(name).copied().with_context(|| format!("demo organisation {name}"));

    // The recommendations, as an import would bring them.
    let mut rows = Vec::new();
    let mut asked: HashMap<String, usize> = HashMap::new();
    for (mechanism, session, cycle, year, count, para) in REVIEWS {
        for n in 1..=*count {
            let a = rng.gen_range(0..ASKS.len());
            let ask = &ASKS[a];
            let verb = VERBS[rng.gen_range(0..VERBS.len())];
            let sentence = if verb.is_empty() { capitalise(ask.text) } else { format!("{verb} {}", ask.text) };
            let source_key = format!("demo:{mechanism}:{session}:{n}");
            asked.insert(source_key.clone(), a);
            let upr = *mechanism == "UPR";
            rows.push(RecommendationInput {
                source_key,
                mechanism_code: (*mechanism).into(),
                state_under_review: "Cambodia".into(),
                session: (*session).into(),
                cycle: *cycle,
                document_symbol: String::new(),
                paragraph: format!("{para}.{n}"),
                issued_on: Some(year.to_string()),
                recommending_state: if upr { STATES[rng.gen_range(0..STATES.len())].into() } else { String::new() },
                text: format!("[DEMO] {sentence}"),
                response: upr.then(|| if rng.gen_bool(0.78) { Response::Supported } else { Response::Noted }),
                response_raw: String::new(),
                action_category: upr.then(|| rng.gen_range(2..=5)),
                themes: ask.themes.split(", ").map(str::to_string).collect(),
            });
        }
    }
    let audit = AuditEntry::system("recommendation.import").summary("demo");
    store.import_recommendations(&rows, &audit, false, &|_| {}).await?;
    let mut recs = Vec::new();
    let mut filter = RecommendationFilter { limit: 500, ..Default::default() };
    loop {
        let page = store.recommendations(&filter).await?;
        let Some(last) = page.last() else { break };
        filter.after = Some(last.id);
        recs.extend(page);
    }
    recs.sort_by_key(|r| r.id);

    // What the office adds, and its assessments over the years.
    let officer =
        store.user_by_email("mechanisms@demo.rightsdesk.example").await?.context("demo mechanisms officer")?;
    let today = time::OffsetDateTime::now_utc().date();
    let mut by_ask: HashMap<usize, Vec<i64>> = HashMap::new();
    for r in &recs {
        let Some(&a) = asked.get(&r.source_key) else { continue };
        let ask = &ASKS[a];
        by_ask.entry(a).or_default().push(r.id);
        // The national human rights institution answers to the committee
        // only; some of the others wait to be sorted.
        if a == 0 || rng.gen_bool(0.55) {
            let details = RecommendationDetailsFields {
                themes: r.themes.join(", "),
                sdg_targets: ask.sdg.into(),
                affected_groups: if ask.group.is_empty() { vec![] } else { vec![ask.group.into()] },
                cluster: ask.cluster.into(),
                institutions: vec![id_of(ask.institution)?],
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
        }
        if !rng.gen_bool(0.7) {
            continue;
        }
        let year: i32 = r.issued_on.as_deref().and_then(|y| y.get(..4)).and_then(|y| y.parse().ok()).unwrap_or(2024);
        let age = today.year() - year;
        for (i, status) in assessment_path(&mut rng, age).into_iter().enumerate() {
            let on_year = (year + 1 + 2 * i as i32).min(today.year() - 1).max(year);
            let input = AssessmentInput {
                status,
                // A later assessment later in its year, so it is the latest.
                assessed_on: format!(
                    "{on_year}-{:02}-{:02}",
                    if i == 0 { rng.gen_range(1..=6) } else { rng.gen_range(7..=12) },
                    rng.gen_range(1..=28)
                ),
                evidence: evidence(status).into(),
                source: SOURCES[rng.gen_range(0..SOURCES.len())].into(),
            };
            store
                .add_assessment(r.id, &input, officer.id, &AuditEntry::system("recommendation.assess").summary("demo"))
                .await?;
        }
    }

    // Implementation actions, each linked to the recommendations it answers.
    for (ask, title, institution, due, status, indicators) in ACTIONS {
        let action = ActionFields {
            title: format!("[DEMO] {title}"),
            description: format!("[DEMO] Answers the recommendations that ask to {}.", ASKS[*ask].text),
            organisation_id: id_of(institution)?.to_string(),
            due_on: (today + time::Duration::days(*due)).to_string(),
            status: (*status).into(),
        }
        .parse()
        .map_err(|e| anyhow::anyhow!("demo action: {e:?}"))?;
        let created =
            store.create_action(&action, officer.id, &AuditEntry::system("action.create").summary("demo")).await?;
        for (name, baseline, target, current) in *indicators {
            let fields = IndicatorFields {
                name: (*name).into(),
                baseline: (*baseline).into(),
                target: (*target).into(),
                current: (*current).into(),
            }
            .parse()
            .map_err(|e| anyhow::anyhow!("demo indicator: {e:?}"))?;
            store.add_indicator(created.id, &fields, &AuditEntry::system("action.indicator").summary("demo")).await?;
        }
        for id in by_ask.get(ask).into_iter().flatten().take(4) {
            store.link_action(created.id, *id, &AuditEntry::system("action.link").summary("demo")).await?;
        }
    }

    // The reporting calendar around today.
    for (mechanism, kind, days, cycle, cycle_km, title, title_km) in CALENDAR {
        let input = ReportingEventFields {
            mechanism_code: (*mechanism).into(),
            kind: (*kind).into(),
            cycle: (*cycle).into(),
            title: format!("[DEMO] {title}"),
            due_on: (today + time::Duration::days(*days)).to_string(),
            notes: String::new(),
            title_km: format!("[DEMO] {title_km}"),
            cycle_km: (*cycle_km).into(),
            notes_km: String::new(),
        }
        .parse()
        .map_err(|e| anyhow::anyhow!("demo calendar: {e:?}"))?;
        store.add_reporting_event(&input, officer.id, &AuditEntry::system("calendar.add").summary("demo")).await?;
    }

    // The Ministry of Justice's focal point.
    let Some(pnh) = store.office_by_code("PNH").await? else { return Ok(FOCAL_POINT) };
    let new = NewUser {
        email: FOCAL_POINT.into(),
        name: "Ouk Sothea (fictional focal point, Ministry of Justice)".into(),
        role: Role::FocalPoint,
        office_id: pnh.id,
        organisation_id: Some(id_of(JUSTICE)?),
        locale: Default::default(),
        password_hash: hash.to_string(),
    };
    store
        .create_user(&new, &AuditEntry::system("user.create").record("user", "").summary("demo role=focal_point"))
        .await?;
    Ok(FOCAL_POINT)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// One or two assessments: older recommendations have gone further.
fn assessment_path(rng: &mut impl Rng, age: i32) -> Vec<ImplementationStatus> {
    use ImplementationStatus::*;
    let later = match age {
        ..=3 => [NotStarted, InProgress, InProgress, NoInformation][rng.gen_range(0..4)],
        4..=8 => [InProgress, PartiallyImplemented, PartiallyImplemented, NotStarted, Regressed][rng.gen_range(0..5)],
        _ => [Implemented, PartiallyImplemented, PartiallyImplemented, Regressed, InProgress][rng.gen_range(0..5)],
    };
    if age > 3 && rng.gen_bool(0.4) {
        vec![InProgress, later]
    } else {
        vec![later]
    }
}

fn evidence(status: ImplementationStatus) -> &'static str {
    use ImplementationStatus::*;
    match status {
        NotStarted => "[DEMO] The ministry told the office that no steps have been taken yet.",
        InProgress => "[DEMO] A draft was discussed with the office and civil society.",
        PartiallyImplemented => {
            "[DEMO] Adopted in part; the office still sees cases the measure should have prevented."
        }
        Implemented => "[DEMO] The measure is in force and the office's monitoring confirms it is applied.",
        Regressed => "[DEMO] A new regulation undid the progress the office recorded earlier.",
        NoInformation => "[DEMO] The ministry did not answer the office's letters on this.",
    }
}

const SOURCES: &[&str] = &[
    "[DEMO] Meeting with the ministry",
    "[DEMO] Government mid-term report",
    "[DEMO] Civil society submission",
    "[DEMO] The office's monitoring",
];

/// Actions: the request they answer (an index into ASKS), title, the
/// institution, days from today until due, status and indicators (name,
/// baseline, target, current).
type Indicator = (&'static str, &'static str, &'static str, &'static str);
type Action = (usize, &'static str, &'static str, i64, &'static str, &'static [Indicator]);
const ACTIONS: &[Action] = &[
    (
        2,
        "Draft a sub-decree on pre-trial detention time limits",
        JUSTICE,
        210,
        "ongoing",
        &[("Persons held beyond the legal limit", "1,200", "0", "840")],
    ),
    (
        3,
        "Open legal aid desks in the provincial courts",
        JUSTICE,
        400,
        "ongoing",
        &[
            ("Provinces with a legal aid desk", "6", "25", "11"),
            ("Lawyers in the legal aid roster", "80", "250", "131"),
        ],
    ),
    (
        1,
        "Publish the criteria for appointing judges and prosecutors",
        JUSTICE,
        -30,
        "planned",
        &[("Criteria published", "No", "Yes", "No")],
    ),
    (
        5,
        "Train police investigators on the Convention against Torture",
        POLICE,
        120,
        "ongoing",
        &[("Investigators trained", "0", "600", "245")],
    ),
    (
        12,
        "Set up a resettlement fund for evicted families",
        LAND,
        540,
        "planned",
        &[("Families compensated", "0", "3,000", "0")],
    ),
    (
        16,
        "Open a shelter for survivors of violence in each region",
        WOMEN,
        300,
        "ongoing",
        &[("Shelters open", "2", "5", "3")],
    ),
    (
        20,
        "Scholarships for girls in lower secondary school",
        EDUCATION,
        -120,
        "completed",
        &[("Girls on a scholarship", "4,000", "10,000", "10,450")],
    ),
    (
        30,
        "Submit the overdue report to the Committee against Torture",
        CHRC,
        60,
        "ongoing",
        &[("Report submitted", "No", "Yes", "No")],
    ),
];

/// Dates around today: mechanism, kind, days from today, cycle (en, km),
/// title (en, km).
type CalendarDate = (&'static str, &'static str, i64, &'static str, &'static str, &'static str, &'static str);
const CALENDAR: &[CalendarDate] = &[
    (
        "CAT",
        "follow_up_due",
        30,
        "CAT, third periodic report",
        "CAT របាយការណ៍តាមកាលកំណត់លើកទីបី",
        "Follow-up information due to the Committee against Torture",
        "ព័ត៌មានតាមដានត្រូវផ្ញើជូនគណៈកម្មាធិការប្រឆាំងការធ្វើទារុណកម្ម",
    ),
    (
        "CRC",
        "list_of_issues",
        45,
        "CRC, combined fourth to sixth reports",
        "CRC របាយការណ៍រួមលើកទីបួនដល់ទីប្រាំមួយ",
        "Reply to the list of issues of the Committee on the Rights of the Child",
        "ចម្លើយចំពោះបញ្ជីបញ្ហារបស់គណៈកម្មាធិការសិទ្ធិកុមារ",
    ),
    (
        "SR-CAMBODIA",
        "visit",
        75,
        "Special Rapporteur, annual visit",
        "អ្នករាយការណ៍ពិសេស ដំណើរទស្សនកិច្ចប្រចាំឆ្នាំ",
        "Visit of the Special Rapporteur on the situation of human rights in Cambodia",
        "ដំណើរទស្សនកិច្ចរបស់អ្នករាយការណ៍ពិសេសស្តីពីស្ថានភាពសិទ្ធិមនុស្សនៅកម្ពុជា",
    ),
    (
        "CCPR",
        "state_report_due",
        120,
        "CCPR, fourth periodic report",
        "CCPR របាយការណ៍តាមកាលកំណត់លើកទីបួន",
        "Fourth periodic report due to the Human Rights Committee",
        "របាយការណ៍តាមកាលកំណត់លើកទីបួនត្រូវផ្ញើជូនគណៈកម្មាធិការសិទ្ធិមនុស្ស",
    ),
    (
        "CEDAW",
        "dialogue",
        200,
        "CEDAW, seventh periodic report",
        "CEDAW របាយការណ៍តាមកាលកំណត់លើកទីប្រាំពីរ",
        "Dialogue with the Committee on the Elimination of Discrimination against Women",
        "កិច្ចសន្ទនាជាមួយគណៈកម្មាធិការលុបបំបាត់ការរើសអើងប្រឆាំងនឹងស្ត្រី",
    ),
    (
        "CRPD",
        "state_report_due",
        300,
        "CRPD, second and third reports",
        "CRPD របាយការណ៍លើកទីពីរ និងទីបី",
        "Combined second and third reports due to the Committee on the Rights of Persons with Disabilities",
        "របាយការណ៍រួមលើកទីពីរ និងទីបីត្រូវផ្ញើជូនគណៈកម្មាធិការសិទ្ធិជនពិការ",
    ),
    ("UPR", "upr_review", 800, "UPR, fifth cycle", "UPR វដ្តទីប្រាំ", "Cambodia's fifth review", "ការត្រួតពិនិត្យលើកទីប្រាំរបស់កម្ពុជា"),
    (
        "CESCR",
        "state_report_due",
        -20,
        "CESCR, second periodic report",
        "CESCR របាយការណ៍តាមកាលកំណត់លើកទីពីរ",
        "Second periodic report due to the Committee on Economic, Social and Cultural Rights",
        "របាយការណ៍តាមកាលកំណត់លើកទីពីរត្រូវផ្ញើជូនគណៈកម្មាធិការសិទ្ធិសេដ្ឋកិច្ច សង្គម និងវប្បធម៌",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_data_is_valid() {
        let km = rightsdesk_web::i18n::Tr::new(rightsdesk_domain::Locale::Km, false);
        let khmer = |s: &str| s.chars().any(|c| ('\u{1780}'..='\u{17FF}').contains(&c));
        for ask in ASKS {
            let details = RecommendationDetailsFields {
                themes: ask.themes.into(),
                sdg_targets: ask.sdg.into(),
                affected_groups: if ask.group.is_empty() { vec![] } else { vec![ask.group.into()] },
                cluster: ask.cluster.into(),
                institutions: vec![1],
            };
            assert!(details.parse().is_ok(), "{}", ask.text);
            for t in ask.themes.split(", ") {
                assert!(khmer(&km.theme(t)), "{t} has no Khmer label");
            }
        }
        // Only the first request names the national human rights
        // institution: the focal point's list (Ministry of Justice) must
        // not, whatever the draw.
        assert!(ASKS.iter().skip(1).all(|a| !a.text.contains("national human rights institution")));
        assert_eq!(ASKS[0].institution, CHRC);
        for (ask, ..) in ACTIONS {
            assert!(*ask < ASKS.len());
        }
        for (.., cycle_km, _, title_km) in CALENDAR {
            assert!(khmer(cycle_km) && khmer(title_km));
        }
    }
}
