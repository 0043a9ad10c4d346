//! Check-ins: an agreed schedule of contact with the person at risk, and
//! what follows when one is not recorded in time. Everything here is
//! derived from stored times and `now`, never from timers in memory, so the
//! scheduler finds the same answer after a restart.

use super::*;
use time::{format_description::BorrowedFormatItem, macros::format_description, PrimitiveDateTime, UtcOffset};

crate::choice!(
    /// How the officer and the person keep in touch.
    CheckinChannel, "checkin-channel", {
        Call = "call",
        Message = "message",
        Visit = "visit",
        ContactPerson = "contact_person",
    }
);

crate::choice!(
    /// What a check-in found.
    CheckinOutcome, "checkin-outcome", {
        Safe = "safe",
        Concern = "concern",
        NoAnswer = "no_answer",
    }
);

impl CheckinOutcome {
    /// Whether the person was reached. "No answer" is recorded but does not
    /// restart the clock: nobody has heard from them.
    pub const fn reached(self) -> bool {
        !matches!(self, Self::NoAnswer)
    }
}

crate::choice!(
    /// What needs attention: the alerts the scheduler raises.
    AlertKind, "protection-alert", {
        MissedCheckin = "missed_checkin",
        EscalatedCheckin = "escalated_checkin",
        ReassessmentOverdue = "reassessment_overdue",
        MeasureReviewOverdue = "measure_review_overdue",
    }
);

crate::choice!(
    /// Where an alert stands: acknowledged (with a note) and resolved alerts stay in the history.
    AlertState, "alert-state", {
        Open = "open",
        Acknowledged = "acknowledged",
        Resolved = "resolved",
    }
);

/// A file's check-in schedule, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckinSchedule {
    /// When the schedule began (the first check-in is due one interval later).
    pub starts_at: i64,
    pub every: i64,
    /// How long after the due time a check-in may still come before it is missed.
    pub grace: i64,
    /// How long a missed check-in may stay open before the head of office is told.
    pub escalate_after: i64,
}

/// Where a file's next check-in stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CheckinStanding {
    /// Not yet due.
    Upcoming,
    /// Due, within the grace period.
    Due,
    /// Past due and grace: an alert to the assigned officers.
    Missed,
    /// Missed and still open after the escalation period: the head of office too.
    Escalated,
}

/// The next check-in's times, and where it stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextCheckin {
    pub due_at: i64,
    pub missed_at: i64,
    pub escalates_at: i64,
    pub standing: CheckinStanding,
}

impl CheckinSchedule {
    /// The next check-in after the last one that reached the person (or
    /// after the start of the schedule). The due time of a missed check-in
    /// stays where it was until someone is reached, so one missed check-in
    /// raises one alert, however long it stays missed; the due time is also
    /// what an alert row is keyed on, so a restart sends nothing twice.
    pub fn next(&self, last_reached_at: Option<i64>, now: i64) -> NextCheckin {
        let from = last_reached_at.map_or(self.starts_at, |t| t.max(self.starts_at));
        let due_at = from.saturating_add(self.every);
        let missed_at = due_at.saturating_add(self.grace);
        let escalates_at = missed_at.saturating_add(self.escalate_after);
        let standing = if now < due_at {
            CheckinStanding::Upcoming
        } else if now < missed_at {
            CheckinStanding::Due
        } else if now < escalates_at {
            CheckinStanding::Missed
        } else {
            CheckinStanding::Escalated
        };
        NextCheckin { due_at, missed_at, escalates_at, standing }
    }
}

crate::choice!(
    /// The unit of a schedule's interval as typed.
    IntervalUnit, "interval-unit", {
        Hours = "hours",
        Days = "days",
    }
);

/// A check-in schedule as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CheckinScheduleFields {
    /// How many hours or days between check-ins.
    pub every: String,
    /// `hours` or `days`.
    pub unit: String,
    pub channel: String,
    /// Hours of grace after the due time (default 2).
    pub grace_hours: String,
    /// Hours a missed check-in may stay open before escalation (default 12).
    pub escalate_after_hours: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckinScheduleInput {
    pub every: i64,
    pub channel: CheckinChannel,
    pub grace: i64,
    pub escalate_after: i64,
}

fn hours(field: &'static str, raw: &str, default: i64, max: i64) -> Result<i64, ValidationError> {
    match raw.trim() {
        "" => Ok(default * 3_600),
        t => match t.parse::<i64>() {
            Ok(n) if (0..=max).contains(&n) => Ok(n * 3_600),
            _ => Err(ValidationError { field, code: "out-of-range", limit: Some(max as usize) }),
        },
    }
}

impl CheckinScheduleFields {
    pub fn parse(&self) -> Result<CheckinScheduleInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let unit = IntervalUnit::parse(self.unit.trim());
        if unit.is_none() {
            errors.push(ValidationError::new("unit", "invalid-choice"));
        }
        // At most 90 days or the equivalent in hours: a schedule rarer than
        // that is not a check-in schedule.
        let max = if unit == Some(IntervalUnit::Hours) { 90 * 24 } else { 90 };
        let every = match self.every.trim().parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => Some(n),
            _ if self.every.trim().is_empty() => {
                errors.push(ValidationError::new("every", "required"));
                None
            }
            _ => {
                errors.push(ValidationError { field: "every", code: "out-of-range", limit: Some(max as usize) });
                None
            }
        };
        let channel = CheckinChannel::parse(self.channel.trim());
        if channel.is_none() {
            errors.push(ValidationError::new("channel", "invalid-choice"));
        }
        let grace = hours("grace_hours", &self.grace_hours, 2, 72).map_err(|e| errors.push(e)).ok();
        let escalate_after =
            hours("escalate_after_hours", &self.escalate_after_hours, 12, 168).map_err(|e| errors.push(e)).ok();
        match (unit, every, channel, grace, escalate_after) {
            (Some(unit), Some(every), Some(channel), Some(grace), Some(escalate_after)) if errors.is_empty() => {
                let every = every * if unit == IntervalUnit::Hours { 3_600 } else { 86_400 };
                Ok(CheckinScheduleInput { every, channel, grace, escalate_after })
            }
            _ => Err(errors),
        }
    }
}

/// A check-in as typed: when (`YYYY-MM-DDTHH:MM`, the office's local time,
/// as a `datetime-local` field sends it), how, what it found.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CheckinFields {
    pub at: String,
    pub channel: String,
    pub outcome: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinInput {
    /// Unix seconds.
    pub at: i64,
    pub channel: CheckinChannel,
    pub outcome: CheckinOutcome,
    pub note: String,
}

const LOCAL_MINUTE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]T[hour]:[minute]");
const LOCAL_MINUTE_SPACE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day] [hour]:[minute]");

/// A minute of the office's local time, as Unix seconds.
pub fn local_minute(field: &'static str, raw: &str, offset: UtcOffset) -> Result<i64, ValidationError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(ValidationError::new(field, "required"));
    }
    PrimitiveDateTime::parse(raw, LOCAL_MINUTE)
        .or_else(|_| PrimitiveDateTime::parse(raw, LOCAL_MINUTE_SPACE))
        .map(|t| t.assume_offset(offset).unix_timestamp())
        .map_err(|_| ValidationError::new(field, "invalid-date-time"))
}

/// A clock a minute fast is not "the future".
const CLOCK_SLACK: i64 = 60;

impl CheckinFields {
    /// `now` is Unix seconds; a check-in cannot be recorded ahead of it.
    pub fn parse(&self, now: i64, offset: UtcOffset) -> Result<CheckinInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let at = match local_minute("at", &self.at, offset) {
            Ok(at) if at > now + CLOCK_SLACK => {
                errors.push(ValidationError::new("at", "in-the-future"));
                None
            }
            Ok(at) => Some(at),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let channel = CheckinChannel::parse(self.channel.trim());
        if channel.is_none() {
            errors.push(ValidationError::new("channel", "invalid-choice"));
        }
        let outcome = CheckinOutcome::parse(self.outcome.trim());
        if outcome.is_none() {
            errors.push(ValidationError::new("outcome", "invalid-choice"));
        }
        let note = self.note.trim().to_string();
        if note.chars().count() > 5_000 {
            errors.push(ValidationError::too_long("note", 5_000));
        }
        match (at, channel, outcome) {
            (Some(at), Some(channel), Some(outcome)) if errors.is_empty() => {
                Ok(CheckinInput { at, channel, outcome, note })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600;
    const PHNOM_PENH: UtcOffset = time::macros::offset!(+7);

    fn daily() -> CheckinSchedule {
        CheckinSchedule { starts_at: 0, every: 24 * HOUR, grace: 2 * HOUR, escalate_after: 12 * HOUR }
    }

    #[test]
    fn a_check_in_is_due_then_missed_then_escalated() {
        let s = daily();
        let at = |now| s.next(None, now).standing;
        assert_eq!(at(23 * HOUR), CheckinStanding::Upcoming);
        assert_eq!(at(24 * HOUR), CheckinStanding::Due);
        assert_eq!(at(26 * HOUR - 1), CheckinStanding::Due);
        assert_eq!(at(26 * HOUR), CheckinStanding::Missed);
        assert_eq!(at(38 * HOUR - 1), CheckinStanding::Missed);
        assert_eq!(at(38 * HOUR), CheckinStanding::Escalated);
        // However long it stays missed, it is the same check-in (one alert).
        assert_eq!(s.next(None, 500 * HOUR).due_at, 24 * HOUR);
    }

    #[test]
    fn reaching_the_person_restarts_the_clock() {
        let s = daily();
        let next = s.next(Some(30 * HOUR), 31 * HOUR);
        assert_eq!((next.due_at, next.standing), (54 * HOUR, CheckinStanding::Upcoming));
        // A check-in recorded as before the schedule began counts from the start.
        assert_eq!(s.next(Some(-5 * HOUR), 0).due_at, 24 * HOUR);
        assert!(!CheckinOutcome::NoAnswer.reached() && CheckinOutcome::Concern.reached());
    }

    #[test]
    fn schedules_are_checked() {
        let ok = CheckinScheduleFields {
            every: "12".into(),
            unit: "hours".into(),
            channel: "call".into(),
            ..Default::default()
        };
        assert_eq!(
            ok.parse().unwrap(),
            CheckinScheduleInput {
                every: 12 * HOUR,
                channel: CheckinChannel::Call,
                grace: 2 * HOUR,
                escalate_after: 12 * HOUR
            }
        );
        let bad = CheckinScheduleFields {
            every: "0".into(),
            unit: "weeks".into(),
            channel: "pigeon".into(),
            grace_hours: "-1".into(),
            escalate_after_hours: "x".into(),
        };
        let fields: Vec<_> = bad.parse().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["unit", "every", "channel", "grace_hours", "escalate_after_hours"]);
        let too_rare = CheckinScheduleFields { every: "91".into(), unit: "days".into(), ..ok };
        assert_eq!(too_rare.parse().unwrap_err()[0].limit, Some(90));
    }

    #[test]
    fn a_check_in_in_the_future_is_refused() {
        // 2026-12-04 10:00 in Phnom Penh is 03:00 UTC.
        let now = time::macros::datetime!(2026-12-04 03:00 UTC).unix_timestamp();
        let fields = |at: &str| CheckinFields {
            at: at.into(),
            channel: "visit".into(),
            outcome: "safe".into(),
            note: String::new(),
        };
        assert_eq!(fields("2026-12-04T10:00").parse(now, PHNOM_PENH).unwrap().at, now);
        assert_eq!(fields("2026-12-04 09:15").parse(now, PHNOM_PENH).unwrap().at, now - 45 * 60);
        assert_eq!(
            fields("2026-12-04T10:05").parse(now, PHNOM_PENH).unwrap_err(),
            vec![ValidationError::new("at", "in-the-future")]
        );
        assert_eq!(fields("2026-02-30T10:00").parse(now, PHNOM_PENH).unwrap_err()[0].code, "invalid-date-time");
        assert_eq!(fields("").parse(now, PHNOM_PENH).unwrap_err()[0].code, "required");
    }
}
