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

use super::asks::{ASKS, CHRC, EDUCATION, JUSTICE, LAND, POLICE, STATES, VERBS, WOMEN};

pub const FOCAL_POINT: &str = "focal.point@demo.rightsdesk.example";

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
