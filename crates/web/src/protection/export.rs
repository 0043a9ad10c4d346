//! Export of the protection files the caller may see (CSV, XLSX): the list's
//! fields, no names (people, threats and notes stay in the application).
//! Audited, and a POST with the anti-forgery token.

use super::service::{self, FileQuery, MODULE};
use crate::auth::Ctx;
use crate::error::{ErrorCode, PageError};
use crate::extract::PageForm;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rightsdesk_domain::Action;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct ExportForm {
    #[serde(flatten)]
    pub list: FileQuery,
    /// `csv` or `xlsx`.
    #[serde(default)]
    pub format: String,
}

pub async fn export(ctx: Ctx, PageForm(form): PageForm<ExportForm>) -> Result<Response, PageError> {
    ctx.require(Action::Export, MODULE)?;
    let xlsx = match form.format.as_str() {
        "csv" | "" => false,
        "xlsx" => true,
        _ => return Err(ErrorCode::BadRequest.into()),
    };
    let scope = rightsdesk_domain::protection_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let mut f = service::file_filter(scope, &form.list).map_err(|_| ErrorCode::BadRequest)?;
    f.limit = 500;
    f.offset = 0;
    let store = ctx.state.store.as_ref();
    let offices = store.list_offices().await?;
    let headers = [
        "reference",
        "office",
        "label",
        "profile",
        "province",
        "status",
        "risk_level",
        "next_checkin_due_utc",
        "reassessment_due_utc",
        "open_alerts",
    ];
    let mut table = rightsdesk_export::Table { headers: headers.iter().map(|h| h.to_string()).collect(), rows: vec![] };
    let iso = |t: Option<i64>| {
        t.and_then(|t| time::OffsetDateTime::from_unix_timestamp(t).ok())
            .and_then(|d| d.format(&time::format_description::well_known::Rfc3339).ok())
            .unwrap_or_default()
    };
    loop {
        let page = store.list_protection_files(&f).await?;
        for p in &page {
            table.rows.push(vec![
                p.reference.clone(),
                offices.iter().find(|o| o.id == p.office_id).map(|o| o.code.clone()).unwrap_or_default(),
                p.label.clone(),
                p.profile.as_str().into(),
                p.province_code.clone().unwrap_or_default(),
                p.status.as_str().into(),
                p.level.map(|l| l.as_str().to_string()).unwrap_or_default(),
                iso(p.checkin_due_at),
                iso(p.reassess_due_at),
                p.open_alerts.to_string(),
            ]);
        }
        if (page.len() as i64) < f.limit || table.rows.len() >= 100_000 {
            break;
        }
        f.offset += f.limit;
    }
    let entry = ctx.audit("protection.export").record("export", "protection_files").summary(format!(
        "{} files, {}",
        table.rows.len(),
        if xlsx { "xlsx" } else { "csv" }
    ));
    store.append_audit(&entry).await?;
    let stamp = crate::kit::today();
    let (body, mime, ext) = if xlsx {
        let bytes = rightsdesk_export::to_xlsx(&table, &ctx.tr.t("protection-files-title")).map_err(|e| {
            tracing::error!(error = %e, "xlsx export failed");
            ErrorCode::Internal
        })?;
        (bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
    } else {
        (rightsdesk_export::to_csv(&table), "text/csv; charset=utf-8", "csv")
    };
    let disposition = format!("attachment; filename=\"rightsdesk-protection-{stamp}.{ext}\"");
    Ok(([(header::CONTENT_TYPE, mime.to_string()), (header::CONTENT_DISPOSITION, disposition)], body).into_response())
}
