//! Interventions waiting for a follow-up.

use super::*;

pub struct FollowUpRow {
    pub case_id: i64,
    pub reference: String,
    pub title: String,
    pub row: InterventionRow,
}

#[derive(Template)]
#[template(path = "monitoring/follow_ups.html")]
pub(crate) struct FollowUpsPage {
    l: Layout,
    rows: Vec<FollowUpRow>,
    alerts: Vec<crate::protection::AlertRow>,
    actions: Vec<crate::engagement::ActionRow>,
}

/// Follow-ups due within a week, on the user's own cases.
pub async fn due_follow_ups(ctx: &Ctx, days_ahead: i64, limit: i64) -> Result<Vec<FollowUpRow>, PageError> {
    let Some(scope) = case_scope(&ctx.actor) else { return Ok(vec![]) };
    let me = ctx.me()?.id;
    let today = today();
    let until = time::Date::parse(&today, time::macros::format_description!("[year]-[month]-[day]"))
        .ok()
        .and_then(|d| d.checked_add(time::Duration::days(days_ahead)))
        .map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day()))
        .unwrap_or(today.clone());
    let due = ctx.state.store.follow_ups_due(&scope, Some(me), &until, limit).await?;
    Ok(due
        .into_iter()
        .map(|f| FollowUpRow {
            case_id: f.intervention.case_id,
            reference: f.case_reference,
            title: f.case_title,
            row: intervention_row(&ctx.tr, &f.intervention, &today),
        })
        .collect())
}

pub async fn follow_ups(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::Module(Module::Monitoring))?;
    let rows = due_follow_ups(&ctx, 7, 200).await?;
    // The protection alerts that need the user are follow-ups too.
    let alerts = crate::protection::due_alerts(&ctx, 200).await?;
    // And the actions agreed at meetings that the user owns.
    let actions = crate::engagement::due_actions(&ctx).await?;
    render(FollowUpsPage { l: ctx.layout(ctx.tr.t("follow-ups-title")), rows, alerts, actions })
}
