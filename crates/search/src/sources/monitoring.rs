//! Monitoring: cases (titles, narratives, places and themes; people appear
//! in them only as codes V1, W1). The organisations interventions go to
//! are engagement's (`engagement.rs`).

use super::Source;
use crate::{Audience, SearchDocument};
use async_trait::async_trait;
use rightsdesk_domain::monitoring::Sensitivity;
use rightsdesk_store::{Store, StoreError};

pub struct Cases;

#[async_trait]
impl Source for Cases {
    fn kind(&self) -> &'static str {
        "case"
    }
    fn table(&self) -> Option<&'static str> {
        Some("cases")
    }
    async fn document(&self, store: &dyn Store, id: &str) -> Result<Option<SearchDocument>, StoreError> {
        let Ok(id) = id.parse::<i64>() else { return Ok(None) };
        let Some(c) = store.case(id).await? else { return Ok(None) };
        // A restricted case: its team and the head of its office only.
        let audience = match c.sensitivity {
            Sensitivity::Normal => vec!["monitoring:all".to_string()],
            Sensitivity::Restricted => c
                .assigned
                .iter()
                .map(|u| format!("monitoring:user:{u}"))
                .chain([format!("monitoring:office:{}", c.office_id)])
                .collect(),
        };
        let mut filters = vec![("status", c.status.as_str().to_string())];
        filters.extend(c.province_code.clone().map(|p| ("province", p)));
        filters.extend(c.start.as_ref().map(|d| ("year", d.value.chars().take(4).collect::<String>())));
        filters.extend(c.themes.iter().map(|t| ("theme", t.clone())));
        Ok(Some(SearchDocument {
            key: format!("case:{id}"),
            module: "monitoring".into(),
            kind: "case".into(),
            title: format!("{} {}", c.reference, c.title),
            body: format!("{}\n{}\n{}", c.summary, c.location_text, c.themes.join(", ")),
            audience: Audience { terms: audience },
            filters,
            date: c.updated_at,
        }))
    }
    fn href(&self, id: &str) -> String {
        format!("/monitoring/cases/{id}")
    }
}
