//! A protection file: who is at risk, and where the file stands.

use super::*;

crate::choice!(
    /// Why the person or group is at risk: the work that exposes them.
    ProfileCategory, "protection-profile", {
        Defender = "defender",
        Journalist = "journalist",
        LandActivist = "land_activist",
        EnvironmentalActivist = "environmental_activist",
        Unionist = "unionist",
        Lawyer = "lawyer",
        Community = "community",
        Other = "other",
    }
);

crate::choice!(
    /// Where a file stands. Closing and reopening need a written reason.
    FileStatus, "protection-status", {
        Open = "open",
        Monitoring = "monitoring",
        Closed = "closed",
        Reopened = "reopened",
    }
);

impl FileStatus {
    /// Whether check-ins, reassessments and measure reviews still fall due.
    pub const fn is_active(self) -> bool {
        !matches!(self, Self::Closed)
    }

    /// Whether the move from `self` to `next` needs a written reason.
    pub const fn needs_reason(self, next: FileStatus) -> bool {
        matches!(next, Self::Closed) || matches!((self, next), (Self::Closed, Self::Reopened))
    }

    /// The moves a file can make: a closed file can only be reopened, and
    /// only a closed file can be reopened.
    pub const fn can_become(self, next: FileStatus) -> bool {
        match (self, next) {
            (Self::Closed, Self::Reopened) => true,
            (Self::Closed, _) | (_, Self::Reopened) => false,
            (a, b) => !matches!((a, b), (Self::Open, Self::Open) | (Self::Monitoring, Self::Monitoring)),
        }
    }
}

/// A status change as typed: the new status and, where needed, why.
pub fn status_change(current: FileStatus, next: &str, reason: &str) -> Result<(FileStatus, String), ValidationError> {
    let next = FileStatus::parse(next.trim()).ok_or(ValidationError::new("status", "invalid-choice"))?;
    if !current.can_become(next) {
        return Err(ValidationError::new("status", "invalid-transition"));
    }
    let reason = reason.trim().to_string();
    if current.needs_reason(next) && reason.is_empty() {
        return Err(ValidationError::new("reason", "required"));
    }
    if reason.chars().count() > 2_000 {
        return Err(ValidationError::too_long("reason", 2_000));
    }
    Ok((next, reason))
}

/// `PR-PNH-2026-0007`: what an alert e-mail may name (nothing else about
/// the file leaves the application).
pub fn file_reference(office_code: &str, year: i32, number: i64) -> String {
    format!("PR-{office_code}-{year}-{number:04}")
}

crate::choice!(
    /// Whom a file protects: one person, or a group or community.
    FileSubject, "protection-subject", {
        Individual = "individual",
        Group = "group",
    }
);

/// A protection file as typed in the form or the API. The office is the
/// creator's own; people and cases are linked afterwards, each checked.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProtectionFileFields {
    /// `individual` or `group`.
    pub subject: String,
    /// How the file is known in lists: a description with codes, no names.
    pub label: String,
    pub profile: String,
    pub province: String,
    pub district: String,
    pub commune: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectionFileInput {
    pub subject: FileSubject,
    pub label: String,
    pub profile: ProfileCategory,
    pub province_code: Option<String>,
    pub district_code: Option<String>,
    pub commune_code: Option<String>,
}

impl ProtectionFileFields {
    pub fn parse(&self) -> Result<ProtectionFileInput, Vec<ValidationError>> {
        use crate::monitoring::code;
        let mut errors = vec![];
        let subject = FileSubject::parse(self.subject.trim());
        if subject.is_none() {
            errors.push(ValidationError::new("subject", "invalid-choice"));
        }
        let label = crate::platform::required_text("label", &self.label, 200).map_err(|e| errors.push(e)).ok();
        let profile = ProfileCategory::parse(self.profile.trim());
        if profile.is_none() {
            errors.push(ValidationError::new("profile", "invalid-choice"));
        }
        let province = code("province", &self.province, 2).map_err(|e| errors.push(e)).ok().flatten();
        let district = code("district", &self.district, 4).map_err(|e| errors.push(e)).ok().flatten();
        let commune = code("commune", &self.commune, 6).map_err(|e| errors.push(e)).ok().flatten();
        if let (Some(p), Some(d)) = (&province, &district) {
            if !d.starts_with(p.as_str()) {
                errors.push(ValidationError::new("district", "place-not-inside"));
            }
        }
        if let (Some(d), Some(c)) = (&district, &commune) {
            if !c.starts_with(d.as_str()) {
                errors.push(ValidationError::new("commune", "place-not-inside"));
            }
        }
        match (subject, label, profile) {
            (Some(subject), Some(label), Some(profile)) if errors.is_empty() => Ok(ProtectionFileInput {
                subject,
                label,
                profile,
                province_code: province,
                district_code: district,
                commune_code: commune,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_and_reopening_need_a_reason() {
        assert_eq!(
            status_change(FileStatus::Open, "closed", " ").unwrap_err(),
            ValidationError::new("reason", "required")
        );
        assert_eq!(status_change(FileStatus::Open, "closed", "relocated abroad").unwrap().0, FileStatus::Closed);
        assert_eq!(
            status_change(FileStatus::Closed, "reopened", "").unwrap_err(),
            ValidationError::new("reason", "required")
        );
        assert_eq!(status_change(FileStatus::Open, "monitoring", "").unwrap(), (FileStatus::Monitoring, String::new()));
    }

    #[test]
    fn a_closed_file_only_reopens() {
        for next in FileStatus::ALL {
            assert_eq!(FileStatus::Closed.can_become(*next), *next == FileStatus::Reopened, "{next}");
        }
        assert_eq!(
            status_change(FileStatus::Open, "reopened", "why").unwrap_err(),
            ValidationError::new("status", "invalid-transition")
        );
        assert_eq!(status_change(FileStatus::Open, "shelved", "").unwrap_err().code, "invalid-choice");
        assert!(!FileStatus::Closed.is_active() && FileStatus::Reopened.is_active());
    }

    #[test]
    fn a_file_needs_a_subject_a_label_and_a_profile() {
        let errs = ProtectionFileFields::default().parse().unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["subject", "label", "profile"]);
        let f = ProtectionFileFields {
            subject: "group".into(),
            label: "Community C1, Koh Kong".into(),
            profile: "community".into(),
            province: "09".into(),
            district: "0901".into(),
            commune: "090203".into(),
        };
        assert_eq!(f.parse().unwrap_err(), vec![ValidationError::new("commune", "place-not-inside")]);
        let ok = ProtectionFileFields { commune: "090102".into(), ..f }.parse().unwrap();
        assert_eq!((ok.subject, ok.profile), (FileSubject::Group, ProfileCategory::Community));
    }

    #[test]
    fn references_are_padded() {
        assert_eq!(file_reference("PNH", 2026, 7), "PR-PNH-2026-0007");
    }
}
