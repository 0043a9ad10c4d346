//! Records of the monitoring line of work.

use rightsdesk_domain::monitoring::{CaseInput, CaseStatus, DatePrecision, FuzzyDate, Sensitivity};
use rightsdesk_domain::CaseScope;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Case {
    pub id: i64,
    /// `PNH-2026-0042`
    pub reference: String,
    pub office_id: i64,
    pub office_code: String,
    pub title: String,
    pub summary: String,
    pub status: CaseStatus,
    pub sensitivity: Sensitivity,
    pub province_code: Option<String>,
    pub district_code: Option<String>,
    pub commune_code: Option<String>,
    pub location_text: String,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
    pub themes: Vec<String>,
    /// Ids of the officers on the case's team.
    pub assigned: Vec<i64>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A line of the case list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CaseSummary {
    pub id: i64,
    pub reference: String,
    pub office_code: String,
    pub title: String,
    pub status: CaseStatus,
    pub sensitivity: Sensitivity,
    pub province_code: Option<String>,
    pub start: Option<FuzzyDate>,
    pub updated_at: i64,
}

/// Filters of the case list. The scope is not optional: every list and
/// count is limited to what the asking user may see.
#[derive(Debug, Clone)]
pub struct CaseFilter {
    pub scope: CaseScope,
    pub office_id: Option<i64>,
    pub status: Option<CaseStatus>,
    pub province_code: Option<String>,
    pub sensitivity: Option<Sensitivity>,
    pub assigned_to: Option<i64>,
    /// ISO dates compared with the start date's earliest day.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Keyset paging: cases with a smaller id than this (newest first).
    pub before_id: Option<i64>,
    pub limit: i64,
}

impl CaseFilter {
    pub fn new(scope: CaseScope) -> Self {
        CaseFilter {
            scope,
            office_id: None,
            status: None,
            province_code: None,
            sensitivity: None,
            assigned_to: None,
            from: None,
            to: None,
            before_id: None,
            limit: 50,
        }
    }
}

/// A new case: the validated input, where it is opened, and its first team.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub input: CaseInput,
    pub office_id: i64,
    pub year: i32,
    pub created_by: i64,
    pub assigned: Vec<i64>,
}

/// One change of status, shown on the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StatusChange {
    pub from_status: Option<CaseStatus>,
    pub to_status: CaseStatus,
    pub reason: String,
    pub changed_by: Option<i64>,
    pub changed_by_name: String,
    pub changed_at: i64,
}

pub fn precision_str_pub(d: &Option<FuzzyDate>) -> Option<&'static str> {
    d.as_ref().map(|d| d.precision.as_str())
}

/// Rebuilds a fuzzy date from its two columns.
pub fn fuzzy_from_columns(value: Option<String>, precision: Option<String>) -> Option<FuzzyDate> {
    let value = value?;
    let precision = precision.as_deref().and_then(DatePrecision::parse).unwrap_or(DatePrecision::Day);
    Some(FuzzyDate { value, precision })
}
