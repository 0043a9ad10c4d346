//! UN mechanisms: recommendations, seen by the office and by the focal
//! points of the institutions they are assigned to.

use super::Source;
use crate::{Audience, SearchDocument};
use async_trait::async_trait;
use rightsdesk_store::{Store, StoreError};

pub struct Recommendations;

#[async_trait]
impl Source for Recommendations {
    fn kind(&self) -> &'static str {
        "recommendation"
    }
    fn table(&self) -> Option<&'static str> {
        Some("recommendations")
    }
    async fn document(&self, store: &dyn Store, id: &str) -> Result<Option<SearchDocument>, StoreError> {
        let Ok(id) = id.parse::<i64>() else { return Ok(None) };
        let Some(r) = store.recommendation(id).await? else { return Ok(None) };
        let institutions = store.institutions(id).await?;
        let mut audience = vec!["mechanisms:all".to_string()];
        audience.extend(institutions.iter().map(|o| format!("mechanisms:org:{}", o.id)));
        let mut filters = vec![("mechanism", r.mechanism_code.clone()), ("status", r.status.as_str().to_string())];
        filters.extend(r.issued_on.as_ref().map(|d| ("year", d.chars().take(4).collect::<String>())));
        filters.extend(r.themes.iter().map(|t| ("theme", t.clone())));
        Ok(Some(SearchDocument {
            key: format!("recommendation:{id}"),
            module: "mechanisms".into(),
            kind: "recommendation".into(),
            title: format!("{} {} {}", r.mechanism_code, r.session, r.recommending_state).trim().to_string(),
            body: format!("{}\n{}", r.text, r.themes.join(", ")),
            audience: Audience { terms: audience },
            filters,
            date: r.updated_at,
        }))
    }
    fn href(&self, id: &str) -> String {
        format!("/mechanisms/recommendations/{id}")
    }
}
