//! The reporting calendar and its iCalendar feed.

use super::*;

pub fn reporting_kind_label(tr: &Tr, kind: &str) -> String {
    tr.t(&format!("reporting-kind-{}", kind.replace('_', "-")))
}

pub struct EventRow {
    pub id: i64,
    pub mechanism: String,
    pub kind: String,
    pub cycle: String,
    pub title: String,
    pub due: String,
    pub status: String,
    pub notes: String,
    pub open: bool,
    /// A row that is not a reporting event (a draft law's public
    /// consultation): where it leads, and no status to change here.
    pub href: Option<String>,
    /// The due day as `YYYY-MM-DD`, for the order of the rows.
    pub due_iso: String,
}

#[derive(Template)]
#[template(path = "mechanisms/calendar.html")]
pub(crate) struct CalendarPage {
    l: Layout,
    overdue: Vec<EventRow>,
    upcoming: Vec<EventRow>,
    past: Vec<EventRow>,
    can_edit: bool,
    mechanisms: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    form: rightsdesk_domain::mechanisms::ReportingEventFields,
    errors: FormErrors,
    has_feed: bool,
    /// Shown once, right after the feed was started.
    feed_url: Option<String>,
}

pub(crate) async fn calendar_page(
    ctx: &Ctx,
    form: rightsdesk_domain::mechanisms::ReportingEventFields,
    errors: FormErrors,
    feed_url: Option<String>,
) -> Result<Html<String>, PageError> {
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let today = crate::kit::today();
    let (mut overdue, mut upcoming, mut past) = (vec![], vec![], vec![]);
    for e in store.reporting_events().await? {
        let row = EventRow {
            id: e.id,
            mechanism: e.mechanism_code.clone(),
            kind: reporting_kind_label(tr, &e.kind),
            cycle: tr.digits(tr.pick(&e.cycle, &e.cycle_km)),
            title: tr.digits(tr.pick(&e.title, &e.title_km)),
            due: tr.iso_date(&Some(e.due_on.clone())),
            status: match (e.status.as_str(), &e.done_on) {
                ("done", Some(on)) => tr.t1("event-done-on", "date", &tr.iso_date(&Some(on.clone()))),
                (s, _) => tr.t(&format!("event-status-{s}")),
            },
            notes: tr.digits(tr.pick(&e.notes, &e.notes_km)),
            open: e.status == "open",
            href: None,
            due_iso: e.due_on.clone(),
        };
        match (e.status.as_str(), e.due_on < today) {
            ("open", true) => overdue.push(row),
            ("open", false) => upcoming.push(row),
            _ => past.push(row),
        }
    }
    // Public consultations on draft laws, for those who read the register.
    if rightsdesk_domain::law_scope(&ctx.actor).is_some_and(|s| s.institution.is_none()) {
        for c in consultations(tr, store).await? {
            let row = EventRow {
                id: 0,
                mechanism: "—".into(),
                kind: tr.t("law-consultation"),
                cycle: String::new(),
                title: c.title,
                due: tr.iso_date(&Some(c.closes.clone())),
                status: String::new(),
                notes: format!("{} – {}", tr.iso_date(&Some(c.opens)), tr.iso_date(&Some(c.closes.clone()))),
                open: false,
                href: Some(format!("/legislation/laws/{}", c.law_id)),
                due_iso: c.closes.clone(),
            };
            if c.closes < today {
                past.push(row);
            } else {
                upcoming.push(row);
            }
        }
        upcoming.sort_by(|a, b| a.due_iso.cmp(&b.due_iso));
        past.sort_by(|a, b| a.due_iso.cmp(&b.due_iso));
    }
    past.reverse();
    render(CalendarPage {
        l: ctx.layout(tr.t("calendar-title")),
        overdue,
        upcoming,
        past,
        can_edit: ctx.allows(Action::Update, Resource::ReportingCalendar),
        mechanisms: mechanism_options(tr, &store.mechanisms().await?),
        kinds: rightsdesk_domain::mechanisms::REPORTING_KINDS
            .iter()
            .map(|k| (k.to_string(), reporting_kind_label(tr, k)))
            .collect(),
        form,
        errors,
        has_feed: store.has_calendar_feed(ctx.me()?.id).await?,
        feed_url,
    })
}

/// Upcoming and overdue deadlines of the UPR, the treaty bodies and the
/// special procedures, and the user's calendar feed.
pub async fn calendar(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::ReportingCalendar)?;
    calendar_page(&ctx, Default::default(), FormErrors::default(), None).await
}

pub async fn add_event(
    ctx: Ctx,
    PageForm(f): PageForm<rightsdesk_domain::mechanisms::ReportingEventFields>,
) -> Result<Response, PageError> {
    ctx.require(Action::Create, Resource::ReportingCalendar)?;
    let refuse = |errs: &[ValidationError]| {
        let errors = FormErrors::from_validation(&ctx.tr, errs);
        let f = f.clone();
        let ctx = &ctx;
        async move {
            let page = calendar_page(ctx, f, errors, None).await?;
            Ok::<_, PageError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    };
    let input = match f.parse() {
        Ok(i) => i,
        Err(errs) => return refuse(&errs).await,
    };
    match ctx.state.store.add_reporting_event(&input, ctx.me()?.id, &ctx.audit("calendar.add")).await {
        Ok(_) => Ok(Redirect::to("/mechanisms/calendar").into_response()),
        Err(rightsdesk_store::StoreError::Constraint(_)) => {
            refuse(&[ValidationError::new("mechanism_code", "invalid-choice")]).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct EventStatusForm {
    #[serde(default)]
    pub status: String,
}

pub async fn set_event_status(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<EventStatusForm>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, Resource::ReportingCalendar)?;
    let status = f.status.trim();
    if !rightsdesk_domain::mechanisms::EVENT_STATUSES.contains(&status) {
        return Err(ErrorCode::BadRequest.into());
    }
    let today = crate::kit::today();
    let done_on = (status == "done").then_some(today.as_str());
    ctx.state.store.set_reporting_event_status(id, status, done_on, &ctx.audit("calendar.status")).await?;
    Ok(Redirect::to("/mechanisms/calendar").into_response())
}

/// Starts the user's calendar feed: a new secret address (shown once; an
/// earlier one stops working).
pub async fn start_feed(
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    PageForm(_): PageForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    ctx.require(Action::View, Resource::ReportingCalendar)?;
    let (token, hash) = rightsdesk_crypto::new_token("rdcal_");
    ctx.state.store.create_calendar_feed(ctx.me()?.id, &hash, &ctx.audit("calendar.feed_start")).await?;
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if ctx.state.config.secure_cookies { "https" } else { "http" };
    let url = format!("{scheme}://{host}/calendar/{token}.ics");
    let page = calendar_page(&ctx, Default::default(), FormErrors::default(), Some(url)).await?;
    Ok(page.into_response())
}

pub async fn revoke_feed(ctx: Ctx, PageForm(_): PageForm<serde::de::IgnoredAny>) -> Result<Response, PageError> {
    ctx.require(Action::View, Resource::ReportingCalendar)?;
    ctx.state.store.revoke_calendar_feeds(ctx.me()?.id, &ctx.audit("calendar.feed_revoke")).await?;
    Ok(Redirect::to("/mechanisms/calendar").into_response())
}

/// The iCalendar feed a calendar program subscribes to. The secret in the
/// address is the credential (calendar programs send no cookies or bearer
/// tokens); it works while its user is active and may see the mechanisms
/// module, and answers 404 otherwise, the same as an unknown address.
pub async fn feed(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    _public: crate::auth::Public,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let not_found = || crate::error::error_page(ErrorCode::NotFound).into_response();
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    if token.len() > 100 || !token.starts_with("rdcal_") {
        return not_found();
    }
    let store = state.store.as_ref();
    let user = match store.calendar_feed_user(&rightsdesk_crypto::hash_token(token)).await {
        Ok(Some(id)) => match store.user_by_id(id).await {
            Ok(Some(u)) if !u.disabled => u,
            _ => return not_found(),
        },
        _ => return not_found(),
    };
    let actor = rightsdesk_domain::Actor::User(crate::auth::principal_of(&user, false));
    if !rightsdesk_domain::can(&actor, Action::View, &Resource::ReportingCalendar).is_allowed() {
        return not_found();
    }
    let Ok(events) = store.reporting_events().await else {
        return crate::error::error_page(ErrorCode::Internal).into_response();
    };
    let tr = crate::i18n::Tr::new(user.locale, user.khmer_digits);
    let laws = match rightsdesk_domain::law_scope(&actor) {
        Some(s) if s.institution.is_none() => consultations(&tr, store).await.unwrap_or_default(),
        _ => vec![],
    };
    // The feed owner's open follow-up actions from meetings.
    let actions =
        if rightsdesk_domain::can(&actor, Action::View, &Resource::Module(rightsdesk_domain::Module::Engagement))
            .is_allowed()
        {
            store.open_actions_of(user.id).await.unwrap_or_default()
        } else {
            vec![]
        };
    let body = ical_of(&tr, &events, &laws, &actions);
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "private, max-age=900"),
        ],
        body,
    )
        .into_response()
}

/// A draft law's public-consultation window.
pub struct Consultation {
    pub law_id: i64,
    pub title: String,
    pub opens: String,
    pub closes: String,
}

/// The consultation windows of the register, titled in the reader's language.
pub async fn consultations(
    tr: &Tr,
    store: &dyn rightsdesk_store::Store,
) -> Result<Vec<Consultation>, rightsdesk_store::StoreError> {
    Ok(store
        .law_consultations()
        .await?
        .into_iter()
        .filter_map(|law| {
            let title = tr.t1("law-consultation-event", "law", &crate::legislation::title(tr, &law));
            Some(Consultation {
                law_id: law.id,
                title,
                opens: law.consultation_opens?,
                closes: law.consultation_closes?,
            })
        })
        .collect())
}

/// The reporting calendar as iCalendar: one all-day event per date, and
/// each public consultation on a draft law from its first to its last day.
pub fn ical_of(
    tr: &Tr,
    events: &[rightsdesk_store::ReportingEvent],
    laws: &[Consultation],
    actions: &[rightsdesk_store::engagement::MeetingAction],
) -> String {
    use icalendar::{Calendar, Component, EventLike};
    let mut cal = Calendar::new();
    cal.name(&tr.t("calendar-feed-name"));
    for a in actions {
        let Some(day) = chrono::NaiveDate::parse_from_str(&a.due_on, "%Y-%m-%d").ok() else { continue };
        cal.push(
            icalendar::Event::new()
                .uid(&format!("meeting-action-{}@rightsdesk", a.id))
                .all_day(day)
                .summary(&a.action)
                .description(&format!("{}: {}", tr.t("meeting-follow-ups"), a.meeting_title))
                .done(),
        );
    }
    for c in laws {
        let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        let (Some(opens), Some(closes)) = (day(&c.opens), day(&c.closes)) else { continue };
        // DTEND of an all-day event is the day after the last.
        let Some(end) = closes.succ_opt() else { continue };
        cal.push(
            icalendar::Event::new()
                .uid(&format!("law-consultation-{}@rightsdesk", c.law_id))
                .starts(opens)
                .ends(end)
                .summary(&c.title)
                .description(&tr.t("law-consultation"))
                .done(),
        );
    }
    for e in events {
        let Some(day) = chrono::NaiveDate::parse_from_str(&e.due_on, "%Y-%m-%d").ok() else {
            continue;
        };
        // In the feed owner's language, as on the page.
        let mut description =
            format!("{}\n{}", reporting_kind_label(tr, &e.kind), tr.digits(tr.pick(&e.cycle, &e.cycle_km)));
        let notes = tr.pick(&e.notes, &e.notes_km);
        if !notes.is_empty() {
            description = format!("{description}\n\n{}", tr.digits(notes));
        }
        let status = match e.status.as_str() {
            "done" => icalendar::EventStatus::Confirmed,
            "lapsed" => icalendar::EventStatus::Cancelled,
            _ => icalendar::EventStatus::Tentative,
        };
        cal.push(
            icalendar::Event::new()
                .uid(&format!("reporting-event-{}@rightsdesk", e.id))
                .all_day(day)
                .summary(&format!("[{}] {}", e.mechanism_code, tr.digits(tr.pick(&e.title, &e.title_km))))
                .description(&description)
                .status(status)
                .done(),
        );
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_consultation_window_is_one_event_over_its_days() {
        let tr = Tr::new(rightsdesk_domain::Locale::Km, false);
        let c = Consultation {
            law_id: 7,
            title: "ការពិគ្រោះយោបល់សាធារណៈលើ LANGO".into(),
            opens: "2026-02-01".into(),
            closes: "2026-02-28".into(),
        };
        // Long lines are folded (RFC 5545): read them unfolded.
        let ics = ical_of(&tr, &[], &[c], &[]).replace("\r\n ", "").replace("\n ", "");
        assert!(ics.contains("UID:law-consultation-7@rightsdesk"), "{ics}");
        assert!(ics.contains("DTSTART;VALUE=DATE:20260201"), "{ics}");
        // The end of an all-day event is the day after its last day.
        assert!(ics.contains("DTEND;VALUE=DATE:20260301"), "{ics}");
        assert!(ics.contains("SUMMARY:ការពិគ្រោះយោបល់សាធារណៈលើ LANGO"), "{ics}");
    }
}
