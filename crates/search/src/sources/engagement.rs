//! Engagement: organisations of the directory by their names, acronym,
//! kind and province (everyone who works in monitoring or engagement), and
//! meetings by their subject, kind, topics and the organisations present.
//! A meeting's summary and its contacts are left out: the summary may hold
//! what a civil society contact said, and a contact's name is identifying.

use super::Source;
use crate::{Audience, SearchDocument};
use async_trait::async_trait;
use rightsdesk_store::{Store, StoreError};

pub struct Organisations;
pub struct Meetings;

#[async_trait]
impl Source for Organisations {
    fn kind(&self) -> &'static str {
        "organisation"
    }
    fn table(&self) -> Option<&'static str> {
        Some("organisations")
    }
    async fn document(&self, store: &dyn Store, id: &str) -> Result<Option<SearchDocument>, StoreError> {
        let Ok(id) = id.parse::<i64>() else { return Ok(None) };
        let Some(o) = store.stakeholder(id).await? else { return Ok(None) };
        let mut filters = vec![("kind", o.kind.as_str().to_string())];
        if let Some(p) = &o.province_code {
            filters.push(("province", p.clone()));
        }
        Ok(Some(SearchDocument {
            key: format!("organisation:{id}"),
            module: "engagement".into(),
            kind: "organisation".into(),
            title: o.name_en.clone(),
            body: [
                o.name_km.as_str(),
                o.acronym.as_str(),
                o.parent_en.as_deref().unwrap_or_default(),
                o.parent_km.as_deref().unwrap_or_default(),
                o.province_en.as_deref().unwrap_or_default(),
                o.province_km.as_deref().unwrap_or_default(),
            ]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n"),
            audience: Audience { terms: vec!["organisations:all".into()] },
            filters,
            date: o.updated_at,
        }))
    }
    fn href(&self, id: &str) -> String {
        format!("/engagement/organisations/{id}")
    }
}

#[async_trait]
impl Source for Meetings {
    fn kind(&self) -> &'static str {
        "meeting"
    }
    fn table(&self) -> Option<&'static str> {
        Some("meetings")
    }
    async fn document(&self, store: &dyn Store, id: &str) -> Result<Option<SearchDocument>, StoreError> {
        let Ok(id) = id.parse::<i64>() else { return Ok(None) };
        let Some(m) = store.meeting(id).await? else { return Ok(None) };
        let mut filters = vec![("kind", m.kind.as_str().to_string())];
        filters.extend(m.topics.iter().map(|t| ("theme", t.clone())));
        let organisations: Vec<String> =
            m.organisations.iter().flat_map(|o| [o.name_en.clone(), o.name_km.clone()]).collect();
        Ok(Some(SearchDocument {
            key: format!("meeting:{id}"),
            module: "engagement".into(),
            kind: "meeting".into(),
            title: m.title.clone(),
            body: format!("{}\n{}\n{}", m.place, m.topics.join(", "), organisations.join("\n")),
            audience: Audience { terms: vec!["engagement:all".into()] },
            filters,
            date: m.updated_at,
        }))
    }
    fn href(&self, id: &str) -> String {
        format!("/engagement/meetings/{id}")
    }
}
