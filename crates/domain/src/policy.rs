//! The one access policy. Every page, API endpoint, search, export, download
//! and count asks [`can`] before it does anything; the answer is deny unless a
//! rule below says otherwise.

use crate::platform::Role;
use serde::Serialize;

/// The lines of work of a field office (DESIGN.md §1), one module each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Module {
    Monitoring,
    Protection,
    Legislation,
    Mechanisms,
    Capacity,
    Grants,
    Engagement,
    Assessment,
}

impl Module {
    pub const ALL: [Module; 8] = [
        Module::Monitoring,
        Module::Protection,
        Module::Legislation,
        Module::Mechanisms,
        Module::Capacity,
        Module::Grants,
        Module::Engagement,
        Module::Assessment,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Module::Monitoring => "monitoring",
            Module::Protection => "protection",
            Module::Legislation => "legislation",
            Module::Mechanisms => "mechanisms",
            Module::Capacity => "capacity",
            Module::Grants => "grants",
            Module::Engagement => "engagement",
            Module::Assessment => "assessment",
        }
    }
    pub fn parse(s: &str) -> Option<Module> {
        Module::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// A signed-in user as the policy sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: i64,
    pub role: Role,
    pub office_id: i64,
    /// Teams the user belongs to, for need-to-know records.
    pub teams: Vec<i64>,
    /// The outside institution (organisation id) of a focal point.
    pub organisation_id: Option<i64>,
    /// True until the second factor is given, or while an administrator who
    /// must use TOTP has not enrolled yet: only the sign-in and enrolment
    /// steps are open then.
    pub second_factor_pending: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    User(Principal),
}

impl Actor {
    pub fn principal(&self) -> Option<&Principal> {
        match self {
            Actor::User(p) => Some(p),
            Actor::Anonymous => None,
        }
    }
}

/// What someone wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Open to anyone: sign-in form, health check, static assets, API description.
    ViewPublic,
    /// Sign-in steps that need a session but not a completed second factor.
    CompleteSignIn,
    View,
    Create,
    Update,
    Delete,
    Export,
    /// See names, contacts and other identifying data of people in a record.
    ViewIdentifying,
    /// Write a case's free text (title and summary, acts, interventions,
    /// sources, evidence notes, status reasons): `Update` and
    /// `ViewIdentifying` together. Text is checked for the names of the
    /// case's people, and telling someone who may not see those names that
    /// a text holds one would confirm a guessed name (decision 0011).
    WriteNarrative,
    /// Put identifying data into an export file (a permission of heads of
    /// office only; each record still needs `ViewIdentifying`).
    ExportIdentifying,
}

/// What it is done to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// Pages with no data behind them.
    Public,
    /// The actor's own profile, password, second factor and API tokens.
    OwnAccount,
    /// Gazetteer, instruments, ratifications, SDGs: public facts, for staff.
    ReferenceData,
    /// The landing page and records of a line of work.
    Module(Module),
    /// Counts and progress figures of a line of work, never a record: for
    /// those who work in it, and for the analyst (aggregates only).
    Aggregates(Module),
    /// Staff accounts (administration).
    Users,
    Offices,
    AuditLog,
    /// One monitoring case.
    Case(CaseRef),
    /// The reporting calendar and its feeds: the office's own planning.
    ReportingCalendar,
    /// Implementation actions and their indicators: the office's own planning too.
    ImplementationActions,
    /// One UN recommendation.
    Recommendation(RecommendationRef),
    /// One protection file: it exists only for its team and the head of its office.
    ProtectionFile(ProtectionFileRef),
    /// One draft law of the register.
    Law(LawRef),
    /// One person of the stakeholder directory.
    Contact(ContactRef),
}

/// What the policy needs to know about a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContactRef {
    /// The office that keeps the contact.
    pub office_id: i64,
    /// Their name and details are identifying data (a civil society
    /// contact; `StakeholderKind::contacts_are_identifying`).
    pub identifying: bool,
}

/// What the policy needs to know about a draft law.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LawRef {
    /// It is linked to a recommendation assigned to the actor's own
    /// institution (what a focal point may see of the register).
    pub linked_to_actor_institution: bool,
}

/// Which draft laws a user may see, as lists, counts and search apply it in
/// the database: all of them, or those linked to a recommendation of one
/// institution (focal points). Derived from the same rules as [`can`] (a
/// test checks they agree).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LawScope {
    pub institution: Option<i64>,
}

/// The law scope of an actor, or `None` when legislation is closed to them.
pub fn law_scope(actor: &Actor) -> Option<LawScope> {
    let p = actor.principal()?;
    if p.second_factor_pending || !role_modules(p.role).contains(&Module::Legislation) {
        return None;
    }
    match p.role {
        Role::FocalPoint => p.organisation_id.map(|o| LawScope { institution: Some(o) }),
        _ => Some(LawScope { institution: None }),
    }
}

/// Who writes in the register and the analysis: legal officers, and the
/// heads of office and administrators who can do everything (decision 0016).
fn writes_laws(role: Role) -> bool {
    matches!(role, Role::LegalOfficer | Role::HeadOfOffice | Role::Admin)
}

/// What the policy needs to know about a protection file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtectionFileRef {
    pub office_id: i64,
    /// The actor is on the file's assigned team.
    pub assigned: bool,
}

/// Which protection files a user may see, as a filter lists, counts,
/// search and exports apply in the database: the files the user is
/// assigned to and, for a head of office, every file of that office.
/// Derived from the same rules as [`can`] (a test checks they agree).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtectionScope {
    pub user_id: i64,
    pub head_of_office: Option<i64>,
}

impl ProtectionScope {
    pub fn sees(&self, f: &ProtectionFileRef) -> bool {
        f.assigned || self.head_of_office == Some(f.office_id)
    }
}

/// The protection scope of an actor, or `None` when protection is closed to them.
pub fn protection_scope(actor: &Actor) -> Option<ProtectionScope> {
    let p = actor.principal()?;
    if p.second_factor_pending || !role_modules(p.role).contains(&Module::Protection) {
        return None;
    }
    Some(ProtectionScope { user_id: p.user_id, head_of_office: (p.role == Role::HeadOfOffice).then_some(p.office_id) })
}

/// What the policy needs to know about a recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecommendationRef {
    /// It is assigned to the actor's own institution (for focal points).
    pub assigned_to_actor: bool,
}

/// Which recommendations a user may see, as a filter the lists, counts,
/// facets, progress views and exports apply in the database: all of them,
/// or those assigned to one institution. Derived from the same rules as
/// [`can`] (a test checks they agree).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecommendationScope {
    pub institution: Option<i64>,
}

/// The recommendation scope of an actor, or `None` when mechanisms are closed to them.
pub fn recommendation_scope(actor: &Actor) -> Option<RecommendationScope> {
    let p = actor.principal()?;
    if p.second_factor_pending || !role_modules(p.role).contains(&Module::Mechanisms) {
        return None;
    }
    match p.role {
        Role::FocalPoint => p.organisation_id.map(|o| RecommendationScope { institution: Some(o) }),
        _ => Some(RecommendationScope { institution: None }),
    }
}

/// Which recommendations the aggregate figures of mechanisms count for this
/// actor: a focal point's institution's, everyone else's all of them (the
/// policy decides who may see the figures at all: `Resource::Aggregates`).
pub fn recommendation_aggregate_scope(actor: &Actor) -> Option<RecommendationScope> {
    let p = actor.principal()?;
    match p.role {
        Role::FocalPoint => recommendation_scope(actor),
        _ => Some(RecommendationScope { institution: None }),
    }
}

/// What the policy needs to know about a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseRef {
    pub office_id: i64,
    pub restricted: bool,
    /// The actor is on the case's assigned team.
    pub assigned: bool,
}

/// Which cases a user may see at all, in the form list and count queries
/// apply inside the database: every normal case, and restricted cases the
/// user is assigned to or, for a head of office, the restricted cases of
/// that office. Derived from the same rules as [`can`] (a test checks they agree).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseScope {
    pub user_id: i64,
    pub head_of_office: Option<i64>,
}

impl CaseScope {
    pub fn sees(&self, c: &CaseRef) -> bool {
        !c.restricted || c.assigned || self.head_of_office == Some(c.office_id)
    }
}

/// The case scope of an actor, or `None` when monitoring is closed to them.
pub fn case_scope(actor: &Actor) -> Option<CaseScope> {
    let p = actor.principal()?;
    if p.second_factor_pending || !role_modules(p.role).contains(&Module::Monitoring) {
        return None;
    }
    Some(CaseScope { user_id: p.user_id, head_of_office: (p.role == Role::HeadOfOffice).then_some(p.office_id) })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenyReason {
    /// Sign in first (pages redirect, the API answers 401).
    NotSignedIn,
    /// Signed in, but this function is not for this role (403).
    Forbidden,
    /// The record must look as if it did not exist (404).
    Hidden,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny(DenyReason),
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        matches!(self, Decision::Allow)
    }
}

/// Modules each role works in. Everything not listed is denied.
fn role_modules(role: Role) -> &'static [Module] {
    use Module::*;
    match role {
        Role::Admin | Role::HeadOfOffice => &Module::ALL,
        // Legislation is read by every office role and written by legal
        // officers (`writes_laws`); focal points see linked laws only.
        Role::Officer => &[Monitoring, Protection, Engagement, Mechanisms, Legislation, Assessment],
        Role::LegalOfficer => &[Legislation, Monitoring, Mechanisms, Engagement, Assessment],
        Role::MechanismsOfficer => &[Mechanisms, Monitoring, Legislation, Engagement, Assessment],
        Role::ProgrammeOfficer => &[Capacity, Grants, Engagement, Legislation, Assessment],
        Role::Analyst => &[Assessment],
        Role::Viewer => &[Mechanisms, Legislation, Assessment],
        Role::FocalPoint => &[Mechanisms, Legislation],
    }
}

/// Whether `role` may change records of `module` (viewers and analysts only read).
fn role_writes(role: Role) -> bool {
    !matches!(role, Role::Viewer | Role::Analyst | Role::FocalPoint)
}

/// The single authorization decision of rightsdesk. Deny by default.
pub fn can(actor: &Actor, action: Action, resource: &Resource) -> Decision {
    use Decision::{Allow, Deny};
    if matches!(resource, Resource::Public) && action == Action::ViewPublic {
        return Allow;
    }
    let Some(p) = actor.principal() else {
        return Deny(DenyReason::NotSignedIn);
    };
    if action == Action::CompleteSignIn {
        return if matches!(resource, Resource::OwnAccount) { Allow } else { Deny(DenyReason::Forbidden) };
    }
    if p.second_factor_pending {
        return Deny(DenyReason::NotSignedIn);
    }
    match resource {
        Resource::Public => Deny(DenyReason::Forbidden),
        Resource::OwnAccount => match action {
            Action::View | Action::Update | Action::Create | Action::Delete => Allow,
            _ => Deny(DenyReason::Forbidden),
        },
        Resource::ReferenceData => match action {
            Action::View | Action::Export => Allow,
            // Reference data changes only through imports run by administrators.
            Action::Create | Action::Update | Action::Delete if p.role == Role::Admin => Allow,
            _ => Deny(DenyReason::Forbidden),
        },
        Resource::Module(m) => {
            if !role_modules(p.role).contains(m) {
                return Deny(DenyReason::Forbidden);
            }
            if *m == Module::Legislation && action != Action::View && !writes_laws(p.role) {
                return Deny(DenyReason::Forbidden);
            }
            match action {
                Action::View => Allow,
                Action::Create | Action::Update | Action::Delete | Action::Export if role_writes(p.role) => Allow,
                Action::ExportIdentifying if p.role == Role::HeadOfOffice => Allow,
                _ => Deny(DenyReason::Forbidden),
            }
        }
        Resource::Aggregates(m) => {
            let reads = role_modules(p.role).contains(m) || p.role == Role::Analyst;
            if reads && matches!(action, Action::View | Action::Export) {
                Allow
            } else {
                Deny(DenyReason::Forbidden)
            }
        }
        Resource::Users | Resource::Offices => match (p.role, action) {
            (Role::Admin, Action::View | Action::Create | Action::Update | Action::Delete | Action::Export) => Allow,
            // Heads of office see who works where; only admins change accounts.
            (Role::HeadOfOffice, Action::View) => Allow,
            _ => Deny(DenyReason::Forbidden),
        },
        Resource::AuditLog => match (p.role, action) {
            (Role::Admin, Action::View | Action::Export) => Allow,
            _ => Deny(DenyReason::Forbidden),
        },
        Resource::ReportingCalendar | Resource::ImplementationActions => {
            if p.role == Role::FocalPoint || !role_modules(p.role).contains(&Module::Mechanisms) {
                return Deny(DenyReason::Forbidden);
            }
            match action {
                Action::View => Allow,
                Action::Create | Action::Update | Action::Delete if role_writes(p.role) => Allow,
                _ => Deny(DenyReason::Forbidden),
            }
        }
        Resource::Recommendation(r) => {
            if recommendation_scope(actor).is_none() {
                return Deny(DenyReason::Forbidden);
            }
            if p.role == Role::FocalPoint {
                // To a focal point, other institutions' recommendations do not exist.
                if !r.assigned_to_actor {
                    return Deny(DenyReason::Hidden);
                }
                // Reading it and sending a progress update (Create) only.
                return match action {
                    Action::View | Action::Create => Allow,
                    _ => Deny(DenyReason::Forbidden),
                };
            }
            match action {
                Action::View => Allow,
                Action::Create | Action::Update | Action::Delete | Action::Export if role_writes(p.role) => Allow,
                _ => Deny(DenyReason::Forbidden),
            }
        }
        Resource::ProtectionFile(f) => {
            let Some(scope) = protection_scope(actor) else {
                return Deny(DenyReason::Forbidden);
            };
            if !scope.sees(f) {
                // To everyone else a protection file does not exist.
                return Deny(DenyReason::Hidden);
            }
            let head_here = p.role == Role::HeadOfOffice && f.office_id == p.office_id;
            match action {
                // Everyone who sees a file works on it: names included.
                Action::View | Action::ViewIdentifying => Allow,
                Action::Create | Action::Update | Action::WriteNarrative | Action::Export if role_writes(p.role) => {
                    Allow
                }
                Action::Delete | Action::ExportIdentifying if head_here => Allow,
                _ => Deny(DenyReason::Forbidden),
            }
        }
        Resource::Law(l) => {
            let Some(scope) = law_scope(actor) else {
                return Deny(DenyReason::Forbidden);
            };
            if scope.institution.is_some() && !l.linked_to_actor_institution {
                // To a focal point, a law not linked to their institution does not exist.
                return Deny(DenyReason::Hidden);
            }
            match action {
                Action::View => Allow,
                // Draft laws and the analysis carry no personal data: whoever
                // writes them also exports them.
                Action::Create | Action::Update | Action::Delete | Action::Export if writes_laws(p.role) => Allow,
                _ => Deny(DenyReason::Forbidden),
            }
        }
        Resource::Contact(c) => {
            if !role_modules(p.role).contains(&Module::Engagement) {
                return Deny(DenyReason::Forbidden);
            }
            // The office that keeps a contact decides who they are to it.
            let own_office = c.office_id == p.office_id;
            match action {
                Action::View => Allow,
                Action::ViewIdentifying if !c.identifying => Allow,
                Action::ViewIdentifying | Action::Update | Action::Delete if own_office && role_writes(p.role) => Allow,
                _ => Deny(DenyReason::Forbidden),
            }
        }
        Resource::Case(c) => {
            let Some(scope) = case_scope(actor) else {
                return Deny(DenyReason::Forbidden);
            };
            if !scope.sees(c) {
                // To everyone else a restricted case does not exist.
                return Deny(DenyReason::Hidden);
            }
            let own_office = c.office_id == p.office_id;
            let head_here = p.role == Role::HeadOfOffice && own_office;
            match action {
                Action::View => Allow,
                // Need to know: names only for the case's team and its head of office.
                Action::ViewIdentifying if c.assigned || head_here => Allow,
                Action::WriteNarrative if role_writes(p.role) && (c.assigned || head_here) => Allow,
                Action::Create | Action::Update | Action::Export
                    if role_writes(p.role) && (c.assigned || own_office) =>
                {
                    Allow
                }
                Action::Delete if p.role == Role::HeadOfOffice && own_office => Allow,
                _ => Deny(DenyReason::Forbidden),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> Actor {
        Actor::User(Principal {
            user_id: 1,
            role,
            office_id: 1,
            teams: vec![],
            organisation_id: None,
            second_factor_pending: false,
        })
    }

    #[test]
    fn civil_society_contacts_are_identified_only_in_their_own_office() {
        let here = Resource::Contact(ContactRef { office_id: 1, identifying: true });
        let there = Resource::Contact(ContactRef { office_id: 2, identifying: true });
        let official = Resource::Contact(ContactRef { office_id: 2, identifying: false });
        let officer = user(Role::Officer);
        assert!(can(&officer, Action::ViewIdentifying, &here).is_allowed());
        assert!(can(&officer, Action::Update, &here).is_allowed());
        assert!(!can(&officer, Action::ViewIdentifying, &there).is_allowed());
        assert!(!can(&officer, Action::Update, &there).is_allowed());
        assert!(can(&officer, Action::View, &there).is_allowed());
        assert!(can(&officer, Action::ViewIdentifying, &official).is_allowed());
        for role in [Role::Viewer, Role::Analyst, Role::FocalPoint] {
            assert!(!can(&user(role), Action::View, &official).is_allowed(), "{role}");
        }
    }

    #[test]
    fn anonymous_sees_only_public_pages() {
        assert_eq!(can(&Actor::Anonymous, Action::ViewPublic, &Resource::Public), Decision::Allow);
        for r in [Resource::OwnAccount, Resource::ReferenceData, Resource::Users, Resource::AuditLog] {
            assert_eq!(can(&Actor::Anonymous, Action::View, &r), Decision::Deny(DenyReason::NotSignedIn));
        }
    }

    #[test]
    fn only_admins_manage_users_and_read_audit() {
        for role in Role::ALL {
            let a = user(role);
            assert_eq!(can(&a, Action::Create, &Resource::Users).is_allowed(), role == Role::Admin, "{role}");
            assert_eq!(can(&a, Action::View, &Resource::AuditLog).is_allowed(), role == Role::Admin, "{role}");
        }
    }

    #[test]
    fn analysts_see_only_assessment() {
        let a = user(Role::Analyst);
        // Aggregates only: progress figures of mechanisms, never a recommendation.
        assert!(can(&a, Action::View, &Resource::Aggregates(Module::Mechanisms)).is_allowed());
        assert!(!can(&a, Action::View, &Resource::Module(Module::Mechanisms)).is_allowed());
        assert!(!can(&a, Action::Create, &Resource::Aggregates(Module::Mechanisms)).is_allowed());
        assert!(
            !can(&user(Role::ProgrammeOfficer), Action::View, &Resource::Aggregates(Module::Mechanisms)).is_allowed()
        );
        for m in Module::ALL {
            assert_eq!(can(&a, Action::View, &Resource::Module(m)).is_allowed(), m == Module::Assessment);
        }
        assert!(!can(&a, Action::Create, &Resource::Module(Module::Assessment)).is_allowed());
    }

    #[test]
    fn pending_second_factor_opens_nothing_but_sign_in() {
        let a = Actor::User(Principal {
            user_id: 1,
            role: Role::Admin,
            office_id: 1,
            teams: vec![],
            organisation_id: None,
            second_factor_pending: true,
        });
        assert!(can(&a, Action::CompleteSignIn, &Resource::OwnAccount).is_allowed());
        assert!(!can(&a, Action::View, &Resource::OwnAccount).is_allowed());
        assert!(!can(&a, Action::View, &Resource::Users).is_allowed());
    }

    #[test]
    fn restricted_cases_exist_only_for_their_team_and_head_of_office() {
        let case = |restricted, assigned| Resource::Case(CaseRef { office_id: 1, restricted, assigned });
        let at = |role, office_id| {
            Actor::User(Principal {
                user_id: 7,
                role,
                office_id,
                teams: vec![],
                organisation_id: None,
                second_factor_pending: false,
            })
        };
        assert!(can(&at(Role::Officer, 2), Action::View, &case(false, false)).is_allowed());
        assert_eq!(can(&at(Role::Officer, 1), Action::View, &case(true, false)), Decision::Deny(DenyReason::Hidden));
        assert!(can(&at(Role::Officer, 2), Action::View, &case(true, true)).is_allowed());
        assert!(can(&at(Role::HeadOfOffice, 1), Action::View, &case(true, false)).is_allowed());
        assert_eq!(
            can(&at(Role::HeadOfOffice, 2), Action::View, &case(true, false)),
            Decision::Deny(DenyReason::Hidden)
        );
        assert_eq!(can(&at(Role::Admin, 1), Action::View, &case(true, false)), Decision::Deny(DenyReason::Hidden));
        assert_eq!(
            can(&at(Role::Analyst, 1), Action::View, &case(false, false)),
            Decision::Deny(DenyReason::Forbidden)
        );
        // Other offices read normal cases but do not change them.
        assert!(!can(&at(Role::Officer, 2), Action::Update, &case(false, false)).is_allowed());
        assert!(can(&at(Role::Officer, 1), Action::Update, &case(false, false)).is_allowed());
        assert!(!can(&at(Role::Viewer, 1), Action::Update, &case(false, true)).is_allowed());
        // Names: the team and the head of that office only.
        assert!(can(&at(Role::Officer, 2), Action::ViewIdentifying, &case(false, true)).is_allowed());
        assert!(!can(&at(Role::Officer, 1), Action::ViewIdentifying, &case(false, false)).is_allowed());
        assert!(can(&at(Role::HeadOfOffice, 1), Action::ViewIdentifying, &case(false, false)).is_allowed());
        assert!(!can(&at(Role::Admin, 1), Action::ViewIdentifying, &case(false, false)).is_allowed());
        // Free text of a case: the team and the head of office, who see its
        // names; an officer of the office who may update it may not.
        assert!(can(&at(Role::Officer, 2), Action::WriteNarrative, &case(false, true)).is_allowed());
        assert!(can(&at(Role::Officer, 1), Action::Update, &case(false, false)).is_allowed());
        assert!(!can(&at(Role::Officer, 1), Action::WriteNarrative, &case(false, false)).is_allowed());
        assert!(can(&at(Role::HeadOfOffice, 1), Action::WriteNarrative, &case(false, false)).is_allowed());
        assert!(!can(&at(Role::Viewer, 2), Action::WriteNarrative, &case(false, true)).is_allowed());
        let monitoring = Resource::Module(Module::Monitoring);
        assert!(can(&at(Role::HeadOfOffice, 1), Action::ExportIdentifying, &monitoring).is_allowed());
        for role in [Role::Officer, Role::Admin, Role::LegalOfficer] {
            assert!(!can(&at(role, 1), Action::ExportIdentifying, &monitoring).is_allowed());
        }
    }

    #[test]
    fn case_scope_agrees_with_can() {
        for role in Role::ALL {
            for office in [1, 2] {
                let actor = Actor::User(Principal {
                    user_id: 7,
                    role,
                    office_id: office,
                    teams: vec![],
                    organisation_id: None,
                    second_factor_pending: false,
                });
                for restricted in [false, true] {
                    for assigned in [false, true] {
                        let c = CaseRef { office_id: 1, restricted, assigned };
                        let by_can = can(&actor, Action::View, &Resource::Case(c)).is_allowed();
                        let by_scope = case_scope(&actor).is_some_and(|s| s.sees(&c));
                        assert_eq!(
                            by_can, by_scope,
                            "{role} office {office} restricted {restricted} assigned {assigned}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn legal_officers_write_laws_others_read_focal_points_see_linked_ones() {
        for role in Role::ALL {
            let a = user(role);
            let law = |linked| Resource::Law(LawRef { linked_to_actor_institution: linked });
            let reads = !matches!(role, Role::Analyst | Role::FocalPoint);
            assert_eq!(can(&a, Action::View, &law(false)).is_allowed(), reads, "{role}");
            let writes = matches!(role, Role::LegalOfficer | Role::HeadOfOffice | Role::Admin);
            for action in [Action::Create, Action::Update, Action::Export] {
                assert_eq!(can(&a, action, &law(false)).is_allowed(), writes, "{role} {action:?}");
                assert_eq!(
                    can(&a, action, &Resource::Module(Module::Legislation)).is_allowed(),
                    writes,
                    "{role} {action:?}"
                );
            }
            // The scope and the decision agree.
            assert_eq!(law_scope(&a).is_some(), reads, "{role}");
        }
        let Actor::User(p) = user(Role::FocalPoint) else { unreachable!() };
        let fp = Actor::User(Principal { organisation_id: Some(9), ..p });
        let law = |linked| Resource::Law(LawRef { linked_to_actor_institution: linked });
        assert_eq!(law_scope(&fp), Some(LawScope { institution: Some(9) }));
        assert_eq!(can(&fp, Action::View, &law(false)), Decision::Deny(DenyReason::Hidden));
        assert!(can(&fp, Action::View, &law(true)).is_allowed());
        assert!(!can(&fp, Action::Update, &law(true)).is_allowed());
        assert!(can(&fp, Action::View, &Resource::Module(Module::Legislation)).is_allowed());
    }

    #[test]
    fn focal_points_see_only_their_institutions_recommendations() {
        let fp = |org: Option<i64>| {
            Actor::User(Principal {
                user_id: 9,
                role: Role::FocalPoint,
                office_id: 1,
                teams: vec![],
                organisation_id: org,
                second_factor_pending: false,
            })
        };
        let a = fp(Some(4));
        let rec = |assigned_to_actor| Resource::Recommendation(RecommendationRef { assigned_to_actor });
        assert!(can(&a, Action::View, &rec(true)).is_allowed());
        assert!(can(&a, Action::Create, &rec(true)).is_allowed(), "a progress update");
        assert!(!can(&a, Action::Update, &rec(true)).is_allowed(), "no assessments, links or edits");
        assert_eq!(can(&a, Action::View, &rec(false)), Decision::Deny(DenyReason::Hidden));
        assert_eq!(recommendation_scope(&a), Some(RecommendationScope { institution: Some(4) }));
        assert_eq!(recommendation_scope(&fp(None)), None, "a focal point without an institution sees nothing");
        for m in Module::ALL {
            let reads = matches!(m, Module::Mechanisms | Module::Legislation);
            assert_eq!(can(&a, Action::View, &Resource::Module(m)).is_allowed(), reads, "{m:?}");
            assert!(!can(&a, Action::Create, &Resource::Module(m)).is_allowed());
            assert!(!can(&a, Action::Export, &Resource::Module(m)).is_allowed());
        }
        assert!(!can(&a, Action::View, &Resource::ReportingCalendar).is_allowed());
        assert!(!can(&a, Action::View, &Resource::ImplementationActions).is_allowed());
        let viewer = user(Role::Viewer);
        assert!(can(&viewer, Action::View, &Resource::ImplementationActions).is_allowed());
        assert!(!can(&viewer, Action::Create, &Resource::ImplementationActions).is_allowed());
        assert!(case_scope(&a).is_none());
        for r in [Resource::ReferenceData, Resource::Users, Resource::AuditLog] {
            let allowed = can(&a, Action::View, &r).is_allowed();
            assert_eq!(allowed, matches!(r, Resource::ReferenceData), "{r:?}");
        }
    }

    #[test]
    fn recommendation_scope_agrees_with_can() {
        for role in Role::ALL {
            for org in [None, Some(4)] {
                let actor = Actor::User(Principal {
                    user_id: 7,
                    role,
                    office_id: 1,
                    teams: vec![],
                    organisation_id: org,
                    second_factor_pending: false,
                });
                for assigned in [false, true] {
                    let by_can = can(
                        &actor,
                        Action::View,
                        &Resource::Recommendation(RecommendationRef { assigned_to_actor: assigned }),
                    )
                    .is_allowed();
                    // What the scope lets a list show of a recommendation assigned (or not) to institution 4.
                    let by_scope = recommendation_scope(&actor).is_some_and(|s| match s.institution {
                        None => true,
                        Some(i) => assigned && Some(i) == org,
                    });
                    assert_eq!(by_can, by_scope, "{role} org {org:?} assigned {assigned}");
                }
            }
        }
    }

    #[test]
    fn protection_files_exist_only_for_their_team_and_head_of_office() {
        let at = |role, office_id| {
            Actor::User(Principal {
                user_id: 7,
                role,
                office_id,
                teams: vec![],
                organisation_id: None,
                second_factor_pending: false,
            })
        };
        let file = |assigned| Resource::ProtectionFile(ProtectionFileRef { office_id: 1, assigned });
        for role in Role::ALL {
            for office in [1, 2] {
                for assigned in [false, true] {
                    let actor = at(role, office);
                    let f = ProtectionFileRef { office_id: 1, assigned };
                    let by_can = can(&actor, Action::View, &Resource::ProtectionFile(f)).is_allowed();
                    let by_scope = protection_scope(&actor).is_some_and(|s| s.sees(&f));
                    assert_eq!(by_can, by_scope, "{role} office {office} assigned {assigned}");
                }
            }
        }
        assert_eq!(can(&at(Role::Officer, 1), Action::View, &file(false)), Decision::Deny(DenyReason::Hidden));
        assert!(can(&at(Role::Officer, 2), Action::Update, &file(true)).is_allowed());
        assert!(can(&at(Role::HeadOfOffice, 1), Action::ViewIdentifying, &file(false)).is_allowed());
        assert_eq!(can(&at(Role::HeadOfOffice, 2), Action::View, &file(false)), Decision::Deny(DenyReason::Hidden));
        // Administrators run the system; they do not read protection files.
        assert_eq!(can(&at(Role::Admin, 1), Action::View, &file(false)), Decision::Deny(DenyReason::Hidden));
        assert_eq!(can(&at(Role::LegalOfficer, 1), Action::View, &file(true)), Decision::Deny(DenyReason::Forbidden));
        assert!(!can(&at(Role::Officer, 1), Action::Delete, &file(true)).is_allowed());
    }

    #[test]
    fn public_resource_is_only_for_public_action() {
        assert!(!can(&user(Role::Admin), Action::Delete, &Resource::Public).is_allowed());
    }
}
