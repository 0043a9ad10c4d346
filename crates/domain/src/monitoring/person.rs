//! The people of a case: roles, profile and identifying fields.

use super::*;

/// A person's part in a case; the first letter makes their code (V1, W1, S1, P1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PersonRole {
    Victim,
    Witness,
    Source,
    Perpetrator,
}

impl PersonRole {
    pub const ALL: [PersonRole; 4] =
        [PersonRole::Victim, PersonRole::Witness, PersonRole::Source, PersonRole::Perpetrator];
    pub fn as_str(self) -> &'static str {
        match self {
            PersonRole::Victim => "victim",
            PersonRole::Witness => "witness",
            PersonRole::Source => "source",
            PersonRole::Perpetrator => "perpetrator",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
    pub fn code_letter(self) -> char {
        match self {
            PersonRole::Victim => 'V',
            PersonRole::Witness => 'W',
            PersonRole::Source => 'S',
            PersonRole::Perpetrator => 'P',
        }
    }
}

/// Closed choices of a person record, each with its allowed values.
pub mod person_choices {
    pub const KIND: &[&str] = &["individual", "group", "institution"];
    pub const SEX: &[&str] = &["unknown", "female", "male", "other"];
    pub const AGE_GROUP: &[&str] = &["unknown", "child", "youth", "adult", "older"];
    pub const OCCUPATION: &[&str] = &[
        "unknown",
        "human_rights_defender",
        "journalist",
        "land_activist",
        "trade_unionist",
        "lawyer",
        "religious_leader",
        "community_leader",
        "farmer",
        "worker",
        "student",
        "public_official",
        "other",
    ];
    pub const DISABILITY: &[&str] = &["unknown", "yes", "no"];
    pub const PERPETRATOR_TYPE: &[&str] =
        &["", "police", "military", "local_authority", "court", "prison", "company", "private_security", "other"];
}

/// Raw form or API fields of a person.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PersonFields {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    /// Other names, one per line or separated by semicolons.
    #[serde(default)]
    pub aliases: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub age: String,
    #[serde(default)]
    pub age_group: String,
    #[serde(default)]
    pub occupation: String,
    #[serde(default)]
    pub disability: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub perpetrator_type: String,
}

/// The identifying part of a person: stored only encrypted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PersonIdentity {
    pub name: String,
    pub aliases: Vec<String>,
    pub contact: String,
    pub address: String,
    pub id_number: String,
}

/// The statistical part of a person: stored in clear for counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PersonProfile {
    pub role: PersonRole,
    pub kind: String,
    pub sex: String,
    pub age: Option<i64>,
    pub age_group: String,
    pub occupation: String,
    pub disability: String,
    pub ethnicity: String,
    pub perpetrator_type: String,
}

fn choice(field: &'static str, raw: &str, allowed: &[&str], default: &str) -> Result<String, ValidationError> {
    let v = if raw.trim().is_empty() { default } else { raw.trim() };
    if allowed.contains(&v) {
        Ok(v.to_string())
    } else {
        Err(ValidationError::new(field, "invalid-choice"))
    }
}

fn optional_text(field: &'static str, raw: &str, max: usize) -> Result<String, ValidationError> {
    let t = raw.trim();
    if t.chars().count() > max {
        Err(ValidationError::too_long(field, max))
    } else {
        Ok(t.to_string())
    }
}

impl PersonFields {
    /// Validates every field at once.
    pub fn parse(&self) -> Result<(PersonProfile, PersonIdentity), Vec<ValidationError>> {
        use person_choices as c;
        let mut errors = vec![];
        macro_rules! ok {
            ($e:expr) => {
                match $e {
                    Ok(v) => Some(v),
                    Err(e) => {
                        errors.push(e);
                        None
                    }
                }
            };
        }
        let role = ok!(PersonRole::parse(self.role.trim()).ok_or(ValidationError::new("role", "invalid-choice")));
        let kind = ok!(choice("kind", &self.kind, c::KIND, "individual"));
        let name = ok!(required_text("name", &self.name, 200));
        let aliases: Vec<String> =
            self.aliases.split(['\n', ';']).map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).take(20).collect();
        if aliases.iter().any(|a| a.chars().count() > 200) {
            errors.push(ValidationError::too_long("aliases", 200));
        }
        let contact = ok!(optional_text("contact", &self.contact, 500));
        let address = ok!(optional_text("address", &self.address, 500));
        let id_number = ok!(optional_text("id_number", &self.id_number, 100));
        let sex = ok!(choice("sex", &self.sex, c::SEX, "unknown"));
        let age = match self.age.trim() {
            "" => Some(None),
            a => ok!(a
                .parse::<i64>()
                .ok()
                .filter(|n| (0..=120).contains(n))
                .map(Some)
                .ok_or(ValidationError::new("age", "invalid-age"))),
        };
        let age_group = ok!(choice("age_group", &self.age_group, c::AGE_GROUP, "unknown"));
        let occupation = ok!(choice("occupation", &self.occupation, c::OCCUPATION, "unknown"));
        let disability = ok!(choice("disability", &self.disability, c::DISABILITY, "unknown"));
        let ethnicity = ok!(optional_text("ethnicity", &self.ethnicity, 100));
        let perpetrator_type = ok!(choice("perpetrator_type", &self.perpetrator_type, c::PERPETRATOR_TYPE, ""));
        if !errors.is_empty() {
            return Err(errors);
        }
        let (Some(role), Some(kind), Some(name), Some(contact), Some(address), Some(id_number)) =
            (role, kind, name, contact, address, id_number)
        else {
            return Err(errors);
        };
        let (
            Some(sex),
            Some(age),
            Some(age_group),
            Some(occupation),
            Some(disability),
            Some(ethnicity),
            Some(perpetrator_type),
        ) = (sex, age, age_group, occupation, disability, ethnicity, perpetrator_type)
        else {
            return Err(errors);
        };
        Ok((
            PersonProfile { role, kind, sex, age, age_group, occupation, disability, ethnicity, perpetrator_type },
            PersonIdentity { name, aliases, contact, address, id_number },
        ))
    }
}

/// The text a name's blind index is computed from: normalized, with its
/// words sorted, so "Sok Dara" and "DARA Sok" are found as one name.
pub fn name_key(name: &str) -> String {
    let norm = crate::text::normalize_for_match(name);
    let mut words: Vec<&str> = norm.split(' ').filter(|w| !w.is_empty()).collect();
    words.sort_unstable();
    words.join(" ")
}

/// Replaces names of the case's people in a narrative by their codes. Khmer
/// spelling variants are normalized first; Latin names match in any case.
/// Returns the new text; names left (written differently, e.g. with other
/// diacritics) are still reported by [`names_in_text`].
pub fn replace_names(text: &str, names: &[(String, String)]) -> String {
    let mut out = crate::text::normalize_khmer(text);
    // Longer names first, so "Sok Dara" goes before "Sok".
    let mut sorted: Vec<&(String, String)> = names.iter().collect();
    sorted.sort_by_key(|(_, n)| std::cmp::Reverse(n.chars().count()));
    for (code, name) in sorted {
        // Whole-name-only names (groups, institutions) are joined with word
        // joiners for the check; the text has spaces.
        let needle = crate::text::normalize_khmer(name.replace('\u{2060}', " ").trim());
        if needle.chars().count() < 2 {
            continue;
        }
        out = replace_ignoring_ascii_case(&out, &needle, code);
    }
    out
}

fn replace_ignoring_ascii_case(hay: &str, needle: &str, with: &str) -> String {
    let lower_hay = hay.to_ascii_lowercase();
    let lower_needle = needle.to_ascii_lowercase();
    let mut out = String::with_capacity(hay.len());
    let mut i = 0;
    while let Some(pos) = lower_hay[i..].find(&lower_needle) {
        out.push_str(&hay[i..i + pos]);
        out.push_str(with);
        i += pos + lower_needle.len();
    }
    out.push_str(&hay[i..]);
    out
}

#[cfg(test)]
mod person_tests {
    use super::*;

    #[test]
    fn person_fields_are_checked() {
        let bad = PersonFields {
            role: "boss".into(),
            name: "".into(),
            age: "200".into(),
            sex: "x".into(),
            ..Default::default()
        };
        let fields: Vec<_> = bad.parse().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["role", "name", "sex", "age"]);
        let good = PersonFields {
            role: "victim".into(),
            name: "Sok Dara".into(),
            aliases: "Dara; Ta Sok".into(),
            age: "34".into(),
            occupation: "land_activist".into(),
            ..Default::default()
        };
        let (profile, identity) = good.parse().unwrap();
        assert_eq!(profile.role.code_letter(), 'V');
        assert_eq!(profile.age, Some(34));
        assert_eq!(identity.aliases, ["Dara", "Ta Sok"]);
    }

    #[test]
    fn name_keys_ignore_order_case_and_spelling() {
        assert_eq!(name_key("Sok Dara"), name_key("  DARA   sók "));
        assert_eq!(name_key("ស៊ុន ស\u{17D2}\u{178A}ី"), name_key("ស\u{17D2}\u{178F}ី ស៊ុន"));
        assert_ne!(name_key("Sok Dara"), name_key("Sok Dana"));
    }

    #[test]
    fn names_are_replaced_by_codes() {
        let names = vec![("V1".to_string(), "Sok Dara".to_string()), ("W1".to_string(), "ស្តី".to_string())];
        let text = "SOK DARA was taken; sok dara's wife and ស\u{17D2}\u{178A}ី saw it.";
        let out = replace_names(text, &names);
        assert_eq!(out, "V1 was taken; V1's wife and W1 saw it.");
        assert!(names_in_text(&out, &names).is_empty());
    }
}
