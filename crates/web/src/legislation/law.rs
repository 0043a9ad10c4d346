//! One draft law: where it stands, its stages, versions, the comments and
//! the Government's responses, what it is linked to, and the forms that
//! change it. Each form re-renders the page with its field errors and
//! nothing written.

use super::service::{self, LinkFields, VersionUpload};
use crate::auth::Ctx;
use crate::error::PageError;
use crate::extract::{PageForm, PagePath};
use crate::i18n::Tr;
use crate::kit::{render, FormErrors, Layout};
use crate::{choice_label, choice_options};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_domain::legislation::*;
use rightsdesk_domain::{Action, Resource, ValidationError};
use rightsdesk_store::legislation::{Law, LawComment};

/// Which form was sent, what it held and what was wrong with it.
#[derive(Default)]
pub struct Forms {
    pub section: &'static str,
    pub errors: FormErrors,
    pub details: Option<LawFields>,
    pub stage: StageFields,
    pub version: VersionFields,
    pub pasted: String,
    pub link: LinkFields,
}

pub struct VersionRow {
    pub id: i64,
    pub label: String,
    pub dated: String,
    pub source: String,
    pub format: String,
    pub articles: String,
    pub has_text: bool,
    pub file_name: Option<String>,
    /// Chosen first in the comparison form's "from" and "to".
    pub is_previous: bool,
    pub is_latest: bool,
}

pub struct CommentRow {
    pub id: i64,
    pub version_id: i64,
    pub article: String,
    pub concern: String,
    pub severity: String,
    pub severity_code: &'static str,
    pub status: String,
    pub response: String,
    pub moved: String,
}

#[derive(Template)]
#[template(path = "legislation/law.html")]
struct LawPage {
    l: Layout,
    law: Law,
    title: String,
    other_title: String,
    stage: String,
    stage_on: String,
    priority: String,
    ministry: String,
    themes: String,
    consultation: String,
    stages: Vec<(String, String, String)>,
    versions: Vec<VersionRow>,
    comments: Vec<CommentRow>,
    summary_line: String,
    recommendations: Vec<(i64, String, String)>,
    cases: Vec<(i64, String)>,
    interventions: Vec<(i64, i64, String)>,
    can_edit: bool,
    can_export: bool,
    sees_mechanisms: bool,
    forms: Forms,
    stage_choices: Vec<(String, String)>,
    priorities: Vec<(String, String)>,
    ministries: Vec<(String, String)>,
    leads: Vec<(String, String)>,
    form: LawFields,
    errors: FormErrors,
    new: bool,
    link_kinds: Vec<(String, String)>,
    today: String,
}

pub(super) fn article_label(tr: &Tr, number: &Option<String>) -> String {
    match number {
        Some(n) => tr.t1("law-article-n", "number", &tr.digits(n)),
        None => tr.t("law-article-general"),
    }
}

/// The article a comment is on; one whose article was removed names the article it was on.
pub(super) fn comment_article(tr: &Tr, c: &LawComment) -> String {
    match (&c.article_number, c.article_change, &c.previous_number) {
        (None, Some(ArticleChangeKind::Removed), Some(previous)) => article_label(tr, &Some(previous.clone())),
        (number, _, _) => article_label(tr, number),
    }
}

/// What happened to a comment's article when it last moved to a new version.
pub(super) fn moved_label(tr: &Tr, c: &LawComment) -> String {
    let previous = tr.digits(c.previous_number.as_deref().unwrap_or_default());
    match c.article_change {
        None | Some(ArticleChangeKind::Unchanged) => String::new(),
        Some(ArticleChangeKind::Changed) => tr.t("comment-article-changed"),
        Some(ArticleChangeKind::Renumbered) => tr.t1("comment-article-renumbered", "number", &previous),
        Some(ArticleChangeKind::Removed) | Some(ArticleChangeKind::Added) => {
            tr.t1("comment-article-removed", "number", &previous)
        }
    }
}

fn fields_of(law: &Law) -> LawFields {
    LawFields {
        title_en: law.title_en.clone(),
        title_km: law.title_km.clone(),
        short_name: law.short_name.clone(),
        ministry_id: law.ministry_id.map(|i| i.to_string()).unwrap_or_default(),
        lead_user_id: law.lead_user_id.map(|i| i.to_string()).unwrap_or_default(),
        priority: law.priority.as_str().into(),
        themes: law.themes.join(", "),
        consultation_opens: law.consultation_opens.clone().unwrap_or_default(),
        consultation_closes: law.consultation_closes.clone().unwrap_or_default(),
        ..Default::default()
    }
}

pub(super) fn summary_line(tr: &Tr, s: &service::ResponseSummary) -> String {
    tr.tn("law-summary-comments", "count", s.comments)
        + "; "
        + &tr.tn("law-summary-taken-up", "count", s.taken_up)
        + " ("
        + &[
            (s.accepted, "government-response-accepted"),
            (s.partly_accepted, "government-response-partly-accepted"),
            (s.rejected, "government-response-rejected"),
            (s.no_response, "government-response-no-response"),
        ]
        .iter()
        .map(|(n, key)| format!("{}: {}", tr.t(key), tr.num(*n)))
        .collect::<Vec<_>>()
        .join(", ")
        + ")"
}

async fn law_page(ctx: &Ctx, law: Law, mut forms: Forms) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    let store = ctx.state.store.as_ref();
    let law_ref = service::law_ref(ctx, law.id).await?;
    let can_edit = ctx.allows(Action::Update, Resource::Law(law_ref));
    let stages = store
        .law_stages(law.id)
        .await?
        .into_iter()
        .rev()
        .map(|s| (choice_label!(tr, s.stage), tr.iso_date(&Some(s.stage_on)), s.note))
        .collect();
    let versions = store.law_versions(law.id).await?;
    let comments = store.law_comments(law.id).await?;
    let summary = service::response_summary(&comments);
    let links = service::visible_links(ctx, &law).await?;
    let latest_version = versions.last().map(|v| v.id);
    let previous_version = versions.len().checked_sub(2).map(|i| versions[i].id);
    let version_rows = versions
        .iter()
        .rev()
        .map(|v| VersionRow {
            is_previous: Some(v.id) == previous_version,
            is_latest: Some(v.id) == latest_version,
            id: v.id,
            label: v.label.clone(),
            dated: tr.iso_date(&Some(v.dated.clone())),
            source: v.source.clone(),
            format: choice_label!(tr, v.format),
            articles: tr.num(v.articles),
            has_text: v.has_text,
            file_name: v.file_name.clone(),
        })
        .collect();
    let comment_rows = comments
        .iter()
        .map(|c| CommentRow {
            id: c.id,
            version_id: c.version_id,
            article: comment_article(tr, c),
            concern: c.concern.clone(),
            severity: choice_label!(tr, c.severity),
            severity_code: c.severity.as_str(),
            status: choice_label!(tr, c.status),
            response: c.response.map(|r| choice_label!(tr, r)).unwrap_or_else(|| "—".into()),
            moved: moved_label(tr, c),
        })
        .collect();
    let (title, other_title) = {
        let t = super::title(tr, &law);
        let other = if t == law.title_km { law.title_en.clone() } else { law.title_km.clone() };
        (t, other)
    };
    let errors = if forms.section == "details" { std::mem::take(&mut forms.errors) } else { FormErrors::default() };
    let form = forms.details.take().unwrap_or_else(|| fields_of(&law));
    let page = LawPage {
        l: ctx.layout(title.clone()),
        title,
        other_title,
        stage: choice_label!(tr, law.stage),
        stage_on: tr.iso_date(&Some(law.stage_on.clone())),
        priority: choice_label!(tr, law.priority),
        ministry: super::ministry(tr, &law),
        themes: tr.themes(&law.themes),
        consultation: match (&law.consultation_opens, &law.consultation_closes) {
            (Some(o), Some(c)) => format!("{} – {}", tr.iso_date(&Some(o.clone())), tr.iso_date(&Some(c.clone()))),
            _ => "—".into(),
        },
        stages,
        versions: version_rows,
        comments: comment_rows,
        summary_line: summary_line(tr, &summary),
        recommendations: links
            .recommendations
            .iter()
            .map(|r| (r.id, format!("{} {}", r.mechanism_code, r.symbol), r.text.clone()))
            .collect(),
        cases: links.cases.iter().map(|k| (k.id, k.reference.clone())).collect(),
        interventions: links
            .interventions
            .iter()
            .map(|i| {
                let kind = tr.t(&format!("intervention-kind-{}", i.kind.replace('_', "-")));
                (i.id, i.case_id, format!("{} {kind} {}", i.case_reference, tr.iso_date(&i.date)))
            })
            .collect(),
        can_edit,
        can_export: ctx.allows(Action::Export, Resource::Law(law_ref)),
        sees_mechanisms: ctx.allows(Action::View, Resource::Module(rightsdesk_domain::Module::Mechanisms)),
        stage_choices: LawStage::ALL
            .iter()
            .filter(|s| law.stage.can_become(**s))
            .map(|s| (s.as_str().to_string(), choice_label!(tr, *s)))
            .collect(),
        priorities: choice_options!(tr, LawPriority),
        ministries: super::laws::ministries(ctx).await?,
        leads: super::laws::leads(ctx).await?,
        form,
        errors,
        new: false,
        link_kinds: ["recommendation", "case", "intervention"]
            .iter()
            .map(|k| (k.to_string(), tr.t(&format!("law-link-{k}"))))
            .collect(),
        today: crate::kit::today(),
        law,
        forms,
    };
    render(page)
}

pub async fn view(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let law = service::open_law(&ctx, id, Action::View).await?;
    law_page(&ctx, law, Forms::default()).await
}

pub(super) async fn answer(
    ctx: &Ctx,
    law: Law,
    anchor: &str,
    outcome: Result<(), (Forms, Vec<ValidationError>)>,
) -> Result<Response, PageError> {
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/legislation/laws/{}#{anchor}", law.id)).into_response()),
        Err((mut forms, errors)) => {
            forms.errors = FormErrors::from_validation(&ctx.tr, &errors);
            let page = law_page(ctx, law, forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub(super) async fn open_for_form(ctx: &Ctx, id: i64) -> Result<Law, PageError> {
    service::open_law(ctx, id, Action::Update).await
}

pub async fn update(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<LawFields>,
) -> Result<Response, PageError> {
    let law = open_for_form(&ctx, id).await?;
    let outcome = service::update_law(&ctx, &law, &form).await?.map(drop);
    let outcome = outcome.map_err(|e| (Forms { section: "details", details: Some(form), ..Default::default() }, e));
    answer(&ctx, law, "details", outcome).await
}

pub async fn stage(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<StageFields>,
) -> Result<Response, PageError> {
    let law = open_for_form(&ctx, id).await?;
    let outcome = service::change_stage(&ctx, &law, &form).await?;
    let outcome = outcome.map_err(|e| (Forms { section: "stage", stage: form, ..Default::default() }, e));
    answer(&ctx, law, "stages", outcome).await
}

pub async fn link(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<LinkFields>,
) -> Result<Response, PageError> {
    let law = open_for_form(&ctx, id).await?;
    let outcome = service::link(&ctx, &law, &form).await?;
    let outcome = outcome.map_err(|e| (Forms { section: "links", link: form, ..Default::default() }, e));
    answer(&ctx, law, "links", outcome).await
}

/// A new version from the upload form (multipart: the fields, a file or pasted text).
pub(super) async fn add_version_form(ctx: &Ctx, law: Law, up: VersionUpload) -> Result<Response, PageError> {
    let fields = up.fields.clone();
    let pasted = up.pasted.clone();
    match service::add_version(ctx, &law, up).await? {
        Ok(v) => Ok(Redirect::to(&format!("/legislation/laws/{}/versions/{}", law.id, v.id)).into_response()),
        Err(errors) => {
            let forms = Forms { section: "version", version: fields, pasted, ..Default::default() };
            answer(ctx, law, "versions", Err((forms, errors))).await
        }
    }
}
