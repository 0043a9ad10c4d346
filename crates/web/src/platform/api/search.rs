//! `/api/v1/search`: the search page's answers as JSON, under the same policy.

use super::ApiResult;
use crate::auth::ApiCtx;
use crate::error::{ApiError, ErrorCode};
use crate::extract::ApiQuery;
use crate::platform::search::{href_of, viewer_of};
use axum::Json;
use rightsdesk_domain::{Action, Resource, ValidationError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words (Khmer or English), "phrases", AND/OR/NOT, prefix*.
    pub q: String,
    /// 1 to 100, default 20.
    pub limit: Option<usize>,
    /// Results to skip.
    pub offset: Option<usize>,
    /// `newest`, or relevance when absent.
    pub sort: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchHit {
    /// `case:12`, `recommendation:7`, `article:ICCPR:9`.
    pub key: String,
    pub kind: String,
    pub title: String,
    /// Escaped text with `<b>` around the matches.
    pub snippet: String,
    /// The page of the record.
    pub href: String,
}

#[derive(Serialize, ToSchema)]
pub struct SearchResults {
    /// How many documents the caller may see match.
    pub total: usize,
    /// How many of them are of each kind: `[["case", 3], ...]`.
    pub kinds: Vec<(String, usize)>,
    /// For status, province, theme, year and mechanism: the values among
    /// the matches with their counts, the most frequent first
    /// (`{"province": [["02", 40], ...]}`); fields without values are left out.
    pub facets: std::collections::BTreeMap<String, Vec<(String, usize)>>,
    pub hits: Vec<SearchHit>,
}

#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchResults), (status = 422, body = crate::error::ApiErrorBody)), security(("bearer" = [])))]
pub async fn search(ctx: ApiCtx, ApiQuery(p): ApiQuery<SearchParams>) -> ApiResult<SearchResults> {
    ctx.require(Action::View, Resource::OwnAccount)?;
    let q = p.q.trim();
    if q.is_empty() || q.chars().count() > 500 {
        let code = if q.is_empty() { "required" } else { "too-long" };
        return Err(ApiError::validation(&[ValidationError::new("q", code)]));
    }
    let index = ctx.state.search.as_ref().ok_or(ErrorCode::Internal)?;
    let order = crate::platform::search::order_of(p.sort.as_deref().unwrap_or(""));
    let offset = p.offset.unwrap_or(0).min(10_000);
    let r = index.search_page(q, &viewer_of(&ctx.actor), p.limit.unwrap_or(20).clamp(1, 100), offset, order).map_err(
        |e| match e {
            rightsdesk_search::SearchError::Query(_) => {
                ApiError::validation(&[ValidationError::new("q", "invalid-query")])
            }
            e => {
                tracing::error!(error = %e, "search failed");
                ApiError::new(ErrorCode::Internal)
            }
        },
    )?;
    Ok(Json(SearchResults {
        total: r.total,
        kinds: r.kinds,
        facets: r.facets.into_iter().map(|f| (f.field, f.values)).collect(),
        hits: r
            .hits
            .into_iter()
            .map(|h| SearchHit { href: href_of(&h.key), key: h.key, kind: h.kind, title: h.title, snippet: h.snippet })
            .collect(),
    }))
}
