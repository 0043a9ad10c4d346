# rightsdesk: ខ្សែអក្សរចំណុចប្រទាក់ជាភាសាខ្មែរ។
# លេខសម្គាល់នីមួយៗនៅទីនេះ ត្រូវតែមាននៅក្នុង ../en/main.ftl ផងដែរ។

brand = rightsdesk
skip-to-content = រំលងទៅខ្លឹមសារ
nav-label = ម៉ឺនុយចម្បង
nav-home = ទំព័រដើម
nav-reference = ទិន្នន័យយោង
nav-admin = រដ្ឋបាល
lang-toggle-km = ភាសាខ្មែរ
lang-toggle-en = English
language-name-en = English
language-name-km = ភាសាខ្មែរ
footer-text = rightsdesk — ប្រព័ន្ធព័ត៌មានរបស់ការិយាល័យសិទ្ធិមនុស្សប្រចាំតំបន់។ សូមចាត់ទុកឯកសារទាំងអស់ជាការសម្ងាត់។
sign-in = ចូលប្រើ
sign-out = ចាកចេញ
sign-in-title = ចូលប្រើ rightsdesk
session-expired = វគ្គប្រើប្រាស់របស់អ្នកបានបញ្ចប់។ សូមចូលប្រើម្តងទៀត។
login-failed = អាសយដ្ឋានអ៊ីមែល ឬពាក្យសម្ងាត់មិនត្រឹមត្រូវ។ បន្ទាប់ពីការព្យាយាមខុសច្រើនដង គណនីត្រូវបានចាក់សោរយៈពេលប៉ុន្មាននាទី។
login-locked = ការព្យាយាមខុសច្រើនដងពេក៖ គណនីនេះត្រូវបានចាក់សោរយៈពេលប៉ុន្មាននាទី។ សូមព្យាយាមម្តងទៀតនៅពេលក្រោយ ឬសួរអ្នកគ្រប់គ្រងប្រព័ន្ធ។
login-locked-for = ការព្យាយាមខុសច្រើនដងពេក៖ គណនីនេះត្រូវបានចាក់សោ { $minutes } នាទីទៀត។ សូមព្យាយាមម្តងទៀតនៅពេលនោះ ឬសុំអ្នកគ្រប់គ្រងប្រព័ន្ធដោះសោ។
login-throttled = ការព្យាយាមខុសច្រើនដងពេកពីកុំព្យូទ័រនេះ។ សូមរង់ចាំប៉ុន្មាននាទី ហើយព្យាយាមម្តងទៀត។
continue = បន្ត
save = រក្សាទុក
filter = ត្រង
any = ទាំងអស់
older = កំណត់ត្រាចាស់ៗ
yes = បាទ/ចាស
no = ទេ
form-has-errors = សូមកែតម្រូវវាលដែលបានសម្គាល់ខាងក្រោម។

# ជំហានទីពីរ
totp-title = ជំហានទីពីរ៖ លេខកូដពីកម្មវិធីផ្ទៀងផ្ទាត់
totp-enter-code = សូមបញ្ចូលលេខកូដ ៦ ខ្ទង់ ដែលបង្ហាញក្នុងកម្មវិធីផ្ទៀងផ្ទាត់របស់អ្នក។
totp-required-admin = អ្នកគ្រប់គ្រងប្រព័ន្ធត្រូវតែប្រើកម្មវិធីផ្ទៀងផ្ទាត់។ សូមរៀបចំវាឥឡូវនេះ ដើម្បីបន្ត។
totp-scan = សូមស្កេនកូដនេះដោយកម្មវិធីផ្ទៀងផ្ទាត់ (ឧទាហរណ៍ FreeOTP, Aegis ឬ Google Authenticator) រួចបញ្ចូលលេខកូដ ៦ ខ្ទង់ដែលវាបង្ហាញ។
totp-manual = ឬវាយសោនេះចូលក្នុងកម្មវិធី៖
totp-wrong-code = លេខកូដនោះមិនត្រឹមត្រូវទេ។ សូមពិនិត្យម៉ោងលើទូរស័ព្ទរបស់អ្នក ហើយប្រើលេខកូដថ្មីបំផុត។
totp-enabled = ចាប់ពីពេលនេះ ត្រូវការកម្មវិធីផ្ទៀងផ្ទាត់នៅពេលអ្នកចូលប្រើ។
totp-is-on = ត្រូវការកម្មវិធីផ្ទៀងផ្ទាត់នៅពេលអ្នកចូលប្រើ។
totp-turn-on = បើក
totp-turn-off = បិទ
field-totp-code = លេខកូដ ៦ ខ្ទង់

# ទំព័រដើម
home-greeting = សូមស្វាគមន៍ { $name }
home-office = ការិយាល័យ៖ { $office }
home-your-work = ផ្នែកការងាររបស់អ្នក
home-reference = ទិន្នន័យយោង
stat-provinces = ខេត្ត-រាជធានី
stat-districts = ស្រុក-ខណ្ឌ
stat-communes = ឃុំ-សង្កាត់
stat-instruments = លិខិតុបករណ៍
stat-articles = មាត្រានៃសន្ធិសញ្ញា
stat-sdg-targets = គោលដៅរង SDG

# ផ្នែកការងារ
module-monitoring = ការតាមដាន
module-monitoring-description = ករណី អំពើ បុគ្គល ប្រភព ភស្តុតាង និងអន្តរាគមន៍ជាមួយអាជ្ញាធរ។
module-protection = ការការពារ
module-protection-description = ការវាយតម្លៃហានិភ័យ វិធានការការពារ និងការទាក់ទងតាមដានសម្រាប់អ្នកដែលកំពុងរងការគំរាមកំហែង។
module-legislation = ច្បាប់
module-legislation-description = សេចក្តីព្រាងច្បាប់ ការវិភាគតាមមាត្រានីមួយៗ និងចម្លើយតបរបស់រាជរដ្ឋាភិបាល។
module-mechanisms = យន្តការអង្គការសហប្រជាជាតិ
module-mechanisms-description = គណៈកម្មាធិការសន្ធិសញ្ញា UPR និងនីតិវិធីពិសេស៖ ប្រតិទិនរបាយការណ៍ និងអនុសាសន៍។
module-capacity = ការបណ្តុះបណ្តាល
module-capacity-description = វគ្គបណ្តុះបណ្តាល អ្នកចូលរួម និងតេស្តមុន និងក្រោយវគ្គ។
module-grants = ជំនួយឥតសំណងខ្នាតតូច
module-grants-description = ការប្រកាសអញ្ជើញ ពាក្យស្នើសុំ ការពិនិត្យ ការផ្តល់ជំនួយ និងរបាយការណ៍។
module-engagement = កិច្ចសហការ
module-engagement-description = អង្គការ អ្នកទំនាក់ទំនង និងកិច្ចប្រជុំជាមួយរាជរដ្ឋាភិបាល ស្ថាប័នតុលាការ និងសង្គមស៊ីវិល។
module-assessment = ការវាយតម្លៃ
module-assessment-description = ផ្ទាំងព័ត៌មានសង្ខេប ផែនទី និងរបាយការណ៍ស្ថានភាពតាមកាលកំណត់។
module-not-yet = ផ្នែកការងារនេះមិនទាន់មាននៅក្នុងកំណែនេះនៅឡើយទេ។ ឯកសាររបស់វានឹងបង្ហាញនៅទីនេះ នៅពេលម៉ូឌុលនេះត្រូវបានដាក់ឱ្យប្រើ។

# តួនាទី
role-admin = អ្នកគ្រប់គ្រងប្រព័ន្ធ
role-head-of-office = ប្រធានការិយាល័យ
role-officer = មន្ត្រីសិទ្ធិមនុស្ស
role-legal-officer = មន្ត្រីច្បាប់
role-mechanisms-officer = មន្ត្រីទទួលបន្ទុកយន្តការអង្គការសហប្រជាជាតិ
role-programme-officer = មន្ត្រីកម្មវិធី
role-analyst = អ្នកវិភាគ (តែទិន្នន័យសរុប)
role-viewer = អ្នកមើល

# វាល
field-email = អាសយដ្ឋានអ៊ីមែល
field-password = ពាក្យសម្ងាត់
field-name = ឈ្មោះ
field-role = តួនាទី
field-office = ការិយាល័យ
field-language = ភាសា
field-khmer-digits = បង្ហាញលេខជាលេខខ្មែរ (០១២៣…) នៅពេលចំណុចប្រទាក់ជាភាសាខ្មែរ
field-current-password = ពាក្យសម្ងាត់បច្ចុប្បន្ន
field-new-password = ពាក្យសម្ងាត់ថ្មី (យ៉ាងហោចណាស់ ១២ តួអក្សរ)
field-confirm-password = ពាក្យសម្ងាត់ថ្មីម្តងទៀត
field-initial-password = ពាក្យសម្ងាត់ដំបូង (យ៉ាងហោចណាស់ ១២ តួអក្សរ សូមប្រាប់អ្នកប្រើឱ្យប្តូរវា)
field-label = ស្លាក
field-code = កូដ
field-name-en = ឈ្មោះជាភាសាអង់គ្លេស
field-name-km = ឈ្មោះជាភាសាខ្មែរ

# សារសម្រាប់វាល
field-error-required = វាលនេះត្រូវតែបំពេញ។
field-error-too-long = នេះវែងពេក។
field-error-too-long-max = វែងពេក៖ យ៉ាងច្រើនបំផុត { $max } តួអក្សរ។
field-error-no-such-day = ថ្ងៃនេះមិនមាននៅក្នុងប្រតិទិនទេ។
field-error-no-such-day-max = ថ្ងៃនេះមិនមាននៅក្នុងប្រតិទិនទេ៖ ខែនោះមាន { $max } ថ្ងៃ។
field-error-invalid-characters = នេះមានតួអក្សរដែលមិនត្រូវបានអនុញ្ញាត។
field-error-invalid-email = សូមបញ្ចូលអាសយដ្ឋានអ៊ីមែល ដូចជា name@example.org។
field-error-unknown-role = សូមជ្រើសរើសតួនាទីពីបញ្ជី។
field-error-invalid-office-code = សូមប្រើអក្សរធំឡាតាំងពី ២ ទៅ ៥ តួ ដូចជា PNH។
field-error-unknown-office = សូមជ្រើសរើសការិយាល័យពីបញ្ជី។
field-error-password-too-short = សូមប្រើយ៉ាងហោចណាស់ ១២ តួអក្សរ។ ប្រយោគខ្លីមួយងាយចងចាំ។
field-error-email-taken = មានគណនីដែលប្រើអាសយដ្ឋានអ៊ីមែលនេះ ឬអាសយដ្ឋានដែលមើលទៅដូចគ្នា រួចហើយ។
field-error-mixed-script = អាសយដ្ឋាននេះលាយអក្សរពីអក្ខរក្រមផ្សេងៗគ្នា (ឧទាហរណ៍ អក្សរស៊ីរីលិកមួយនៅក្នុងចំណោមអក្សរឡាតាំង)។ សូមវាយវាម្តងទៀតដោយប្រើអក្ខរក្រមតែមួយ។
field-error-office-taken = មានការិយាល័យដែលប្រើកូដនេះរួចហើយ។
field-error-cannot-demote-self = អ្នកមិនអាចដកតួនាទីអ្នកគ្រប់គ្រងប្រព័ន្ធរបស់ខ្លួនឯងបានទេ។
field-error-invalid-date = សូមបញ្ចូលកាលបរិច្ឆេទជាទម្រង់ YYYY-MM-DD (ឆ្នាំ-ខែ-ថ្ងៃ)។
field-error-unknown-locale = សូមជ្រើសរើសភាសាអង់គ្លេស ឬភាសាខ្មែរ។

# ប្រវត្តិរូប
profile-title = ប្រវត្តិរូបរបស់ខ្ញុំ
profile-preferences = ភាសា និងលេខ
profile-password = ពាក្យសម្ងាត់
profile-change-password = ប្តូរពាក្យសម្ងាត់
profile-totp = កម្មវិធីផ្ទៀងផ្ទាត់ (កត្តាទីពីរ)
profile-tokens = ថូខឹន API
password-current-wrong = ពាក្យសម្ងាត់បច្ចុប្បន្នមិនត្រឹមត្រូវទេ។
password-changed = ពាក្យសម្ងាត់របស់អ្នកត្រូវបានប្តូរ។ វគ្គប្រើប្រាស់ផ្សេងទៀតត្រូវបានបញ្ចប់ ហើយថូខឹន API របស់អ្នកត្រូវបានដកហូត។
password-mismatch = ពាក្យសម្ងាត់ថ្មីទាំងពីរមិនដូចគ្នាទេ។
tokens-explain = ថូខឹនអនុញ្ញាតឱ្យស្គ្រីប និងប្រព័ន្ធផ្សេងទៀតប្រើ API របស់ rightsdesk ដោយសិទ្ធិរបស់អ្នក។ សូមរក្សាវាជាការសម្ងាត់ ហើយដកហូតថូខឹនណាដែលអ្នកលែងប្រើ។
tokens-none = អ្នកមិនមានថូខឹន API ទេ។
token-create = បង្កើតថូខឹន
token-revoke = ដកហូត
token-active = កំពុងប្រើ
token-revoked = បានដកហូត
token-shown-once = សូមចម្លងថូខឹននេះឥឡូវនេះ។ វានឹងមិនបង្ហាញម្តងទៀតទេ។
col-created = បានបង្កើត
col-last-used = ប្រើចុងក្រោយ
col-status = ស្ថានភាព

# រដ្ឋបាល
admin-users = គណនីបុគ្គលិក
admin-user-add = បន្ថែមគណនី
admin-user-edit = កែសម្រួលគណនី
admin-user-disable = បិទគណនី
admin-user-enable = បើកគណនីឡើងវិញ
admin-offices = ការិយាល័យ
admin-office-add = បន្ថែមការិយាល័យ
audit-hidden-case = ករណីដែលអ្នកមិនអាចមើលបាន (លេខ និងសេចក្តីសង្ខេបរបស់វាត្រូវបានលាក់)
admin-audit = កំណត់ហេតុសវនកម្ម
user-active = កំពុងប្រើ
user-disabled = បានបិទ
col-totp = កម្មវិធីផ្ទៀងផ្ទាត់
col-last-sign-in = ចូលប្រើចុងក្រោយ
col-time = ពេលវេលា
col-actor = អ្នកធ្វើ
col-action = សកម្មភាព
col-record = ឯកសារ
col-summary = សេចក្តីសង្ខេប
audit-filter-actor = អ្នកធ្វើ
audit-filter-action = សកម្មភាពចាប់ផ្តើមដោយ
audit-filter-record = ប្រភេទឯកសារ
audit-filter-from = ចាប់ពី
audit-filter-to = ដល់
audit-none = គ្មានព្រឹត្តិការណ៍ត្រូវនឹងលក្ខខណ្ឌទេ។

# ទិន្នន័យយោង
ref-title = ទិន្នន័យយោង
ref-gazetteer = ខេត្ត ស្រុក និងឃុំ
ref-gazetteer-line = បញ្ជីឈ្មោះភូមិសាស្ត្រកម្ពុជា៖ ឃុំ-សង្កាត់ចំនួន { $communes } ដែលមានឈ្មោះជាភាសាខ្មែរ និងអង់គ្លេស។
ref-instruments = លិខិតុបករណ៍សិទ្ធិមនុស្ស
ref-instruments-line = លិខិតុបករណ៍ស្នូល និងពិធីសារបន្ថែមរបស់វា៖ មាត្រាចំនួន { $articles }។
ref-instrument = លិខិតុបករណ៍
ref-ratifications = ការផ្តល់សច្ចាប័នរបស់កម្ពុជា
ref-ratifications-explain = អ្វីដែលកម្ពុជាបានផ្តល់សច្ចាប័ន បានចុះហត្ថលេខា ឬមិនទាន់ចូលជាភាគី។
ref-not-ratified-count = កម្ពុជាមិនទាន់ជារដ្ឋភាគីនៃលិខិតុបករណ៍ចំនួន { $count } ក្នុងចំណោមលិខិតុបករណ៍ទាំងនេះនៅឡើយទេ។
ref-sdg = គោលដៅអភិវឌ្ឍន៍ប្រកបដោយចីរភាព
ref-sdg-line = គោលដៅចំនួន ១៧ និងគោលដៅរងចំនួន { $targets } ជាភាសាអង់គ្លេស និងខ្មែរ។
ref-sdg-goal = គោលដៅ
ref-sdg-translation-note = អត្ថបទខ្មែរជាការបកប្រែរបស់សហគមន៍ មិនមែនជាការបកប្រែផ្លូវការទេ។
ref-provinces = ខេត្ត-រាជធានី
ref-preamble = បុព្វកថា
ref-article = មាត្រា { $number }
ref-no-articles = អត្ថបទនៃលិខិតុបករណ៍នេះមិនត្រូវបានបញ្ចូលក្នុងកំណែនេះទេ។
col-title = ចំណងជើង
col-articles = មាត្រា
col-signature = បានចុះហត្ថលេខា
col-consent = បានផ្តល់សច្ចាប័ន ចូលជាភាគី ឬស្នងតំណែង
col-source = ប្រភព
ratification-signed = បានចុះហត្ថលេខាតែប៉ុណ្ណោះ
ratification-ratified = បានផ្តល់សច្ចាប័ន
ratification-acceded = បានចូលជាភាគី
ratification-succeeded = បានស្នងតំណែង
ratification-no-action = មិនទាន់ចុះហត្ថលេខា

ref-vocabularies = វាក្យសព្ទដែលបាននាំចូល
ref-vocabularies-explain = វាក្យសព្ទស្តង់ដារដែលការិយាល័យរបស់អ្នកបាននាំចូល ដូចជាវាក្យសព្ទតូចៗរបស់ HURIDOCS។ វាមិនភ្ជាប់មកជាមួយ rightsdesk ទេ។ អ្នកគ្រប់គ្រងនាំចូលវាពីច្បាប់ចម្លងផ្ទាល់របស់ការិយាល័យ។
ref-vocabularies-none = មិនទាន់មានវាក្យសព្ទណាមួយត្រូវបាននាំចូលនៅឡើយទេ។ អ្នកគ្រប់គ្រងអាចនាំចូលវាក្យសព្ទតូចៗរបស់ HURIDOCS នៅលើម៉ាស៊ីនមេ៖
ref-vocabulary-source = ប្រភព
ref-vocabulary-terms = ពាក្យ
ref-vocabulary-khmer-note = ពាក្យទាំងនេះមិនទាន់មានការបកប្រែជាភាសាខ្មែរនៅឡើយទេ ដូច្នេះបង្ហាញជាភាសាអង់គ្លេស។

search-title = ស្វែងរក
search-words = ពាក្យ
search-go = ស្វែងរក
search-hint = ភាសាខ្មែរ ឬអង់គ្លេស៖ ពាក្យដែលនៅក្នុងពាក្យផ្សំក៏រកឃើញដែរ។ ស្វែងរកតែអ្វីដែលអ្នកអាចមើលឃើញប៉ុណ្ណោះ។
search-count = លទ្ធផលចំនួន { $count }
search-bad-query = មិនអាចយល់ការស្វែងរកបានទេ សូមពិនិត្យសញ្ញាសម្រង់ និងវង់ក្រចក។
search-kind-case = ករណី
search-kind-recommendation = អនុសាសន៍
search-kind-article = មាត្រាសន្ធិសញ្ញា
search-kind-organisation = ស្ថាប័ន
search-narrow = បង្រួមលទ្ធផល
search-facet-status = ស្ថានភាព
search-facet-province = ខេត្ត
search-facet-theme = ប្រធានបទ
search-facet-year = ឆ្នាំ
search-facet-mechanism = យន្តការ ឬសន្ធិសញ្ញា
search-relevance = ត្រូវគ្នាបំផុតមុន
search-newest = ថ្មីបំផុតមុន
search-syntax = "សញ្ញាសម្រង់" សម្រាប់ឃ្លា OR, NOT, ពាក្យ* សម្រាប់បុព្វបទ; តម្រង៖ type:case, status:verified, province:02, year:2026, mechanism:upr, theme:"land"។
