# rightsdesk: English interface strings.
# Every id here must also be in ../km/main.ftl (a test checks both ways).

brand = rightsdesk
skip-to-content = Skip to content
nav-label = Main navigation
nav-home = Home
nav-reference = Reference
nav-admin = Administration
lang-toggle-km = ភាសាខ្មែរ
lang-toggle-en = English
language-name-en = English
language-name-km = ភាសាខ្មែរ (Khmer)
footer-text = rightsdesk — information system of a human rights field office. Handle every record as confidential.
sign-in = Sign in
sign-out = Sign out
sign-in-title = Sign in to rightsdesk
session-expired = Your session has ended. Please sign in again.
login-failed = Wrong e-mail address or password. After repeated failures an account is locked for a few minutes.
login-locked = Too many failed attempts: this account is locked for a few minutes. Try again later or ask an administrator.
login-throttled = Too many failed attempts from this computer. Wait a few minutes and try again.
continue = Continue
save = Save
filter = Filter
any = Any
older = Older entries
yes = Yes
no = No
form-has-errors = Please correct the fields marked below.

# Second factor
totp-title = Second step: authenticator code
totp-enter-code = Enter the 6-digit code shown by your authenticator app.
totp-required-admin = Administrators must use an authenticator app. Set it up now to continue.
totp-scan = Scan this code with an authenticator app (for example FreeOTP, Aegis or Google Authenticator), then enter the 6-digit code it shows.
totp-manual = Or type this key into the app:
totp-wrong-code = That code is not right. Check the time on your phone and try the newest code.
totp-enabled = The authenticator app is now required when you sign in.
totp-is-on = An authenticator app is required when you sign in.
totp-turn-on = Turn on
totp-turn-off = Turn off
field-totp-code = 6-digit code

# Home
home-greeting = Welcome, { $name }
home-office = Office: { $office }
home-your-work = Your lines of work
home-reference = Reference data
stat-provinces = provinces
stat-districts = districts
stat-communes = communes
stat-instruments = instruments
stat-articles = treaty articles
stat-sdg-targets = SDG targets

# Lines of work
module-monitoring = Monitoring
module-monitoring-description = Cases, acts, persons, sources, evidence and interventions with the authorities.
module-protection = Protection
module-protection-description = Risk assessments, protective measures and check-ins for people under threat.
module-legislation = Legislation
module-legislation-description = Draft laws, article-by-article analysis and the Government's response.
module-mechanisms = UN mechanisms
module-mechanisms-description = Treaty bodies, the UPR and special procedures: reporting calendar and recommendations.
module-capacity = Training
module-capacity-description = Trainings, participants and pre- and post-tests.
module-grants = Small grants
module-grants-description = Calls, applications, reviews, awards and reports.
module-engagement = Engagement
module-engagement-description = Organisations, contacts and meetings with Government, judiciary and civil society.
module-assessment = Assessment
module-assessment-description = Dashboards, maps and periodic situation reports.
module-not-yet = This line of work is not available in this version yet. Its records will appear here when the module is released.

# Roles
role-admin = Administrator
role-head-of-office = Head of office
role-officer = Human rights officer
role-legal-officer = Legal officer
role-mechanisms-officer = UN mechanisms officer
role-programme-officer = Programme officer
role-analyst = Analyst (aggregates only)
role-viewer = Viewer

# Fields
field-email = E-mail address
field-password = Password
field-name = Name
field-role = Role
field-office = Office
field-language = Language
field-khmer-digits = Show numbers with Khmer digits (០១២៣…) when the interface is in Khmer
field-current-password = Current password
field-new-password = New password (at least 12 characters)
field-confirm-password = New password again
field-initial-password = Initial password (at least 12 characters; ask the user to change it)
field-label = Label
field-code = Code
field-name-en = Name in English
field-name-km = Name in Khmer

# Field messages (field-error-<code>)
field-error-required = This field is required.
field-error-too-long = This is too long.
field-error-invalid-characters = This contains characters that are not allowed.
field-error-invalid-email = Enter an e-mail address such as name@example.org.
field-error-unknown-role = Choose a role from the list.
field-error-invalid-office-code = Use 2 to 5 capital letters, such as PNH.
field-error-unknown-office = Choose an office from the list.
field-error-password-too-short = Use at least 12 characters. A short sentence is easy to remember.
field-error-email-taken = An account with this e-mail address already exists.
field-error-office-taken = An office with this code already exists.
field-error-cannot-demote-self = You cannot remove your own administrator role.
field-error-invalid-date = Enter a date as YYYY-MM-DD.
field-error-unknown-locale = Choose English or Khmer.

# Profile
profile-title = My profile
profile-preferences = Language and numbers
profile-password = Password
profile-change-password = Change password
profile-totp = Authenticator app (second factor)
profile-tokens = API tokens
password-current-wrong = The current password is not right.
password-changed = Your password was changed. Other sessions were ended and your API tokens were revoked.
password-mismatch = The two new passwords are not the same.
tokens-explain = Tokens let scripts and other systems use the rightsdesk API with your permissions. Keep them secret; revoke any you no longer use.
tokens-none = You have no API tokens.
token-create = Create token
token-revoke = Revoke
token-active = Active
token-revoked = Revoked
token-shown-once = Copy this token now. It will not be shown again.
col-created = Created
col-last-used = Last used
col-status = Status

# Administration
admin-users = Staff accounts
admin-user-add = Add an account
admin-user-edit = Edit account
admin-user-disable = Disable account
admin-user-enable = Enable account
admin-offices = Offices
admin-office-add = Add an office
admin-audit = Audit log
user-active = Active
user-disabled = Disabled
col-totp = Authenticator
col-last-sign-in = Last sign-in
col-time = Time
col-actor = Who
col-action = Action
col-record = Record
col-summary = Summary
audit-filter-actor = Who
audit-filter-action = Action starts with
audit-filter-record = Record type
audit-filter-from = From
audit-filter-to = To
audit-none = No events match.

# Reference data
ref-title = Reference data
ref-gazetteer = Provinces, districts and communes
ref-gazetteer-line = Cambodia's gazetteer: { $communes } communes, with Khmer and English names.
ref-instruments = Human rights instruments
ref-instruments-line = The core instruments and their protocols: { $articles } articles.
ref-instrument = Instrument
ref-ratifications = Cambodia's ratifications
ref-ratifications-explain = What Cambodia has ratified, signed, or not yet joined.
ref-not-ratified-count = { $count ->
    [one] Cambodia is not yet a party to { $count } of these instruments.
   *[other] Cambodia is not yet a party to { $count } of these instruments.
}
ref-sdg = Sustainable Development Goals
ref-sdg-line = 17 goals and { $targets } targets, in English and Khmer.
ref-sdg-goal = Goal
ref-sdg-translation-note = The Khmer texts are a community translation, not an official one.
ref-provinces = Provinces
ref-preamble = Preamble
ref-article = Article { $number }
ref-no-articles = The text of this instrument is not included in this version.
col-title = Title
col-articles = Articles
col-signature = Signed
col-consent = Ratified, acceded or succeeded
col-source = Source
ratification-signed = Signed only
ratification-ratified = Ratified
ratification-acceded = Acceded
ratification-succeeded = Succeeded
ratification-no-action = Not signed

# Monitoring
cases-title = Cases
cases-count = { $count ->
    [one] One case matches.
   *[other] { $count } cases match.
}
cases-none = No cases match.
cases-mine = Only cases I am assigned to
case-new = Open a case
case-edit = Edit case { $reference }
case-team = Team
case-team-empty = A case needs at least one person on its team.
case-history = Timeline
case-workflow = Status
case-move-to = Move to
case-reason = Note
case-reopen-reason = Why is the case reopened? (required)
case-change-status = Change status
case-no-next = This status has no next step.
case-status-changed-meanwhile = Someone changed this case's status meanwhile. Check the timeline and try again.
case-restricted-notice = Restricted case: only its team and the head of office can see it. Every reading is recorded.
case-status-received = Received
case-status-under-verification = Under verification
case-status-verified = Verified
case-status-not-verified = Not verified
case-status-not-a-violation = Not a violation
case-status-under-intervention = Under intervention
case-status-closed = Closed
sensitivity-normal = Normal
sensitivity-restricted = Restricted
sensitivity-hint = Restricted cases exist only for their team and the head of office: they are absent from every list, count, search and export for anyone else.
field-sensitivity = Sensitivity
field-summary = Narrative summary
field-summary-hint = Refer to people by their codes (V1 for a victim, W1 for a witness, S1 for a source, P1 for an alleged perpetrator), never by name.
field-province = Province
field-district = District
field-commune = Commune
field-place = Place
field-location-text = Place details
field-start-date = Start date
field-end-date = End date
field-approximate = approximate
field-themes = Themes (separated by commas)
col-reference = Reference
col-updated = Updated
date-approximate = about { $date }
choose = Choose…
edit = Edit
field-error-transition-not-allowed = The case cannot move to that status from where it is now.
field-error-reopen-needs-reason = Reopening a closed case needs a reason.
field-error-invalid-fuzzy-date = Enter a date as YYYY-MM-DD, YYYY-MM or YYYY.
field-error-end-before-start = The end date is before the start date.
field-error-place-not-inside = This place is not inside the one chosen above.
field-error-unknown-place = This place is not in the gazetteer.
field-error-invalid-place-code = This place code is not valid.
field-error-invalid-choice = Choose one of the options.

# People of a case
persons-title = People
persons-none = No people recorded yet.
persons-names-hidden = Names and contacts are shown only to the case's team and the head of office.
person-add = Add a person
person-add-title = Add a person to { $reference }
person-code = Code
person-role = Role in the case
person-kind = Kind
person-identifying = Identifying details (stored encrypted)
person-identifying-notice = Names, contacts, addresses and identity numbers are encrypted and shown only to the case's team and the head of office. In narratives, refer to this person by the code they get (V1, W1, ...).
person-profile = Profile (for statistics)
person-aliases = Other names (one per line)
person-contact = Contact
person-address = Address
person-id-number = Identity document number
person-sex = Sex
person-age = Age
person-age-group = Age group
person-occupation = Occupation
person-disability = Disability
person-ethnicity = Ethnicity
person-perpetrator-type = Type of alleged perpetrator
person-possible-duplicates = A person with the same name is already recorded in these cases you can see. Check before adding them again:
person-add-anyway = I have checked: add this person
case-names-found = The narrative contains the name of { $codes }. Refer to people by their codes.
case-names-found-hidden = This text contains the name of a person of this case. Refer to people by their codes.
case-names-left = Some names of { $codes } are still in the narrative, written differently. Replace them by hand.
case-names-in-narrative = The narrative contains the name of { $codes }. Edit it and refer to them by their codes.
case-replace-names = Replace these names with the codes
person-role-victim = Victim
person-role-witness = Witness
person-role-source = Source
person-role-perpetrator = Alleged perpetrator
person-kind-individual = Individual
person-kind-group = Group
person-kind-institution = Institution
sex-unknown = Unknown
sex-female = Female
sex-male = Male
sex-other = Other
age-group-unknown = Unknown
age-group-child = Child (under 18)
age-group-youth = Youth (18–24)
age-group-adult = Adult
age-group-older = Older person (60+)
occupation-unknown = Unknown
occupation-human-rights-defender = Human rights defender
occupation-journalist = Journalist
occupation-land-activist = Land activist
occupation-trade-unionist = Trade unionist
occupation-lawyer = Lawyer
occupation-religious-leader = Religious leader
occupation-community-leader = Community leader
occupation-farmer = Farmer
occupation-worker = Worker
occupation-student = Student
occupation-public-official = Public official
occupation-other = Other
disability-unknown = Unknown
disability-yes = Yes
disability-no = No
perpetrator-type-police = Police
perpetrator-type-military = Military
perpetrator-type-local-authority = Local authority
perpetrator-type-court = Court
perpetrator-type-prison = Prison
perpetrator-type-company = Company
perpetrator-type-private-security = Private security
perpetrator-type-other = Other
field-error-invalid-age = Enter an age from 0 to 120, or leave it empty.

# Acts
acts-title = Acts
acts-none = No acts recorded yet.
act-add = Add an act
act-add-title = Add an act to { $reference }
act-type = Type of act
act-date = Date
act-description = What happened
act-victims = Victims
act-perpetrators = Alleged perpetrators
act-involvement = Involvement
act-rights = Rights violated (treaty articles)
act-rights-hint = Articles separated by commas, for example ICCPR 9, ICCPR 14, CAT 1.
act-right-filter = Article
act-no-victims = Add the victims to the case first.
act-no-perpetrators = Add alleged perpetrators (people or institutions) to the case first.
act-type-arbitrary-arrest-detention = Arbitrary arrest or detention
act-type-killing = Killing
act-type-torture-ill-treatment = Torture or ill-treatment
act-type-threat-intimidation = Threat or intimidation
act-type-forced-eviction = Forced eviction
act-type-restriction-assembly = Restriction of peaceful assembly
act-type-restriction-expression = Restriction of expression
act-type-restriction-association = Restriction of association
act-type-destruction-property = Destruction of property
act-type-denial-fair-trial = Denial of a fair trial
act-type-enforced-disappearance = Enforced disappearance
act-type-sexual-violence = Sexual violence
act-type-discrimination = Discrimination
act-type-surveillance = Surveillance
act-type-other = Other
involvement-direct = Carried it out
involvement-ordered = Ordered it
involvement-complicit = Took part or helped
involvement-failed-to-prevent = Failed to prevent it
field-error-invalid-article = Write articles as an instrument code and a number, such as ICCPR 9.
field-error-unknown-article = One of these articles is not in the treaty texts.

# Interventions and follow-up
interventions-title = Interventions
interventions-none = No interventions yet.
intervention-add = Add an intervention
intervention-title = Intervention on { $reference }
intervention-addressee = Addressed to
intervention-kind = Type
intervention-request = What was asked
intervention-response = Response
intervention-response-date = Date of the response
intervention-next-follow-up = Next follow-up
intervention-kind-letter = Letter
intervention-kind-meeting = Meeting
intervention-kind-call = Call
intervention-kind-urgent-appeal = Urgent appeal
intervention-kind-trial-observation = Trial observation
intervention-status-planned = Planned
intervention-status-sent = Sent
intervention-status-awaiting-response = Awaiting response
intervention-status-responded = Responded
intervention-status-resolved = Resolved
intervention-status-no-response = No response
overdue = overdue
follow-ups-title = My follow-ups
follow-ups-explain = Interventions on your cases whose next follow-up is overdue or due within a week.
follow-ups-none = Nothing to follow up this week.
home-follow-ups = Overdue follow-ups
organisations-title = Organisations
organisations-none = No organisations yet.
organisations-add = Add an organisation
organisations-manage = Add or find organisations
organisation-kind-government = Government ministry or agency
organisation-kind-judiciary = Court or prosecutor
organisation-kind-parliament = Parliament
organisation-kind-security-forces = Police or armed forces
organisation-kind-local-authority = Local authority
organisation-kind-national-institution = National institution
organisation-kind-civil-society = Civil society organisation
organisation-kind-united-nations = United Nations
organisation-kind-company = Company
organisation-kind-other = Other
field-error-invalid-day = Enter a full date (YYYY-MM-DD).
field-error-organisation-taken = An organisation with this name already exists.

# Sources and consent
sources-title = Sources and consent
sources-none = No sources recorded yet.
source-add = Add information from a source
source-add-title = Information for { $reference }
source-person = Source person
source-no-person = None (document, media or observation)
source-received = Received on
source-method = How
source-reliability = Reliability of the source
source-validity = Validity of the information
source-information = Information
consent = Consent
consent-hint = What the source agreed to. If consent is withdrawn later, the information leaves every export, report and letter from that day on.
consent-withdraw = Consent withdrawn
consent-withdraw-confirm = Record that this source has withdrawn consent? The information will be excluded from every export, report and letter.
consent-withdrawn-on = withdrawn on { $date }
source-method-interview = Interview
source-method-document = Document
source-method-media = Media
source-method-observation = Observation
source-method-other = Other
source-reliability-reliable = Reliable
source-reliability-usually-reliable = Usually reliable
source-reliability-not-reliable = Not reliable
source-reliability-unknown = Cannot be judged
source-validity-confirmed = Confirmed
source-validity-probably-true = Probably true
source-validity-possibly-true = Possibly true
source-validity-doubtful = Doubtful
source-validity-unknown = Cannot be judged
consent-internal-only = Internal use only
consent-raise-with-authorities = May be raised with the authorities
consent-publish-anonymously = May be published anonymously

export = Export

# Evidence
evidence-title = Evidence
evidence-none = No evidence files yet.
evidence-description = Description (refer to people by code)
evidence-file = File
evidence-upload = Upload
evidence-download = Download
evidence-verify = Check the hash again
evidence-custody = Chain of custody
evidence-no-file = Choose a file to upload.
evidence-verified = The file is intact: its SHA-256 matches the one recorded at upload.
evidence-verify-failed = The file does not match the hash recorded at upload. It may have been altered or lost; this is recorded in the chain of custody.
custody-uploaded = Uploaded
custody-downloaded = Downloaded
custody-verified = Hash checked: intact
custody-verification-failed = Hash checked: does not match
custody-transferred = Handed over
custody-note = Note

# Import
import-title = Import cases
import-explain = A CSV (UTF-8) or XLSX file with a header row naming these columns; only title is required. Dates as YYYY, YYYY-MM or YYYY-MM-DD; places as gazetteer codes. Every row is checked first; nothing is written unless every row is valid.
import-mode-dry-run = Check only (dry run)
import-mode-import = Check, then import if every row is valid
import-submit = Send
import-line = Line
import-column = Column
import-problem = Problem
import-unknown-column = This column is not known.
import-missing-title = The file needs a title column.
import-empty = The file has no rows.
import-extra-cells = This row has more cells than the header.
import-unreadable = The file cannot be read
import-nothing-written = Nothing was imported. Correct these rows and send the file again.
import-dry-run-ok = { $count ->
    [one] The row is valid. Nothing was written yet.
   *[other] All { $count } rows are valid. Nothing was written yet.
}
import-done = { $count ->
    [one] One case was opened:
   *[other] { $count } cases were opened:
}

sort = Order
sort-newest = Newest first
sort-oldest = Oldest first
sort-updated = Recently changed first
sort-incident = Latest incident first
next-page = Next page
cases-count-more = More than { $count } cases match; narrow the filters to count them exactly.
