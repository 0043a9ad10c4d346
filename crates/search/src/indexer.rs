//! Feeds the index from the database's change log: each write of a case or
//! a recommendation is a row there (in commit order); the indexer turns the
//! rows after the index's last sequence into documents, and records the new
//! sequence in the same index commit, so that after a crash or restart it
//! resumes where the index stands. Deleting the index directory loses
//! nothing: `rebuild` replays the whole log and adds the treaty articles.

use crate::{Audience, SearchDocument, SearchError, SearchIndex};
use rightsdesk_domain::monitoring::Sensitivity;
use rightsdesk_store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum IndexerError {
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The document for a record, or `None` if it is gone. Only non-identifying
/// text: case titles and narratives (people appear in them as codes V1, W1),
/// places, themes; recommendation texts.
pub async fn document_for(store: &dyn Store, table: &str, id: &str) -> Result<Option<SearchDocument>, StoreError> {
    let Ok(id) = id.parse::<i64>() else { return Ok(None) };
    match table {
        "cases" => {
            let Some(c) = store.case(id).await? else { return Ok(None) };
            let audience = match c.sensitivity {
                Sensitivity::Normal => vec!["monitoring:all".to_string()],
                Sensitivity::Restricted => c
                    .assigned
                    .iter()
                    .map(|u| format!("monitoring:user:{u}"))
                    .chain([format!("monitoring:office:{}", c.office_id)])
                    .collect(),
            };
            Ok(Some(SearchDocument {
                key: format!("case:{id}"),
                module: "monitoring".into(),
                kind: "case".into(),
                title: format!("{} {}", c.reference, c.title),
                body: format!("{}\n{}\n{}", c.summary, c.location_text, c.themes.join(", ")),
                audience: Audience { terms: audience },
                filters: {
                    let mut f = vec![("status", c.status.as_str().to_string())];
                    f.extend(c.province_code.clone().map(|p| ("province", p)));
                    f.extend(c.start.as_ref().map(|d| ("year", d.value.chars().take(4).collect::<String>())));
                    f.extend(c.themes.iter().map(|t| ("theme", t.clone())));
                    f
                },
                date: c.updated_at,
            }))
        }
        "recommendations" => {
            let Some(r) = store.recommendation(id).await? else { return Ok(None) };
            let institutions = store.institutions(id).await?;
            let mut audience = vec!["mechanisms:all".to_string()];
            audience.extend(institutions.iter().map(|o| format!("mechanisms:org:{}", o.id)));
            Ok(Some(SearchDocument {
                key: format!("recommendation:{id}"),
                module: "mechanisms".into(),
                kind: "recommendation".into(),
                title: format!("{} {} {}", r.mechanism_code, r.session, r.recommending_state).trim().to_string(),
                body: format!("{}\n{}", r.text, r.themes.join(", ")),
                audience: Audience { terms: audience },
                filters: {
                    let mut f =
                        vec![("mechanism", r.mechanism_code.clone()), ("status", r.status.as_str().to_string())];
                    f.extend(r.issued_on.as_ref().map(|d| ("year", d.chars().take(4).collect::<String>())));
                    f.extend(r.themes.iter().map(|t| ("theme", t.clone())));
                    f
                },
                date: r.updated_at,
            }))
        }
        _ => Ok(None),
    }
}

fn key_of(table: &str, id: &str) -> Option<String> {
    match table {
        "cases" => Some(format!("case:{id}")),
        "recommendations" => Some(format!("recommendation:{id}")),
        _ => None,
    }
}

/// Indexes the change-log rows after the index's sequence; the number of
/// rows read.
pub async fn catch_up(store: &dyn Store, index: &SearchIndex) -> Result<usize, IndexerError> {
    let mut seq = index.indexed_seq()?;
    let mut total = 0;
    loop {
        let changes = store.changes_since(seq, 1000).await?;
        if changes.is_empty() {
            return Ok(total);
        }
        for c in &changes {
            let Some(key) = key_of(&c.table_name, &c.record_id) else { continue };
            match document_for(store, &c.table_name, &c.record_id).await? {
                Some(d) if c.op != "delete" => index.upsert(&d)?,
                _ => index.delete(&key)?,
            }
        }
        total += changes.len();
        seq = changes.last().map(|c| c.seq).unwrap_or(seq);
        index.commit_at(Some(seq))?;
    }
}

/// Empties the index and builds it again: the treaty articles, then the
/// whole change log.
pub async fn rebuild(store: &dyn Store, index: &SearchIndex) -> Result<usize, IndexerError> {
    index.clear()?;
    for i in store.instruments().await? {
        for a in store.articles(&i.code).await? {
            index.upsert(&SearchDocument {
                key: format!("article:{}:{}", i.code, a.number),
                module: "reference".into(),
                kind: "article".into(),
                title: format!("{} {}", i.code, a.number),
                body: format!("{}\n{}", a.caption, a.text),
                audience: Audience { terms: vec!["reference:all".into()] },
                filters: vec![("mechanism", i.code.clone())],
                date: 0,
            })?;
        }
    }
    index.commit_at(Some(0))?;
    catch_up(store, index).await
}
