//! Legislation: draft laws by their titles, short name, ministry and
//! themes (the office, and the focal points of institutions with a linked
//! recommendation); the text of every version and the office's comments
//! (the office only: focal points search laws by title).

use super::Source;
use crate::{Audience, SearchDocument};
use async_trait::async_trait;
use rightsdesk_store::{Store, StoreError};

pub struct Laws;
pub struct LawVersions;
pub struct LawComments;

/// The institutions with a recommendation linked to the law.
async fn law_audience(store: &dyn Store, law_id: i64) -> Result<Vec<String>, StoreError> {
    let links = store.law_links(law_id).await?;
    let mut terms = vec!["legislation:all".to_string()];
    for r in &links.recommendations {
        terms.extend(r.institutions.iter().map(|o| format!("legislation:org:{o}")));
    }
    terms.sort();
    terms.dedup();
    Ok(terms)
}

#[async_trait]
impl Source for Laws {
    fn kind(&self) -> &'static str {
        "law"
    }
    fn table(&self) -> Option<&'static str> {
        Some("laws")
    }
    async fn document(&self, store: &dyn Store, id: &str) -> Result<Option<SearchDocument>, StoreError> {
        let Ok(id) = id.parse::<i64>() else { return Ok(None) };
        let Some(law) = store.law(id).await? else { return Ok(None) };
        let mut filters =
            vec![("stage", law.stage.as_str().to_string()), ("priority", law.priority.as_str().to_string())];
        filters.extend(law.themes.iter().map(|t| ("theme", t.clone())));
        Ok(Some(SearchDocument {
            key: format!("law:{id}"),
            module: "legislation".into(),
            kind: "law".into(),
            title: [law.short_name.as_str(), law.title_km.as_str(), law.title_en.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" — "),
            body: format!(
                "{}\n{}\n{}",
                law.ministry_en.unwrap_or_default(),
                law.ministry_km.unwrap_or_default(),
                law.themes.join(", ")
            ),
            audience: Audience { terms: law_audience(store, id).await? },
            filters,
            date: law.updated_at,
        }))
    }
    fn href(&self, id: &str) -> String {
        format!("/legislation/laws/{id}")
    }
}

#[async_trait]
impl Source for LawVersions {
    fn kind(&self) -> &'static str {
        "law_version"
    }
    fn table(&self) -> Option<&'static str> {
        Some("law_versions")
    }
    async fn document(&self, store: &dyn Store, id: &str) -> Result<Option<SearchDocument>, StoreError> {
        let Ok(id) = id.parse::<i64>() else { return Ok(None) };
        let Some(v) = store.law_version(id).await? else { return Ok(None) };
        let Some(law) = store.law(v.version.law_id).await? else { return Ok(None) };
        let mut body = v.version.preamble.clone();
        for a in &v.articles {
            body.push('\n');
            body.push_str(&a.heading);
            body.push('\n');
            body.push_str(&a.text);
        }
        Ok(Some(SearchDocument {
            key: format!("law_version:{id}"),
            module: "legislation".into(),
            kind: "law_version".into(),
            title: format!("{} — {} ({})", law.short_name, v.version.label, v.version.dated),
            body,
            audience: Audience { terms: vec!["legislation:all".into()] },
            filters: vec![("stage", law.stage.as_str().to_string())],
            date: v.version.created_at,
        }))
    }
    fn href(&self, id: &str) -> String {
        format!("/legislation/versions/{id}")
    }
}

#[async_trait]
impl Source for LawComments {
    fn kind(&self) -> &'static str {
        "law_comment"
    }
    fn table(&self) -> Option<&'static str> {
        Some("law_comments")
    }
    async fn document(&self, store: &dyn Store, id: &str) -> Result<Option<SearchDocument>, StoreError> {
        let Ok(id) = id.parse::<i64>() else { return Ok(None) };
        let Some(c) = store.law_comment(id).await? else { return Ok(None) };
        let Some(law) = store.law(c.law_id).await? else { return Ok(None) };
        let article = c.article_number.clone().map(|n| format!(" art. {n}")).unwrap_or_default();
        let standards: Vec<String> =
            c.standard_articles.iter().map(|a| format!("{} {}", a.instrument_code, a.number)).collect();
        Ok(Some(SearchDocument {
            key: format!("law_comment:{id}"),
            module: "legislation".into(),
            kind: "law_comment".into(),
            title: format!("{}{article}", law.short_name),
            body: format!("{}\n{}\n{}\n{}", c.concern, c.standard, standards.join(", "), c.recommended_change),
            audience: Audience { terms: vec!["legislation:all".into()] },
            filters: vec![("severity", c.severity.as_str().to_string()), ("status", c.status.as_str().to_string())],
            date: c.updated_at,
        }))
    }
    fn href(&self, id: &str) -> String {
        format!("/legislation/comments/{id}")
    }
}
