# Protection of people at risk (issue 17)
protection-files-title = Protection files
protection-explain = People and communities at risk whom the office protects. A file is seen only by its team and the head of its office; every opening is recorded in the audit log.
protection-files-count = { $count ->
    [one] One file matches.
   *[other] { $count } files match.
}
protection-files-none = No protection files match.
protection-new-title = Open a protection file
protection-new-explain = Describe the person or group with codes, not names: people are linked from monitoring cases afterwards, and their identities stay encrypted.
protection-open = Open the file
protection-subject = Who is protected
protection-subject-individual = One person
protection-subject-group = A group or community
protection-label = Short description
protection-label-hint = For example "Land activist L1, Koh Kong". No names: lists and exports show this.
protection-profile = Profile
protection-profile-defender = Human rights defender
protection-profile-journalist = Journalist
protection-profile-land-activist = Land activist
protection-profile-environmental-activist = Environmental activist
protection-profile-unionist = Trade unionist
protection-profile-lawyer = Lawyer
protection-profile-community = Community facing eviction
protection-profile-other = Other
protection-status-open = Open
protection-status-monitoring = Monitoring
protection-status-closed = Closed
protection-status-reopened = Reopened
protection-status-reason = Reason (required to close or reopen)
protection-change-status = Change the status
protection-officer = Protection officer
protection-overdue-only = Only files with an open alert
protection-next-checkin = Next check-in due
protection-reassess-due = Next assessment due
protection-team = Team
protection-team-legend = Protection officers of this office on the file
protection-restricted-note = Restricted: only the team and the head of office see this file.
protection-export-note = The export holds the list's fields only: no names, threats or notes.
protection-link = Link
protection-link-case = Link a monitoring case (reference)
protection-link-person = Link a person of a linked case
protection-people = People protected
protection-people-none = No person is linked yet. Link a case first, then its people.
protection-cases = Monitoring cases
protection-cases-none = No case is linked.
protection-codes-hint = Refer to people by their codes (V1, W1), not by name.
protection-timeline = Timeline
protection-timeline-opened = File opened
protection-timeline-assessed = Risk assessed: { $level }
protection-timeline-measure = Measure: { $kind }
protection-timeline-checkin = Check-in: { $outcome }
protection-timeline-threat = Threat recorded: { $kind }
protection-timeline-alert = Alert: { $kind }

risk-level = Risk level
risk-level-none = Not assessed
risk-level-low = Low
risk-level-medium = Medium
risk-level-high = High
risk-level-critical = Critical
protection-assessments = Risk assessments
protection-assessments-none = No assessment yet.
assessment-method = Risk = threat (likelihood × impact) × vulnerabilities ÷ capacities, as in the protection manual. The level is computed; you may set another one with a written reason.
risk-assessment-new = New assessment
assessment-likelihood = Likelihood (1-5)
assessment-impact = Impact (1-5)
assessment-vulnerabilities = Vulnerabilities
assessment-capacities = Capacities
assessment-one-per-line = One per line.
assessment-override = Level
assessment-computed-level = As computed
assessment-override-reason = Reason for another level
assessment-save = Save the assessment
assessment-when = Assessed
assessment-overridden = computed { $level }

protection-threats = Threats
protection-threats-none = No threat recorded.
threat-new = Record a threat
threat-add = Record the threat
threat-date = Date
threat-kind = Kind of threat
threat-kind-surveillance = Surveillance
threat-kind-summons = Summons
threat-kind-physical-attack = Physical attack
threat-kind-legal-harassment = Legal harassment
threat-kind-online-harassment = Online harassment
threat-kind-threat-to-family = Threat to family
threat-kind-intimidation = Intimidation
threat-kind-property-damage = Damage to property
threat-kind-other = Other
threat-actor = Suspected actor
threat-actor-organisation = Suspected organisation
threat-actor-person = Suspected person (an alleged perpetrator of a linked case, by code)
threat-actor-description = Suspected actor, in words (a role or unit, no names)
threat-description = What happened
threat-act = Act of a linked case

protection-measures = Protective measures
protection-measures-none = No measure yet.
measure-new = Add a measure
measure-add = Add the measure
measure-kind = Measure
measure-kind-accompaniment = Accompaniment
measure-kind-urgent-appeal = Urgent appeal to the authorities
measure-kind-letter-to-authorities = Letter to the authorities
measure-kind-temporary-relocation = Temporary relocation
measure-kind-legal-support = Legal support
measure-kind-referral = Referral to a partner organisation
measure-kind-security-training = Security training
measure-kind-emergency-support = Emergency support
measure-status-planned = Planned
measure-status-active = Active
measure-status-completed = Completed
measure-status-cancelled = Cancelled
measure-responsible = Responsible
measure-responsible-officer = Responsible officer
measure-responsible-partner = or partner organisation
measure-period = Period
measure-starts = Starts
measure-ends = Ends
measure-review = Review date
measure-description = Description
measure-outcome = Outcome
measure-intervention = Intervention in the case
measure-intervention-legend = For an urgent appeal or a letter: the case it belongs to and the authority it goes to (it becomes an intervention of that case)
measure-case = Linked case
measure-authority = Authority

protection-checkins = Check-ins
protection-checkins-none = No check-in recorded.
protection-record-checkin = Record a check-in
protection-schedule = Check-in schedule
protection-no-schedule = No check-in schedule.
protection-every-hours = { $n ->
    [one] Every hour
   *[other] Every { $n } hours
}
protection-every-days = { $n ->
    [one] Every day
   *[other] Every { $n } days
}
schedule-every = Every
schedule-unit = Unit
interval-unit-hours = hours
interval-unit-days = days
schedule-grace-hours = Grace period (hours)
schedule-escalate-hours = Escalate to the head of office after (hours)
schedule-hint = A check-in not recorded by its due time plus the grace period raises an alert to the team; still open after the escalation period, to the head of office too. Leave "Every" empty to stop the schedule.
checkin-at = When
checkin-channel = Channel
checkin-channel-call = Call
checkin-channel-message = Message
checkin-channel-visit = Visit
checkin-channel-contact-person = Agreed contact person
checkin-outcome = Outcome
checkin-outcome-safe = Safe
checkin-outcome-concern = Concern
checkin-outcome-no-answer = No answer
checkin-note = Note
checkin-by = Recorded by
checkin-standing-upcoming = on schedule
checkin-standing-due = due now
checkin-standing-missed = missed
checkin-standing-escalated = escalated

alerts-title = Alerts
alerts-open = Open alerts
alerts-explain = Open alerts of your files, and escalations for the head of office.
alerts-explain-all = Every alert of the files you see, with the history.
alerts-all = Show all, with the history
alerts-mine = Show only what needs me
alerts-none = Nothing needs attention.
alerts-email-off = E-mail is not configured: alerts are shown here and on the home page only.
alert-kind = Alert
alert-due = Due
alert-raised = Raised
alert-note = What was done
alert-acknowledge = Acknowledge
alert-emailed = e-mailed { $when }
protection-alert-missed-checkin = Missed check-in
protection-alert-escalated-checkin = Missed check-in, escalated
protection-alert-reassessment-overdue = Reassessment overdue
protection-alert-measure-review-overdue = Measure review overdue
alert-state-open = Open
alert-state-acknowledged = Acknowledged
alert-state-resolved = Resolved
alert-email-subject = rightsdesk: file { $reference } needs attention
alert-email-attention = It needs the attention of its team.
alert-email-escalated = It has been escalated to the head of office.
alert-email-body = Protection file { $reference } needs attention ({ $kind }). { $why }

    Open it in rightsdesk: { $link }

    This message says nothing more on purpose. Please do not forward it.
search-kind-protection_file = Protection file
home-alerts = Protection alerts
admin-alert-email-on = Alert e-mails are sent from { $sender }.
admin-alert-email-off = Alert e-mails are off (no SMTP server is configured): protection alerts are shown in the application only.

field-error-invalid-transition = A file cannot move to this status from its current one.
field-error-rating-out-of-range = Enter a whole number from 1 to 5.
field-error-too-many-items-max = Too many lines: at most { $max }.
field-error-out-of-range-max = Enter a whole number from 0 to { $max }.
field-error-in-the-future = This time is in the future: a check-in is recorded after it happened.
field-error-invalid-date-time = Enter a date and time such as 2026-12-04 14:30.
field-error-ends-before-start = The end is before the start.
field-error-unknown-record = Choose one from the list.
field-error-one-responsible = Choose an officer or a partner organisation, not both.
field-error-contains-name = This names a person of the file: use their code (V1, W1) instead.
field-error-unknown-person = Choose a person of a linked case.
field-error-unknown-officer = Choose protection officers of the file's office.
field-error-not-open = This alert is no longer open.
export-format = Format
