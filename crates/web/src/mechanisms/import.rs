//! Importing recommendations (UPR Info layout, or any layout with a column mapping).

use super::*;

pub struct RejectedRow {
    pub line: usize,
    pub column: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "mechanisms/import.html")]
pub(crate) struct ImportPage {
    l: Layout,
    columns: Vec<&'static str>,
    outcome: Option<String>,
    rejected: Vec<RejectedRow>,
    /// The mapping form: (field, its label, the header typed for it).
    mapping: Vec<(String, String, String)>,
    mechanisms: Vec<(String, String)>,
    mechanism: String,
    state: String,
    /// The columns of the file sent, when its mapping did not fit.
    file_columns: Vec<String>,
}

/// Headers the mapping form suggests: a field's own name.
pub(crate) fn default_mapping(tr: &Tr) -> Vec<(String, String, String)> {
    rightsdesk_domain::mechanisms::MAPPABLE_FIELDS
        .iter()
        .map(|f| (f.to_string(), tr.t(&format!("import-field-{}", f.replace('_', "-"))), f.to_string()))
        .collect()
}

pub(crate) async fn import_page(
    ctx: &Ctx,
    outcome: Option<String>,
    rejected: Vec<RejectedRow>,
) -> Result<ImportPage, PageError> {
    with_mechanisms(
        ctx,
        ImportPage {
            l: ctx.layout(ctx.tr.t("recommendations-import-title")),
            columns: rightsdesk_domain::mechanisms::UPR_INFO_COLUMNS.to_vec(),
            outcome,
            rejected,
            mapping: default_mapping(&ctx.tr),
            mechanisms: vec![],
            mechanism: String::new(),
            state: "Cambodia".into(),
            file_columns: vec![],
        },
    )
    .await
}

pub(crate) async fn with_mechanisms(ctx: &Ctx, mut page: ImportPage) -> Result<ImportPage, PageError> {
    page.mechanisms = mechanism_options(&ctx.tr, &ctx.state.store.mechanisms().await?);
    Ok(page)
}

pub async fn import_form(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::Create, MODULE)?;
    render(import_page(&ctx, None, vec![]).await?)
}

/// Any mechanism's recommendations from a CSV or XLSX file whose columns the
/// user mapped to fields: the same parsing and store call as
/// `rightsdesk import recommendations`.
pub async fn import_mapped(
    ctx: Ctx,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    ctx.require(Action::Create, MODULE)?;
    let upload = crate::kit::read_import_upload(&ctx, multipart).await?;
    let dry_run = upload.dry_run();
    let mechanism = upload.field("mechanism").unwrap_or_default().to_string();
    let state = upload.field("state").unwrap_or_default().to_string();
    let columns: Vec<(String, String)> = upload
        .fields
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("map_").map(|f| (f.to_string(), v.trim().chars().take(200).collect())))
        .collect();
    let bytes = upload.file;
    let tr = &ctx.tr;
    let mut page = import_page(&ctx, None, vec![]).await?;
    page.mapping = default_mapping(tr)
        .into_iter()
        .map(|(f, label, default)| {
            let typed = columns.iter().find(|(k, _)| *k == f).map(|(_, h)| h.clone()).unwrap_or(default);
            (f, label, typed)
        })
        .collect();
    page.mechanism = mechanism.clone();
    page.state = state.clone();
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        page.outcome = Some(tr.t("evidence-no-file"));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response());
    };
    let table = rightsdesk_export::read_table(&bytes);
    let table = match table {
        Ok(t) => t,
        Err(e) => {
            page.outcome = Some(crate::kit::unreadable_upload(tr, &e));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response());
        }
    };
    let mapping =
        rightsdesk_domain::mechanisms::ColumnMapping { columns, default_mechanism: mechanism, default_state: state };
    let known: Vec<String> = ctx.state.store.mechanisms().await?.into_iter().map(|m| m.code).collect();
    let reason = |code: &str| tr.t(&format!("field-error-{code}"));
    let rows = |errors: &[rightsdesk_domain::vocabulary::RowError]| {
        errors
            .iter()
            .map(|e| RejectedRow { line: e.line, column: e.column.clone(), reason: reason(e.code) })
            .collect::<Vec<_>>()
    };
    let (good, rejected) =
        match rightsdesk_domain::mechanisms::parse_mapped(&table.headers, &table.rows, &mapping, &known) {
            Ok(parsed) => parsed,
            Err(errors) => {
                page.outcome = Some(tr.t("recommendations-import-mapping-misfit"));
                page.rejected = rows(&errors);
                page.file_columns = table.headers.clone();
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response());
            }
        };
    let good: Vec<_> = good.into_iter().map(|(_, r)| r).collect();
    let audit = ctx.audit("recommendation.import").summary("mapped file (web upload)");
    let out = ctx.state.store.import_recommendations(&good, &audit, dry_run, &|_| {}).await?;
    let mut lines: Vec<usize> = rejected.iter().map(|e| e.line).collect();
    lines.dedup();
    let mut outcome = tr.ta(
        "recommendations-import-outcome",
        &[
            ("added", tr.num(out.added as i64)),
            ("updated", tr.num(out.updated as i64)),
            ("unchanged", tr.num(out.unchanged as i64)),
            ("rejected", tr.num(lines.len() as i64)),
        ],
    );
    if dry_run {
        outcome = format!("{} {outcome}", tr.t("recommendations-import-dry-run"));
    }
    page.outcome = Some(outcome);
    page.rejected = rows(&rejected);
    render(page).map(IntoResponse::into_response)
}

/// The web upload of a UPR Info file: the same reading and the same store
/// call as `rightsdesk import upr`. Good rows are imported (unless only
/// checked), bad ones listed with line, column and reason.
pub async fn import(
    ctx: Ctx,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    ctx.require(Action::Create, MODULE)?;
    let upload = crate::kit::read_import_upload(&ctx, multipart).await?;
    let (dry_run, bytes) = (upload.dry_run(), upload.file);
    let tr = &ctx.tr;
    let refuse = |message: String| {
        let ctx = &ctx;
        async move {
            let page = render(import_page(ctx, Some(message), vec![]).await?)?;
            Ok::<_, PageError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    };
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return refuse(tr.t("evidence-no-file")).await;
    };
    let table = match rightsdesk_export::read_table(&bytes) {
        Ok(t) => t,
        Err(e) => return refuse(crate::kit::unreadable_upload(tr, &e)).await,
    };
    let reason = |code: &str| tr.t(&format!("field-error-{code}"));
    let rows = |errors: &[rightsdesk_domain::vocabulary::RowError]| {
        errors
            .iter()
            .map(|e| RejectedRow { line: e.line, column: e.column.clone(), reason: reason(e.code) })
            .collect::<Vec<_>>()
    };
    let (good, rejected) = match rightsdesk_domain::mechanisms::parse_upr_info(&table.headers, &table.rows) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let page = render(import_page(&ctx, Some(tr.t("recommendations-import-not-upr")), rows(&errors)).await?)?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let good: Vec<_> = good.into_iter().map(|(_, r)| r).collect();
    let audit = ctx.audit("recommendation.import").summary("UPR Info file (web upload)");
    let out = ctx.state.store.import_recommendations(&good, &audit, dry_run, &|_| {}).await?;
    let mut lines: Vec<usize> = rejected.iter().map(|e| e.line).collect();
    lines.dedup();
    let mut outcome = tr.ta(
        "recommendations-import-outcome",
        &[
            ("added", tr.num(out.added as i64)),
            ("updated", tr.num(out.updated as i64)),
            ("unchanged", tr.num(out.unchanged as i64)),
            ("rejected", tr.num(lines.len() as i64)),
        ],
    );
    if dry_run {
        outcome = format!("{} {outcome}", tr.t("recommendations-import-dry-run"));
    }
    render(import_page(&ctx, Some(outcome), rows(&rejected)).await?).map(IntoResponse::into_response)
}
