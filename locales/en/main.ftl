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
login-locked-for = { $minutes ->
    [1] Too many failed attempts: this account is locked for 1 more minute. Try again then, or ask an administrator to unlock it.
   *[other] Too many failed attempts: this account is locked for { $minutes } more minutes. Try again then, or ask an administrator to unlock it.
}
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
field-error-too-long-max = This is too long: at most { $max } characters.
field-error-no-such-day = This day is not in the calendar.
field-error-no-such-day-max = This day is not in the calendar: that month has { $max } days.
field-error-invalid-characters = This contains characters that are not allowed.
field-error-invalid-email = Enter an e-mail address such as name@example.org.
field-error-unknown-role = Choose a role from the list.
field-error-invalid-office-code = Use 2 to 5 capital letters, such as PNH.
field-error-unknown-office = Choose an office from the list.
field-error-password-too-short = Use at least 12 characters. A short sentence is easy to remember.
field-error-email-taken = An account with this e-mail address, or one that looks the same, already exists.
field-error-mixed-script = This address mixes letters of different alphabets (for example a Cyrillic letter among Latin ones). Type it again in one alphabet.
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
audit-hidden-case = a case you may not see (its number and summary are withheld)
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

ref-vocabularies = Imported vocabularies
ref-vocabularies-explain = Controlled vocabularies your office imported, such as the HURIDOCS micro-thesauri. They are not shipped with rightsdesk; an administrator imports them from the office's own copy.
ref-vocabularies-none = No vocabulary has been imported yet. An administrator can import the HURIDOCS micro-thesauri on the server:
ref-vocabulary-source = Source
ref-vocabulary-terms = Terms
ref-vocabulary-khmer-note = These terms have no Khmer translation yet; they are shown in English.

search-title = Search
search-words = Words
search-go = Search
search-hint = Khmer or English; a word inside a compound is found too. Only what you may see is searched.
search-count = { $count ->
    [one] { $count } result
   *[other] { $count } results
}
search-bad-query = The search could not be understood; check quotes and brackets.
search-kind-case = Case
search-kind-recommendation = Recommendation
search-kind-article = Treaty article
search-kind-organisation = Organisation
search-narrow = Narrow the results
search-facet-status = Status
search-facet-province = Province
search-facet-theme = Theme
search-facet-year = Year
search-facet-mechanism = Mechanism or treaty
search-relevance = Best match first
search-newest = Newest first
search-syntax = "Quotes" for a phrase, OR, NOT, word* for a prefix; filters: type:case, status:verified, province:02, year:2026, mechanism:upr, theme:"land".
