//! The access matrix (issue 6): every route and API endpoint × every role
//! (and an anonymous visitor, and an officer of the same office outside the
//! case's team) × a normal and a restricted record × the route's action
//! (GET reads, POST writes). Expectations are written here, by hand, from
//! DESIGN.md's role table, not computed with the policy code under test.
//!
//! - Denied: the answer is 401/403/404 (or a redirect to sign in), and a
//!   restricted record's title is not in it. Any success is a failure.
//! - Allowed reads: the answer is a success (2xx or a redirect that is not
//!   to the sign-in page).
//! - Allowed writes are not judged here (the empty form may be refused as
//!   invalid); the other tests write through every form.
//!
//! The table must name exactly the routes the application has: a new route
//! without an entry fails this test.

mod common;

use common::*;
use serde_json::Value;

both!(access_matrix_finds_no_unauthorized_success);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Rule {
    /// Anyone, signed in or not.
    Public,
    /// The iCalendar feed: only its secret file name opens it.
    Feed,
    /// Any signed-in account.
    SignedIn,
    Admin,
    /// Administrators and heads of office may look (accounts, offices).
    AdminOrHead,
    /// Anyone whose role has the line of work.
    Module(&'static str),
    /// Reporting calendar and implementation actions: mechanisms staff, not focal points.
    MechanismsStaff,
    /// One case (or what hangs from it): the normal or the restricted one.
    Case,
    /// A case's evidence files: its team and its head of office only.
    CaseEvidence,
    /// A case's free text (narrative, acts, interventions, sources, evidence
    /// notes, status reasons): read as `Case`, written by its team and head
    /// of office only, who see its names (decision 0011).
    CaseNarrative,
    /// The queue of focal points' progress updates: mechanisms staff who write.
    Reviewers,
    /// One recommendation: of the focal point's institution, or of another.
    Recommendation,
    /// Figures of a line of work, never a record: those who work in it, and
    /// the analyst (aggregates only).
    Aggregates(&'static str),
    /// One protection file: of the team officer's team (the normal record),
    /// or of another team (the restricted one); both of the PNH office.
    ProtectionFile,
    /// The register of draft laws: read by every office role and focal
    /// points, written by legal officers, heads of office and administrators.
    Legislation,
    /// One draft law: linked to the focal point's institution's
    /// recommendation (the normal record) or to another's (the restricted one).
    Law,
    /// One civil society contact: kept by the PNH office (the normal record)
    /// or by the BTB office (the restricted one). Everyone in engagement
    /// reads the record; its name and its changes are its office's.
    Contact,
}
use Rule::*;

const MATRIX: &[(&str, &str, Rule)] = &[
    ("GET", "/healthz", Public),
    ("GET", "/assets/{*name}", Public),
    ("GET", "/lang/{code}", Public),
    ("GET", "/login", Public),
    ("POST", "/login", Public),
    ("GET", "/login/second-factor", SignedIn),
    ("POST", "/login/second-factor", SignedIn),
    ("POST", "/logout", SignedIn),
    ("GET", "/", SignedIn),
    ("GET", "/profile", SignedIn),
    ("POST", "/profile/preferences", SignedIn),
    ("POST", "/profile/password", SignedIn),
    ("POST", "/profile/totp/enable", SignedIn),
    ("POST", "/profile/totp/disable", SignedIn),
    ("POST", "/profile/tokens", SignedIn),
    ("POST", "/profile/tokens/{id}/revoke", SignedIn),
    ("GET", "/admin", AdminOrHead),
    ("GET", "/admin/users", AdminOrHead),
    ("GET", "/admin/users/new", Admin),
    ("POST", "/admin/users", Admin),
    ("GET", "/admin/users/{id}", Admin),
    ("POST", "/admin/users/{id}", Admin),
    ("POST", "/admin/users/{id}/disable", Admin),
    ("POST", "/admin/users/{id}/enable", Admin),
    ("GET", "/admin/offices", AdminOrHead),
    ("POST", "/admin/offices", Admin),
    ("GET", "/admin/audit", Admin),
    ("GET", "/reference", SignedIn),
    ("GET", "/reference/provinces", SignedIn),
    ("GET", "/reference/provinces/{code}", SignedIn),
    ("GET", "/reference/districts/{code}", SignedIn),
    ("GET", "/reference/instruments", SignedIn),
    ("GET", "/reference/instruments/{code}", SignedIn),
    ("GET", "/reference/ratifications", SignedIn),
    ("GET", "/reference/sdg", SignedIn),
    ("GET", "/reference/sdg/{goal}", SignedIn),
    ("GET", "/reference/vocabularies", SignedIn),
    ("GET", "/reference/vocabularies/{code}", SignedIn),
    ("GET", "/monitoring", Module("monitoring")),
    ("GET", "/monitoring/cases", Module("monitoring")),
    ("GET", "/monitoring/places", SignedIn),
    ("GET", "/monitoring/cases/new", Module("monitoring")),
    ("POST", "/monitoring/cases", Module("monitoring")),
    ("GET", "/monitoring/cases/{id}", Case),
    ("POST", "/monitoring/cases/{id}", CaseNarrative),
    ("GET", "/monitoring/cases/{id}/edit", CaseNarrative),
    ("POST", "/monitoring/cases/{id}/status", CaseNarrative),
    ("POST", "/monitoring/cases/{id}/team", Case),
    ("POST", "/monitoring/cases/{id}/raise", Case),
    ("GET", "/monitoring/cases/{id}/persons/new", Case),
    ("POST", "/monitoring/cases/{id}/persons", Case),
    ("GET", "/monitoring/cases/{id}/acts/new", CaseNarrative),
    ("POST", "/monitoring/cases/{id}/acts", CaseNarrative),
    ("GET", "/monitoring/cases/{id}/interventions/new", CaseNarrative),
    ("POST", "/monitoring/cases/{id}/interventions", CaseNarrative),
    ("GET", "/monitoring/interventions/{id}/edit", CaseNarrative),
    ("POST", "/monitoring/interventions/{id}", CaseNarrative),
    ("GET", "/monitoring/organisations", Module("monitoring")),
    ("POST", "/monitoring/organisations", Module("monitoring")),
    ("GET", "/monitoring/follow-ups", Module("monitoring")),
    ("POST", "/monitoring/export", Module("monitoring")),
    ("POST", "/monitoring/cases/{id}/evidence", CaseNarrative),
    ("POST", "/monitoring/evidence/{id}/download", CaseEvidence),
    ("POST", "/monitoring/evidence/{id}/custody", CaseEvidence),
    ("GET", "/monitoring/import", Module("monitoring")),
    ("POST", "/monitoring/import", Module("monitoring")),
    ("POST", "/monitoring/evidence/{id}/verify", CaseEvidence),
    ("GET", "/monitoring/cases/{id}/sources/new", CaseNarrative),
    ("POST", "/monitoring/cases/{id}/sources", CaseNarrative),
    ("POST", "/monitoring/sources/{id}/withdraw", Case),
    ("GET", "/search", SignedIn),
    ("GET", "/mechanisms", Module("mechanisms")),
    ("GET", "/mechanisms/recommendations", Module("mechanisms")),
    ("GET", "/mechanisms/recommendations/{id}", Recommendation),
    ("POST", "/mechanisms/recommendations/{id}/assessments", Recommendation),
    ("POST", "/mechanisms/recommendations/{id}/details", Recommendation),
    ("POST", "/mechanisms/recommendations/{id}/updates", Recommendation),
    ("GET", "/mechanisms/updates", Reviewers),
    ("POST", "/mechanisms/updates/{id}/review", MechanismsStaff),
    ("POST", "/mechanisms/recommendations/{id}/cases", Recommendation),
    ("POST", "/mechanisms/recommendations/{id}/cases/{case_id}/unlink", Recommendation),
    ("POST", "/mechanisms/recommendations/export", Module("mechanisms")),
    ("GET", "/mechanisms/progress", Aggregates("mechanisms")),
    ("GET", "/mechanisms/actions", MechanismsStaff),
    ("POST", "/mechanisms/actions", MechanismsStaff),
    ("GET", "/mechanisms/actions/{id}", MechanismsStaff),
    ("POST", "/mechanisms/actions/{id}", MechanismsStaff),
    ("POST", "/mechanisms/actions/{id}/indicators", MechanismsStaff),
    ("POST", "/mechanisms/actions/{id}/indicators/{indicator}", MechanismsStaff),
    ("POST", "/mechanisms/actions/{id}/recommendations", MechanismsStaff),
    ("GET", "/mechanisms/mechanisms", Module("mechanisms")),
    ("POST", "/mechanisms/mechanisms", Module("mechanisms")),
    ("GET", "/mechanisms/treaties", Module("mechanisms")),
    ("POST", "/mechanisms/treaties/{code}/commitment", Module("mechanisms")),
    ("GET", "/mechanisms/calendar", MechanismsStaff),
    ("POST", "/mechanisms/calendar", MechanismsStaff),
    ("POST", "/mechanisms/calendar/{id}/status", MechanismsStaff),
    ("POST", "/mechanisms/calendar/feed", MechanismsStaff),
    ("POST", "/mechanisms/calendar/feed/revoke", MechanismsStaff),
    ("GET", "/calendar/{file}", Feed),
    ("GET", "/mechanisms/import", Module("mechanisms")),
    ("POST", "/mechanisms/import/mapped", Module("mechanisms")),
    ("POST", "/mechanisms/import", Module("mechanisms")),
    ("GET", "/api/v1/openapi.json", Public),
    ("GET", "/api/v1/me", SignedIn),
    ("GET", "/api/v1/offices", AdminOrHead),
    ("POST", "/api/v1/offices", Admin),
    ("GET", "/api/v1/users", AdminOrHead),
    ("GET", "/api/v1/audit", Admin),
    ("GET", "/api/v1/reference/provinces", SignedIn),
    ("GET", "/api/v1/reference/provinces/{code}/districts", SignedIn),
    ("GET", "/api/v1/reference/districts/{code}/communes", SignedIn),
    ("GET", "/api/v1/reference/instruments", SignedIn),
    ("GET", "/api/v1/reference/instruments/{code}/articles", SignedIn),
    ("GET", "/api/v1/reference/ratifications", SignedIn),
    ("GET", "/api/v1/reference/sdg/goals", SignedIn),
    ("GET", "/api/v1/reference/sdg/goals/{goal}/targets", SignedIn),
    ("GET", "/api/v1/reference/vocabularies", SignedIn),
    ("GET", "/api/v1/reference/vocabularies/{code}/terms", SignedIn),
    ("GET", "/api/v1/cases", Module("monitoring")),
    ("POST", "/api/v1/cases", Module("monitoring")),
    ("GET", "/api/v1/cases/{id}", Case),
    ("GET", "/api/v1/cases/{id}/history", Case),
    ("POST", "/api/v1/cases/{id}/status", CaseNarrative),
    ("GET", "/api/v1/cases/{id}/persons", Case),
    ("POST", "/api/v1/cases/{id}/persons", Case),
    ("GET", "/api/v1/cases/{id}/acts", Case),
    ("POST", "/api/v1/cases/{id}/acts", CaseNarrative),
    ("GET", "/api/v1/cases/{id}/interventions", Case),
    ("POST", "/api/v1/cases/{id}/interventions", CaseNarrative),
    ("POST", "/api/v1/interventions/{id}", CaseNarrative),
    ("GET", "/api/v1/follow-ups", Module("monitoring")),
    ("GET", "/api/v1/cases/{id}/sources", Case),
    ("POST", "/api/v1/cases/{id}/sources", CaseNarrative),
    ("POST", "/api/v1/sources/{id}/withdraw", Case),
    ("GET", "/api/v1/cases/{id}/evidence", CaseEvidence),
    ("POST", "/api/v1/cases/{id}/evidence", CaseNarrative),
    ("GET", "/api/v1/evidence/{id}/file", CaseEvidence),
    ("GET", "/api/v1/evidence/{id}/custody", CaseEvidence),
    ("POST", "/api/v1/evidence/{id}/custody", CaseEvidence),
    ("GET", "/api/v1/mechanisms", Module("mechanisms")),
    ("GET", "/api/v1/recommendations", Module("mechanisms")),
    ("GET", "/api/v1/recommendations/progress", Aggregates("mechanisms")),
    ("GET", "/api/v1/recommendations/{id}", Recommendation),
    ("POST", "/api/v1/recommendations/{id}/details", Recommendation),
    ("POST", "/api/v1/recommendations/{id}/updates", Recommendation),
    ("GET", "/api/v1/progress-updates", Reviewers),
    ("GET", "/api/v1/treaties", Module("mechanisms")),
    ("GET", "/api/v1/search", SignedIn),
    ("GET", "/api/v1/actions", MechanismsStaff),
    ("POST", "/api/v1/actions", MechanismsStaff),
    ("GET", "/api/v1/actions/{id}", MechanismsStaff),
    ("POST", "/api/v1/actions/{id}/indicators", MechanismsStaff),
    ("POST", "/api/v1/actions/{id}/recommendations", MechanismsStaff),
    ("POST", "/api/v1/progress-updates/{id}/review", MechanismsStaff),
    ("POST", "/api/v1/recommendations/{id}/assessments", Recommendation),
    ("POST", "/api/v1/recommendations/{id}/cases", Recommendation),
    ("GET", "/api/v1/cases/{id}/recommendations", Case),
    ("GET", "/api/v1/reporting-events", MechanismsStaff),
    ("POST", "/api/v1/reporting-events", MechanismsStaff),
    ("GET", "/protection", Module("protection")),
    ("GET", "/protection/new", Module("protection")),
    ("POST", "/protection/files", Module("protection")),
    ("GET", "/protection/files/{id}", ProtectionFile),
    ("POST", "/protection/files/{id}", ProtectionFile),
    ("POST", "/protection/files/{id}/status", ProtectionFile),
    ("POST", "/protection/files/{id}/team", ProtectionFile),
    ("POST", "/protection/files/{id}/cases", ProtectionFile),
    ("POST", "/protection/files/{id}/persons", ProtectionFile),
    ("POST", "/protection/files/{id}/threats", ProtectionFile),
    ("POST", "/protection/files/{id}/assessments", ProtectionFile),
    ("POST", "/protection/files/{id}/measures", ProtectionFile),
    ("POST", "/protection/files/{id}/measures/{measure}", ProtectionFile),
    ("POST", "/protection/files/{id}/schedule", ProtectionFile),
    ("POST", "/protection/files/{id}/checkins", ProtectionFile),
    ("GET", "/protection/alerts", Module("protection")),
    ("POST", "/protection/alerts/{id}/acknowledge", ProtectionFile),
    ("POST", "/protection/export", Module("protection")),
    ("GET", "/api/v1/protection/files", Module("protection")),
    ("POST", "/api/v1/protection/files", Module("protection")),
    ("GET", "/api/v1/protection/files/{id}", ProtectionFile),
    ("POST", "/api/v1/protection/files/{id}/status", ProtectionFile),
    ("POST", "/api/v1/protection/files/{id}/cases", ProtectionFile),
    ("POST", "/api/v1/protection/files/{id}/threats", ProtectionFile),
    ("POST", "/api/v1/protection/files/{id}/assessments", ProtectionFile),
    ("POST", "/api/v1/protection/files/{id}/measures", ProtectionFile),
    ("POST", "/api/v1/protection/files/{id}/schedule", ProtectionFile),
    ("POST", "/api/v1/protection/files/{id}/checkins", ProtectionFile),
    ("GET", "/api/v1/protection/alerts", Module("protection")),
    ("POST", "/api/v1/protection/alerts/{id}/acknowledge", ProtectionFile),
    ("GET", "/legislation", Module("legislation")),
    ("GET", "/legislation/new", Legislation),
    ("POST", "/legislation/laws", Legislation),
    ("GET", "/legislation/laws/{id}", Law),
    ("POST", "/legislation/laws/{id}", Law),
    ("POST", "/legislation/laws/{id}/stage", Law),
    ("POST", "/legislation/laws/{id}/links", Law),
    ("POST", "/legislation/laws/{id}/versions", Law),
    ("GET", "/legislation/laws/{id}/versions/{version}", Law),
    ("GET", "/legislation/laws/{id}/versions/{version}/edit", Law),
    ("POST", "/legislation/laws/{id}/versions/{version}/edit", Law),
    ("GET", "/legislation/laws/{id}/versions/{version}/file", Law),
    ("GET", "/legislation/laws/{id}/compare", Law),
    ("POST", "/legislation/laws/{id}/versions/{version}/comments", Law),
    ("POST", "/legislation/laws/{id}/comments/{comment}", Law),
    ("POST", "/legislation/laws/{id}/comments/{comment}/response", Law),
    ("POST", "/legislation/laws/{id}/export", Law),
    ("GET", "/legislation/versions/{version}", Law),
    ("GET", "/legislation/comments/{comment}", Law),
    ("GET", "/api/v1/laws", Module("legislation")),
    ("POST", "/api/v1/laws", Legislation),
    ("GET", "/api/v1/laws/{id}", Law),
    ("POST", "/api/v1/laws/{id}/stage", Law),
    ("POST", "/api/v1/laws/{id}/links", Law),
    ("POST", "/api/v1/laws/{id}/versions", Law),
    ("GET", "/api/v1/laws/{id}/versions/{version}", Law),
    ("GET", "/api/v1/laws/{id}/compare", Law),
    ("POST", "/api/v1/laws/{id}/comments", Law),
    ("POST", "/api/v1/laws/{id}/comments/{comment}/response", Law),
    ("GET", "/capacity", Module("capacity")),
    ("GET", "/grants", Module("grants")),
    ("GET", "/engagement", Module("engagement")),
    ("GET", "/engagement/organisations/new", Module("engagement")),
    ("POST", "/engagement/organisations", Module("engagement")),
    ("GET", "/engagement/organisations/{id}", Module("engagement")),
    ("GET", "/engagement/organisations/{id}/edit", Module("engagement")),
    ("POST", "/engagement/organisations/{id}", Module("engagement")),
    ("POST", "/engagement/organisations/{id}/relations", Module("engagement")),
    ("POST", "/engagement/contacts", Module("engagement")),
    ("GET", "/engagement/contacts/{id}", Contact),
    ("POST", "/engagement/contacts/{id}", Contact),
    ("POST", "/engagement/contacts/{id}/merge", Contact),
    ("GET", "/engagement/meetings", Module("engagement")),
    ("GET", "/engagement/meetings/new", Module("engagement")),
    ("POST", "/engagement/meetings", Module("engagement")),
    ("GET", "/engagement/meetings/{id}", Module("engagement")),
    ("GET", "/engagement/meetings/{id}/edit", Module("engagement")),
    ("POST", "/engagement/meetings/{id}", Module("engagement")),
    ("POST", "/engagement/meetings/{id}/actions", Module("engagement")),
    ("POST", "/engagement/meetings/{id}/actions/{action}", Module("engagement")),
    ("GET", "/api/v1/organisations", Module("engagement")),
    ("POST", "/api/v1/organisations", Module("engagement")),
    ("GET", "/api/v1/organisations/{id}", Module("engagement")),
    ("GET", "/api/v1/meetings", Module("engagement")),
    ("POST", "/api/v1/meetings", Module("engagement")),
    ("GET", "/api/v1/meetings/{id}", Module("engagement")),
    ("POST", "/api/v1/meetings/{id}/actions", Module("engagement")),
    ("GET", "/assessment", Module("assessment")),
];

/// Lines of work of each role (DESIGN.md §2), written out independently of
/// `rightsdesk_domain::policy`.
fn modules_of(role: &str) -> &'static [&'static str] {
    const ALL: &[&str] =
        &["monitoring", "protection", "legislation", "mechanisms", "capacity", "grants", "engagement", "assessment"];
    match role {
        "admin" | "head_of_office" => ALL,
        "officer" => &["monitoring", "protection", "engagement", "mechanisms", "legislation", "assessment"],
        "legal_officer" => &["legislation", "monitoring", "mechanisms", "engagement", "assessment"],
        "mechanisms_officer" => &["mechanisms", "monitoring", "legislation", "engagement", "assessment"],
        "programme_officer" => &["capacity", "grants", "engagement", "legislation", "assessment"],
        "analyst" => &["assessment"],
        "viewer" => &["mechanisms", "legislation", "assessment"],
        "focal_point" => &["mechanisms", "legislation"],
        _ => &[],
    }
}

/// Roles that only read.
fn read_only(role: &str) -> bool {
    matches!(role, "viewer" | "analyst" | "focal_point")
}

struct Who {
    name: &'static str,
    role: &'static str,
    /// On the team of both cases (which are of the PNH office).
    team: bool,
    /// Head of the cases' office.
    head_here: bool,
    browser: Option<Browser>,
    csrf: String,
    token: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Record {
    /// The normal case; the focal point's own recommendation.
    Normal,
    /// The restricted case; another institution's recommendation.
    Restricted,
}

#[derive(Debug, PartialEq)]
enum Expect {
    Allowed,
    Denied,
    /// A write by someone allowed: judged by the module's own tests.
    NotJudged,
}

fn expect(rule: Rule, method: &str, path: &str, who: &Who, record: Record) -> Expect {
    use Expect::*;
    let writes = method == "POST" || path.ends_with("/new") || path.ends_with("/edit") || path.ends_with("/import");
    let Some(_) = who.browser.as_ref().filter(|_| who.role != "anonymous") else {
        return if matches!(rule, Public) { Allowed } else { Denied };
    };
    let has = |m: &str| modules_of(who.role).contains(&m);
    let reads = match rule {
        Public | SignedIn => true,
        Feed => false,
        Admin => who.role == "admin",
        AdminOrHead => matches!(who.role, "admin" | "head_of_office"),
        Module(m) => has(m),
        Aggregates(m) => has(m) || who.role == "analyst",
        MechanismsStaff => has("mechanisms") && who.role != "focal_point",
        Case | CaseNarrative => has("monitoring") && (record == Record::Normal || who.team || who.head_here),
        CaseEvidence => has("monitoring") && (who.team || who.head_here),
        Reviewers => has("mechanisms") && !read_only(who.role),
        Recommendation => has("mechanisms") && (record == Record::Normal || who.role != "focal_point"),
        // Written out from the issue: a file exists for its team and the head of its office only.
        ProtectionFile => has("protection") && (who.head_here || (record == Record::Normal && who.team)),
        Legislation => has("legislation"),
        Law => has("legislation") && (record == Record::Normal || who.role != "focal_point"),
        Contact => has("engagement"),
    };
    if !reads {
        return Denied;
    }
    if !writes || matches!(rule, Public | SignedIn) {
        return if writes { NotJudged } else { Allowed };
    }
    if rule == Admin {
        return NotJudged;
    }
    // Subscribing to the calendar one may read is reading.
    if path.starts_with("/mechanisms/calendar/feed") {
        return NotJudged;
    }
    // Draft laws and their analysis are written by legal officers (and heads, administrators).
    if matches!(rule, Legislation | Law) {
        return if matches!(who.role, "legal_officer" | "head_of_office" | "admin") { NotJudged } else { Denied };
    }
    // A contact is changed (and merged) by its own office only.
    if rule == Contact {
        let own = (record == Record::Normal) != in_btb(who);
        return if own && !read_only(who.role) { NotJudged } else { Denied };
    }
    // A focal point writes only progress updates on its own recommendations.
    if who.role == "focal_point" {
        return if path.ends_with("/updates") && rule == Recommendation { NotJudged } else { Denied };
    }
    if read_only(who.role) || (rule == AdminOrHead && who.role != "admin") {
        return Denied;
    }
    if rule == CaseNarrative && !(who.team || who.head_here) {
        return Denied;
    }
    NotJudged
}

/// The matrix's users of the BTB office (the others are of PNH).
fn in_btb(who: &Who) -> bool {
    matches!(who.name, "officer elsewhere" | "programme" | "viewer")
}

/// A refusal of a page. 400 counts as one: the matrix sends each form only
/// its anti-forgery token, which some forms reject as malformed before they
/// look at who asks; that answer is the same for everyone and every record,
/// so it tells nothing and does nothing.
fn is_denied(status: u16, location: &str) -> bool {
    matches!(status, 400 | 401 | 403 | 404) || (status == 303 && location.starts_with("/login"))
}

/// A refusal of the API: it checks the caller before it reads the body, so a
/// refusal is 401 (no token), 403 or 404 (issue 15), never a 400 for the
/// empty body the matrix sends.
fn is_api_refusal(status: u16, anonymous: bool) -> bool {
    if anonymous {
        status == 401
    } else {
        matches!(status, 403 | 404)
    }
}

fn id_of(v: &Value) -> String {
    v["id"].as_i64().unwrap().to_string()
}

async fn access_matrix_finds_no_unauthorized_success(db: Db) {
    let tdb = TestDatabase::new(db).await;
    // The protection scheduler every second, so the overdue measures below
    // have real alerts for the acknowledgement routes.
    let config = tdb.dir.path().join("rightsdesk.toml");
    std::fs::write(&config, "alert_scan_seconds = 1\n").unwrap();
    let server = Server::start(&tdb, &["--demo", "--config", config.to_str().unwrap()]);
    let printed = server.printed();
    let line = printed.lines().find(|l| l.contains("sign in as admin@demo.rightsdesk.example")).unwrap();
    let demo_password = line.rsplit(' ').next().unwrap().to_string();
    add_user(&tdb, "outsider.pnh@test.example", "officer", "PNH");
    // An account for the administrators' forms to act on.
    add_user(&tdb, "spare@test.example", "viewer", "BTB");
    let terms = rightsdesk_testdata::repo("vocab/huridocs_esf_microthesauri_terms.csv");
    assert!(tdb.cli(&["vocabulary", "import-huridocs", terms.to_str().unwrap()], None).status.success());

    // The routes the application has and the table above: the same.
    let routes: Vec<(String, String)> =
        route_list().await.into_iter().map(|r| (r.method.to_string(), r.path.to_string())).collect();
    for (method, path) in &routes {
        assert!(
            MATRIX.iter().any(|(m, p, _)| m == method && p == path),
            "{method} {path} has no entry in the access matrix (crates/app/tests/access.rs)"
        );
    }
    for (m, p, _) in MATRIX {
        assert!(routes.iter().any(|(method, path)| method == m && path == p), "{m} {p} is no longer a route");
    }

    let people: [(&str, &str, &str, bool, bool); 11] = [
        ("admin", "admin@demo.rightsdesk.example", "admin", false, false),
        ("head", "head@demo.rightsdesk.example", "head_of_office", false, true),
        ("team officer", "officer.pnh@demo.rightsdesk.example", "officer", true, false),
        ("outsider officer", "outsider.pnh@test.example", "officer", false, false),
        ("officer elsewhere", "officer.btb@demo.rightsdesk.example", "officer", false, false),
        ("legal", "legal@demo.rightsdesk.example", "legal_officer", false, false),
        ("mechanisms", "mechanisms@demo.rightsdesk.example", "mechanisms_officer", false, false),
        ("programme", "programme@demo.rightsdesk.example", "programme_officer", false, false),
        ("analyst", "analyst@demo.rightsdesk.example", "analyst", false, false),
        ("viewer", "viewer@demo.rightsdesk.example", "viewer", false, false),
        ("focal point", "focal.point@demo.rightsdesk.example", "focal_point", false, false),
    ];
    let mut everyone = vec![Who {
        name: "anonymous",
        role: "anonymous",
        team: false,
        head_here: false,
        browser: Some(server.browser()),
        csrf: String::new(),
        token: None,
    }];
    everyone[0].csrf = everyone[0].browser.as_ref().unwrap().csrf("/login").await;
    for (name, email, role, team, head_here) in people {
        let b = server.browser();
        let password = if email.ends_with("@test.example") { PASSWORD } else { demo_password.as_str() };
        b.sign_in_ok(email, password).await;
        let csrf = b.any_csrf().await;
        let token = tdb.api_token(email);
        everyone.push(Who { name, role, team, head_here, browser: Some(b), csrf, token: Some(token) });
    }

    // The records: a normal and a restricted case of the PNH office opened
    // by the team officer, each with an intervention, a source and a file.
    let api = reqwest::Client::new();
    let team_token = everyone[3].token.clone().unwrap();
    let post = |path: &str, body: Value| {
        api.post(format!("{}/api/v1{path}", server.base)).bearer_auth(&team_token).json(&body).send()
    };
    let organisation = {
        let v: Value = api
            .get(format!("{}/api/v1/organisations", server.base))
            .bearer_auth(&team_token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        id_of(&v[0])
    };
    let mut ids = std::collections::HashMap::new();
    for (record, title, sensitivity) in [
        (Record::Normal, "Eviction in Sangkae", "normal"),
        (Record::Restricted, "Quixotrel witness threatened", "restricted"),
    ] {
        let r = post(
            "/cases",
            serde_json::json!({"title": title, "province": "12", "start_date": "2026-05", "sensitivity": sensitivity}),
        )
        .await
        .unwrap();
        assert_eq!(r.status().as_u16(), 201);
        let case = id_of(&r.json().await.unwrap());
        let r = post(
            &format!("/cases/{case}/interventions"),
            serde_json::json!({"organisation_id": organisation, "kind": "call", "request": "Ask for news"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
        let intervention = id_of(&r.json().await.unwrap());
        let r = post(
            &format!("/cases/{case}/sources"),
            serde_json::json!({"received": "2026-03-02", "method": "interview", "reliability": "reliable",
                "validity": "confirmed", "consent": "raise_with_authorities", "information": "A neighbour saw it."}),
        )
        .await
        .unwrap();
        assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
        let source = id_of(&r.json().await.unwrap());
        let form = reqwest::multipart::Form::new()
            .text("description", "Photograph of the site")
            .part("file", reqwest::multipart::Part::bytes(b"%PDF-1.4\nx".to_vec()).file_name("site.pdf"));
        let r = api
            .post(format!("{}/api/v1/cases/{case}/evidence", server.base))
            .bearer_auth(&team_token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
        let evidence = id_of(&r.json().await.unwrap());
        ids.insert(record, (case, intervention, source, evidence));
    }
    // Recommendations: one of the focal point's institution, one of another.
    let list = |token: String| {
        let api = &api;
        let base = server.base.clone();
        async move {
            let v: Value = api
                .get(format!("{base}/api/v1/recommendations?limit=100"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let items = v.get("items").cloned().unwrap_or(v);
            items.as_array().unwrap().iter().map(id_of).collect::<Vec<_>>()
        }
    };
    // Protection files: one of the team officer's team, one of the head's
    // (the team officer is not on it); each with a measure overdue for review.
    let mut files = std::collections::HashMap::new();
    for (record, token, label) in [
        (Record::Normal, everyone[3].token.clone().unwrap(), "Quixotrel defender D1"),
        (Record::Restricted, everyone[2].token.clone().unwrap(), "Quixotrel journalist J1"),
    ] {
        let send = |path: String, body: Value| {
            api.post(format!("{}/api/v1{path}", server.base)).bearer_auth(&token).json(&body).send()
        };
        let r = send(
            "/protection/files".into(),
            serde_json::json!({"subject": "individual", "label": label, "profile": "defender", "province": "12"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
        let file = id_of(&r.json().await.unwrap());
        let r = send(
            format!("/protection/files/{file}/measures"),
            serde_json::json!({"kind": "accompaniment", "status": "active", "review_on": "2026-01-02"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
        let measure = id_of(&r.json().await.unwrap());
        // The scheduler raises the measure's overdue review within a pass or two.
        let mut alert = None;
        for _ in 0..100 {
            let v: Value = api
                .get(format!("{}/api/v1/protection/files/{file}", server.base))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if let Some(a) = v["alerts"].as_array().and_then(|a| a.first()) {
                alert = Some(id_of(a));
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        files.insert(record, (file, measure, alert.expect("an alert raised by the scheduler")));
    }
    let theirs = list(everyone[11].token.clone().unwrap()).await;
    let all = list(everyone[1].token.clone().unwrap()).await;
    let own_recommendation = theirs.first().expect("the focal point has recommendations").clone();
    let other_recommendation = all.iter().find(|id| !theirs.contains(id)).expect("another institution's").clone();

    // Draft laws, by the legal officer: one linked to the focal point's
    // recommendation, one to another institution's, each with a version and a comment.
    let legal_token = everyone[6].token.clone().unwrap();
    let mut laws = std::collections::HashMap::new();
    for (record, name, recommendation) in
        [(Record::Normal, "Assembly", &own_recommendation), (Record::Restricted, "Zylphor", &other_recommendation)]
    {
        let send = |path: String, body: Value| {
            api.post(format!("{}/api/v1{path}", server.base)).bearer_auth(&legal_token).json(&body).send()
        };
        let r = send(
            "/laws".into(),
            serde_json::json!({"title_en": format!("Draft law {name}"), "short_name": name, "priority": "high",
                "stage": "drafting", "stage_on": "2026-01-05"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
        let law = id_of(&r.json().await.unwrap());
        let r = send(
            format!("/laws/{law}/versions"),
            serde_json::json!({"label": "First draft", "dated": "2026-01-05", "file_name": "law.txt",
                "file_base64": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "Article 1\nText.\nArticle 2\nMore text.")}),
        )
        .await
        .unwrap();
        assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
        let version = id_of(&r.json().await.unwrap());
        let r = send(
            format!("/laws/{law}/comments"),
            serde_json::json!({"article_number": "1", "concern": "Too broad.", "severity": "major"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
        let comment = id_of(&r.json().await.unwrap());
        let r =
            send(format!("/laws/{law}/links"), serde_json::json!({"kind": "recommendation", "target": recommendation}))
                .await
                .unwrap();
        assert_eq!(r.status().as_u16(), 204, "{}", r.text().await.unwrap());
        laws.insert(record, (law, version, comment));
    }

    // Civil society contacts: one kept by PNH (the team officer's office),
    // one by BTB; a meeting with a follow-up action.
    let ngo = {
        let r = api
            .post(format!("{}/api/v1/organisations", server.base))
            .bearer_auth(&team_token)
            .json(
                &serde_json::json!({"name_en": "Matrix Rights Network", "name_km": "បណ្តាញសិទ្ធិ", "kind": "civil_society"}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
        id_of(&r.json().await.unwrap())
    };
    let mut contacts = std::collections::HashMap::new();
    for (record, at, name) in [(Record::Normal, 3, "Corvanth Pich"), (Record::Restricted, 5, "Velmorra Sok")] {
        let b = everyone[at].browser.as_ref().unwrap();
        let r = b
            .submit(
                &format!("/engagement/organisations/{ngo}"),
                "/engagement/contacts",
                &[("organisation_id", &ngo), ("name", name)],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
        let page = b.text(&format!("/engagement/organisations/{ngo}")).await.1;
        let id = page
            .split("/engagement/contacts/")
            .skip(1)
            .find(|rest| rest.split('<').next().is_some_and(|link| link.contains(name)))
            .map(|rest| rest.split('"').next().unwrap().to_string())
            .expect("the new contact on the organisation page");
        contacts.insert(record, id);
    }
    let r = api
        .post(format!("{}/api/v1/meetings", server.base))
        .bearer_auth(&team_token)
        .json(&serde_json::json!({"kind": "meeting", "held_on": "2026-11-02", "title": "Matrix meeting", "organisation_ids": ngo}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
    let meeting = id_of(&r.json().await.unwrap());
    let r = api
        .post(format!("{}/api/v1/meetings/{meeting}/actions", server.base))
        .bearer_auth(&team_token)
        .json(&serde_json::json!({"action": "Send the report", "owner_id": "1", "due_on": "2026-12-01"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
    let meeting_action = id_of(&r.json().await.unwrap());

    let users: Value = api
        .get(format!("{}/api/v1/users", server.base))
        .bearer_auth(everyone[1].token.clone().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let spare = id_of(users.as_array().unwrap().iter().find(|u| u["email"] == "spare@test.example").unwrap());
    let mut checked = 0;
    let mut failures = vec![];
    // Every read first, then every write: an authorized empty form can change
    // a record (clear a recommendation's institutions, say) that a later
    // read of the matrix depends on.
    let reads_then_writes = MATRIX.iter().filter(|r| r.0 == "GET").chain(MATRIX.iter().filter(|r| r.0 == "POST"));
    for (method, pattern, rule) in reads_then_writes {
        if *method == "POST" && matches!(*pattern, "/logout" | "/login" | "/profile/password") {
            continue; // would end the session, start another, or change the password the others use
        }
        for record in [Record::Normal, Record::Restricted] {
            let (case, intervention, source, evidence) = ids[&record].clone();
            let recommendation = if record == Record::Normal { &own_recommendation } else { &other_recommendation };
            let id = match rule {
                Case | CaseEvidence | CaseNarrative if pattern.contains("cases/{id}") => case.clone(),
                Case | CaseEvidence | CaseNarrative if pattern.contains("/interventions/") => intervention.clone(),
                Case | CaseEvidence | CaseNarrative if pattern.contains("/sources/") => source.clone(),
                Case | CaseEvidence | CaseNarrative if pattern.contains("/evidence/") => evidence.clone(),
                Case | CaseEvidence | CaseNarrative => case.clone(),
                Recommendation => recommendation.clone(),
                ProtectionFile if pattern.contains("/alerts/") => files[&record].2.clone(),
                ProtectionFile => files[&record].0.clone(),
                Law => laws[&record].0.clone(),
                Contact => contacts[&record].clone(),
                // Never one's own token or account: the matrix would lock itself out.
                _ if pattern.starts_with("/profile/tokens/") => "999999".into(),
                _ if pattern.starts_with("/admin/users/") => spare.clone(),
                _ if pattern.contains("/meetings/{id}") => meeting.clone(),
                _ => "1".into(),
            };
            let path = pattern
                .replace("{*name}", "app.css")
                .replace("{id}", &id)
                .replace("{case_id}", &ids[&Record::Normal].0)
                .replace("{goal}", "16")
                .replace("{indicator}", "1")
                .replace("{measure}", &files[&record].1)
                .replace("{version}", &laws[&record].1)
                .replace("{comment}", &laws[&record].2)
                .replace("{action}", &meeting_action)
                .replace("{file}", "0123456789abcdef.ics")
                .replace(
                    "{code}",
                    if pattern.contains("districts/") {
                        "0203"
                    } else if pattern.contains("provinces/") {
                        "02"
                    } else if pattern.contains("lang") {
                        "km"
                    } else if pattern.contains("vocabularies") {
                        "huridocs-types_of_acts"
                    } else {
                        "ICCPR"
                    },
                )
                + &match *pattern {
                    // A word of the restricted case's title: found for its team only.
                    "/search" | "/api/v1/search" => "?q=witness".to_string(),
                    "/api/v1/recommendations/progress" => "?by=theme".to_string(),
                    "/legislation/laws/{id}/compare" | "/api/v1/laws/{id}/compare" => {
                        format!("?from={0}&to={0}", laws[&record].1)
                    }
                    _ => String::new(),
                };
            for who in &everyone {
                let want = expect(*rule, method, pattern, who, record);
                let b = who.browser.as_ref().unwrap();
                let is_api = pattern.starts_with("/api/");
                let mut req = if *method == "GET" { b.http.get(b.url(&path)) } else { b.http.post(b.url(&path)) };
                if is_api {
                    // The API by bearer token, without the browser's cookies.
                    req = if *method == "GET" {
                        api.get(b.url(&path))
                    } else {
                        api.post(b.url(&path)).json(&serde_json::json!({}))
                    };
                    if let Some(t) = &who.token {
                        req = req.bearer_auth(t);
                    }
                } else if *method == "POST" {
                    let multipart = pattern.ends_with("/evidence") || pattern.contains("/import");
                    req = if multipart {
                        req.multipart(
                            reqwest::multipart::Form::new()
                                .text("_csrf", who.csrf.clone())
                                .text("mode", "dry_run")
                                .part("file", reqwest::multipart::Part::bytes(b"title\n".to_vec()).file_name("x.csv")),
                        )
                    } else {
                        req.form(&[("_csrf", who.csrf.as_str())])
                    };
                }
                let r = req.send().await.unwrap();
                let status = r.status().as_u16();
                let location = r.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
                let body = r.text().await.unwrap_or_default();
                checked += 1;
                let label = format!("{} {method} {path} ({record:?}): {status} {location}", who.name);
                if status >= 500 {
                    failures.push(format!("{label}: server error"));
                    continue;
                }
                // Whatever the answer (a list, a search, an export, a refusal),
                // the restricted case's title reaches its team and head only.
                if !(who.team || who.head_here) && body.contains("Quixotrel") {
                    failures.push(format!("{label}: restricted title shown"));
                }
                // A civil society contact's name reaches the office that keeps it only.
                if body.contains("Velmorra") && !in_btb(who) {
                    failures.push(format!("{label}: another office's contact named"));
                }
                if body.contains("Corvanth") && in_btb(who) {
                    failures.push(format!("{label}: another office's contact named"));
                }
                // A law not linked to the focal point's institution does not exist for them.
                if who.role == "focal_point" && body.contains("Zylphor") {
                    failures.push(format!("{label}: another institution's law shown"));
                }
                match want {
                    Expect::Denied if is_api && !is_api_refusal(status, who.token.is_none()) => {
                        failures.push(format!("{label}: should be refused with 401, 403 or 404"))
                    }
                    Expect::Denied if !is_api && !is_denied(status, &location) => {
                        failures.push(format!("{label}: should be denied"))
                    }
                    Expect::Allowed if is_denied(status, &location) => {
                        failures.push(format!("{label}: should be allowed"))
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} requests went wrong:\n{}", failures.len(), failures.join("\n"));
    eprintln!(
        "{db:?}: {checked} requests: {} of the {} routes (not sign-in, sign-out, password change) × {} users × 2 records",
        checked / (everyone.len() * 2),
        MATRIX.len(),
        everyone.len()
    );
    server.stop();
    tdb.drop_database().await;
}
