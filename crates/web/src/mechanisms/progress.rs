//! Implementation progress by theme, mechanism or institution.

use super::*;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ProgressQuery {
    #[serde(flatten)]
    pub list: RecommendationQuery,
    /// theme, institution, mechanism, cycle, sdg_goal, affected_group, cluster.
    pub by: String,
}

pub struct ProgressBar {
    pub label: String,
    /// The filtered list, for those who may read the records.
    pub href: Option<String>,
    pub total: String,
    /// Each status's count in words ("Implemented: 12 · ..."), shown under the bar.
    pub figures: String,
    /// (x, width, css class, title) of each status's part, in a 0..1000 box.
    pub parts: Vec<(i64, i64, &'static str, String)>,
}

#[derive(Template)]
#[template(path = "mechanisms/progress.html")]
pub(crate) struct ProgressPage {
    l: Layout,
    q: ProgressQuery,
    dimensions: Vec<(String, String)>,
    legend: Vec<(&'static str, String)>,
    bars: Vec<ProgressBar>,
    mechanisms: Vec<(String, String)>,
    lists: bool,
    error: Option<String>,
}

pub(crate) fn status_class(s: ImplementationStatus) -> &'static str {
    match s {
        ImplementationStatus::NotStarted => "st-not-started",
        ImplementationStatus::InProgress => "st-in-progress",
        ImplementationStatus::PartiallyImplemented => "st-partial",
        ImplementationStatus::Implemented => "st-implemented",
        ImplementationStatus::Regressed => "st-regressed",
        ImplementationStatus::NoInformation => "st-no-information",
    }
}

/// Where implementation stands, by theme, institution, mechanism, cycle,
/// SDG, group or cluster: one bar per group, split by status.
pub async fn progress(ctx: Ctx, PageQuery(q): PageQuery<ProgressQuery>) -> Result<Html<String>, PageError> {
    use rightsdesk_store::ProgressDimension;
    // Figures, not records: the analyst sees them too (issue 16).
    ctx.require(Action::View, Resource::Aggregates(Module::Mechanisms))?;
    let scope = rightsdesk_domain::recommendation_aggregate_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    // Each bar opens the filtered list for those who may read the records.
    let lists = ctx.allows(Action::View, MODULE);
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let dimension = if q.by.is_empty() { Some(ProgressDimension::Theme) } else { ProgressDimension::parse(&q.by) };
    let mut page = ProgressPage {
        l: ctx.layout(tr.t("progress-title")),
        q: q.clone(),
        dimensions: ProgressDimension::ALL
            .into_iter()
            .map(|d| (d.as_str().to_string(), tr.t(&format!("progress-by-{}", d.as_str().replace('_', "-")))))
            .collect(),
        legend: ImplementationStatus::ALL.into_iter().map(|s| (status_class(s), implementation_label(tr, s))).collect(),
        bars: vec![],
        mechanisms: mechanism_options(tr, &store.mechanisms().await?),
        lists,
        error: None,
    };
    let (dimension, filter) = match (dimension, recommendation_filter(&q.list)) {
        (Some(d), Ok(f)) => (d, f),
        (None, _) => {
            page.error = Some(tr.t("field-error-invalid-choice"));
            return render(page);
        }
        (_, Err(e)) => {
            page.error = Some(crate::kit::field_message(tr, &e));
            return render(page);
        }
    };
    let rows = store.recommendation_progress(dimension, &scoped(filter, scope)).await?;
    let widest = rows.iter().map(|r| r.total).max().unwrap_or(1).max(1);
    page.bars = rows
        .into_iter()
        .map(|r| {
            let mut list = q.list.clone();
            list.after = String::new();
            let label = match dimension {
                ProgressDimension::Cycle if r.key.is_empty() => tr.t("cycle-none"),
                ProgressDimension::Cycle => tr.t1("cycle-number", "cycle", &tr.digits(&r.key)),
                ProgressDimension::SdgGoal => format!("{} {}", tr.t("recommendation-sdg-goal"), tr.digits(&r.key)),
                ProgressDimension::AffectedGroup => group_label(tr, &r.key),
                _ => r.label.clone(),
            };
            match dimension {
                ProgressDimension::Theme => list.theme = r.key.clone(),
                ProgressDimension::Mechanism => list.mechanism = r.key.clone(),
                ProgressDimension::Cycle => list.cycle = r.key.clone(),
                ProgressDimension::SdgGoal => list.sdg_goal = r.key.clone(),
                ProgressDimension::AffectedGroup => list.group = r.key.clone(),
                ProgressDimension::Cluster => list.cluster = r.key.clone(),
                ProgressDimension::Institution => list.institution = r.key.clone(),
            }
            let mut x = 0;
            let parts: Vec<(i64, i64, &'static str, String)> = ImplementationStatus::ALL
                .into_iter()
                .zip(r.by_status.iter())
                .filter(|(_, n)| **n > 0)
                .map(|(s, n)| {
                    let w = (n * 1000 / widest).max(2);
                    let part = (x, w, status_class(s), format!("{}: {}", implementation_label(tr, s), tr.num(*n)));
                    x += w;
                    part
                })
                .collect();
            ProgressBar {
                label,
                href: lists.then(|| {
                    format!("/mechanisms/recommendations?{}", serde_urlencoded::to_string(&list).unwrap_or_default())
                }),
                total: tr.num(r.total),
                figures: parts.iter().map(|p| p.3.as_str()).collect::<Vec<_>>().join(" · "),
                parts,
            }
        })
        .collect();
    render(page)
}
