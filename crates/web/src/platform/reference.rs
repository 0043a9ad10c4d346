//! Browse pages of the reference data: gazetteer, instruments and articles,
//! ratifications, SDG goals and targets.

use crate::auth::Ctx;
use crate::error::{ErrorCode, PageError};
use crate::extract::PagePath;
use crate::kit::{render, Layout};
use askama::Template;
use axum::response::Html;
use rightsdesk_domain::reference::RatificationStatus;
use rightsdesk_domain::{Action, Resource};
use rightsdesk_store::reference::HOME_STATE;

#[derive(Template)]
#[template(path = "platform/reference_index.html")]
struct IndexPage {
    l: Layout,
    gazetteer_line: String,
    instruments_line: String,
    sdg_line: String,
}

pub async fn index(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let c = ctx.state.store.reference_counts().await?;
    let tr = &ctx.tr;
    render(IndexPage {
        gazetteer_line: tr.digits(&tr.t1("ref-gazetteer-line", "communes", &tr.num(c.communes))),
        instruments_line: tr.digits(&tr.t1("ref-instruments-line", "articles", &tr.num(c.articles))),
        sdg_line: tr.digits(&tr.t1("ref-sdg-line", "targets", &tr.num(c.sdg_targets))),
        l: ctx.layout(tr.t("ref-title")),
    })
}

pub struct PlaceRow {
    pub code: String,
    pub name_en: String,
    pub name_km: String,
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "platform/reference_places.html")]
struct PlacesPage {
    l: Layout,
    crumbs: Vec<(String, String)>,
    places: Vec<PlaceRow>,
}

pub async fn provinces(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let places = ctx
        .state
        .store
        .provinces()
        .await?
        .into_iter()
        .map(|p| PlaceRow {
            href: Some(format!("/reference/provinces/{}", p.code)),
            code: p.code,
            name_en: p.name_en,
            name_km: p.name_km,
        })
        .collect();
    render(PlacesPage { l: ctx.layout(ctx.tr.t("ref-provinces")), crumbs: vec![], places })
}

fn valid_code(code: &str, len: usize) -> Result<(), PageError> {
    if code.len() == len && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ErrorCode::NotFound.into())
    }
}

pub async fn province(ctx: Ctx, PagePath(code): PagePath<String>) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    valid_code(&code, 2)?;
    let store = &ctx.state.store;
    let p = store.province(&code).await?.ok_or(ErrorCode::NotFound)?;
    let places = store
        .districts(&code)
        .await?
        .into_iter()
        .map(|d| PlaceRow {
            href: Some(format!("/reference/districts/{}", d.code)),
            code: d.code,
            name_en: d.name_en,
            name_km: d.name_km,
        })
        .collect();
    let title = ctx.tr.pick(&p.name_en, &p.name_km).to_string();
    render(PlacesPage {
        l: ctx.layout(title),
        crumbs: vec![("/reference/provinces".into(), ctx.tr.t("ref-provinces"))],
        places,
    })
}

pub async fn district(ctx: Ctx, PagePath(code): PagePath<String>) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    valid_code(&code, 4)?;
    let store = &ctx.state.store;
    let d = store.district(&code).await?.ok_or(ErrorCode::NotFound)?;
    let p = store.province(&d.province_code).await?.ok_or(ErrorCode::NotFound)?;
    let places = store
        .communes(&code)
        .await?
        .into_iter()
        .map(|c| PlaceRow { href: None, code: c.code, name_en: c.name_en, name_km: c.name_km })
        .collect();
    let tr = &ctx.tr;
    render(PlacesPage {
        l: ctx.layout(tr.pick(&d.name_en, &d.name_km).to_string()),
        crumbs: vec![
            ("/reference/provinces".into(), tr.t("ref-provinces")),
            (format!("/reference/provinces/{}", p.code), tr.pick(&p.name_en, &p.name_km).to_string()),
        ],
        places,
    })
}

pub struct InstrumentRow {
    pub code: String,
    pub title: String,
    pub articles: String,
}

#[derive(Template)]
#[template(path = "platform/reference_instruments.html")]
struct InstrumentsPage {
    l: Layout,
    instruments: Vec<InstrumentRow>,
}

pub async fn instruments(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let tr = &ctx.tr;
    let instruments = ctx
        .state
        .store
        .instruments()
        .await?
        .into_iter()
        .map(|i| InstrumentRow { code: i.code, title: i.title, articles: tr.num(i.article_count) })
        .collect();
    render(InstrumentsPage { l: ctx.layout(tr.t("ref-instruments")), instruments })
}

pub struct ArticleView {
    pub number: i64,
    pub heading: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "platform/reference_instrument.html")]
struct InstrumentPage {
    l: Layout,
    code: String,
    title: String,
    articles: Vec<ArticleView>,
}

pub async fn instrument(ctx: Ctx, PagePath(code): PagePath<String>) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    if code.len() > 20 {
        return Err(ErrorCode::NotFound.into());
    }
    let store = &ctx.state.store;
    let i = store.instrument(&code).await?.ok_or(ErrorCode::NotFound)?;
    let tr = &ctx.tr;
    let articles = store
        .articles(&code)
        .await?
        .into_iter()
        .map(|a| {
            let mut heading =
                if a.number == 0 { tr.t("ref-preamble") } else { tr.t1("ref-article", "number", &tr.num(a.number)) };
            if !a.caption.is_empty() && a.number != 0 {
                heading = format!("{heading}: {}", a.caption);
            }
            ArticleView { number: a.number, heading, text: a.text }
        })
        .collect();
    render(InstrumentPage { l: ctx.layout(i.code.clone()), code: i.code, title: i.title, articles })
}

pub struct RatificationRow {
    pub code: String,
    pub title: String,
    pub status: String,
    pub signature: String,
    pub consent: String,
    pub source: String,
    pub party: bool,
}

#[derive(Template)]
#[template(path = "platform/reference_ratifications.html")]
struct RatificationsPage {
    l: Layout,
    summary: String,
    rows: Vec<RatificationRow>,
}

pub fn status_label(tr: &crate::i18n::Tr, s: RatificationStatus) -> String {
    tr.t(&format!("ratification-{}", s.as_str().replace('_', "-")))
}

/// Cambodia's status for every core instrument; those not yet ratified first,
/// since promoting them is part of the office's work.
pub async fn ratifications(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let store = &ctx.state.store;
    let tr = &ctx.tr;
    let titles: std::collections::HashMap<String, String> =
        store.instruments().await?.into_iter().map(|i| (i.code, i.title)).collect();
    let mut rows: Vec<RatificationRow> = store
        .ratifications(HOME_STATE)
        .await?
        .into_iter()
        .map(|r| RatificationRow {
            title: titles.get(&r.instrument_code).cloned().unwrap_or_default(),
            code: r.instrument_code,
            status: status_label(tr, r.status),
            signature: tr.iso_date(&r.signature_date),
            consent: tr.iso_date(&r.consent_date),
            source: r.source,
            party: r.status.is_party(),
        })
        .collect();
    rows.sort_by_key(|r| r.party);
    let not_party = rows.iter().filter(|r| !r.party).count() as i64;
    let summary = tr.tn("ref-not-ratified-count", "count", not_party);
    render(RatificationsPage { l: ctx.layout(tr.t("ref-ratifications")), summary, rows })
}

pub struct SdgRow {
    pub code: String,
    pub title: String,
    pub other: String,
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "platform/reference_sdg.html")]
struct SdgPage {
    l: Layout,
    back: Option<String>,
    lead: Option<String>,
    rows: Vec<SdgRow>,
}

pub async fn sdg_goals(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let tr = &ctx.tr;
    let rows = ctx
        .state
        .store
        .sdg_goals()
        .await?
        .into_iter()
        .map(|g| SdgRow {
            code: tr.num(g.number),
            title: tr.pick(&g.short_en, &g.short_km).to_string(),
            other: tr.pick(&g.title_en, &g.title_km).to_string(),
            href: Some(format!("/reference/sdg/{}", g.number)),
        })
        .collect();
    render(SdgPage { l: ctx.layout(tr.t("ref-sdg")), back: None, lead: Some(tr.t("ref-sdg-translation-note")), rows })
}

pub async fn sdg_goal(ctx: Ctx, PagePath(goal): PagePath<i64>) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let store = &ctx.state.store;
    let tr = &ctx.tr;
    let g = store.sdg_goals().await?.into_iter().find(|g| g.number == goal).ok_or(ErrorCode::NotFound)?;
    let rows = store
        .sdg_targets(goal)
        .await?
        .into_iter()
        .map(|t| SdgRow {
            code: tr.digits(&t.code),
            title: tr.pick(&t.title_en, &t.title_km).to_string(),
            other: String::new(),
            href: None,
        })
        .collect();
    let title = format!("{} {}: {}", tr.t("ref-sdg-goal"), tr.num(g.number), tr.pick(&g.short_en, &g.short_km));
    render(SdgPage {
        l: ctx.layout(title),
        back: Some(tr.t("ref-sdg")),
        lead: Some(tr.pick(&g.title_en, &g.title_km).to_string()),
        rows,
    })
}

#[derive(Template)]
#[template(path = "platform/reference_vocabularies.html")]
struct VocabulariesPage {
    l: Layout,
    /// code, name, source, term count, imported on
    rows: Vec<(String, String, String, String, String)>,
}

/// Vocabularies the office imported (HURIDOCS micro-thesauri); none are
/// shipped with rightsdesk.
pub async fn vocabularies(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let tr = &ctx.tr;
    let rows = ctx
        .state
        .store
        .vocabularies()
        .await?
        .into_iter()
        .map(|v| (v.code, v.name, v.source, tr.num(v.terms), tr.date(v.imported_at)))
        .collect();
    render(VocabulariesPage { l: ctx.layout(tr.t("ref-vocabularies")), rows })
}

#[derive(Template)]
#[template(path = "platform/reference_vocabulary.html")]
struct VocabularyPage {
    l: Layout,
    /// indent level, code, label in the interface language, other labels
    terms: Vec<(i64, String, String, String)>,
}

pub async fn vocabulary(ctx: Ctx, PagePath(code): PagePath<String>) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let tr = &ctx.tr;
    let store = &ctx.state.store;
    let v = store.vocabularies().await?.into_iter().find(|v| v.code == code).ok_or(ErrorCode::NotFound)?;
    let terms = store
        .vocabulary_terms(&code)
        .await?
        .into_iter()
        .filter(|t| t.visible)
        .map(|t| {
            let other = [t.label_fr.as_str(), t.label_es.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · ");
            (t.level.clamp(0, 8), t.code, tr.pick(&t.label_en, &t.label_km).to_string(), other)
        })
        .collect();
    render(VocabularyPage { l: ctx.layout(v.name), terms })
}
