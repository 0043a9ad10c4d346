//! Reference data embedded in the binary (permissively licensed sets only,
//! see DESIGN.md §5 and `reference/README.md`), parsed once at load time.

use crate::StoreError;
use rightsdesk_domain::reference::{
    Article, Commune, District, Instrument, Province, Ratification, RatificationStatus, SdgGoal, SdgTarget,
};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

const PROVINCES: &str = include_str!("../reference/khm_provinces.csv");
const DISTRICTS: &str = include_str!("../reference/khm_districts.csv");
const COMMUNES: &str = include_str!("../reference/khm_communes.csv");
const TREATY_INDEX: &str = include_str!("../reference/untc_chapter_iv_treaty_index_2015.csv");
const ARTICLES: &str = include_str!("../reference/core_hr_instruments_articles_en.csv");
const PARTICIPATION_2015: &str = include_str!("../reference/untc_hr_treaty_participation_2015.csv");
const STATUS_2022: &str = include_str!("../reference/un_members_hr_treaty_status_2022.csv");
const SDG_GOALS: &str = include_str!("../reference/sdg_goals_en_km.csv");
const SDG_TARGETS: &str = include_str!("../reference/sdg_targets_en_km.csv");

/// The state whose ratification status ships with the product.
pub const HOME_STATE: &str = "Cambodia";

#[derive(Debug, Clone, Default)]
pub struct ReferenceData {
    pub provinces: Vec<Province>,
    pub districts: Vec<District>,
    pub communes: Vec<Commune>,
    pub instruments: Vec<Instrument>,
    pub articles: Vec<Article>,
    pub ratifications: Vec<Ratification>,
    pub sdg_goals: Vec<SdgGoal>,
    pub sdg_targets: Vec<SdgTarget>,
}

fn rows<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    for (i, rec) in csv::Reader::from_reader(text.as_bytes()).deserialize().enumerate() {
        out.push(rec.map_err(|e| StoreError::Corrupt(format!("embedded {name}, row {}: {e}", i + 2)))?);
    }
    Ok(out)
}

#[derive(Deserialize)]
struct ProvinceRow {
    province_code: String,
    name_km: String,
    name_en: String,
}
#[derive(Deserialize)]
struct DistrictRow {
    district_code: String,
    province_code: String,
    name_km: String,
    name_en: String,
}
#[derive(Deserialize)]
struct CommuneRow {
    commune_code: String,
    district_code: String,
    name_km: String,
    name_en: String,
}
#[derive(Deserialize)]
struct TreatyRow {
    untc_id: String,
    treaty_code: String,
    is_core_instrument: String,
    treaty_name: String,
}
#[derive(Deserialize)]
struct ArticleRow {
    treaty_code: String,
    part: String,
    article: i64,
    caption: String,
    text: String,
}
#[derive(Deserialize)]
struct ParticipationRow {
    treaty_code: String,
    participant: String,
    signature_date: String,
    consent_date: String,
    consent_type: String,
}
#[derive(Deserialize)]
struct Status2022Row {
    treaty_code: String,
    member: String,
    state_party: String,
    year_ratification_or_accession: String,
    signatory: String,
}
#[derive(Deserialize)]
struct GoalRow {
    goal: i64,
    short_en: String,
    title_en: String,
    short_km: String,
    title_km: String,
}
#[derive(Deserialize)]
struct TargetRow {
    target: String,
    goal: i64,
    title_en: String,
    title_km: String,
}

fn non_empty(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl ReferenceData {
    /// Parses the embedded files. Fails only if the build shipped broken data,
    /// which the test suite would catch first.
    pub fn embedded() -> Result<Self, StoreError> {
        let provinces = rows::<ProvinceRow>("provinces", PROVINCES)?
            .into_iter()
            .map(|r| Province { code: r.province_code, name_en: r.name_en, name_km: r.name_km })
            .collect();
        let districts = rows::<DistrictRow>("districts", DISTRICTS)?
            .into_iter()
            .map(|r| District {
                code: r.district_code,
                province_code: r.province_code,
                name_en: r.name_en,
                name_km: r.name_km,
            })
            .collect();
        let communes = rows::<CommuneRow>("communes", COMMUNES)?
            .into_iter()
            .map(|r| Commune {
                code: r.commune_code,
                district_code: r.district_code,
                name_en: r.name_en,
                name_km: r.name_km,
            })
            .collect();

        let articles: Vec<Article> = rows::<ArticleRow>("articles", ARTICLES)?
            .into_iter()
            .map(|r| Article {
                instrument_code: r.treaty_code,
                number: r.article,
                part: r.part,
                caption: r.caption,
                text: r.text,
            })
            .collect();
        let mut article_counts: BTreeMap<&str, i64> = BTreeMap::new();
        for a in &articles {
            *article_counts.entry(a.instrument_code.as_str()).or_default() += 1;
        }

        // The core instruments and their protocols (UN Treaty Collection
        // chapter IV), plus the Universal Declaration, which has articles but
        // no ratifications.
        let mut instruments: Vec<Instrument> = vec![Instrument {
            code: "UDHR".into(),
            untc_id: String::new(),
            title: "Universal Declaration of Human Rights. Paris, 10 December 1948".into(),
            is_core: false,
            article_count: article_counts.get("UDHR").copied().unwrap_or(0),
        }];
        for r in rows::<TreatyRow>("treaty index", TREATY_INDEX)? {
            if r.is_core_instrument != "yes" {
                continue;
            }
            instruments.push(Instrument {
                article_count: article_counts.get(r.treaty_code.as_str()).copied().unwrap_or(0),
                code: r.treaty_code,
                untc_id: r.untc_id,
                title: r.treaty_name,
                is_core: true,
            });
        }
        let core: BTreeSet<String> = instruments.iter().map(|i| i.code.clone()).collect();
        let articles = articles.into_iter().filter(|a| core.contains(&a.instrument_code)).collect();

        // Dated facts from the 2015 UNTC tables; the 2022 table (years only)
        // fills in what changed later; "no action" for the rest.
        let mut ratifications: BTreeMap<String, Ratification> = BTreeMap::new();
        for r in rows::<ParticipationRow>("participation 2015", PARTICIPATION_2015)? {
            if r.participant != HOME_STATE || !core.contains(&r.treaty_code) {
                continue;
            }
            let status = match r.consent_type.as_str() {
                "accession" => RatificationStatus::Acceded,
                "succession" => RatificationStatus::Succeeded,
                "" => RatificationStatus::Signed,
                _ => RatificationStatus::Ratified,
            };
            ratifications.insert(
                r.treaty_code.clone(),
                Ratification {
                    instrument_code: r.treaty_code,
                    state: HOME_STATE.into(),
                    status,
                    signature_date: non_empty(r.signature_date),
                    consent_date: non_empty(r.consent_date),
                    source: "UN Treaty Collection, March 2015".into(),
                },
            );
        }
        for r in rows::<Status2022Row>("status 2022", STATUS_2022)? {
            if r.member != HOME_STATE || !core.contains(&r.treaty_code) {
                continue;
            }
            let later_party = r.state_party == "1";
            let known = ratifications.get(&r.treaty_code);
            if later_party && !known.is_some_and(|k| k.status.is_party()) {
                ratifications.insert(
                    r.treaty_code.clone(),
                    Ratification {
                        instrument_code: r.treaty_code.clone(),
                        state: HOME_STATE.into(),
                        status: RatificationStatus::Ratified,
                        signature_date: known.and_then(|k| k.signature_date.clone()),
                        consent_date: non_empty(r.year_ratification_or_accession),
                        source: "UN member status table, 2022 (year only)".into(),
                    },
                );
            } else if known.is_none() && r.signatory == "1" {
                ratifications.insert(
                    r.treaty_code.clone(),
                    Ratification {
                        instrument_code: r.treaty_code.clone(),
                        state: HOME_STATE.into(),
                        status: RatificationStatus::Signed,
                        signature_date: None,
                        consent_date: None,
                        source: "UN member status table, 2022".into(),
                    },
                );
            }
        }
        for i in instruments.iter().filter(|i| i.is_core) {
            ratifications.entry(i.code.clone()).or_insert_with(|| Ratification {
                instrument_code: i.code.clone(),
                state: HOME_STATE.into(),
                status: RatificationStatus::NoAction,
                signature_date: None,
                consent_date: None,
                source: "UN Treaty Collection 2015 and UN member status table 2022".into(),
            });
        }

        let sdg_goals = rows::<GoalRow>("SDG goals", SDG_GOALS)?
            .into_iter()
            .map(|r| SdgGoal {
                number: r.goal,
                short_en: r.short_en,
                title_en: r.title_en,
                short_km: r.short_km,
                title_km: r.title_km,
            })
            .collect();
        let sdg_targets = rows::<TargetRow>("SDG targets", SDG_TARGETS)?
            .into_iter()
            .map(|r| SdgTarget { code: r.target, goal: r.goal, title_en: r.title_en, title_km: r.title_km })
            .collect();

        Ok(ReferenceData {
            provinces,
            districts,
            communes,
            instruments,
            articles,
            ratifications: ratifications.into_values().collect(),
            sdg_goals,
            sdg_targets,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_is_complete() {
        let d = ReferenceData::embedded().unwrap();
        assert_eq!(d.provinces.len(), 25);
        assert_eq!(d.districts.len(), 197);
        assert_eq!(d.communes.len(), 1646);
        assert_eq!(d.sdg_goals.len(), 17);
        assert_eq!(d.sdg_targets.len(), 169);
        assert!(d.provinces.iter().any(|p| p.code == "02" && p.name_en == "Battambang" && p.name_km == "បាត់ដំបង"));
        // 18 core instruments and protocols, plus the UDHR.
        assert_eq!(d.instruments.len(), 19);
        assert_eq!(d.ratifications.len(), 18);
        let iccpr = d.ratifications.iter().find(|r| r.instrument_code == "ICCPR").unwrap();
        assert_eq!(iccpr.status, RatificationStatus::Acceded);
        assert_eq!(iccpr.consent_date.as_deref(), Some("1992-05-26"));
        let op2 = d.ratifications.iter().find(|r| r.instrument_code == "ICCPR-OP2-DP").unwrap();
        assert_eq!(op2.status, RatificationStatus::NoAction);
        let cmw = d.ratifications.iter().find(|r| r.instrument_code == "ICMW").unwrap();
        assert_eq!(cmw.status, RatificationStatus::Signed);
        let art9 = d.articles.iter().find(|a| a.instrument_code == "ICCPR" && a.number == 9).unwrap();
        assert!(art9.text.contains("arbitrary arrest"));
        // Article keys are unique per instrument.
        let keys: BTreeSet<_> = d.articles.iter().map(|a| (a.instrument_code.clone(), a.number)).collect();
        assert_eq!(keys.len(), d.articles.len());
    }
}
