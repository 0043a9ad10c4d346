//! The search page: one box for every line of work, answered from the index
//! with the policy inside the query.

use crate::auth::Ctx;
use crate::error::{ErrorCode, PageError};
use crate::extract::PageQuery;
use crate::kit::{render, Layout};
use askama::Template;
use axum::response::Html;
use rightsdesk_domain::{case_scope, recommendation_scope, Action, Actor, Module, Resource};
use rightsdesk_search::Viewer;
use serde::Deserialize;

/// The audience terms of a user, from the same policy as every page: cases
/// they may see (normal ones, restricted ones of their team or, for a head of
/// office, of their office), recommendations (all, or a focal point's
/// institution's), and the reference texts.
pub fn viewer_of(actor: &Actor) -> Viewer {
    let mut terms = vec![];
    if let Some(scope) = case_scope(actor) {
        terms.push("monitoring:all".to_string());
        terms.push(format!("monitoring:user:{}", scope.user_id));
        if let Some(office) = scope.head_of_office {
            terms.push(format!("monitoring:office:{office}"));
        }
    }
    // Protection files: their team and the head of their office, nobody else.
    if let Some(scope) = rightsdesk_domain::protection_scope(actor) {
        terms.push(format!("protection:user:{}", scope.user_id));
        if let Some(office) = scope.head_of_office {
            terms.push(format!("protection:office:{office}"));
        }
    }
    if let Some(s) = recommendation_scope(actor) {
        match s.institution {
            None => terms.push("mechanisms:all".to_string()),
            Some(org) => terms.push(format!("mechanisms:org:{org}")),
        }
    }
    // Draft laws: the office reads them all (texts and comments too); a
    // focal point finds by title the laws linked to their institution.
    if let Some(s) = rightsdesk_domain::law_scope(actor) {
        match s.institution {
            None => terms.push("legislation:all".to_string()),
            Some(org) => terms.push(format!("legislation:org:{org}")),
        }
    }
    let sees = |m: Module| rightsdesk_domain::can(actor, Action::View, &Resource::Module(m)).is_allowed();
    if sees(Module::Monitoring) || sees(Module::Engagement) {
        terms.push("organisations:all".to_string());
    }
    if sees(Module::Engagement) {
        terms.push("engagement:all".to_string());
    }
    if rightsdesk_domain::can(actor, Action::View, &Resource::ReferenceData).is_allowed() {
        terms.push("reference:all".to_string());
    }
    terms.sort();
    terms.dedup();
    Viewer { terms }
}

pub use rightsdesk_search::sources::href_of;

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct SearchQuery {
    pub q: String,
    /// `newest`, or relevance when empty.
    pub sort: String,
    /// Results to skip (pages of 20).
    pub start: usize,
}

pub const PAGE: usize = 20;

pub fn order_of(sort: &str) -> rightsdesk_search::Order {
    if sort == "newest" {
        rightsdesk_search::Order::Newest
    } else {
        rightsdesk_search::Order::Relevance
    }
}

/// One filter field's values among the results, each with its count and a
/// link that narrows the search to it.
pub struct FacetBox {
    pub heading: String,
    /// (label, count, link)
    pub values: Vec<(String, String, String)>,
}

/// At most this many values a facet on the page.
const FACET_VALUES: usize = 8;

/// A facet value as people read it: province names, status and theme
/// labels; years and mechanism codes as they are.
fn facet_label(
    tr: &crate::i18n::Tr,
    field: &str,
    value: &str,
    provinces: &[rightsdesk_domain::reference::Province],
) -> String {
    match field {
        "province" => provinces
            .iter()
            .find(|p| p.code == value)
            .map(|p| tr.pick(&p.name_en, &p.name_km).to_string())
            .unwrap_or_else(|| value.to_string()),
        "status" => ["case-status-", "implementation-", "response-"]
            .iter()
            .map(|prefix| format!("{prefix}{}", value.replace('_', "-")))
            .find(|id| crate::i18n::catalog().has(rightsdesk_domain::Locale::En, id))
            .map(|id| tr.t(&id))
            .unwrap_or_else(|| value.to_string()),
        "theme" => tr.theme(value),
        "mechanism" => value.to_uppercase(),
        _ => value.to_string(),
    }
}

/// The query narrowed to `field:value` (quoted when it has spaces).
fn narrowed(query: &str, field: &str, value: &str, sort: &str) -> String {
    let value = if value.contains(' ') { format!("\"{value}\"") } else { value.to_string() };
    let q = SearchQuery { q: format!("{query} {field}:{value}"), sort: sort.to_string(), start: 0 };
    format!("/search?{}", serde_urlencoded::to_string(&q).unwrap_or_default())
}

pub struct HitRow {
    pub href: String,
    pub kind: String,
    pub title: String,
    /// Escaped text with `<b>` around matches, from the index.
    pub snippet: String,
}

#[derive(Template)]
#[template(path = "platform/search.html")]
struct SearchPage {
    l: Layout,
    q: String,
    total: Option<String>,
    hits: Vec<HitRow>,
    error: Option<String>,
    sort: String,
    /// (label with count, link that narrows to that kind)
    kinds: Vec<(String, String)>,
    facets: Vec<FacetBox>,
    next_href: Option<String>,
}

pub async fn search(ctx: Ctx, PageQuery(q): PageQuery<SearchQuery>) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::OwnAccount)?;
    let tr = &ctx.tr;
    let mut page = SearchPage {
        l: ctx.layout(tr.t("search-title")),
        q: q.q.clone(),
        total: None,
        hits: vec![],
        error: None,
        sort: q.sort.clone(),
        kinds: vec![],
        facets: vec![],
        next_href: None,
    };
    let query = q.q.trim();
    if query.is_empty() {
        return render(page);
    }
    if query.chars().count() > 500 {
        page.error = Some(tr.t("field-error-too-long"));
        return render(page);
    }
    let index = ctx.state.search.as_ref().ok_or(ErrorCode::Internal)?;
    let start = q.start.min(10_000);
    match index.search_page(query, &viewer_of(&ctx.actor), PAGE, start, order_of(&q.sort)) {
        Ok(r) => {
            page.total = Some(tr.tn("search-count", "count", r.total as i64));
            page.kinds = r
                .kinds
                .iter()
                .map(|(kind, n)| {
                    (
                        format!("{} {}", tr.t(&format!("search-kind-{kind}")), tr.num(*n as i64)),
                        narrowed(query, "type", kind, &q.sort),
                    )
                })
                .collect();
            let provinces = if r.facets.iter().any(|f| f.field == "province") {
                ctx.state.store.provinces().await?
            } else {
                vec![]
            };
            page.facets = r
                .facets
                .iter()
                .map(|f| FacetBox {
                    heading: tr.t(&format!("search-facet-{}", f.field)),
                    values: f
                        .values
                        .iter()
                        .take(FACET_VALUES)
                        .map(|(value, n)| {
                            (
                                facet_label(tr, &f.field, value, &provinces),
                                tr.num(*n as i64),
                                narrowed(query, &f.field, value, &q.sort),
                            )
                        })
                        .collect(),
                })
                .collect();
            if start + PAGE < r.total {
                let next = SearchQuery { q: q.q.clone(), sort: q.sort.clone(), start: start + PAGE };
                page.next_href = Some(format!("/search?{}", serde_urlencoded::to_string(&next).unwrap_or_default()));
            }
            page.hits = r
                .hits
                .into_iter()
                .map(|h| HitRow {
                    href: href_of(&h.key),
                    kind: tr.t(&format!("search-kind-{}", h.kind)),
                    title: h.title,
                    snippet: h.snippet,
                })
                .collect();
        }
        Err(rightsdesk_search::SearchError::Query(_)) => page.error = Some(tr.t("search-bad-query")),
        Err(e) => {
            tracing::error!(error = %e, "search failed");
            return Err(ErrorCode::Internal.into());
        }
    }
    render(page)
}

#[cfg(test)]
mod tests {
    use super::viewer_of;
    use rightsdesk_domain::{Actor, Principal, Role};

    fn actor(role: Role, organisation_id: Option<i64>) -> Actor {
        Actor::User(Principal {
            user_id: 7,
            role,
            office_id: 1,
            teams: vec![],
            organisation_id,
            second_factor_pending: false,
        })
    }

    #[test]
    fn each_role_searches_what_the_policy_lets_it_see() {
        let terms = |a: Actor| viewer_of(&a).terms;
        assert_eq!(
            terms(actor(Role::Officer, None)),
            [
                "engagement:all",
                "legislation:all",
                "mechanisms:all",
                "monitoring:all",
                "monitoring:user:7",
                "organisations:all",
                "protection:user:7",
                "reference:all"
            ]
        );
        assert!(terms(actor(Role::HeadOfOffice, None)).contains(&"monitoring:office:1".to_string()));
        assert!(terms(actor(Role::HeadOfOffice, None)).contains(&"protection:office:1".to_string()));
        assert!(!terms(actor(Role::LegalOfficer, None)).iter().any(|t| t.starts_with("protection:")));
        assert_eq!(terms(actor(Role::FocalPoint, Some(4))), ["legislation:org:4", "mechanisms:org:4", "reference:all"]);
        assert_eq!(terms(actor(Role::Analyst, None)), ["reference:all"]);
        assert!(terms(Actor::Anonymous).is_empty());
        let pending = Actor::User(Principal {
            user_id: 7,
            role: Role::Admin,
            office_id: 1,
            teams: vec![],
            organisation_id: None,
            second_factor_pending: true,
        });
        assert!(terms(pending).is_empty(), "before the second factor, nothing");
    }
}
