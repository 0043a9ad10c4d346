//! The list of cases and its filters.

use super::*;

pub struct CaseRow {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub status: String,
    pub restricted: bool,
    /// Shown when not routine.
    pub urgency: Option<(String, String)>,
    pub province: String,
    pub start: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "monitoring/list.html")]
pub(crate) struct ListPage {
    l: Layout,
    q: ListQuery,
    total: String,
    rows: Vec<CaseRow>,
    next_href: Option<String>,
    can_create: bool,
    offices: Vec<(String, String)>,
    provinces: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    urgencies: Vec<(String, String)>,
    act_types: Vec<(String, String)>,
    perpetrator_types: Vec<(String, String)>,
    sorts: Vec<(String, String)>,
    /// The list's filters, carried by the export form.
    export_fields: Vec<(String, String)>,
    can_export: bool,
    can_export_names: bool,
    error: Option<String>,
}

pub(crate) async fn province_names(ctx: &Ctx) -> Result<Vec<(String, String)>, PageError> {
    let places = ctx.state.places().await?;
    Ok(places.provinces.iter().map(|(code, en, km)| (code.clone(), ctx.tr.pick(en, km).to_string())).collect())
}

/// `/monitoring/cases` (where forms post new cases) opened in the browser:
/// the list, which lives at `/monitoring`, keeping any filters.
pub async fn list_redirect(ctx: Ctx, uri: axum::http::Uri) -> Result<axum::response::Redirect, PageError> {
    ctx.require(Action::View, Resource::Module(Module::Monitoring))?;
    let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    Ok(axum::response::Redirect::to(&format!("/monitoring{query}")))
}

pub async fn list(ctx: Ctx, PageQuery(q): PageQuery<ListQuery>) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::Module(Module::Monitoring))?;
    let scope = case_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let me = ctx.me()?.id;
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let provinces = province_names(&ctx).await?;
    let (rows, total, next_href, error) = match case_filter(store, scope, me, &q).await {
        Ok(mut f) => {
            f.limit = PAGE_SIZE;
            f.count_cap = Some(COUNT_CAP);
            let total = store.count_cases(&f).await?;
            let list = store.list_cases(&f).await?;
            let next = list.last().filter(|_| list.len() as i64 == PAGE_SIZE).map(|last| {
                let mut next = q.clone();
                next.after = f.sort.cursor_of(last).encode();
                format!("/monitoring?{}", list_query_string(&next))
            });
            let rows = list
                .into_iter()
                .map(|c| CaseRow {
                    id: c.id,
                    reference: c.reference,
                    title: c.title,
                    status: status_label(tr, c.status),
                    restricted: c.sensitivity == Sensitivity::Restricted,
                    urgency: (c.urgency != Urgency::Routine)
                        .then(|| (c.urgency.as_str().to_string(), crate::choice_label!(tr, c.urgency))),
                    province: c
                        .province_code
                        .as_ref()
                        .and_then(|code| provinces.iter().find(|p| &p.0 == code).map(|p| p.1.clone()))
                        .unwrap_or_default(),
                    start: date_label(tr, &c.start),
                    updated: tr.date(c.updated_at),
                })
                .collect();
            (rows, total, next, None)
        }
        Err(e) => (vec![], 0, None, Some(crate::kit::field_message(tr, &e))),
    };
    let offices = store.list_offices().await?.into_iter().map(|o| (o.code.clone(), o.code)).collect();
    let statuses = CaseStatus::ALL.into_iter().map(|s| (s.as_str().to_string(), status_label(tr, s))).collect();
    let export_fields = {
        let mut plain = q.clone();
        plain.after = String::new();
        list_query_pairs(&plain).into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    };
    render(ListPage {
        export_fields,
        can_export: ctx.allows(Action::Export, Resource::Module(Module::Monitoring)),
        can_export_names: ctx.allows(Action::ExportIdentifying, Resource::Module(Module::Monitoring)),
        l: ctx.layout(tr.t("cases-title")),
        total: if total > COUNT_CAP {
            tr.tn("cases-count-more", "count", COUNT_CAP)
        } else {
            tr.tn("cases-count", "count", total)
        },
        sorts: CaseSort::ALL
            .into_iter()
            .map(|s| (s.as_str().to_string(), tr.t(&format!("sort-{}", s.as_str()))))
            .collect(),
        q,
        rows,
        next_href,
        can_create: ctx.allows(Action::Create, Resource::Module(Module::Monitoring)),
        offices,
        provinces,
        statuses,
        urgencies: crate::choice_options!(tr, Urgency),
        act_types: act_type_options(tr),
        perpetrator_types: options(tr, "perpetrator-type", &person_choices::PERPETRATOR_TYPE[1..]),
        error,
    })
}

pub(crate) fn act_type_options(tr: &Tr) -> Vec<(String, String)> {
    rightsdesk_domain::monitoring::ACT_TYPES.iter().map(|a| (a.to_string(), choice_label(tr, "act-type", a))).collect()
}

pub(crate) fn list_query_string(q: &ListQuery) -> String {
    serde_urlencoded::to_string(list_query_pairs(q)).unwrap_or_default()
}

/// The filters that are set, as query or form pairs.
pub(crate) fn list_query_pairs(q: &ListQuery) -> Vec<(&'static str, String)> {
    let pairs = [
        ("office", q.office.clone()),
        ("status", q.status.clone()),
        ("province", q.province.clone()),
        ("sensitivity", q.sensitivity.clone()),
        ("urgency", q.urgency.clone()),
        ("mine", q.mine.clone()),
        ("act_type", q.act_type.clone()),
        ("right", q.right.clone()),
        ("perpetrator_type", q.perpetrator_type.clone()),
        ("from", q.from.clone()),
        ("to", q.to.clone()),
        ("sort", q.sort.clone()),
        ("after", q.after.clone()),
    ];
    pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect()
}
