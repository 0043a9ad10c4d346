//! Reference data: Cambodia's administrative areas, the core human rights
//! instruments and their articles, ratification status, SDG goals and targets.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Province {
    pub code: String,
    pub name_en: String,
    pub name_km: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct District {
    pub code: String,
    pub province_code: String,
    pub name_en: String,
    pub name_km: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Commune {
    pub code: String,
    pub district_code: String,
    pub name_en: String,
    pub name_km: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Instrument {
    /// Our code, e.g. `ICCPR`, `OP-CAT`.
    pub code: String,
    /// UN Treaty Collection id, e.g. `IV-4`.
    pub untc_id: String,
    pub title: String,
    /// One of the core international human rights instruments (or their protocols).
    pub is_core: bool,
    pub article_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Article {
    pub instrument_code: String,
    /// 0 is the preamble.
    pub number: i64,
    pub part: String,
    pub caption: String,
    pub text: String,
}

/// How a state became bound, or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RatificationStatus {
    Signed,
    Ratified,
    Acceded,
    Succeeded,
    NoAction,
}

impl RatificationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RatificationStatus::Signed => "signed",
            RatificationStatus::Ratified => "ratified",
            RatificationStatus::Acceded => "acceded",
            RatificationStatus::Succeeded => "succeeded",
            RatificationStatus::NoAction => "no_action",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Signed, Self::Ratified, Self::Acceded, Self::Succeeded, Self::NoAction]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
    /// Whether the state is bound by the instrument.
    pub fn is_party(self) -> bool {
        matches!(self, Self::Ratified | Self::Acceded | Self::Succeeded)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Ratification {
    pub instrument_code: String,
    pub state: String,
    pub status: RatificationStatus,
    /// ISO date of signature, if any.
    pub signature_date: Option<String>,
    /// ISO date of ratification, accession or succession, if any.
    pub consent_date: Option<String>,
    /// Where the facts come from.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SdgGoal {
    pub number: i64,
    pub short_en: String,
    pub title_en: String,
    pub short_km: String,
    pub title_km: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SdgTarget {
    /// e.g. `16.10`
    pub code: String,
    pub goal: i64,
    pub title_en: String,
    pub title_km: String,
}
