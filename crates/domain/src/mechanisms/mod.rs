//! UN human rights mechanisms: the Universal Periodic Review, the treaty
//! bodies and the special procedures; the recommendations they make to a
//! State, the State's response, and how far each is implemented.

mod action;
mod assessment;
mod calendar;
mod import;
mod recommendation;
mod upr;

pub use action::*;
pub use assessment::*;
pub use calendar::*;
pub use import::*;
pub use recommendation::*;
pub use upr::*;

use crate::platform::ValidationError;
use crate::vocabulary::RowError;
use serde::{Deserialize, Serialize};

#[cfg(test)]
mod tests {
    use super::*;

    fn table(lines: &[&[&str]]) -> (Vec<String>, Vec<(usize, Vec<String>)>) {
        let headers = UPR_INFO_COLUMNS.iter().map(|s| s.to_string()).collect();
        let rows = lines.iter().enumerate().map(|(i, l)| (i + 2, l.iter().map(|s| s.to_string()).collect())).collect();
        (headers, rows)
    }

    #[test]
    fn cycles_and_dates_of_upr_sessions() {
        assert_eq!(upr_cycle(6), Some(1));
        assert_eq!(upr_cycle(18), Some(2));
        assert_eq!(upr_cycle(32), Some(3));
        assert_eq!(upr_cycle(46), Some(4));
        assert_eq!(upr_cycle(0), None);
        assert_eq!(upr_session_month(6), Some("2009-11"));
        assert_eq!(upr_session_month(18), Some("2014-01"));
        assert_eq!(upr_session_month(40), None);
    }

    #[test]
    fn upr_info_rows_are_read_and_bad_rows_rejected_with_reasons() {
        let (h, rows) = table(&[
            &["7443", "6", "Cambodia", "Establish an NHRI", "Egypt", "Accepted", "4", "NHRI,Detention, NHRI"],
            &["7444", "x", "Cambodia", "", "Chile", "Noted", "9", ""],
            &["7443", "6", "Cambodia", "Again", "Chile", "Noted", "", ""],
            &["7445", "18", "Cambodia", "Adopt a law", "Chile", "Noted", "", ""],
        ]);
        let (good, rejected) = parse_upr_info(&h, &rows).unwrap();
        assert_eq!(good.len(), 2);
        let r = &good[0].1;
        assert_eq!((r.source_key.as_str(), r.cycle, r.response), ("upr-info:7443", Some(1), Some(Response::Supported)));
        assert_eq!(r.themes, vec!["Detention".to_string(), "NHRI".to_string()]);
        assert_eq!(good[1].1.response, Some(Response::Noted));
        assert_eq!(good[1].1.issued_on.as_deref(), Some("2014-01"));
        let found: Vec<(usize, &str, &str)> = rejected.iter().map(|e| (e.line, e.column.as_str(), e.code)).collect();
        assert_eq!(
            found,
            [
                (3, "session", "not-a-session"),
                (3, "recommendation", "required"),
                (3, "action_category", "invalid-choice"),
                (4, "id", "duplicate"),
            ]
        );
        let (mut h, rows) = table(&[&["1", "1", "A", "B", "C", "Accepted", "", ""]]);
        h.retain(|c| c != "recommendation");
        assert_eq!(parse_upr_info(&h, &rows).unwrap_err()[0].code, "missing-column");
    }

    #[test]
    fn reporting_events_need_a_kind_a_title_and_a_day() {
        let ok = ReportingEventFields {
            mechanism_code: "ccpr".into(),
            kind: "state_report_due".into(),
            title: "Fourth periodic report".into(),
            due_on: "2027-03-31".into(),
            ..Default::default()
        };
        assert_eq!(ok.parse().unwrap().mechanism_code, "CCPR");
        let bad = ReportingEventFields { kind: "party".into(), due_on: "soon".into(), ..Default::default() };
        let codes: Vec<_> = bad.parse().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(codes, ["mechanism_code", "kind", "title", "due_on"]);
    }

    #[test]
    fn details_take_sdg_targets_groups_and_a_cluster() {
        let d = RecommendationDetailsFields {
            themes: "NHRI, Detention,NHRI".into(),
            sdg_targets: "16.10; 5.2 16.a".into(),
            affected_groups: vec!["children".into(), "women_and_girls".into()],
            cluster: " Civic space ".into(),
            institutions: vec![3, 1, 3],
        }
        .parse()
        .unwrap();
        assert_eq!(d.themes, ["Detention", "NHRI"]);
        assert_eq!(d.sdg_targets, [("16.10".to_string(), 16), ("16.a".to_string(), 16), ("5.2".to_string(), 5)]);
        assert_eq!((d.cluster.as_deref(), d.institutions), (Some("Civic space"), vec![1, 3]));
        for bad in ["18.1", "16", "x.1", "16.abc"] {
            let f = RecommendationDetailsFields { sdg_targets: bad.into(), ..Default::default() };
            assert_eq!(f.parse().unwrap_err()[0].field, "sdg_targets", "{bad}");
        }
        let f = RecommendationDetailsFields { affected_groups: vec!["aliens".into()], ..Default::default() };
        assert_eq!(f.parse().unwrap_err()[0].field, "affected_groups");
    }

    #[test]
    fn actions_need_a_title_and_take_a_known_status() {
        let a = ActionFields { title: "Draft the NHRI law".into(), due_on: "2027-06-30".into(), ..Default::default() };
        let a = a.parse().unwrap();
        assert_eq!((a.status.as_str(), a.due_on.as_deref(), a.organisation_id), ("planned", Some("2027-06-30"), None));
        let bad = ActionFields {
            organisation_id: "x".into(),
            status: "done".into(),
            due_on: "soon".into(),
            ..Default::default()
        };
        let fields: Vec<_> = bad.parse().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "organisation_id", "due_on", "status"]);
        assert_eq!(IndicatorFields::default().parse().unwrap_err()[0].field, "name");
    }

    #[test]
    fn mapped_files_fill_the_chosen_fields() {
        let headers: Vec<String> =
            ["Body", "Symbol", "Para", "Recommendation", "Date", "Topics"].iter().map(|s| s.to_string()).collect();
        let row = |l: usize, cells: &[&str]| (l, cells.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let rows = vec![
            row(
                2,
                &[
                    "ccpr",
                    "CCPR/C/KHM/CO/3",
                    "11",
                    "Ensure the independence of the judiciary",
                    "2022-04",
                    "Judiciary; Fair trial",
                ],
            ),
            row(3, &["", "CCPR/C/KHM/CO/3", "13", "Protect human rights defenders", "2022-04-28", ""]),
            row(4, &["XYZ", "", "", "Something", "2022", ""]),
            row(5, &["CCPR", "", "", "", "yesterday", ""]),
            row(6, &["", "", "", "", "", ""]),
        ];
        let mapping = ColumnMapping {
            columns: [
                ("mechanism_code", "Body"),
                ("document_symbol", "Symbol"),
                ("paragraph", "Para"),
                ("text", "Recommendation"),
                ("issued_on", "Date"),
                ("themes", "Topics"),
            ]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
            default_mechanism: "CCPR".into(),
            default_state: "Cambodia".into(),
        };
        let known = vec!["CCPR".to_string(), "UPR".to_string()];
        let (good, rejected) = parse_mapped(&headers, &rows, &mapping, &known).unwrap();
        assert_eq!(good.len(), 2);
        assert_eq!(good[0].1.mechanism_code, "CCPR");
        assert_eq!(good[0].1.themes, ["Fair trial", "Judiciary"]);
        assert_eq!((good[1].1.mechanism_code.as_str(), good[1].1.state_under_review.as_str()), ("CCPR", "Cambodia"));
        assert!(good[0].1.source_key.starts_with("mapped:") && good[0].1.source_key != good[1].1.source_key);
        let again = parse_mapped(&headers, &rows, &mapping, &known).unwrap().0;
        assert_eq!(again[0].1.source_key, good[0].1.source_key, "the same row, the same key");
        let found: Vec<(usize, &str, &str)> = rejected.iter().map(|e| (e.line, e.column.as_str(), e.code)).collect();
        assert_eq!(
            found,
            [(4, "Body", "invalid-choice"), (5, "Recommendation", "required"), (5, "Date", "invalid-fuzzy-date")]
        );
        let mut wrong = mapping.clone();
        wrong.columns.push(("session".into(), "Sesion".into()));
        assert_eq!(parse_mapped(&headers, &rows, &wrong, &known).unwrap_err()[0].code, "missing-column");
    }

    #[test]
    fn assessments_need_a_status_and_a_day() {
        let ok =
            AssessmentFields { status: "in_progress".into(), assessed_on: "2026-11-01".into(), ..Default::default() };
        assert_eq!(ok.parse().unwrap().status, ImplementationStatus::InProgress);
        let bad = AssessmentFields { status: "done".into(), assessed_on: "2026-11".into(), ..Default::default() };
        let codes: Vec<_> = bad.parse().unwrap_err().iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(codes, [("status", "invalid-choice"), ("assessed_on", "invalid-day")]);
    }
}
