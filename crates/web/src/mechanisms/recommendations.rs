//! The list of recommendations, its filters and facet counts.

use super::*;

pub struct RecommendationRow {
    pub id: i64,
    pub text: String,
    pub mechanism: String,
    pub session: String,
    pub recommending_state: String,
    pub response: String,
    pub status: String,
    pub themes: String,
}

pub(crate) fn row(tr: &Tr, r: Recommendation) -> RecommendationRow {
    RecommendationRow {
        mechanism: r.mechanism_code.clone(),
        session: tr.digits(&r.session),
        recommending_state: r.recommending_state.clone(),
        response: response_label(tr, r.response),
        status: implementation_label(tr, r.status),
        themes: tr.themes(&r.themes),
        text: r.text,
        id: r.id,
    }
}

/// One facet value as a link that adds it to the current filter.
pub struct FacetLink {
    pub label: String,
    pub count: String,
    pub href: String,
    pub active: bool,
}

pub(crate) fn facet_links(
    tr: &Tr,
    q: &RecommendationQuery,
    counts: &[rightsdesk_store::FacetCount],
    set: impl Fn(&mut RecommendationQuery, &str),
    label: impl Fn(&str) -> String,
    current: &str,
) -> Vec<FacetLink> {
    counts
        .iter()
        .map(|c| {
            let mut next = q.clone();
            next.after = String::new();
            set(&mut next, &c.value);
            FacetLink {
                label: label(&c.value),
                count: tr.num(c.count),
                href: format!("/mechanisms/recommendations?{}", serde_urlencoded::to_string(&next).unwrap_or_default()),
                active: !current.is_empty() && current == c.value,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "mechanisms/recommendations.html")]
pub(crate) struct ListPage {
    l: Layout,
    q: RecommendationQuery,
    total: String,
    rows: Vec<RecommendationRow>,
    next_href: Option<String>,
    error: Option<String>,
    mechanisms: Vec<(String, String)>,
    responses: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    facet_response: Vec<FacetLink>,
    facet_status: Vec<FacetLink>,
    facet_cycle: Vec<FacetLink>,
    facet_theme: Vec<FacetLink>,
    can_import: bool,
    can_export: bool,
    goals: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    clusters: Vec<(String, String)>,
    /// The filters, as hidden fields of the export form.
    export_fields: Vec<(String, String)>,
}

pub(crate) fn mechanism_options(tr: &Tr, list: &[rightsdesk_store::Mechanism]) -> Vec<(String, String)> {
    list.iter().map(|m| (m.code.clone(), format!("{} — {}", m.code, tr.pick(&m.name_en, &m.name_km)))).collect()
}

pub(crate) fn response_options(tr: &Tr) -> Vec<(String, String)> {
    StateResponse::ALL.into_iter().map(|r| (r.as_str().to_string(), response_label(tr, Some(r)))).collect()
}

pub(crate) fn status_options(tr: &Tr) -> Vec<(String, String)> {
    ImplementationStatus::ALL.into_iter().map(|s| (s.as_str().to_string(), implementation_label(tr, s))).collect()
}

pub async fn recommendations(
    ctx: Ctx,
    PageQuery(q): PageQuery<RecommendationQuery>,
) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, MODULE)?;
    let scope = recommendation_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let mut page = ListPage {
        l: ctx.layout(tr.t("recommendations-title")),
        q: q.clone(),
        total: String::new(),
        rows: vec![],
        next_href: None,
        error: None,
        mechanisms: mechanism_options(tr, &store.mechanisms().await?),
        responses: response_options(tr),
        statuses: status_options(tr),
        facet_response: vec![],
        facet_status: vec![],
        facet_cycle: vec![],
        facet_theme: vec![],
        can_import: ctx.allows(Action::Create, MODULE),
        can_export: ctx.allows(Action::Export, MODULE),
        goals: ctx
            .state
            .sdg_goals()
            .await?
            .iter()
            .map(|g| (g.number.to_string(), format!("{} {}", tr.num(g.number), tr.pick(&g.short_en, &g.short_km))))
            .collect(),
        groups: rightsdesk_domain::mechanisms::AFFECTED_GROUPS
            .iter()
            .map(|g| (g.to_string(), group_label(tr, g)))
            .collect(),
        // The office's own filing labels; not for a focal point.
        clusters: if recommendation_scope(&ctx.actor).is_some_and(|s| s.institution.is_none()) {
            store.clusters().await?.into_iter().map(|c| (c.id.to_string(), c.name)).collect()
        } else {
            vec![]
        },
        export_fields: {
            let mut plain = q.clone();
            plain.after = String::new();
            serde_urlencoded::from_str::<Vec<(String, String)>>(
                &serde_urlencoded::to_string(&plain).unwrap_or_default(),
            )
            .unwrap_or_default()
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect()
        },
    };
    match recommendation_filter(&q).map(|f| scoped(f, scope)) {
        Ok(f) => {
            let facets = ctx.state.recommendation_facets(&f).await?;
            let list = store.recommendations(&f).await?;
            page.next_href = list.last().filter(|_| list.len() as i64 == PAGE_SIZE).map(|last| {
                let mut next = q.clone();
                next.after = last.id.to_string();
                format!("/mechanisms/recommendations?{}", serde_urlencoded::to_string(&next).unwrap_or_default())
            });
            page.total = tr.tn("recommendations-count", "count", facets.total);
            page.facet_response = facet_links(
                tr,
                &q,
                &facets.response,
                |n, v| n.response = v.into(),
                |v| response_label(tr, StateResponse::parse(v)),
                &q.response,
            );
            page.facet_status = facet_links(
                tr,
                &q,
                &facets.status,
                |n, v| n.status = v.into(),
                |v| ImplementationStatus::parse(v).map(|s| implementation_label(tr, s)).unwrap_or_default(),
                &q.status,
            );
            page.facet_cycle = facet_links(
                tr,
                &q,
                &facets.cycle,
                |n, v| n.cycle = v.into(),
                |v| if v.is_empty() { tr.t("cycle-none") } else { tr.t1("cycle-number", "cycle", &tr.digits(v)) },
                &q.cycle,
            );
            page.facet_theme = facet_links(tr, &q, &facets.theme, |n, v| n.theme = v.into(), |v| tr.theme(v), &q.theme);
            page.rows = list.into_iter().map(|r| row(tr, r)).collect();
        }
        Err(e) => page.error = Some(crate::kit::field_message(tr, &e)),
    }
    render(page)
}
