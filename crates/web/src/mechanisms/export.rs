//! Exports of recommendations (CSV, XLSX).

use super::*;

#[derive(Deserialize, Default)]
pub struct ExportForm {
    #[serde(flatten)]
    pub list: RecommendationQuery,
    /// `csv` or `xlsx`.
    #[serde(default)]
    pub format: String,
}

/// The most rows one export holds (the whole UPR Info corpus fits).
pub(crate) const EXPORT_LIMIT: usize = 100_000;

/// CSV or XLSX of the filtered recommendations, with their latest
/// assessment. Audited, and a POST with the anti-forgery token.
pub async fn export(ctx: Ctx, PageForm(form): PageForm<ExportForm>) -> Result<Response, PageError> {
    use axum::http::header;
    ctx.require(Action::Export, MODULE)?;
    let xlsx = match form.format.as_str() {
        "csv" | "" => false,
        "xlsx" => true,
        _ => return Err(ErrorCode::BadRequest.into()),
    };
    let scope = recommendation_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let mut f = scoped(recommendation_filter(&form.list).map_err(|_| ErrorCode::BadRequest)?, scope);
    f.after = None;
    f.limit = 500;
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let headers = [
        "id",
        "mechanism",
        "state_under_review",
        "session",
        "cycle",
        "document_symbol",
        "paragraph",
        "date",
        "recommending_state",
        "text",
        "response",
        "response_as_given",
        "implementation",
        "themes",
        "sdg_targets",
        "affected_groups",
        "cluster",
        "source_key",
    ];
    let mut table = rightsdesk_export::Table { headers: headers.iter().map(|h| h.to_string()).collect(), rows: vec![] };
    loop {
        let page = store.recommendations(&f).await?;
        let last = page.last().map(|r| r.id);
        for r in &page {
            table.rows.push(vec![
                r.id.to_string(),
                r.mechanism_code.clone(),
                r.state_under_review.clone(),
                r.session.clone(),
                r.cycle.map(|c| c.to_string()).unwrap_or_default(),
                r.document_symbol.clone(),
                r.paragraph.clone(),
                r.issued_on.clone().unwrap_or_default(),
                r.recommending_state.clone(),
                r.text.clone(),
                r.response.map(|x| x.as_str().to_string()).unwrap_or_default(),
                r.response_raw.clone(),
                r.status.as_str().to_string(),
                r.themes.join(", "),
                r.sdg_targets.join(", "),
                r.affected_groups.join(", "),
                r.cluster.clone().unwrap_or_default(),
                r.source_key.clone(),
            ]);
        }
        if (page.len() as i64) < f.limit || table.rows.len() >= EXPORT_LIMIT {
            break;
        }
        f.after = last;
    }
    table.rows.truncate(EXPORT_LIMIT);
    store
        .append_audit(&ctx.audit("recommendation.export").record("export", "recommendations").summary(format!(
            "{} recommendations, {}, filters: {}",
            table.rows.len(),
            if xlsx { "xlsx" } else { "csv" },
            serde_urlencoded::to_string(&form.list).unwrap_or_default()
        )))
        .await?;
    let stamp = crate::kit::today();
    let (body, mime, ext) = if xlsx {
        let bytes = rightsdesk_export::to_xlsx(&table, &tr.t("recommendations-title")).map_err(|e| {
            tracing::error!(error = %e, "xlsx export failed");
            ErrorCode::Internal
        })?;
        (bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
    } else {
        (rightsdesk_export::to_csv(&table), "text/csv; charset=utf-8", "csv")
    };
    let disposition = format!("attachment; filename=\"rightsdesk-recommendations-{stamp}.{ext}\"");
    Ok(([(header::CONTENT_TYPE, mime.to_string()), (header::CONTENT_DISPOSITION, disposition)], body).into_response())
}
