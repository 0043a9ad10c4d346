//! Fictional protection files: people at risk described by codes only,
//! each with a check-in schedule and its history, and a risk assessment.
//! The same for the same seed. `serve --demo` loads a few (some overdue, so
//! the alerts show); `demo generate --protection-files N` loads many (the
//! scheduler's benchmark: 100k files and 2M check-ins).

use anyhow::Result;
use rand::{Rng, SeedableRng};
use rightsdesk_domain::protection::*;
use rightsdesk_domain::Role;
use rightsdesk_store::protection::{BundleAssessment, CheckinPlan, NewProtectionFile, ProtectionBundle};
use rightsdesk_store::{AuditEntry, Store};
use std::sync::Arc;

/// What a file is called in the lists: a role and a code, never a name.
const LABELS: &[(&str, &str)] = &[
    ("defender", "Human rights defender D"),
    ("journalist", "Journalist J"),
    ("land_activist", "Land activist L"),
    ("environmental_activist", "Environmental activist E"),
    ("unionist", "Union leader U"),
    ("lawyer", "Lawyer W"),
    ("community", "Community C"),
];

/// Adds `n` files with `checkins` check-ins each, the last ones ending
/// around `now` (Unix seconds); about one file in twenty has missed its
/// latest check-in.
pub async fn generate(
    store: &Arc<dyn Store>,
    n: u64,
    checkins: u64,
    seed: u64,
    now: i64,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<u64> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed ^ 0x5052_4f54);
    let offices = store.list_offices().await?;
    let users = store.list_users().await?;
    let provinces = store.provinces().await?;
    let officers = |office: i64| -> Vec<i64> {
        users
            .iter()
            .filter(|u| !u.disabled && u.office_id == office && matches!(u.role, Role::Officer | Role::HeadOfOffice))
            .map(|u| u.id)
            .collect()
    };
    let days = ReassessmentDays::default();
    let year = time::OffsetDateTime::from_unix_timestamp(now).map(|t| t.year()).unwrap_or(2026);
    const BATCH: usize = 1_000;
    let mut batch = Vec::with_capacity(BATCH);
    let mut written = 0;
    // Offices with protection officers; seven files in ten at the first.
    let staffed: Vec<_> = offices.iter().filter(|o| !officers(o.id).is_empty()).collect();
    if staffed.is_empty() {
        anyhow::bail!("no officer or head of office yet: add one first (rightsdesk user add --role officer)");
    }
    for i in 0..n {
        let office = staffed[if rng.gen_bool(0.7) { 0 } else { 1 % staffed.len() }];
        let team = officers(office.id);
        let Some(&by) = team.first() else { continue };
        let (profile, label) = LABELS[rng.gen_range(0..LABELS.len())];
        let province = &provinces[rng.gen_range(0..provinces.len())];
        let input = ProtectionFileFields {
            subject: if profile == "community" { "group".into() } else { "individual".into() },
            label: format!("{label}{}, {}", i + 1, province.name_en),
            profile: profile.into(),
            province: province.code.clone(),
            ..Default::default()
        }
        .parse()
        .map_err(|e| anyhow::anyhow!("generated file is not valid: {e:?}"))?;
        let every = [1, 2, 3, 7][rng.gen_range(0..4)] * 86_400;
        let history = checkins as i64;
        // The latest check-in within the last interval (most files are on
        // schedule); one file in twenty was last reached an interval and a
        // half ago and has missed its latest check-in since.
        let missed = rng.gen_bool(0.05);
        let last = if missed { now - every * 3 / 2 } else { now - rng.gen_range(0..every * 4 / 5) };
        let starts_at = last - every * history;
        let mut list = Vec::with_capacity(checkins as usize + 1);
        for k in 0..history {
            let at = last - every * (history - 1 - k);
            let outcome = if rng.gen_bool(0.1) { CheckinOutcome::Concern } else { CheckinOutcome::Safe };
            let channel = CheckinChannel::ALL[rng.gen_range(0..CheckinChannel::ALL.len())];
            list.push(CheckinInput { at, channel, outcome, note: String::new() });
        }
        if missed {
            // Tried since, without an answer: recorded, but nobody reached.
            list.push(CheckinInput {
                at: now - every / 4,
                channel: CheckinChannel::Call,
                outcome: CheckinOutcome::NoAnswer,
                note: String::new(),
            });
        }
        let assessed = RiskAssessmentFields {
            likelihood: rng.gen_range(1..=5).to_string(),
            impact: rng.gen_range(1..=5).to_string(),
            vulnerabilities: "Lives alone\nKnown address".into(),
            capacities: "Network of lawyers".into(),
            ..Default::default()
        }
        .parse()
        .map_err(|e| anyhow::anyhow!("generated assessment is not valid: {e:?}"))?;
        // Assessed within the level's period, a few just past it.
        let period = days.for_level(assessed.level()) as i64 * 86_400;
        let at = now - rng.gen_range(0..period + period / 20);
        let next_due_at = days.due_after(at, assessed.level());
        batch.push(ProtectionBundle {
            file: NewProtectionFile { office_id: office.id, year, input, created_by: by, team: team.clone() },
            plan: Some(CheckinPlan {
                every,
                channel: CheckinChannel::Call,
                grace: 2 * 3_600,
                escalate_after: 12 * 3_600,
                starts_at,
            }),
            checkins: list,
            assessment: Some(BundleAssessment { input: assessed, at, next_due_at, by }),
        });
        if batch.len() == BATCH || i + 1 == n {
            let audit = AuditEntry::system("protection.generate").summary("demo");
            written += store.insert_protection_bundles(&batch, &audit).await? as u64;
            if let Some(bar) = progress {
                bar.inc(batch.len() as u64);
            }
            batch.clear();
        }
    }
    Ok(written)
}
