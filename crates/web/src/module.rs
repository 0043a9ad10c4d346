//! The lines of work, each registered once: its pages and API calls, its
//! part of the API description, where its navigation entry leads, the kinds
//! of record it gives search and what it imports and exports. `lib.rs`
//! merges the registrations; a test checks that every module of
//! [`Module::ALL`] has exactly one, and every search kind an owner.
//!
//! A new line of work: a folder `src/<module>/` with a `REGISTRATION`, added
//! to [`registrations`] in place of its landing page (docs/architecture.md).

use crate::state::AppState;
use axum::handler::Handler;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use rightsdesk_domain::Module;

/// One registered route, for tests that walk them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: &'static str,
    pub path: &'static str,
}

/// The router being built and the list of its routes.
pub struct Routes {
    pub(crate) router: Router<AppState>,
    pub(crate) list: Vec<RouteInfo>,
}

impl Routes {
    pub(crate) fn new() -> Self {
        Routes { router: Router::new(), list: vec![] }
    }
    pub fn add(mut self, method: &'static str, path: &'static str, route: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(path, route);
        self.list.push(RouteInfo { method, path });
        self
    }
    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add("GET", path, get(h))
    }
    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add("POST", path, post(h))
    }
    /// A POST that takes a file: the upload limit instead of the form limit.
    pub fn upload<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H, state: &AppState) -> Self {
        let limit = axum::extract::DefaultBodyLimit::max(state.config.max_upload_bytes as usize);
        self.add("POST", path, post(h).layer(limit))
    }
}

/// What a line of work brings to the application.
pub struct Registration {
    pub module: Module,
    /// Its pages and API calls; `None`: a landing page at its home (not built yet).
    pub routes: Option<fn(Routes, &AppState) -> Routes>,
    /// Its part of the OpenAPI document, if it has API calls.
    pub api_doc: Option<fn() -> utoipa::openapi::OpenApi>,
    /// The kinds of record it puts in the search index (`rightsdesk_search::sources`).
    pub search_kinds: &'static [&'static str],
    /// The forms that import records into it (`POST` paths).
    pub imports: &'static [&'static str],
    /// The forms that export its records (`POST` paths).
    pub exports: &'static [&'static str],
}

impl Registration {
    /// A line of work whose records are not built yet: an honest landing page.
    pub const fn landing(module: Module) -> Registration {
        Registration { module, routes: None, api_doc: None, search_kinds: &[], imports: &[], exports: &[] }
    }

    /// Adds its routes to `r`.
    pub fn add_routes(&self, r: Routes, state: &AppState) -> Routes {
        match self.routes {
            Some(routes) => routes(r, state),
            None => {
                let m = self.module;
                r.get(home_of(m), move |ctx: crate::auth::Ctx| crate::platform::home::module_page(ctx, m))
            }
        }
    }
}

/// Where a module's navigation entry leads.
pub const fn home_of(m: Module) -> &'static str {
    match m {
        Module::Monitoring => "/monitoring",
        Module::Protection => "/protection",
        Module::Legislation => "/legislation",
        Module::Mechanisms => "/mechanisms",
        Module::Capacity => "/capacity",
        Module::Grants => "/grants",
        Module::Engagement => "/engagement",
        Module::Assessment => "/assessment",
    }
}

/// Every line of work, in the order of [`Module::ALL`].
pub fn registrations() -> [Registration; 8] {
    [
        crate::monitoring::REGISTRATION,
        crate::protection::REGISTRATION,
        crate::legislation::REGISTRATION,
        crate::mechanisms::REGISTRATION,
        Registration::landing(Module::Capacity),
        Registration::landing(Module::Grants),
        crate::engagement::REGISTRATION,
        Registration::landing(Module::Assessment),
    ]
}

/// The modules' parts of the API description.
pub fn api_docs() -> impl Iterator<Item = utoipa::openapi::OpenApi> {
    registrations().into_iter().filter_map(|r| r.api_doc.map(|doc| doc()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_is_registered_once_in_order() {
        let registered: Vec<Module> = registrations().iter().map(|r| r.module).collect();
        assert_eq!(registered, Module::ALL.to_vec());
    }

    #[test]
    fn every_search_kind_belongs_to_one_module_or_the_platform() {
        // Reference texts are the platform's, not a line of work's.
        let platform = ["article"];
        for kind in rightsdesk_search::sources::kinds() {
            let owners = registrations().iter().filter(|r| r.search_kinds.contains(&kind)).count();
            let expected = if platform.contains(&kind) { 0 } else { 1 };
            assert_eq!(owners, expected, "search kind {kind}: {owners} owners");
        }
        for r in registrations() {
            for kind in r.search_kinds {
                assert!(rightsdesk_search::sources::kinds().any(|k| k == *kind), "{kind} is not a search source");
            }
        }
    }
}
