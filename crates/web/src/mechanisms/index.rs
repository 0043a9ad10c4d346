//! The landing page of the mechanisms module.

use super::*;

#[derive(Template)]
#[template(path = "mechanisms/index.html")]
pub(crate) struct IndexPage {
    l: Layout,
    total: String,
    by_mechanism: Vec<(String, String, String)>,
    facet_response: Vec<FacetLink>,
    facet_status: Vec<FacetLink>,
    not_ratified: String,
    can_calendar: bool,
    can_review: bool,
    pending: String,
}

/// The module's landing page: where the recommendations stand.
pub async fn index(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, MODULE)?;
    let scope = recommendation_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let all = scoped(RecommendationFilter { limit: 1, ..Default::default() }, scope);
    let facets = ctx.state.recommendation_facets(&all).await?;
    let q = RecommendationQuery::default();
    let mechanisms = store.mechanisms().await?;
    let by_mechanism = facets
        .mechanism
        .iter()
        .map(|f| {
            let name =
                mechanisms.iter().find(|m| m.code == f.value).map(|m| tr.pick(&m.name_en, &m.name_km).to_string());
            (f.value.clone(), name.unwrap_or_default(), tr.num(f.count))
        })
        .collect();
    let not_party = store
        .ratifications(rightsdesk_store::reference::HOME_STATE)
        .await?
        .into_iter()
        .filter(|r| !r.status.is_party())
        .count() as i64;
    render(IndexPage {
        l: ctx.layout(crate::kit::module_label(tr, Module::Mechanisms)),
        total: tr.tn("recommendations-count", "count", facets.total),
        by_mechanism,
        facet_response: facet_links(
            tr,
            &q,
            &facets.response,
            |n, v| n.response = v.into(),
            |v| response_label(tr, StateResponse::parse(v)),
            "",
        ),
        facet_status: facet_links(
            tr,
            &q,
            &facets.status,
            |n, v| n.status = v.into(),
            |v| ImplementationStatus::parse(v).map(|s| implementation_label(tr, s)).unwrap_or_default(),
            "",
        ),
        not_ratified: tr.tn("ref-not-ratified-count", "count", not_party),
        can_calendar: ctx.allows(Action::View, Resource::ReportingCalendar),
        can_review: ctx.allows(Action::Update, MODULE),
        pending: if ctx.allows(Action::Update, MODULE) {
            tr.num(store.pending_progress_updates().await?.len() as i64)
        } else {
            String::new()
        },
    })
}
