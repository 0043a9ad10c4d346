//! The analysis of a law as a DOCX or PDF, in English or Khmer whatever the
//! reader's own language: a cover (stage, ministry, lead, versions), how the
//! Government responded, and the table of article text, concern, standard,
//! recommendation and response for the latest version. Audited, a POST with
//! the anti-forgery token.

use super::law::summary_line;
use super::service;
use crate::auth::Ctx;
use crate::choice_label;
use crate::error::{ErrorCode, PageError};
use crate::extract::{PageForm, PagePath};
use crate::i18n::Tr;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rightsdesk_domain::{Action, Locale};
use rightsdesk_export::analysis::{analysis_docx, analysis_pdf, Analysis, AnalysisRow};
use rightsdesk_store::legislation::Law;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExportForm {
    /// `pdf` or `docx`.
    pub format: String,
    /// `en` or `km`.
    pub lang: String,
}

/// Everything the document says, in `tr`'s language.
pub async fn build_analysis(ctx: &Ctx, tr: &Tr, law: &Law) -> Result<Analysis, PageError> {
    let store = ctx.state.store.as_ref();
    let versions = store.law_versions(law.id).await?;
    // The form is offered only once a law has a version.
    let latest = versions.last().ok_or(ErrorCode::Conflict)?;
    let articles = store.law_version(latest.id).await?.map(|v| v.articles).unwrap_or_default();
    let comments = store.law_comments(law.id).await?;
    let summary = service::response_summary(&comments);
    let title = super::title(tr, law);
    let subtitle = {
        let other = if title == law.title_km { &law.title_en } else { &law.title_km };
        [law.short_name.as_str(), other.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" — ")
    };
    let rows = comments
        .iter()
        .map(|c| {
            let text = c
                .article_number
                .as_ref()
                .and_then(|n| articles.iter().find(|a| &a.number == n))
                .map(|a| a.text.clone())
                .unwrap_or_default();
            let mut standard = c.standard.clone();
            let cited: Vec<String> = c
                .standard_articles
                .iter()
                .map(|a| format!("{} art. {}", a.instrument_code, tr.num(a.number)))
                .collect();
            let recs: Vec<String> =
                c.recommendations.iter().map(|r| format!("{} {}", r.mechanism_code, r.symbol)).collect();
            for extra in [cited.join("; "), recs.join("; ")] {
                if !extra.is_empty() {
                    if !standard.is_empty() {
                        standard.push('\n');
                    }
                    standard.push_str(&extra);
                }
            }
            let mut article = super::law::comment_article(tr, c);
            let moved = super::law::moved_label(tr, c);
            if !moved.is_empty() {
                article = format!("{article} ({moved})");
            }
            AnalysisRow {
                article: format!("{article} · {}", choice_label!(tr, c.severity)),
                text,
                concern: c.concern.clone(),
                standard,
                recommendation: c.recommended_change.clone(),
                response: match c.response {
                    Some(r) => {
                        let mut s = choice_label!(tr, r);
                        if c.response_on.is_some() {
                            s.push_str(&format!(" ({})", tr.iso_date(&c.response_on)));
                        }
                        if !c.response_text.is_empty() {
                            s.push('\n');
                            s.push_str(&c.response_text);
                        }
                        s
                    }
                    None => "—".into(),
                },
            }
        })
        .collect();
    Ok(Analysis {
        lang: tr.locale.as_str().into(),
        title,
        subtitle,
        kind: tr.t("analysis-kind"),
        facts: vec![
            (
                tr.t("law-stage"),
                format!("{} ({})", choice_label!(tr, law.stage), tr.iso_date(&Some(law.stage_on.clone()))),
            ),
            (tr.t("law-ministry"), super::ministry(tr, law)),
            (tr.t("law-lead"), law.lead_name.clone().unwrap_or_else(|| "—".into())),
            (
                tr.t("analysis-version-analysed"),
                format!("{} ({})", latest.label, tr.iso_date(&Some(latest.dated.clone()))),
            ),
            (tr.t("analysis-date"), tr.iso_date(&Some(crate::kit::today()))),
        ],
        versions_heading: tr.t("law-versions"),
        versions: versions
            .iter()
            .map(|v| [v.label.clone(), tr.iso_date(&Some(v.dated.clone())), v.source.clone()])
            .collect(),
        summary_heading: tr.t("law-responses"),
        summary: summary_line(tr, &summary),
        table_heading: tr.t("analysis-table"),
        columns: [
            tr.t("analysis-col-article"),
            tr.t("comment-concern"),
            tr.t("comment-standard"),
            tr.t("comment-recommended-change"),
            tr.t("comment-response"),
        ],
        rows,
        page: tr.t("analysis-page"),
    })
}

pub async fn export(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ExportForm>,
) -> Result<Response, PageError> {
    let law = service::open_law(&ctx, id, Action::Export).await?;
    let pdf = match form.format.as_str() {
        "pdf" | "" => true,
        "docx" => false,
        _ => return Err(ErrorCode::BadRequest.into()),
    };
    let locale = match form.lang.as_str() {
        "" => ctx.tr.locale,
        l => l.parse::<Locale>().map_err(|_| ErrorCode::BadRequest)?,
    };
    let tr = Tr::new(locale, locale == Locale::Km);
    let analysis = build_analysis(&ctx, &tr, &law).await?;
    let rows = analysis.rows.len();
    // Laying out a long analysis takes a second of CPU: off the request threads.
    let body =
        tokio::task::spawn_blocking(move || if pdf { analysis_pdf(&analysis) } else { analysis_docx(&analysis) })
            .await
            .map_err(|_| ErrorCode::Internal)?
            .map_err(|e| {
                tracing::error!(law = id, error = %e, "the analysis could not be written");
                ErrorCode::Internal
            })?;
    let (ext, mime) = if pdf {
        ("pdf", "application/pdf")
    } else {
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    };
    let entry = ctx
        .audit("law.export")
        .record("law", id)
        .summary(format!("analysis as {ext} in {}: {rows} comments", locale.as_str()));
    ctx.state.store.append_audit(&entry).await?;
    let name = format!("analysis-{}-{}.{ext}", law.short_name, locale.as_str());
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, crate::monitoring::service::download_disposition(&name)),
        ],
        body,
    )
        .into_response())
}
