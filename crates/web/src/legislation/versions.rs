//! A version of a law: its articles with the comments on each, the form
//! that adds a comment, the officer's correction of the split, the file it
//! came in, and two versions compared article by article.

use super::law::{self as law_page, moved_label};
use super::service::{self, VersionUpload};
use crate::auth::Ctx;
use crate::error::{ErrorCode, PageError};
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::kit::{render, FormErrors, Layout};
use crate::{choice_label, choice_options};
use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_domain::legislation::*;
use rightsdesk_domain::{Action, Resource};
use rightsdesk_store::legislation::{Law, LawComment, VersionArticles};
use serde::Deserialize;

/// Reads the upload form (multipart): the token first, then the fields and
/// the file; a file over the limit is refused as the form's error.
pub async fn add(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let law = law_page::open_for_form(&ctx, id).await?;
    let upload = match crate::kit::read_import_upload(&ctx, multipart).await {
        Ok(u) => u,
        // Over the upload limit: the form says so, as for any other field.
        Err(PageError::Code(ErrorCode::PayloadTooLarge)) => {
            let errors = vec![service::file_over_limit(&ctx.state)];
            let forms = law_page::Forms { section: "version", ..Default::default() };
            return law_page::answer(&ctx, law, "versions", Err((forms, errors))).await;
        }
        Err(e) => return Err(e),
    };
    let field = |name: &str| upload.field(name).unwrap_or_default().to_string();
    let file_name = upload.file_name.clone().unwrap_or_default();
    let up = VersionUpload {
        fields: VersionFields { label: field("label"), dated: field("dated"), source: field("source") },
        file: upload.file.clone().filter(|f| !f.is_empty()).map(|f| (file_name, f)),
        pasted: field("pasted"),
    };
    law_page::add_version_form(&ctx, law, up).await
}

pub struct ArticleRow {
    pub number: String,
    pub heading: String,
    pub chapter: Option<String>,
    pub text: String,
    pub comments: Vec<CommentView>,
}

pub struct CommentView {
    pub id: i64,
    pub concern: String,
    pub standard: String,
    pub standards: String,
    pub recommendations: Vec<(i64, String)>,
    pub recommended_change: String,
    pub severity: String,
    pub severity_code: &'static str,
    pub status: String,
    pub response: String,
    pub response_on: String,
    pub response_text: String,
    pub moved: String,
    pub fields: CommentFields,
    pub answer: ResponseFields,
}

fn comment_view(ctx: &Ctx, c: &LawComment) -> CommentView {
    let tr = &ctx.tr;
    CommentView {
        id: c.id,
        concern: c.concern.clone(),
        standard: c.standard.clone(),
        standards: c
            .standard_articles
            .iter()
            .map(|a| {
                format!(
                    "{} art. {}{}",
                    a.instrument_code,
                    tr.num(a.number),
                    if a.caption.is_empty() { String::new() } else { format!(" ({})", a.caption) }
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        recommendations: c
            .recommendations
            .iter()
            .map(|r| (r.id, format!("{} {}", r.mechanism_code, r.symbol)))
            .collect(),
        recommended_change: c.recommended_change.clone(),
        severity: choice_label!(tr, c.severity),
        severity_code: c.severity.as_str(),
        status: choice_label!(tr, c.status),
        response: c.response.map(|r| choice_label!(tr, r)).unwrap_or_default(),
        response_on: tr.iso_date(&c.response_on),
        response_text: c.response_text.clone(),
        moved: moved_label(tr, c),
        fields: CommentFields {
            article_number: c.article_number.clone().unwrap_or_default(),
            concern: c.concern.clone(),
            standard: c.standard.clone(),
            standard_articles: c
                .standard_articles
                .iter()
                .map(|a| format!("{} {}", a.instrument_code, a.number))
                .collect::<Vec<_>>()
                .join(", "),
            recommendation_ids: c.recommendations.iter().map(|r| r.id.to_string()).collect::<Vec<_>>().join(", "),
            recommended_change: c.recommended_change.clone(),
            severity: c.severity.as_str().into(),
            status: c.status.as_str().into(),
        },
        answer: ResponseFields {
            response: c.response.map(|r| r.as_str().to_string()).unwrap_or_default(),
            response_on: c.response_on.clone().unwrap_or_default(),
            response_text: c.response_text.clone(),
        },
    }
}

/// A comment form that failed: which comment (0: a new one), what it held, the errors.
#[derive(Default)]
pub struct CommentForm {
    pub comment_id: i64,
    pub response: bool,
    pub fields: CommentFields,
    pub answer: ResponseFields,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "legislation/version.html")]
struct VersionPage {
    l: Layout,
    law: Law,
    law_title: String,
    v: VersionArticles,
    dated: String,
    article_count: String,
    format: String,
    preamble: String,
    general: Vec<CommentView>,
    articles: Vec<ArticleRow>,
    can_edit: bool,
    is_latest: bool,
    form: CommentForm,
    severities: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    responses: Vec<(String, String)>,
    today: String,
}

pub(super) async fn version_page(
    ctx: &Ctx,
    law: Law,
    version_id: i64,
    form: CommentForm,
) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    let v = service::open_version(ctx, &law, version_id).await?;
    let store = ctx.state.store.as_ref();
    let comments: Vec<LawComment> =
        service::visible_comments(ctx, law.id).await?.into_iter().filter(|c| c.version_id == version_id).collect();
    let versions = store.law_versions(law.id).await?;
    let is_latest = versions.last().map(|x| x.id) == Some(version_id);
    let general = comments.iter().filter(|c| c.article_number.is_none()).map(|c| comment_view(ctx, c)).collect();
    let articles = v
        .articles
        .iter()
        .map(|a| ArticleRow {
            number: a.number.clone(),
            heading: a.heading.clone(),
            chapter: a.chapter_heading.clone().map(|h| {
                let title = a.chapter_title.clone().unwrap_or_default();
                if title.is_empty() {
                    h
                } else {
                    format!("{h} {title}")
                }
            }),
            text: a.text.clone(),
            comments: comments
                .iter()
                .filter(|c| c.article_number.as_deref() == Some(a.number.as_str()))
                .map(|c| comment_view(ctx, c))
                .collect(),
        })
        .collect();
    let can_edit = ctx.allows(Action::Update, Resource::Law(service::law_ref(ctx, law.id).await?));
    render(VersionPage {
        l: ctx.layout(format!("{} — {}", v.version.label, super::title(tr, &law))),
        law_title: super::title(tr, &law),
        dated: tr.iso_date(&Some(v.version.dated.clone())),
        article_count: tr.num(v.articles.len() as i64),
        format: choice_label!(tr, v.version.format),
        preamble: v.version.preamble.clone(),
        general,
        articles,
        can_edit,
        is_latest,
        form,
        severities: choice_options!(tr, CommentSeverity),
        statuses: choice_options!(tr, CommentStatus),
        responses: choice_options!(tr, GovernmentResponse),
        today: crate::kit::today(),
        law,
        v,
    })
}

pub async fn view(ctx: Ctx, PagePath((id, version)): PagePath<(i64, i64)>) -> Result<Html<String>, PageError> {
    let law = service::open_law(&ctx, id, Action::View).await?;
    version_page(&ctx, law, version, CommentForm::default()).await
}

#[derive(Template)]
#[template(path = "legislation/text.html")]
struct TextPage {
    l: Layout,
    law: Law,
    v: VersionArticles,
    text: String,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TextFields {
    pub text: String,
}

async fn text_page(
    ctx: &Ctx,
    law: Law,
    v: VersionArticles,
    text: String,
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    render(TextPage { l: ctx.layout(ctx.tr.t("law-correct-split")), law, v, text, errors })
}

/// The version's whole text to correct: headings on their own lines are
/// what the split follows.
pub async fn text_form(ctx: Ctx, PagePath((id, version)): PagePath<(i64, i64)>) -> Result<Html<String>, PageError> {
    let law = law_page::open_for_form(&ctx, id).await?;
    let v = service::open_version(&ctx, &law, version).await?;
    let text = ctx.state.store.law_version_text(version).await?.unwrap_or_default();
    text_page(&ctx, law, v, text, FormErrors::default()).await
}

pub async fn correct(
    ctx: Ctx,
    PagePath((id, version)): PagePath<(i64, i64)>,
    PageForm(f): PageForm<TextFields>,
) -> Result<Response, PageError> {
    let law = law_page::open_for_form(&ctx, id).await?;
    match service::correct_text(&ctx, &law, version, &f.text).await? {
        Ok(()) => Ok(Redirect::to(&format!("/legislation/laws/{id}/versions/{version}")).into_response()),
        Err(errors) => {
            let v = service::open_version(&ctx, &law, version).await?;
            let errors = FormErrors::from_validation(&ctx.tr, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, text_page(&ctx, law, v, f.text, errors).await?).into_response())
        }
    }
}

/// The file a version came in, as an attachment (never shown inline).
pub async fn download(ctx: Ctx, PagePath((id, version)): PagePath<(i64, i64)>) -> Result<Response, PageError> {
    let law = service::open_law(&ctx, id, Action::View).await?;
    service::open_version(&ctx, &law, version).await?;
    let file = ctx.state.store.law_version_file(version).await?.ok_or(ErrorCode::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_DISPOSITION, crate::monitoring::service::download_disposition(&file.file_name)),
            (header::HeaderName::from_static("x-content-sha256"), file.sha256.clone()),
        ],
        file.content,
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// The older version's id.
    pub from: String,
    /// The newer version's id.
    pub to: String,
}

impl CompareQuery {
    pub fn ids(&self) -> Option<(i64, i64)> {
        Some((self.from.trim().parse().ok()?, self.to.trim().parse().ok()?))
    }
}

pub struct ChangeRow {
    pub kind: &'static str,
    pub label: String,
    pub old_number: String,
    pub new_number: String,
    pub similarity: String,
    pub words: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "legislation/compare.html")]
struct ComparePage {
    l: Layout,
    law: Law,
    from_label: String,
    to_label: String,
    counts: Vec<(String, String)>,
    rows: Vec<ChangeRow>,
    show_unchanged: bool,
    from_id: i64,
    to_id: i64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CompareParams {
    pub from: String,
    pub to: String,
    pub all: String,
}

pub async fn compare(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<CompareParams>,
) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    let law = service::open_law(&ctx, id, Action::View).await?;
    let ids = CompareQuery { from: q.from.clone(), to: q.to.clone() }.ids().ok_or(ErrorCode::BadRequest)?;
    let cmp = service::compare(&ctx, &law, ids.0, ids.1).await?;
    let kind_code = |k: ArticleChangeKind| match k {
        ArticleChangeKind::Unchanged => "unchanged",
        ArticleChangeKind::Changed => "changed",
        ArticleChangeKind::Renumbered => "renumbered",
        ArticleChangeKind::Added => "added",
        ArticleChangeKind::Removed => "removed",
    };
    let mut counts: Vec<(&'static str, i64)> =
        ["added", "removed", "renumbered", "changed", "unchanged"].iter().map(|k| (*k, 0)).collect();
    for ch in &cmp.changes {
        if let Some(c) = counts.iter_mut().find(|(k, _)| *k == kind_code(ch.kind)) {
            c.1 += 1;
        }
    }
    let show_unchanged = q.all == "1";
    let rows = cmp
        .changes
        .iter()
        .filter(|ch| show_unchanged || ch.kind != ArticleChangeKind::Unchanged)
        .map(|ch| ChangeRow {
            kind: kind_code(ch.kind),
            label: tr.t(&format!("article-change-{}", kind_code(ch.kind))),
            old_number: ch.old_number.clone().unwrap_or_default(),
            new_number: ch.new_number.clone().unwrap_or_default(),
            similarity: format!("{}%", tr.num(ch.similarity as i64)),
            words: ch
                .words
                .iter()
                .map(|w| {
                    let mark = match w.mark {
                        Mark::Same => "same",
                        Mark::Added => "added",
                        Mark::Removed => "removed",
                    };
                    (mark, w.text.clone())
                })
                .collect(),
        })
        .collect();
    render(ComparePage {
        l: ctx.layout(tr.t("law-compare-title")),
        from_label: format!("{} ({})", cmp.from.version.label, tr.iso_date(&Some(cmp.from.version.dated.clone()))),
        to_label: format!("{} ({})", cmp.to.version.label, tr.iso_date(&Some(cmp.to.version.dated.clone()))),
        counts: counts.into_iter().map(|(k, n)| (tr.t(&format!("article-change-{k}")), tr.num(n))).collect(),
        rows,
        show_unchanged,
        from_id: ids.0,
        to_id: ids.1,
        law,
    })
}

/// Where a search hit on a version's text leads: its page, for whoever may see the law.
pub async fn find_version(ctx: Ctx, PagePath(version): PagePath<i64>) -> Result<Response, PageError> {
    let v = ctx.state.store.law_version(version).await?.ok_or(ErrorCode::NotFound)?;
    let law = service::open_law(&ctx, v.version.law_id, Action::View).await?;
    Ok(Redirect::to(&format!("/legislation/laws/{}/versions/{version}", law.id)).into_response())
}
