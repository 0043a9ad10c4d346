//! What an officer types about a draft law, a stage change, a version, a
//! comment and the Government's response, and the rules each must keep.

use super::*;
use crate::monitoring::intervention::day;
use crate::platform::{required_text, ValidationError};
use serde::Deserialize;

/// The most a title, short name or source line holds.
const LINE_MAX: usize = 300;
/// The most a comment's concern, standard, recommendation or response holds.
const PASSAGE_MAX: usize = 20_000;
/// The most a pasted or extracted version text holds (a long code is ~2 MB).
pub const LAW_TEXT_MAX_BYTES: usize = 8 * 1024 * 1024;

fn optional_line(field: &'static str, raw: &str, max: usize) -> Result<String, ValidationError> {
    if raw.trim().is_empty() {
        Ok(String::new())
    } else {
        required_text(field, raw, max)
    }
}

fn passage(field: &'static str, raw: &str, required: bool) -> Result<String, ValidationError> {
    let t = raw.trim();
    if t.is_empty() && required {
        return Err(ValidationError::new(field, "required"));
    }
    if t.chars().count() > PASSAGE_MAX {
        return Err(ValidationError::too_long(field, PASSAGE_MAX));
    }
    if t.chars().any(|c| crate::text::is_bidi_control(c) || (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))) {
        return Err(ValidationError::new(field, "invalid-characters"));
    }
    Ok(t.replace("\r\n", "\n"))
}

fn optional_id(field: &'static str, raw: &str) -> Result<Option<i64>, ValidationError> {
    crate::protection::optional_id(field, raw)
}

/// A draft law's register entry as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LawFields {
    pub title_en: String,
    pub title_km: String,
    pub short_name: String,
    /// The sponsoring ministry (an organisation id).
    pub ministry_id: String,
    /// The office's lead legal officer (a user id).
    pub lead_user_id: String,
    pub priority: String,
    /// Comma-separated theme codes.
    pub themes: String,
    /// Only when the law enters the register: its stage and since when.
    pub stage: String,
    pub stage_on: String,
    /// The public-consultation window (`YYYY-MM-DD`, both or neither).
    pub consultation_opens: String,
    pub consultation_closes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LawInput {
    pub title_en: String,
    pub title_km: String,
    pub short_name: String,
    pub ministry_id: Option<i64>,
    pub lead_user_id: Option<i64>,
    pub priority: LawPriority,
    pub themes: Vec<String>,
    pub consultation: Option<(String, String)>,
}

impl LawFields {
    /// The register fields; a new law also needs [`LawFields::first_stage`].
    pub fn parse(&self) -> Result<LawInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let title_en =
            optional_line("title_en", &self.title_en, LINE_MAX).map_err(|e| errors.push(e)).unwrap_or_default();
        let title_km =
            optional_line("title_km", &self.title_km, LINE_MAX).map_err(|e| errors.push(e)).unwrap_or_default();
        if title_en.is_empty() && title_km.is_empty() && !errors.iter().any(|e| e.field.starts_with("title")) {
            errors.push(ValidationError::new("title_en", "title-in-one-language"));
        }
        let short_name = required_text("short_name", &self.short_name, 80).map_err(|e| errors.push(e)).ok();
        let ministry_id = optional_id("ministry_id", &self.ministry_id).map_err(|e| errors.push(e)).ok().flatten();
        let lead_user_id = optional_id("lead_user_id", &self.lead_user_id).map_err(|e| errors.push(e)).ok().flatten();
        let priority = LawPriority::parse(self.priority.trim());
        if priority.is_none() {
            errors.push(ValidationError::new("priority", "invalid-choice"));
        }
        let mut themes: Vec<String> =
            self.themes.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        themes.sort();
        themes.dedup();
        if themes.iter().any(|t| t.chars().count() > 60 || t.chars().any(char::is_control)) {
            errors.push(ValidationError::new("themes", "invalid-characters"));
        }
        let opens = day("consultation_opens", &self.consultation_opens).map_err(|e| errors.push(e)).ok().flatten();
        let closes = day("consultation_closes", &self.consultation_closes).map_err(|e| errors.push(e)).ok().flatten();
        let consultation = match (opens, closes) {
            (Some(o), Some(c)) if c < o => {
                errors.push(ValidationError::new("consultation_closes", "ends-before-start"));
                None
            }
            (Some(o), Some(c)) => Some((o, c)),
            (None, None) => None,
            (Some(_), None) => {
                errors.push(ValidationError::new("consultation_closes", "required"));
                None
            }
            (None, Some(_)) => {
                errors.push(ValidationError::new("consultation_opens", "required"));
                None
            }
        };
        match (short_name, priority) {
            (Some(short_name), Some(priority)) if errors.is_empty() => Ok(LawInput {
                title_en,
                title_km,
                short_name,
                ministry_id,
                lead_user_id,
                priority,
                themes,
                consultation,
            }),
            _ => Err(errors),
        }
    }

    /// The stage a new law enters the register at, and its date.
    pub fn first_stage(&self) -> Result<(LawStage, String), Vec<ValidationError>> {
        let fields = StageFields { stage: self.stage.clone(), stage_on: self.stage_on.clone(), note: String::new() };
        fields.parse(None, None)
    }
}

/// A stage change as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StageFields {
    pub stage: String,
    /// The day the law reached it (`YYYY-MM-DD`).
    pub stage_on: String,
    pub note: String,
}

impl StageFields {
    /// The new stage, its day and the note; `current` is where the law
    /// stands (none for a new law) since `since`: a stage cannot be dated
    /// before the one it follows.
    pub fn parse(
        &self,
        current: Option<LawStage>,
        since: Option<&str>,
    ) -> Result<(LawStage, String), Vec<ValidationError>> {
        let mut errors = vec![];
        let stage = LawStage::parse(self.stage.trim());
        match (stage, current) {
            (None, _) => errors.push(ValidationError::new("stage", "invalid-choice")),
            (Some(next), Some(now)) if !now.can_become(next) => {
                errors.push(ValidationError::new("stage", "invalid-transition"))
            }
            _ => {}
        }
        let on = match day("stage_on", &self.stage_on) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push(ValidationError::new("stage_on", "required"));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        if let (Some(on), Some(since)) = (&on, since) {
            if on.as_str() < since {
                errors.push(ValidationError::new("stage_on", "dated-before-previous"));
            }
        }
        if self.note.chars().count() > 2_000 {
            errors.push(ValidationError::too_long("note", 2_000));
        }
        match (stage, on) {
            (Some(stage), Some(on)) if errors.is_empty() => Ok((stage, on)),
            _ => Err(errors),
        }
    }
}

crate::choice!(
    /// How a version's text reached the office.
    VersionFormat, "version-format", {
        Docx = "docx",
        Pdf = "pdf",
        Text = "text",
        Pasted = "pasted",
    }
);

/// A version as typed (the file or pasted text comes apart).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct VersionFields {
    /// "Council of Ministers draft", "National Assembly text".
    pub label: String,
    /// The version's date (`YYYY-MM-DD`).
    pub dated: String,
    /// Where the office got it.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInput {
    pub label: String,
    pub dated: String,
    pub source: String,
}

impl VersionFields {
    /// `latest` is the date of the law's latest version: a new version
    /// cannot be older.
    pub fn parse(&self, latest: Option<&str>) -> Result<VersionInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let label = required_text("label", &self.label, 120).map_err(|e| errors.push(e)).ok();
        let dated = match day("dated", &self.dated) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push(ValidationError::new("dated", "required"));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        if let (Some(d), Some(latest)) = (&dated, latest) {
            if d.as_str() < latest {
                errors.push(ValidationError::new("dated", "dated-before-previous"));
            }
        }
        let source = optional_line("source", &self.source, LINE_MAX).map_err(|e| errors.push(e)).unwrap_or_default();
        match (label, dated) {
            (Some(label), Some(dated)) if errors.is_empty() => Ok(VersionInput { label, dated, source }),
            _ => Err(errors),
        }
    }
}

/// An instrument article a comment invokes: `("ICCPR", 19)`.
pub type StandardRef = (String, i64);

/// Reads "ICCPR 19, ICCPR art. 21; CRC 13" as instrument articles.
pub fn parse_standard_refs(field: &'static str, raw: &str) -> Result<Vec<StandardRef>, ValidationError> {
    let mut refs = vec![];
    for part in raw.split([',', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let mut words = part.split_whitespace();
        let code = words.next().unwrap_or_default().to_uppercase();
        let number: String = words.collect::<Vec<_>>().join(" ");
        let number = number.trim_start_matches("art.").trim_start_matches("article").trim_start_matches("Art.").trim();
        let number = latin_digits(number);
        let valid_code =
            !code.is_empty() && code.len() <= 20 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        match number.parse::<i64>() {
            Ok(n) if valid_code && n > 0 => refs.push((code, n)),
            _ => return Err(ValidationError::new(field, "invalid-standard")),
        }
    }
    refs.sort();
    refs.dedup();
    Ok(refs)
}

/// A comment as typed.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CommentFields {
    /// The article's number in the version ("12", "12 bis"); empty: the law as a whole.
    pub article_number: String,
    pub concern: String,
    /// The standard in words.
    pub standard: String,
    /// Instrument articles: "ICCPR 19, ICESCR 11".
    pub standard_articles: String,
    /// UN recommendations invoked (ids, comma-separated).
    pub recommendation_ids: String,
    pub recommended_change: String,
    pub severity: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentInput {
    pub article_number: Option<String>,
    pub concern: String,
    pub standard: String,
    pub standard_articles: Vec<StandardRef>,
    pub recommendation_ids: Vec<i64>,
    pub recommended_change: String,
    pub severity: CommentSeverity,
    pub status: CommentStatus,
}

impl CommentFields {
    pub fn parse(&self) -> Result<CommentInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let number = latin_digits(self.article_number.trim());
        let article_number = (!number.is_empty()).then_some(number);
        if article_number.as_ref().is_some_and(|n| n.chars().count() > 30) {
            errors.push(ValidationError::too_long("article_number", 30));
        }
        let concern = passage("concern", &self.concern, true).map_err(|e| errors.push(e)).ok();
        let standard = passage("standard", &self.standard, false).map_err(|e| errors.push(e)).unwrap_or_default();
        let standard_articles = parse_standard_refs("standard_articles", &self.standard_articles)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let mut recommendation_ids = vec![];
        for part in self.recommendation_ids.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part.parse::<i64>() {
                Ok(n) if n > 0 => recommendation_ids.push(n),
                _ => {
                    errors.push(ValidationError::new("recommendation_ids", "unknown-record"));
                    break;
                }
            }
        }
        recommendation_ids.sort();
        recommendation_ids.dedup();
        let recommended_change = passage("recommended_change", &self.recommended_change, false)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let severity = CommentSeverity::parse(self.severity.trim());
        if severity.is_none() {
            errors.push(ValidationError::new("severity", "invalid-choice"));
        }
        let status = match self.status.trim() {
            "" => Some(CommentStatus::Draft),
            s => CommentStatus::parse(s),
        };
        if status.is_none() {
            errors.push(ValidationError::new("status", "invalid-choice"));
        }
        match (concern, severity, status) {
            (Some(concern), Some(severity), Some(status)) if errors.is_empty() => Ok(CommentInput {
                article_number,
                concern,
                standard,
                standard_articles,
                recommendation_ids,
                recommended_change,
                severity,
                status,
            }),
            _ => Err(errors),
        }
    }
}

/// The Government's response to a comment as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ResponseFields {
    pub response: String,
    /// When it was given (`YYYY-MM-DD`); not needed for "no response".
    pub response_on: String,
    pub response_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseInput {
    pub response: GovernmentResponse,
    pub response_on: Option<String>,
    pub response_text: String,
}

impl ResponseFields {
    pub fn parse(&self) -> Result<ResponseInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let response = GovernmentResponse::parse(self.response.trim());
        if response.is_none() {
            errors.push(ValidationError::new("response", "invalid-choice"));
        }
        let response_on = day("response_on", &self.response_on).map_err(|e| errors.push(e)).ok().flatten();
        if response_on.is_none()
            && response.is_some_and(|r| r != GovernmentResponse::NoResponse)
            && !errors.iter().any(|e| e.field == "response_on")
        {
            errors.push(ValidationError::new("response_on", "required"));
        }
        let response_text =
            passage("response_text", &self.response_text, false).map_err(|e| errors.push(e)).unwrap_or_default();
        match response {
            Some(response) if errors.is_empty() => Ok(ResponseInput { response, response_on, response_text }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn law() -> LawFields {
        LawFields {
            title_km: "សេចក្តីព្រាងច្បាប់ស្តីពីសមាគម".into(),
            short_name: "LANGO".into(),
            priority: "high".into(),
            themes: "association, expression,association".into(),
            stage: "drafting".into(),
            stage_on: "2026-01-05".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_law_needs_a_title_in_one_language_and_a_whole_window() {
        let input = law().parse().unwrap();
        assert_eq!(input.themes, ["association", "expression"]);
        assert_eq!(law().first_stage().unwrap(), (LawStage::Drafting, "2026-01-05".to_string()));
        let errors = LawFields { title_km: " ".into(), ..law() }.parse().unwrap_err();
        assert_eq!(errors, [ValidationError::new("title_en", "title-in-one-language")]);
        let errors = LawFields { consultation_opens: "2026-03-01".into(), ..law() }.parse().unwrap_err();
        assert_eq!(errors, [ValidationError::new("consultation_closes", "required")]);
        let errors =
            LawFields { consultation_opens: "2026-03-01".into(), consultation_closes: "2026-02-01".into(), ..law() }
                .parse()
                .unwrap_err();
        assert_eq!(errors, [ValidationError::new("consultation_closes", "ends-before-start")]);
    }

    #[test]
    fn stages_and_versions_are_not_dated_backwards() {
        let f = StageFields { stage: "senate".into(), stage_on: "2026-01-01".into(), note: String::new() };
        assert_eq!(
            f.parse(Some(LawStage::AssemblyPlenary), Some("2026-02-01")).unwrap_err(),
            [ValidationError::new("stage_on", "dated-before-previous")]
        );
        assert!(f.parse(Some(LawStage::AssemblyPlenary), Some("2026-01-01")).is_ok());
        assert_eq!(
            f.parse(Some(LawStage::Promulgated), None).unwrap_err(),
            [ValidationError::new("stage", "invalid-transition")]
        );
        let v = VersionFields { label: "Second draft".into(), dated: "2026-03-01".into(), source: String::new() };
        assert_eq!(v.parse(Some("2026-04-01")).unwrap_err(), [ValidationError::new("dated", "dated-before-previous")]);
        assert_eq!(v.parse(Some("2026-03-01")).unwrap().dated, "2026-03-01");
    }

    #[test]
    fn comments_read_standards_and_khmer_article_numbers() {
        let c = CommentFields {
            article_number: "១២".into(),
            concern: "Registration is mandatory.".into(),
            standard_articles: "iccpr art. 22, ICCPR 19; ICCPR 22".into(),
            recommendation_ids: "7, 3".into(),
            severity: "major".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(c.article_number.as_deref(), Some("12"));
        assert_eq!(c.standard_articles, [("ICCPR".to_string(), 19), ("ICCPR".to_string(), 22)]);
        assert_eq!(c.recommendation_ids, [3, 7]);
        assert_eq!(c.status, CommentStatus::Draft);
        let errors =
            CommentFields { standard_articles: "ICCPR nineteen".into(), ..Default::default() }.parse().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["concern", "standard_articles", "severity"]);
    }

    #[test]
    fn a_response_is_dated_unless_there_was_none() {
        let r = ResponseFields { response: "no_response".into(), ..Default::default() }.parse().unwrap();
        assert_eq!(r.response_on, None);
        let errors = ResponseFields { response: "accepted".into(), ..Default::default() }.parse().unwrap_err();
        assert_eq!(errors, [ValidationError::new("response_on", "required")]);
    }
}
