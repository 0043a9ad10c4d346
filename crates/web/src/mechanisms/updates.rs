//! Progress updates from focal points waiting for review.

use super::*;

#[derive(Template)]
#[template(path = "mechanisms/updates.html")]
pub(crate) struct UpdatesPage {
    l: Layout,
    /// Each pending update with its recommendation's id, heading and text.
    updates: Vec<(UpdateRow, i64, String, String)>,
    error: Option<String>,
}

pub(crate) async fn updates_page(ctx: &Ctx, error: Option<String>) -> Result<Html<String>, PageError> {
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let mut updates = vec![];
    for u in store.pending_progress_updates().await? {
        let rid = u.recommendation_id;
        let text = store.recommendation(rid).await?.map(|r| r.text).unwrap_or_default();
        let heading = tr.t1("recommendation-title", "id", &tr.num(rid));
        updates.push((update_row(tr, u), rid, heading, text));
    }
    render(UpdatesPage { l: ctx.layout(tr.t("updates-title")), updates, error })
}

/// Progress updates from focal points waiting for the office.
pub async fn updates(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::Update, MODULE)?;
    updates_page(&ctx, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    /// `accept` or `return`.
    pub decision: String,
    pub comment: String,
}

/// Accepts a progress update (it becomes an assessment) or sends it back
/// with a comment, which is then required.
pub async fn review_update(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<ReviewForm>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, MODULE)?;
    let accept = match f.decision.as_str() {
        "accept" => true,
        "return" => false,
        _ => return Err(ErrorCode::BadRequest.into()),
    };
    let comment = f.comment.trim();
    if !accept && comment.is_empty() {
        let page = updates_page(&ctx, Some(ctx.tr.t("updates-comment-required"))).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    if comment.chars().count() > 2000 {
        return Err(ErrorCode::BadRequest.into());
    }
    let today = crate::kit::today();
    match ctx
        .state
        .store
        .review_progress_update(id, accept, comment, &today, ctx.me()?.id, &ctx.audit("recommendation.review_update"))
        .await
    {
        Ok(_) | Err(rightsdesk_store::StoreError::Conflict(_)) => {
            Ok(Redirect::to("/mechanisms/updates").into_response())
        }
        Err(e) => Err(e.into()),
    }
}
