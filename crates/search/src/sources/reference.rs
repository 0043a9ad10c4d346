//! Reference texts shipped with the product: the articles of the core
//! human rights treaties, in English and Khmer where we have them.

use super::Source;
use crate::{Audience, SearchDocument};
use async_trait::async_trait;
use rightsdesk_domain::reference::Article;
use rightsdesk_store::{Store, StoreError};

pub struct Articles;

#[async_trait]
impl Source for Articles {
    fn kind(&self) -> &'static str {
        "article"
    }
    /// Articles change when the office loads a translation (`CODE:NUMBER`).
    fn table(&self) -> Option<&'static str> {
        Some("articles")
    }
    async fn document(&self, store: &dyn Store, id: &str) -> Result<Option<SearchDocument>, StoreError> {
        let Some((code, number)) = id.split_once(':') else { return Ok(None) };
        Ok(store.articles(code).await?.into_iter().find(|a| a.number.to_string() == number).map(|a| article(code, &a)))
    }
    async fn fixed_documents(&self, store: &dyn Store) -> Result<Vec<SearchDocument>, StoreError> {
        let mut documents = vec![];
        for i in store.instruments().await? {
            documents.extend(store.articles(&i.code).await?.iter().map(|a| article(&i.code, a)));
        }
        Ok(documents)
    }
    fn href(&self, id: &str) -> String {
        let (code, number) = id.split_once(':').unwrap_or((id, ""));
        format!("/reference/instruments/{code}#a{number}")
    }
}

fn article(code: &str, a: &Article) -> SearchDocument {
    SearchDocument {
        key: format!("article:{code}:{}", a.number),
        module: "reference".into(),
        kind: "article".into(),
        title: format!("{code} {}", a.number),
        body: format!("{}\n{}", a.caption, a.text),
        audience: Audience { terms: vec!["reference:all".into()] },
        filters: vec![("mechanism", code.to_string())],
        date: 0,
    }
}
