//! The home page and the landing pages of the lines of work.

use crate::auth::Ctx;
use crate::error::PageError;
use crate::kit::{module_description, module_href, module_label, render, Layout};
use askama::Template;
use axum::response::Html;
use rightsdesk_domain::{Action, Module, Resource};

pub struct ModuleCard {
    pub href: String,
    pub label: String,
    pub description: String,
}

#[derive(Template)]
#[template(path = "platform/home.html")]
struct HomePage {
    l: Layout,
    greeting: String,
    office_line: String,
    modules: Vec<ModuleCard>,
    stats: Vec<(String, String)>,
    follow_ups: Vec<crate::monitoring::FollowUpRow>,
    alerts: Vec<crate::protection::AlertRow>,
}

pub async fn home(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::OwnAccount)?;
    let me = ctx.me()?;
    let tr = &ctx.tr;
    let modules = Module::ALL
        .into_iter()
        .filter(|m| ctx.allows(Action::View, Resource::Module(*m)))
        .map(|m| ModuleCard {
            href: module_href(m),
            label: module_label(tr, m),
            description: module_description(tr, m),
        })
        .collect();
    let c = ctx.state.store.reference_counts().await?;
    let stats = vec![
        (tr.num(c.provinces), tr.t("stat-provinces")),
        (tr.num(c.districts), tr.t("stat-districts")),
        (tr.num(c.communes), tr.t("stat-communes")),
        (tr.num(c.instruments), tr.t("stat-instruments")),
        (tr.num(c.articles), tr.t("stat-articles")),
        (tr.num(c.sdg_targets), tr.t("stat-sdg-targets")),
    ];
    // Overdue follow-ups of the user's own cases, first thing on the home page.
    let follow_ups = if ctx.allows(Action::View, Resource::Module(Module::Monitoring)) {
        crate::monitoring::due_follow_ups(&ctx, 0, 5).await?
    } else {
        vec![]
    };
    // Missed check-ins and overdue reviews of the user's protection files.
    let alerts = crate::protection::due_alerts(&ctx, 10).await?;
    let page = HomePage {
        follow_ups,
        alerts,
        greeting: tr.t1("home-greeting", "name", &me.name),
        office_line: tr.t1("home-office", "office", &me.office_code),
        l: ctx.layout(tr.t("nav-home")),
        modules,
        stats,
    };
    render(page)
}

#[derive(Template)]
#[template(path = "platform/module.html")]
struct ModulePage {
    l: Layout,
    description: String,
}

/// Landing page of a line of work whose records are not built yet: it says
/// so plainly, and still answers only to the roles that work there.
pub async fn module_page(ctx: Ctx, module: Module) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::Module(module))?;
    let page =
        ModulePage { description: module_description(&ctx.tr, module), l: ctx.layout(module_label(&ctx.tr, module)) };
    render(page)
}
