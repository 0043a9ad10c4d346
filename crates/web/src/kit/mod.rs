//! What every line of work's pages share: the layout and its navigation,
//! rendering, form errors, labels of closed vocabularies, the office's date,
//! and reading an uploaded spreadsheet for an import.

use crate::auth::Ctx;
use crate::error::{ErrorCode, PageError};
use crate::i18n::Tr;
use askama::Template;
use axum::response::Html;
use rightsdesk_domain::{Action, Locale, Module, Resource, Role, ValidationError};

/// Today in Cambodia (UTC+7), `YYYY-MM-DD`.
pub fn today() -> String {
    let now =
        time::OffsetDateTime::now_utc().to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC));
    format!("{:04}-{:02}-{:02}", now.year(), now.month() as u8, now.day())
}

/// The label of a closed vocabulary's value (`rightsdesk_domain::choice!`).
#[macro_export]
macro_rules! choice_label {
    ($tr:expr, $value:expr) => {
        $tr.t(&$value.fluent_key())
    };
}

/// `(code, label)` of every value of a closed vocabulary, for a select.
#[macro_export]
macro_rules! choice_options {
    ($tr:expr, $choice:ty) => {
        <$choice>::ALL.iter().map(|v| (v.as_str().to_string(), $crate::choice_label!($tr, v))).collect::<Vec<_>>()
    };
}

/// An error page with the menu (`middleware::error_pages`).
#[derive(askama::Template)]
#[template(path = "platform/error.html")]
pub struct ErrorWithMenu {
    pub l: Layout,
    pub status: u16,
    pub message: String,
}

pub struct NavItem {
    pub href: String,
    pub label: String,
    pub active: bool,
}

/// What the shared layout needs.
pub struct Layout {
    pub tr: Tr,
    pub title: String,
    pub csrf: String,
    pub signed_in: bool,
    pub user_name: Option<String>,
    pub nav: Vec<NavItem>,
    pub toggle_href: String,
    pub toggle_lang: &'static str,
    pub toggle_label: String,
    pub flash: Option<String>,
}

pub fn module_href(m: Module) -> String {
    format!("/{}", m.as_str())
}

pub fn module_label(tr: &Tr, m: Module) -> String {
    tr.t(&format!("module-{}", m.as_str()))
}

pub fn module_description(tr: &Tr, m: Module) -> String {
    tr.t(&format!("module-{}-description", m.as_str()))
}

pub fn role_label(tr: &Tr, r: Role) -> String {
    tr.t(&format!("role-{}", r.as_str().replace('_', "-")))
}

/// `here` without a `lang=` parameter, so the toggle does not stick to the URL.
fn without_lang(here: &str) -> String {
    let (path, query) = here.split_once('?').unwrap_or((here, ""));
    let kept: Vec<&str> = query.split('&').filter(|p| !p.is_empty() && !p.starts_with("lang=")).collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

impl Ctx {
    pub fn layout(&self, title: impl Into<String>) -> Layout {
        let signed_in = self.user.is_some() && self.allows(Action::View, Resource::OwnAccount);
        let path = self.here.split('?').next().unwrap_or("/");
        let mut nav = vec![NavItem { href: "/".into(), label: self.tr.t("nav-home"), active: path == "/" }];
        if signed_in {
            for m in Module::ALL {
                if self.allows(Action::View, Resource::Module(m)) {
                    let href = module_href(m);
                    nav.push(NavItem { active: path.starts_with(&href), label: module_label(&self.tr, m), href });
                }
            }
            // The analyst sees figures without the records behind them.
            if !self.allows(Action::View, Resource::Module(Module::Mechanisms))
                && self.allows(Action::View, Resource::Aggregates(Module::Mechanisms))
            {
                nav.push(NavItem {
                    href: "/mechanisms/progress".into(),
                    label: self.tr.t("progress-title"),
                    active: path.starts_with("/mechanisms/progress"),
                });
            }
            nav.push(NavItem {
                href: "/reference".into(),
                label: self.tr.t("nav-reference"),
                active: path.starts_with("/reference"),
            });
            if self.allows(Action::View, Resource::Users) {
                nav.push(NavItem {
                    href: "/admin/users".into(),
                    label: self.tr.t("nav-admin"),
                    active: path.starts_with("/admin"),
                });
            }
        }
        let (toggle_lang, toggle_label) = match self.tr.locale {
            Locale::En => ("km", self.tr.t("lang-toggle-km")),
            Locale::Km => ("en", self.tr.t("lang-toggle-en")),
        };
        let next = percent_encoding::utf8_percent_encode(&without_lang(&self.here), percent_encoding::NON_ALPHANUMERIC)
            .to_string();
        Layout {
            tr: self.tr,
            title: title.into(),
            csrf: self.csrf.clone(),
            signed_in,
            user_name: if signed_in { self.user.as_ref().map(|u| u.name.clone()) } else { None },
            nav,
            toggle_href: format!("/lang/{toggle_lang}?next={next}"),
            toggle_lang,
            toggle_label,
            flash: None,
        }
    }
}

pub fn render<T: Template>(page: T) -> Result<Html<String>, PageError> {
    page.render().map(Html).map_err(|e| {
        tracing::error!(error = %e, "template failed");
        PageError::Code(ErrorCode::Internal)
    })
}

/// Field messages of a form, already translated.
#[derive(Default)]
pub struct FormErrors(Vec<(String, String)>);

impl FormErrors {
    pub fn from_validation(tr: &Tr, errors: &[ValidationError]) -> Self {
        FormErrors(errors.iter().map(|e| (e.field.to_string(), field_message(tr, e))).collect())
    }
    pub fn extend(&mut self, other: FormErrors) {
        self.0.extend(other.0);
    }
    pub fn add(&mut self, field: &str, message: String) {
        self.0.push((field.to_string(), message));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|(f, _)| f == field)
    }
    pub fn get(&self, field: &str) -> String {
        self.0.iter().filter(|(f, _)| f == field).map(|(_, m)| m.as_str()).collect::<Vec<_>>().join(" ")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn toggle_drops_lang_parameter() {
        assert_eq!(super::without_lang("/a?lang=km&x=1"), "/a?x=1");
        assert_eq!(super::without_lang("/a?lang=km"), "/a");
    }
}

#[cfg(test)]
mod message_tests {
    use crate::i18n::{catalog, Tr};
    use rightsdesk_domain::reference::RatificationStatus;
    use rightsdesk_domain::{Locale, Module, Role};

    /// Messages whose ids are built at run time exist in both languages.
    #[test]
    fn composed_message_ids_exist() {
        let mut ids = vec![];
        for m in Module::ALL {
            ids.push(format!("module-{}", m.as_str()));
            ids.push(format!("module-{}-description", m.as_str()));
        }
        for r in Role::ALL {
            ids.push(format!("role-{}", r.as_str().replace('_', "-")));
        }
        for s in [
            RatificationStatus::Signed,
            RatificationStatus::Ratified,
            RatificationStatus::Acceded,
            RatificationStatus::Succeeded,
            RatificationStatus::NoAction,
        ] {
            ids.push(format!("ratification-{}", s.as_str().replace('_', "-")));
        }
        for s in rightsdesk_domain::monitoring::CaseStatus::ALL {
            ids.push(format!("case-status-{}", s.as_str().replace('_', "-")));
        }
        for s in ["normal", "restricted"] {
            ids.push(format!("sensitivity-{s}"));
        }
        for u in rightsdesk_domain::monitoring::Urgency::ALL {
            ids.push(u.fluent_key());
        }
        {
            use rightsdesk_domain::monitoring::intervention as iv;
            use rightsdesk_domain::monitoring::source::{Consent, Reliability, SourceMethod, Validity};
            ids.extend(iv::InterventionKind::ALL.iter().map(|v| v.fluent_key()));
            ids.extend(iv::InterventionStatus::ALL.iter().map(|v| v.fluent_key()));
            ids.extend(SourceMethod::ALL.iter().map(|v| v.fluent_key()));
            ids.extend(Reliability::ALL.iter().map(|v| v.fluent_key()));
            ids.extend(Validity::ALL.iter().map(|v| v.fluent_key()));
            ids.extend(Consent::ALL.iter().map(|v| v.fluent_key()));
        }
        for a in crate::monitoring::CUSTODY_MANUAL.iter().chain(&[
            "uploaded",
            "downloaded",
            "verified",
            "verification_failed",
        ]) {
            ids.push(format!("custody-{}", a.replace('_', "-")));
        }
        for s in rightsdesk_store::CaseSort::ALL {
            ids.push(format!("sort-{}", s.as_str()));
        }
        use rightsdesk_domain::monitoring::person_choices as pc;
        for (group, values) in [
            ("person-kind", pc::KIND),
            ("sex", pc::SEX),
            ("age-group", pc::AGE_GROUP),
            ("occupation", pc::OCCUPATION),
            ("disability", pc::DISABILITY),
            ("perpetrator-type", pc::PERPETRATOR_TYPE),
        ] {
            for v in values.iter().filter(|v| !v.is_empty()) {
                ids.push(format!("{group}-{}", v.replace('_', "-")));
            }
        }
        for a in rightsdesk_domain::monitoring::ACT_TYPES {
            ids.push(format!("act-type-{}", a.replace('_', "-")));
        }
        for i in rightsdesk_domain::monitoring::INVOLVEMENT {
            ids.push(format!("involvement-{}", i.replace('_', "-")));
        }
        for k in rightsdesk_domain::engagement::StakeholderKind::ALL {
            ids.push(k.fluent_key());
        }
        for r in rightsdesk_domain::monitoring::PersonRole::ALL {
            ids.push(format!("person-role-{}", r.as_str()));
        }
        // Every code that domain validation can produce.
        for code in [
            "transition-not-allowed",
            "reopen-needs-reason",
            "invalid-fuzzy-date",
            "end-before-start",
            "place-not-inside",
            "unknown-place",
            "invalid-place-code",
            "invalid-choice",
            "invalid-age",
            "invalid-article",
            "invalid-day",
            "required",
            "too-long",
            "invalid-characters",
            "invalid-email",
            "unknown-role",
            "invalid-office-code",
            "unknown-office",
            "password-too-short",
            "cannot-demote-self",
            "unknown-locale",
        ] {
            ids.push(format!("field-error-{code}"));
        }
        {
            use rightsdesk_domain::legislation::*;
            ids.extend(LawStage::ALL.iter().map(|v| v.fluent_key()));
            ids.extend(LawPriority::ALL.iter().map(|v| v.fluent_key()));
            ids.extend(CommentSeverity::ALL.iter().map(|v| v.fluent_key()));
            ids.extend(CommentStatus::ALL.iter().map(|v| v.fluent_key()));
            ids.extend(GovernmentResponse::ALL.iter().map(|v| v.fluent_key()));
            ids.extend(VersionFormat::ALL.iter().map(|v| v.fluent_key()));
            for code in [
                "title-in-one-language",
                "dated-before-previous",
                "invalid-standard",
                "no-such-article",
                "law-file-unsupported",
                "law-file-encrypted",
                "law-file-damaged",
                "law-file-too-large",
                "law-text-or-file",
                "version-not-latest",
                "law-changed-meanwhile",
            ] {
                ids.push(format!("field-error-{code}"));
            }
            ids.push("field-error-law-file-over-limit-max".into());
            for kind in ["added", "removed", "renumbered", "changed", "unchanged"] {
                ids.push(format!("article-change-{kind}"));
            }
        }
        {
            use rightsdesk_domain::engagement::*;
            ids.extend(MeetingKind::ALL.iter().map(|v| v.fluent_key()));
            for r in RelationKind::ALL {
                ids.push(r.fluent_key());
                ids.push(format!("{}-inverse", r.fluent_key()));
            }
            for code in [
                "relation-to-itself",
                "organisation-inside-itself",
                "organisation-taken",
                "invalid-phone",
                "contact-other-office",
                "meeting-needs-counterpart",
                "organisation-kind-has-contacts",
            ] {
                ids.push(format!("field-error-{code}"));
            }
        }
        for id in ids {
            for l in Locale::ALL {
                assert!(catalog().has(l, &id), "{id} missing in {}", l.as_str());
            }
        }
        // Plural and arguments render in both languages.
        assert!(Tr::new(Locale::Km, true).tn("ref-not-ratified-count", "count", 3).contains('៣'));
    }
}

/// An import upload read whole: its text fields and its `file`, with the
/// form's anti-forgery token checked before the file is read.
pub struct ImportUpload {
    pub fields: Vec<(String, String)>,
    pub file: Option<Vec<u8>>,
    /// The name the browser gave the file.
    pub file_name: Option<String>,
}

impl ImportUpload {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    /// Without an explicit `mode=import` an upload is only checked.
    pub fn dry_run(&self) -> bool {
        self.field("mode") != Some("import")
    }
}

/// The message of a field error, with its limit when it has one.
pub fn field_message(tr: &Tr, e: &rightsdesk_domain::ValidationError) -> String {
    match e.limit {
        Some(max) => tr.t1(&format!("field-error-{}-max", e.code), "max", &tr.num(max as i64)),
        None => tr.t(&format!("field-error-{}", e.code)),
    }
}

/// What an import page says of a file it cannot read as a table.
pub fn unreadable_upload(tr: &Tr, e: &rightsdesk_export::ExportError) -> String {
    match e {
        rightsdesk_export::ExportError::NotATable => tr.t("import-not-a-table"),
        e => format!("{}: {e}", tr.t("import-unreadable")),
    }
}

pub async fn read_import_upload(
    ctx: &Ctx,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<ImportUpload, PageError> {
    let mut multipart = multipart.map_err(|_| ErrorCode::BadRequest)?;
    let too_large = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            PageError::Code(ErrorCode::PayloadTooLarge)
        } else {
            PageError::Code(ErrorCode::BadRequest)
        }
    };
    let mut upload = ImportUpload { fields: vec![], file: None, file_name: None };
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            // The form token comes first: nothing is read for a forged request.
            ctx.check_csrf(upload.field("_csrf").unwrap_or(""))?;
            upload.file_name = field.file_name().map(str::to_string);
            upload.file = Some(field.bytes().await.map_err(too_large)?.to_vec());
        } else {
            let text = field.text().await.map_err(too_large)?;
            upload.fields.push((name, text));
        }
    }
    ctx.check_csrf(upload.field("_csrf").unwrap_or(""))?;
    Ok(upload)
}
