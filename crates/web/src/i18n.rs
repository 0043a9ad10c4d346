//! English and Khmer for every page: Fluent catalogs embedded in the binary,
//! chosen per user and switchable per request, and dates and numbers written
//! the way each language writes them (Khmer digits optional per user).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use rightsdesk_domain::Locale;
use std::sync::OnceLock;

/// One catalog file per line of work and one for the platform, in each language.
macro_rules! catalog_files {
    ($lang:literal) => {
        [
            include_str!(concat!("../../../locales/", $lang, "/main.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/monitoring.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/mechanisms.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/protection.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/legislation.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/engagement.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/themes.ftl")),
        ]
    };
}
const EN: [&str; 7] = catalog_files!("en");
const KM: [&str; 7] = catalog_files!("km");

pub struct Catalog {
    en: FluentBundle<FluentResource>,
    km: FluentBundle<FluentResource>,
}

fn bundle(lang: &str, sources: &[&str]) -> FluentBundle<FluentResource> {
    let langid = lang.parse().expect("valid language id");
    let mut b = FluentBundle::new_concurrent(vec![langid]);
    // Isolation marks would show up inside HTML attributes and plain text exports.
    b.set_use_isolating(false);
    for (i, source) in sources.iter().enumerate() {
        let res = FluentResource::try_new(source.to_string())
            .unwrap_or_else(|(_, errs)| panic!("locales/{lang} file {i} does not parse: {errs:?}"));
        b.add_resource(res).unwrap_or_else(|errs| panic!("locales/{lang} has duplicate ids: {errs:?}"));
    }
    b
}

pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog { en: bundle("en", &EN), km: bundle("km", &KM) })
}

impl Catalog {
    fn bundle(&self, locale: Locale) -> &FluentBundle<FluentResource> {
        match locale {
            Locale::En => &self.en,
            Locale::Km => &self.km,
        }
    }

    pub fn has(&self, locale: Locale, id: &str) -> bool {
        self.bundle(locale).has_message(id)
    }

    /// Formats a message; a missing one falls back to English, then to its id
    /// (and a test makes sure neither happens in a release).
    pub fn format(&self, locale: Locale, id: &str, args: Option<&FluentArgs>) -> String {
        for b in [self.bundle(locale), &self.en] {
            if let Some(pattern) = b.get_message(id).and_then(|m| m.value()) {
                let mut errors = vec![];
                return b.format_pattern(pattern, args, &mut errors).into_owned();
            }
        }
        tracing::warn!(id, "missing translation");
        id.to_string()
    }

    /// Message ids of one language, for the parity test.
    pub fn ids(locale: Locale) -> Vec<String> {
        let src = match locale {
            Locale::En => EN,
            Locale::Km => KM,
        };
        src.iter()
            .flat_map(|s| s.lines())
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_string()))
            .collect()
    }
}

/// Translator for one request: language plus the user's digit preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    pub locale: Locale,
    pub khmer_digits: bool,
}

const KM_MONTHS: [&str; 12] = ["មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា", "សីហា", "កញ្ញា", "តុលា", "វិច្ឆិកា", "ធ្នូ"];
const EN_MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

impl Tr {
    pub fn new(locale: Locale, khmer_digits: bool) -> Self {
        Tr { locale, khmer_digits }
    }

    pub fn lang(&self) -> &'static str {
        self.locale.as_str()
    }

    /// A plain message.
    pub fn t(&self, id: &str) -> String {
        catalog().format(self.locale, id, None)
    }

    /// A message with several text arguments.
    pub fn ta(&self, id: &str, values: &[(&str, String)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            args.set(name.to_string(), FluentValue::from(value.clone()));
        }
        catalog().format(self.locale, id, Some(&args))
    }

    /// A message with one argument.
    pub fn t1(&self, id: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), FluentValue::from(value.to_string()));
        catalog().format(self.locale, id, Some(&args))
    }

    /// A message with one number argument (plural rules apply), digits as the user likes.
    pub fn tn(&self, id: &str, name: &str, n: i64) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), FluentValue::from(n));
        let s = catalog().format(self.locale, id, Some(&args));
        // Fluent picks the plural form from the number but prints it without
        // thousands separators: write the grouped number in its place.
        let s = if n.abs() >= 1000 { s.replacen(&n.to_string(), &self.num(n), 1) } else { s };
        self.digits(&s)
    }

    /// Rewrites Latin digits as Khmer digits when the user asked for them.
    pub fn digits(&self, s: &str) -> String {
        if self.locale == Locale::Km && self.khmer_digits {
            s.chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(0x17E0 + (c as u32 - '0' as u32)).unwrap_or(c),
                    _ => c,
                })
                .collect()
        } else {
            s.to_string()
        }
    }

    /// An integer with thousands separators.
    pub fn num(&self, n: i64) -> String {
        let raw = n.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, c) in raw.chars().enumerate() {
            if i > 0 && (raw.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if n < 0 {
            out.insert(0, '-');
        }
        self.digits(&out)
    }

    /// A date from microseconds since the epoch, in UTC+7 (Cambodia has no DST).
    pub fn date(&self, micros: i64) -> String {
        let Some(d) = local(micros) else { return String::new() };
        let m = d.month() as usize - 1;
        let s = match self.locale {
            Locale::En => format!("{} {} {}", d.day(), EN_MONTHS[m], d.year()),
            Locale::Km => format!("{} {} {}", d.day(), KM_MONTHS[m], d.year()),
        };
        self.digits(&s)
    }

    pub fn datetime(&self, micros: i64) -> String {
        let Some(d) = local(micros) else { return String::new() };
        let time = format!("{:02}:{:02}", d.hour(), d.minute());
        format!("{} {}", self.date(micros), self.digits(&time))
    }

    pub fn opt_datetime(&self, micros: &Option<i64>) -> String {
        micros.map(|m| self.datetime(m)).unwrap_or_else(|| "—".into())
    }

    /// An ISO date string (`2013-06-27` or a bare year) in the user's language.
    pub fn iso_date(&self, iso: &Option<String>) -> String {
        let Some(iso) = iso.as_deref() else { return "—".into() };
        let parts: Vec<&str> = iso.split('-').collect();
        let s = match parts.as_slice() {
            [y, m] => match m.parse::<usize>() {
                Ok(m @ 1..=12) => {
                    let months = if self.locale == Locale::Km { &KM_MONTHS } else { &EN_MONTHS };
                    format!("{} {y}", months[m - 1])
                }
                _ => iso.to_string(),
            },
            [y, m, d] => match (m.parse::<usize>(), d.parse::<u32>()) {
                (Ok(m @ 1..=12), Ok(d)) => {
                    let months = if self.locale == Locale::Km { &KM_MONTHS } else { &EN_MONTHS };
                    format!("{d} {} {y}", months[m - 1])
                }
                _ => iso.to_string(),
            },
            _ => iso.to_string(),
        };
        self.digits(&s)
    }

    /// A theme as the reader reads it: themes are stored as typed (or as the
    /// UPR Info table spells them), and the known ones (locales/*/themes.ftl)
    /// are shown in the reader's language; any other stays as it is.
    pub fn theme(&self, stored: &str) -> String {
        let mut slug = String::with_capacity(stored.len());
        for c in stored.trim().chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let id = format!("theme-{}", slug.trim_matches('-'));
        if catalog().has(Locale::En, &id) {
            self.t(&id)
        } else {
            stored.to_string()
        }
    }

    /// The themes of a record, in the reader's language, comma-separated.
    pub fn themes(&self, stored: &[String]) -> String {
        stored.iter().map(|t| self.theme(t)).collect::<Vec<_>>().join(", ")
    }

    /// Picks the English or Khmer variant of a bilingual name.
    pub fn pick<'a>(&self, en: &'a str, km: &'a str) -> &'a str {
        if self.locale == Locale::Km && !km.is_empty() {
            km
        } else {
            en
        }
    }
}

fn local(micros: i64) -> Option<time::OffsetDateTime> {
    let utc = time::OffsetDateTime::from_unix_timestamp_nanos(micros as i128 * 1000).ok()?;
    Some(utc.to_offset(time::UtcOffset::from_hms(7, 0, 0).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_thousands_separators() {
        let tr = Tr::new(Locale::En, false);
        assert_eq!(tr.tn("recommendations-count", "count", 41_067), "41,067 recommendations");
        assert_eq!(tr.tn("recommendations-count", "count", 1), "1 recommendation");
        let km = Tr::new(Locale::Km, true);
        assert!(km.tn("recommendations-count", "count", 41_067).contains("៤១,០៦៧"));
    }

    #[test]
    fn both_languages_have_the_same_messages() {
        let en = Catalog::ids(Locale::En);
        let km = Catalog::ids(Locale::Km);
        assert!(en.len() > 50);
        let missing_km: Vec<_> = en.iter().filter(|id| !km.contains(id)).collect();
        let missing_en: Vec<_> = km.iter().filter(|id| !en.contains(id)).collect();
        assert!(missing_km.is_empty(), "missing in km: {missing_km:?}");
        assert!(missing_en.is_empty(), "missing in en: {missing_en:?}");
        for id in &en {
            assert!(catalog().has(Locale::En, id) && catalog().has(Locale::Km, id), "{id} does not parse");
        }
    }

    #[test]
    fn khmer_messages_are_khmer() {
        // Every Khmer message with letters contains Khmer script, so no English was left untranslated.
        for id in Catalog::ids(Locale::Km) {
            let s = Tr::new(Locale::Km, false).t(&id);
            let has_letters = s.chars().any(|c| c.is_alphabetic());
            let khmer = s.chars().any(|c| ('\u{1780}'..='\u{17FF}').contains(&c));
            let allowed_latin = ["brand", "lang-toggle-en", "language-name-en"];
            assert!(!has_letters || khmer || allowed_latin.contains(&id.as_str()), "{id}: {s}");
        }
    }

    #[test]
    fn every_message_used_in_code_exists() {
        let mut used = Vec::new();
        let roots = [concat!(env!("CARGO_MANIFEST_DIR"), "/src"), concat!(env!("CARGO_MANIFEST_DIR"), "/templates")];
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    let text = std::fs::read_to_string(&p).unwrap();
                    for marker in [".t(\"", ".t1(\"", ".tn(\""] {
                        for part in text.split(marker).skip(1) {
                            if let Some(id) = part.split('"').next() {
                                if !id.is_empty()
                                    && id.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
                                {
                                    out.push(id.to_string());
                                }
                            }
                        }
                    }
                }
            }
        }
        for r in roots {
            walk(std::path::Path::new(r), &mut used);
        }
        assert!(used.len() > 50);
        let missing: Vec<_> = used.iter().filter(|id| !catalog().has(Locale::En, id)).collect();
        assert!(missing.is_empty(), "used but not in locales/en: {missing:?}");
    }

    #[test]
    fn themes_in_the_readers_language() {
        let km = Tr::new(Locale::Km, false);
        assert_eq!(km.theme("Human rights defenders"), "អ្នកការពារសិទ្ធិមនុស្ស");
        // Spelled as typed: case, spaces and punctuation do not matter.
        assert_eq!(km.theme(" women's RIGHTS "), "សិទ្ធិស្ត្រី");
        assert_eq!(km.theme("Asylum-seekers - refugees"), km.t("theme-asylum-seekers-refugees"));
        assert_eq!(
            Tr::new(Locale::En, false).theme("torture and other CID treatment"),
            "Torture and other CID treatment"
        );
        // An office's own theme stays as typed.
        assert_eq!(km.theme("land grabbing"), "land grabbing");
        assert_eq!(km.themes(&["NHRI".into(), "ដីធ្លី".into()]), "ស្ថាប័នជាតិសិទ្ធិមនុស្ស, ដីធ្លី");
        // Every issue of the UPR Info table the tests import has a label.
        let fixture =
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/fixture/upr/upr_info_recommendations_s01-s20.csv");
        let mut reader = csv::Reader::from_path(fixture).unwrap();
        let column = reader.headers().unwrap().iter().position(|h| h == "issues").unwrap();
        for row in reader.records() {
            for issue in row.unwrap()[column].split(',').map(str::trim).filter(|t| !t.is_empty()) {
                assert_ne!(km.theme(issue), issue, "no Khmer label for the UPR Info issue {issue:?}");
            }
        }
    }

    #[test]
    fn dates_and_numbers_per_language() {
        let micros = 1_795_000_000_000_000; // 2026-11-18 UTC
        assert_eq!(Tr::new(Locale::En, false).date(micros), "18 Nov 2026");
        assert_eq!(Tr::new(Locale::Km, false).date(micros), "18 វិច្ឆិកា 2026");
        assert_eq!(Tr::new(Locale::Km, true).date(micros), "១៨ វិច្ឆិកា ២០២៦");
        assert_eq!(Tr::new(Locale::En, true).num(1234567), "1,234,567");
        assert_eq!(Tr::new(Locale::Km, true).num(-41066), "-៤១,០៦៦");
        assert_eq!(Tr::new(Locale::En, false).iso_date(&Some("1992-05-26".into())), "26 May 1992");
        assert_eq!(Tr::new(Locale::Km, false).iso_date(&Some("2013".into())), "2013");
        assert_eq!(Tr::new(Locale::Km, true).iso_date(&Some("2026-03".into())), "មីនា ២០២៦");
    }
}
