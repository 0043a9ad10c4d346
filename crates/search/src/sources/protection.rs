//! Protection: files by their reference, label (codes, no names), profile,
//! place and level; seen only by the file's team and the head of its
//! office. Threats, notes and people are not indexed at all.

use super::Source;
use crate::{Audience, SearchDocument};
use async_trait::async_trait;
use rightsdesk_store::{Store, StoreError};

pub struct ProtectionFiles;

#[async_trait]
impl Source for ProtectionFiles {
    fn kind(&self) -> &'static str {
        "protection_file"
    }
    fn table(&self) -> Option<&'static str> {
        Some("protection_files")
    }
    async fn document(&self, store: &dyn Store, id: &str) -> Result<Option<SearchDocument>, StoreError> {
        let Ok(id) = id.parse::<i64>() else { return Ok(None) };
        let Some(f) = store.protection_file(id).await? else { return Ok(None) };
        let audience = f
            .team
            .iter()
            .map(|u| format!("protection:user:{u}"))
            .chain([format!("protection:office:{}", f.office_id)])
            .collect();
        let mut filters = vec![("status", f.status.as_str().to_string())];
        filters.extend(f.province_code.clone().map(|p| ("province", p)));
        let level = f.level.map(|l| l.as_str()).unwrap_or("");
        Ok(Some(SearchDocument {
            key: format!("protection_file:{id}"),
            module: "protection".into(),
            kind: "protection_file".into(),
            title: format!("{} {}", f.reference, f.label),
            body: format!("{}\n{}\n{level}", f.profile.as_str().replace('_', " "), f.subject.as_str()),
            audience: Audience { terms: audience },
            filters,
            date: f.updated_at,
        }))
    }
    fn href(&self, id: &str) -> String {
        format!("/protection/files/{id}")
    }
}
