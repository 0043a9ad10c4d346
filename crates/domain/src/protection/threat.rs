//! Threats against the person or group of a file.

crate::choice!(
    /// What was done or threatened.
    ThreatKind, "threat-kind", {
        Surveillance = "surveillance",
        Summons = "summons",
        PhysicalAttack = "physical_attack",
        LegalHarassment = "legal_harassment",
        OnlineHarassment = "online_harassment",
        ThreatToFamily = "threat_to_family",
        Intimidation = "intimidation",
        PropertyDamage = "property_damage",
        Other = "other",
    }
);
