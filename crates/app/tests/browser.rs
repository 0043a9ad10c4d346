//! rightsdesk as office staff see it: headless Chromium against the real
//! server, through the real pages (sign in, switch to Khmer, a case with a
//! Khmer narrative, a person, an act, the list, search), at desktop and
//! phone width; a mechanisms officer's recommendations, calendar and an
//! action linked to a recommendation found by its words, in Khmer; a legal
//! officer's draft law, versions, comment and comparison, in Khmer; and an
//! accessibility check of the main pages with axe-core.
//! The harness is `browser/chrome.rs`; it needs Debian's chromium and
//! chromium-driver (`.ci/run` installs them).

#[path = "browser/chrome.rs"]
mod chrome;
mod common;

use chrome::{Chrome, Screen};
use common::*;

const OFFICER: &str = "officer@test.example";
/// "Arbitrary arrest of a land defender" / "arrested ... taken to the
/// district police station": a narrative typed the Khmer way, no spaces
/// between words.
const TITLE_KM: &str = "ការចាប់ខ្លួនអ្នកការពារសិទ្ធិដីធ្លី";
const SUMMARY_KM: &str = "V1ត្រូវបានចាប់ខ្លួននៅផ្ទះរបស់គាត់ ហើយនាំទៅប៉ុស្តិ៍នគរបាលស្រុក។";
/// A word of the narrative, searched alone ("arrested").
const SEARCH_KM: &str = "ចាប់ខ្លួន";
const NAME_KM: &str = "សុខ ចាន់ថា";
const MECHANISMS: &str = "mechanisms@test.example";
const LEGAL: &str = "legal@test.example";
const PROGRAMME: &str = "programme@test.example";

async fn server() -> (TestDatabase, Server) {
    let (db, server) = setup(Db::Sqlite, &[]).await;
    add_user(&db, OFFICER, "officer", "PNH");
    add_user(&db, MECHANISMS, "mechanisms_officer", "PNH");
    add_user(&db, LEGAL, "legal_officer", "PNH");
    add_user(&db, PROGRAMME, "programme_officer", "BTB");
    // The recommendations of the UPR fixture (Cambodia, sessions 6 and 18).
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/fixture/upr/upr_info_recommendations_cambodia_s06_s18.csv");
    let out = db.cli(&["import", "upr", file.to_str().unwrap()], None);
    assert!(out.status.success(), "import: {}", String::from_utf8_lossy(&out.stderr));
    (db, server)
}

async fn sign_in(b: &Chrome, email: &str) {
    b.goto("/login").await;
    b.fill("#email", email).await;
    b.fill("#password", PASSWORD).await;
    b.submit("form[action='/login']").await;
    assert_eq!(b.path().await, "/", "signed in, on the home page");
}

/// The whole first day of a monitoring officer, in Khmer.
async fn first_case_in_khmer(b: &Chrome) {
    sign_in(b, OFFICER).await;
    // The link to Khmer on an English page is drawn in the Khmer font, not
    // as boxes (on this machine the only Khmer font is the one shipped).
    let (drawn, khmer_font) = b.text_widths("header a.lang").await;
    assert!((drawn - khmer_font).abs() < 0.5, "the Khmer link is {drawn} px wide, {khmer_font} px in the Khmer font");
    // Switch to Khmer with the link every page has.
    b.follow("header a.lang").await;
    assert_eq!(b.js("return document.documentElement.lang").await, "km");
    assert!(b.main_text().await.chars().any(|c| ('\u{1780}'..='\u{17FF}').contains(&c)), "the page is in Khmer");
    let (drawn, khmer_font) = b.text_widths("main h1").await;
    assert!(
        (drawn - khmer_font).abs() < 0.5,
        "the Khmer heading is {drawn} px wide, {khmer_font} px in the Khmer font"
    );

    // A case with a Khmer title and narrative, placed with the province
    // and district lists (the district list is fetched when the province
    // changes).
    b.goto("/monitoring/cases/new").await;
    b.fill("#title", TITLE_KM).await;
    b.fill("#summary", SUMMARY_KM).await;
    b.select("#province", "12").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while b.js("return document.querySelectorAll('#district option[value]:not([value=\"\"])').length").await == 0 {
        assert!(std::time::Instant::now() < deadline, "the districts of Phnom Penh were not offered");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    b.submit("form[action='/monitoring/cases']").await;
    let case_path = b.path().await;
    assert!(case_path.starts_with("/monitoring/cases/"), "on the new case's page, not {case_path}");
    let page = b.main_text().await;
    assert!(page.contains(TITLE_KM) && page.contains(SUMMARY_KM), "the case page shows the Khmer text:\n{page}");
    let reference = b.find("h1").await.text().await.unwrap();
    assert!(reference.contains("PNH-"), "the heading is the reference: {reference}");

    // A victim with a Khmer name.
    b.follow(&format!("a[href='{case_path}/persons/new']")).await;
    b.select("#role", "victim").await;
    b.fill("#name", NAME_KM).await;
    b.submit(&format!("form[action='{case_path}/persons']")).await;
    assert_eq!(b.path().await, case_path);
    let page = b.main_text().await;
    assert!(page.contains("V1") && page.contains(NAME_KM), "the victim is listed with their name:\n{page}");

    // An act against them.
    b.follow(&format!("a[href='{case_path}/acts/new']")).await;
    b.select("#act_type", "arbitrary_arrest_detention").await;
    b.fill("#description", "V1ត្រូវបានឃុំខ្លួនពីរថ្ងៃ").await;
    b.click("input[name=victim]").await;
    b.fill("#rights", "ICCPR 9").await;
    b.submit(&format!("form[action='{case_path}/acts']")).await;
    assert_eq!(b.path().await, case_path);
    assert!(b.main_text().await.contains("V1ត្រូវបានឃុំខ្លួនពីរថ្ងៃ"), "the act is on the case page");

    // In the list, and found by a Khmer word of its narrative.
    b.goto("/monitoring").await;
    let list = b.main_text().await;
    assert!(list.contains(TITLE_KM), "the case is in the list:\n{list}");
    let found = b.eventually(&format!("/search?q={}", enc(SEARCH_KM)), 20, |text| text.contains(TITLE_KM)).await;
    assert!(found.contains(TITLE_KM), "search for {SEARCH_KM} finds the case:\n{found}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_records_a_case_in_khmer_on_a_laptop() {
    if !chrome::available() {
        return;
    }
    let (_db, server) = server().await;
    let b = Chrome::start(&server.base, Screen::Desktop).await;
    b.check("desktop_first_case", first_case_in_khmer(&b)).await;
    b.close().await;
}

/// What a phone user needs: the page fits the screen, the menu leaves room
/// for the page, Sign out can be reached.
async fn fits_the_phone(b: &Chrome, path: &str) {
    b.goto(path).await;
    b.keep_screenshot(&format!("phone{}", path.replace(['/', '?', '='], "_"))).await;
    let (page, screen) = b.widths().await;
    assert!(page <= screen, "{path} is {page} px wide on a {screen} px screen: it scrolls sideways");
    let (_, _, _, menu) = b.rect("header.top").await;
    assert!(menu < 844.0 / 3.0, "{path}: the menu takes {menu} px of 844");
    let (left, top, width, _) = b.rect("header.top form[action='/logout'] button").await;
    assert!(left >= 0.0 && left + width <= screen as f64 && top >= 0.0, "{path}: Sign out is off the screen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_records_a_case_in_khmer_on_a_phone() {
    if !chrome::available() {
        return;
    }
    let (_db, server) = server().await;
    let b = Chrome::start(&server.base, Screen::Phone).await;
    b.check("phone_first_case", async {
        first_case_in_khmer(&b).await;
        let case =
            b.js("return document.querySelector('main a[href^=\"/monitoring/cases/\"]').getAttribute('href')").await;
        let case = case.as_str().unwrap_or("/monitoring").to_string();
        for path in ["/", "/monitoring", case.as_str(), "/mechanisms/recommendations", "/search?q=x"] {
            fits_the_phone(&b, path).await;
        }
    })
    .await;
    b.close().await;
}

/// A mechanisms officer, in Khmer: themes and the calendar in Khmer, then
/// an implementation action linked to a recommendation found by its words.
async fn an_action_for_a_recommendation_in_khmer(b: &Chrome) -> String {
    sign_in(b, MECHANISMS).await;
    b.follow("header a.lang").await;
    b.goto("/mechanisms/recommendations").await;
    let list = b.main_text().await;
    // "NHRI", as the import stored it, shown in Khmer.
    assert!(list.contains("ស្ថាប័នជាតិសិទ្ធិមនុស្ស") && !list.contains("NHRI"), "themes in Khmer:\n{list}");
    b.goto("/mechanisms/calendar").await;
    let calendar = b.main_text().await;
    assert!(calendar.contains("ការត្រួតពិនិត្យលើកទីបួនរបស់កម្ពុជា"), "the calendar in Khmer:\n{calendar}");

    b.goto("/mechanisms/actions").await;
    b.fill("#title", "ច្បាប់ស្តីពីស្ថាប័នជាតិសិទ្ធិមនុស្ស").await;
    b.submit("form[action='/mechanisms/actions']").await;
    let action = b.path().await;
    assert!(action.starts_with("/mechanisms/actions/"), "on the new action's page, not {action}");
    // Found by words of its text, in any case, then linked.
    b.fill("#find-recommendation", "paris principles").await;
    b.submit("main form.filters[role=search]").await;
    let offered = b.js("return document.querySelectorAll('form.picker input[type=radio]').length").await;
    assert!(offered.as_i64().unwrap_or(0) >= 1, "recommendations with these words are offered");
    let chosen =
        b.js("return document.querySelector('form.picker input[type=radio]:checked').closest('label').innerText").await;
    let chosen = chosen.as_str().unwrap_or_default().to_string();
    assert!(chosen.to_lowercase().contains("paris principles"), "the first choice has the words: {chosen}");
    b.submit("form.picker").await;
    assert!(b.path().await.starts_with(&action), "back on the action");
    let linked = b.js("return document.querySelectorAll('#recommendations ul a').length").await;
    assert_eq!(linked.as_i64(), Some(1), "the recommendation is linked");
    action
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mechanisms_officer_links_an_action_in_khmer() {
    if !chrome::available() {
        return;
    }
    let (_db, server) = server().await;
    let b = Chrome::start(&server.base, Screen::Desktop).await;
    b.check("mechanisms_in_khmer", async {
        let action = an_action_for_a_recommendation_in_khmer(&b).await;
        b.keep_screenshot("action_in_khmer").await;
        let mut found = vec![];
        for lang in ["en", "km"] {
            for path in [action.as_str(), "/mechanisms/calendar", "/mechanisms/actions"] {
                b.goto(&format!("{path}?lang={lang}")).await;
                found.extend(b.axe().await.into_iter().map(|v| format!("{path} ({lang}): {v}")));
            }
        }
        assert!(found.is_empty(), "serious or critical accessibility violations:\n{}", found.join("\n"));
    })
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_main_pages_have_no_serious_accessibility_violations() {
    if !chrome::available() {
        return;
    }
    let (_db, server) = server().await;
    let b = Chrome::start(&server.base, Screen::Desktop).await;
    b.check("accessibility", async {
        b.goto("/login").await;
        let mut found = vec![];
        found.extend(b.axe().await.into_iter().map(|v| format!("/login: {v}")));
        sign_in(&b, OFFICER).await;
        b.goto("/monitoring/cases/new").await;
        b.fill("#title", "Accessibility check").await;
        b.submit("form[action='/monitoring/cases']").await;
        let case = b.path().await;
        for lang in ["en", "km"] {
            for path in [
                "/",
                "/monitoring",
                "/monitoring/cases/new",
                case.as_str(),
                "/mechanisms/recommendations",
                "/reference",
                "/search?q=arrest",
                "/profile",
            ] {
                let sep = if path.contains('?') { '&' } else { '?' };
                b.goto(&format!("{path}{sep}lang={lang}")).await;
                found.extend(b.axe().await.into_iter().map(|v| format!("{path} ({lang}): {v}")));
            }
        }
        assert!(found.is_empty(), "serious or critical accessibility violations:\n{}", found.join("\n"));
    })
    .await;
    b.close().await;
}

/// A protection officer, in Khmer: a file for a land activist, a check-in
/// schedule, a check-in and a risk assessment whose level they override
/// with a reason; then the pages on a phone and their accessibility.
async fn a_protection_file_in_khmer(b: &Chrome) -> String {
    sign_in(b, OFFICER).await;
    b.follow("header a.lang").await;
    b.goto("/protection/new").await;
    b.select("#p-subject", "individual").await;
    b.fill("#p-label", "សកម្មជនដីធ្លី L1 កោះកុង").await;
    b.select("#p-profile", "land_activist").await;
    b.select("#p-province", "09").await;
    b.submit("form[action='/protection/files']").await;
    let file = b.path().await;
    assert!(file.starts_with("/protection/files/"), "on the new file's page, not {file}");
    let page = b.main_text().await;
    assert!(page.contains("សកម្មជនដីធ្លី L1 កោះកុង") && page.contains("PR-PNH-"), "the file page:\n{page}");
    // The schedule: every 2 days by call.
    b.click("#checkins details summary").await;
    b.fill("#s-every", "2").await;
    b.select("#s-unit", "days").await;
    b.submit(&format!("form[action='{file}/schedule']")).await;
    assert!(b.main_text().await.contains("រៀងរាល់ 2 ថ្ងៃ") || b.main_text().await.contains("រៀងរាល់ ២ ថ្ងៃ"));
    // A check-in now (the form offers the current minute).
    b.select("#c-outcome", "safe").await;
    b.fill("#c-note", "V1 មានសុវត្ថិភាពនៅផ្ទះ").await;
    b.submit(&format!("form[action='{file}/checkins']")).await;
    assert!(b.main_text().await.contains("V1 មានសុវត្ថិភាពនៅផ្ទះ"), "the check-in is listed");
    // An assessment: the override without a reason is refused, then given one.
    b.fill("#a-likelihood", "3").await;
    b.fill("#a-impact", "4").await;
    b.fill("#a-vulnerabilities", "រស់នៅម្នាក់ឯង").await;
    b.select("#a-override", "critical").await;
    b.submit(&format!("form[action='{file}/assessments']")).await;
    let errors = b.js("return document.querySelectorAll('#assessments .field-error').length").await;
    assert_eq!(errors.as_i64(), Some(1), "the reason is asked for");
    b.fill("#a-reason", "ត្រូវបានកោះហៅពីរដងក្នុងសប្តាហ៍នេះ").await;
    b.submit(&format!("form[action='{file}/assessments']")).await;
    let level = b.find("dl.facts .tag").await.text().await.unwrap();
    assert_eq!(level, "ធ្ងន់ធ្ងរបំផុត", "the file is at the overridden level");
    file
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_protection_officer_keeps_a_file_in_khmer() {
    if !chrome::available() {
        return;
    }
    let (_db, server) = server().await;
    let b = Chrome::start(&server.base, Screen::Desktop).await;
    b.check("protection_in_khmer", async {
        let file = a_protection_file_in_khmer(&b).await;
        b.keep_screenshot("protection_file_in_khmer").await;
        let mut found = vec![];
        for lang in ["en", "km"] {
            for path in ["/protection", "/protection/new", file.as_str(), "/protection/alerts?all=1"] {
                let sep = if path.contains('?') { '&' } else { '?' };
                b.goto(&format!("{path}{sep}lang={lang}")).await;
                found.extend(b.axe().await.into_iter().map(|v| format!("{path} ({lang}): {v}")));
            }
        }
        assert!(found.is_empty(), "serious or critical accessibility violations:\n{}", found.join("\n"));
    })
    .await;
    b.close().await;
    let phone = Chrome::start(&server.base, Screen::Phone).await;
    phone
        .check("protection_on_a_phone", async {
            sign_in(&phone, OFFICER).await;
            phone.goto("/protection").await;
            let file = phone
                .js("return document.querySelector('main a[href^=\"/protection/files/\"]').getAttribute('href')")
                .await;
            let file = file.as_str().unwrap_or("/protection").to_string();
            for path in ["/protection", file.as_str(), "/protection/alerts"] {
                fits_the_phone(&phone, path).await;
            }
        })
        .await;
    phone.close().await;
}

/// A legal officer, in Khmer: a draft law registered, its first version
/// pasted and split into Khmer articles, a comment on article 2 tied to
/// ICCPR article 22, a second version in which that article moved, the two
/// compared with the changed words marked.
async fn a_draft_law_analysed_in_khmer(b: &Chrome) -> String {
    sign_in(b, LEGAL).await;
    b.follow("header a.lang").await;
    b.goto("/legislation/new").await;
    b.fill("#law-title-km", "សេចក្តីព្រាងច្បាប់ស្តីពីសមាគម").await;
    b.fill("#law-short", "LANGO").await;
    b.select("#law-priority", "high").await;
    b.fill("#law-themes", "សេរីភាពសមាគម").await;
    b.submit("form[action='/legislation/laws']").await;
    let law = b.path().await;
    assert!(law.starts_with("/legislation/laws/"), "on the new law's page, not {law}");
    assert!(b.main_text().await.contains("សេចក្តីព្រាងច្បាប់ស្តីពីសមាគម"));
    // The first version, pasted (the form is open while the law has none).
    b.fill("#v-label", "សេចក្តីព្រាងទី១").await;
    b.fill("#v-pasted", "មាត្រា ១\nច្បាប់នេះការពារសិទ្ធិបង្កើតសមាគម។\nមាត្រា ២\nសមាគមទាំងអស់ត្រូវចុះបញ្ជីជាមួយក្រសួងមហាផ្ទៃ។").await;
    b.submit(&format!("form[action='{law}/versions']")).await;
    let v1 = b.path().await;
    assert!(v1.contains("/versions/"), "on the version's page, not {v1}");
    let page = b.main_text().await;
    assert!(page.contains("មាត្រា ២") && page.contains("សមាគមទាំងអស់ត្រូវចុះបញ្ជី"), "the articles:\n{page}");
    // A comment on article 2; an unknown instrument article is refused first.
    b.select("#c-article", "2").await;
    b.fill("#c-concern", "ការចុះបញ្ជីជាកាតព្វកិច្ច").await;
    b.fill("#c-standards", "ICCPR 22").await;
    b.fill("#c-change", "ធ្វើឱ្យការចុះបញ្ជីជាការស្ម័គ្រចិត្ត").await;
    b.select("#c-severity", "major").await;
    b.submit(&format!("form[action='{v1}/comments']")).await;
    let page = b.main_text().await;
    assert!(
        page.contains("ការចុះបញ្ជីជាកាតព្វកិច្ច") && (page.contains("ICCPR art. ២២") || page.contains("ICCPR art. 22")),
        "the comment:\n{page}"
    );
    // The second version inserts an article before it.
    b.goto(&law).await;
    b.click("#versions details summary").await;
    b.fill("#v-label", "សេចក្តីព្រាងទី២").await;
    b.fill(
        "#v-pasted",
        "មាត្រា ១\nច្បាប់នេះការពារសិទ្ធិបង្កើតសមាគម។\nមាត្រា ២\nនិយមន័យ។\nមាត្រា ៣\nសមាគមទាំងអស់អាចចុះបញ្ជីជាមួយក្រសួងមហាផ្ទៃ។",
    )
    .await;
    b.submit(&format!("form[action='{law}/versions']")).await;
    b.goto(&law).await;
    assert!(b.main_text().await.contains("បានផ្លាស់ពីមាត្រា 2") || b.main_text().await.contains("បានផ្លាស់ពីមាត្រា ២"));
    b.submit(&format!("form[action='{law}/compare']")).await;
    let marked = b
        .js("return [document.querySelectorAll('main ins').length, document.querySelectorAll('main del').length]")
        .await;
    assert!(marked[0].as_i64() >= Some(1) && marked[1].as_i64() >= Some(1), "changed words marked: {marked}");
    law
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_legal_officer_analyses_a_draft_law_in_khmer() {
    if !chrome::available() {
        return;
    }
    let (_db, server) = server().await;
    let b = Chrome::start(&server.base, Screen::Desktop).await;
    b.check("legislation_in_khmer", async {
        let law = a_draft_law_analysed_in_khmer(&b).await;
        b.keep_screenshot("law_compared_in_khmer").await;
        b.goto(&law).await;
        let v = b.js("return document.querySelector('#versions a[href*=\"/versions/\"]').getAttribute('href')").await;
        let v = v.as_str().unwrap_or(&law).to_string();
        let mut found = vec![];
        for lang in ["en", "km"] {
            for path in ["/legislation", "/legislation/new", law.as_str(), v.as_str()] {
                let sep = if path.contains('?') { '&' } else { '?' };
                b.goto(&format!("{path}{sep}lang={lang}")).await;
                found.extend(b.axe().await.into_iter().map(|v| format!("{path} ({lang}): {v}")));
            }
        }
        assert!(found.is_empty(), "serious or critical accessibility violations:\n{}", found.join("\n"));
    })
    .await;
    b.close().await;
    let phone = Chrome::start(&server.base, Screen::Phone).await;
    phone
        .check("legislation_on_a_phone", async {
            sign_in(&phone, LEGAL).await;
            phone.goto("/legislation").await;
            let law = phone
                .js("return document.querySelector('main a[href^=\"/legislation/laws/\"]').getAttribute('href')")
                .await;
            let law = law.as_str().unwrap_or("/legislation").to_string();
            for path in ["/legislation", law.as_str()] {
                fits_the_phone(&phone, path).await;
            }
        })
        .await;
    phone.close().await;
}

/// A programme officer's stakeholder and meeting, in Khmer: a civil
/// society organisation in Battambang, a contact (sealed), a meeting with
/// it and a follow-up action. Returns the meeting's page.
async fn a_meeting_logged_in_khmer(b: &Chrome) -> (String, String) {
    sign_in(b, PROGRAMME).await;
    b.follow("header a.lang").await;
    b.goto("/engagement/organisations/new").await;
    b.fill("#o-name-km", "បណ្តាញសិទ្ធិដីធ្លី").await;
    b.fill("#o-name-en", "Land Rights Network").await;
    b.select("#o-kind", "civil_society").await;
    b.select("#o-province", "02").await;
    b.submit("form[action='/engagement/organisations']").await;
    let org = b.path().await;
    assert!(org.starts_with("/engagement/organisations/"), "on the organisation's page, not {org}");
    assert!(b.main_text().await.contains("បណ្តាញសិទ្ធិដីធ្លី"));
    b.click("#contacts details summary").await;
    b.fill("#c-name", NAME_KM).await;
    b.fill("#c-position", "អ្នកសម្របសម្រួល").await;
    b.fill("#c-phone", "+855 12 345 678").await;
    b.submit("form[action='/engagement/contacts']").await;
    let page = b.main_text().await;
    assert!(page.contains(NAME_KM) && page.contains("+855 12 345 678"), "the contact:\n{page}");
    let id = org.rsplit('/').next().unwrap().to_string();
    b.goto(&format!("/engagement/meetings/new?organisation_ids={id}")).await;
    b.fill("#m-title", "កិច្ចប្រជុំអំពីជម្លោះដីធ្លី").await;
    b.fill("#m-topics", "ដីធ្លី").await;
    b.fill("#m-summary", "អង្គការបានរៀបរាប់ពីការគំរាមកំហែង។").await;
    b.submit("form[action='/engagement/meetings']").await;
    let meeting = b.path().await;
    assert!(meeting.starts_with("/engagement/meetings/"), "on the meeting's page, not {meeting}");
    assert!(b.main_text().await.contains("បណ្តាញសិទ្ធិដីធ្លី"));
    b.click("#follow-ups details summary").await;
    b.fill("#a-action", "ផ្ញើរបាយការណ៍ទៅអង្គការ").await;
    // A date field takes what its picker sets, not typed text.
    b.js("document.querySelector('#a-due').value = '2026-12-31'").await;
    b.submit(&format!("form[action='{meeting}/actions']")).await;
    assert!(b.main_text().await.contains("ផ្ញើរបាយការណ៍ទៅអង្គការ"));
    (org, meeting)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_programme_officer_logs_a_meeting_in_khmer() {
    if !chrome::available() {
        return;
    }
    let (_db, server) = server().await;
    let b = Chrome::start(&server.base, Screen::Desktop).await;
    b.check("engagement_in_khmer", async {
        let (org, meeting) = a_meeting_logged_in_khmer(&b).await;
        b.goto(&org).await;
        b.keep_screenshot("organisation_in_khmer").await;
        let contact = b
            .js("return document.querySelector('#contacts a[href^=\"/engagement/contacts/\"]').getAttribute('href')")
            .await;
        let contact = contact.as_str().unwrap_or(&org).to_string();
        let mut found = vec![];
        for lang in ["en", "km"] {
            for path in [
                "/engagement",
                "/engagement/organisations/new",
                org.as_str(),
                contact.as_str(),
                "/engagement/meetings",
                "/engagement/meetings/new",
                meeting.as_str(),
            ] {
                let sep = if path.contains('?') { '&' } else { '?' };
                b.goto(&format!("{path}{sep}lang={lang}")).await;
                found.extend(b.axe().await.into_iter().map(|v| format!("{path} ({lang}): {v}")));
            }
        }
        assert!(found.is_empty(), "serious or critical accessibility violations:\n{}", found.join("\n"));
    })
    .await;
    b.close().await;
    let phone = Chrome::start(&server.base, Screen::Phone).await;
    phone
        .check("engagement_on_a_phone", async {
            sign_in(&phone, PROGRAMME).await;
            phone.goto("/engagement").await;
            let org = phone
                .js("return document.querySelector('main a[href^=\"/engagement/organisations/\"]:not([href$=\"/new\"])').getAttribute('href')")
                .await;
            let org = org.as_str().unwrap_or("/engagement").to_string();
            for path in ["/engagement", org.as_str(), "/engagement/meetings", "/engagement/meetings/new"] {
                fits_the_phone(&phone, path).await;
            }
        })
        .await;
    phone.close().await;
}
