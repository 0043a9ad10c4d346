//! The comment forms of a version page: a new comment on an article, a
//! comment changed, and the Government's response to it.

use super::law::open_for_form;
use super::service;
use super::versions::{version_page, CommentForm};
use crate::auth::Ctx;
use crate::error::{ErrorCode, PageError};
use crate::extract::{PageForm, PagePath};
use crate::kit::FormErrors;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rightsdesk_domain::legislation::{CommentFields, ResponseFields};

fn back(law_id: i64, version_id: i64, comment_id: i64) -> Response {
    Redirect::to(&format!("/legislation/laws/{law_id}/versions/{version_id}#comment-{comment_id}")).into_response()
}

pub async fn add(
    ctx: Ctx,
    PagePath((id, version)): PagePath<(i64, i64)>,
    PageForm(f): PageForm<CommentFields>,
) -> Result<Response, PageError> {
    let law = open_for_form(&ctx, id).await?;
    match service::add_comment(&ctx, &law, version, &f).await? {
        Ok(c) => Ok(back(id, version, c.id)),
        Err(errors) => {
            let form =
                CommentForm { fields: f, errors: FormErrors::from_validation(&ctx.tr, &errors), ..Default::default() };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, version_page(&ctx, law, version, form).await?).into_response())
        }
    }
}

/// The version a comment is on (404 when the law has no such comment).
async fn version_of(ctx: &Ctx, law_id: i64, comment_id: i64) -> Result<i64, PageError> {
    let comments = ctx.state.store.law_comments(law_id).await?;
    Ok(comments.iter().find(|c| c.id == comment_id).ok_or(ErrorCode::NotFound)?.version_id)
}

pub async fn update(
    ctx: Ctx,
    PagePath((id, comment)): PagePath<(i64, i64)>,
    PageForm(f): PageForm<CommentFields>,
) -> Result<Response, PageError> {
    let law = open_for_form(&ctx, id).await?;
    let version = version_of(&ctx, id, comment).await?;
    match service::update_comment(&ctx, &law, comment, &f).await? {
        Ok(c) => Ok(back(id, version, c.id)),
        Err(errors) => {
            let form = CommentForm {
                comment_id: comment,
                fields: f,
                errors: FormErrors::from_validation(&ctx.tr, &errors),
                ..Default::default()
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, version_page(&ctx, law, version, form).await?).into_response())
        }
    }
}

pub async fn respond(
    ctx: Ctx,
    PagePath((id, comment)): PagePath<(i64, i64)>,
    PageForm(f): PageForm<ResponseFields>,
) -> Result<Response, PageError> {
    let law = open_for_form(&ctx, id).await?;
    let version = version_of(&ctx, id, comment).await?;
    match service::respond(&ctx, &law, comment, &f).await? {
        Ok(c) => Ok(back(id, version, c.id)),
        Err(errors) => {
            let form = CommentForm {
                comment_id: comment,
                response: true,
                answer: f,
                errors: FormErrors::from_validation(&ctx.tr, &errors),
                ..Default::default()
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, version_page(&ctx, law, version, form).await?).into_response())
        }
    }
}

/// Where a search hit on a comment leads: the comment on its version's page.
pub async fn find_comment(ctx: Ctx, PagePath(comment): PagePath<i64>) -> Result<Response, PageError> {
    let c = ctx.state.store.law_comment(comment).await?.ok_or(ErrorCode::NotFound)?;
    let law = service::open_law(&ctx, c.law_id, rightsdesk_domain::Action::View).await?;
    Ok(back(law.id, c.version_id, c.id))
}
