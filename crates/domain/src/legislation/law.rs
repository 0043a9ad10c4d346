//! A draft law's stage, priority, and the vocabularies of the analysis.

crate::choice!(
    /// Where a draft law stands in Cambodia's law-making path, in order;
    /// the last three end it.
    LawStage, "law-stage", {
        /// Drafting in the sponsoring ministry.
        Drafting = "drafting",
        InterMinisterial = "inter_ministerial",
        CouncilOfMinisters = "council_of_ministers",
        AssemblyCommittee = "assembly_committee",
        AssemblyPlenary = "assembly_plenary",
        Senate = "senate",
        ConstitutionalCouncil = "constitutional_council",
        Promulgated = "promulgated",
        Withdrawn = "withdrawn",
        Shelved = "shelved",
    }
);

impl LawStage {
    /// Promulgated, withdrawn or shelved: no comment can still change it.
    pub fn is_final(self) -> bool {
        matches!(self, LawStage::Promulgated | LawStage::Withdrawn | LawStage::Shelved)
    }

    /// Whether a law at this stage may be recorded at `next`. A law moves
    /// forward along the path or is sent back to an earlier stage (the
    /// Senate or the Constitutional Council return texts); it may be
    /// withdrawn or shelved at any open stage, and a shelved law may come
    /// back to any stage before promulgation. Promulgated and withdrawn
    /// are the end.
    pub fn can_become(self, next: LawStage) -> bool {
        match self {
            LawStage::Promulgated | LawStage::Withdrawn => false,
            LawStage::Shelved => !next.is_final(),
            _ => next != self,
        }
    }
}

crate::choice!(
    /// How much of the office's attention a draft law gets.
    LawPriority, "law-priority", {
        High = "high",
        Medium = "medium",
        Low = "low",
    }
);

crate::choice!(
    /// How far an article falls short of the standard.
    CommentSeverity, "comment-severity", {
        /// Incompatible with a right that allows no restriction, or a core obligation.
        Critical = "critical",
        Major = "major",
        Minor = "minor",
        /// Drafting clarity, no standard at stake.
        Drafting = "drafting",
    }
);

crate::choice!(
    /// Where the office's comment stands.
    CommentStatus, "comment-status", {
        Draft = "draft",
        /// Sent to the Government with the analysis.
        Shared = "shared",
        /// The article changed so that the concern no longer holds.
        Addressed = "addressed",
        /// Kept for the record, no longer pursued.
        Closed = "closed",
    }
);

crate::choice!(
    /// The Government's response to a comment.
    GovernmentResponse, "government-response", {
        Accepted = "accepted",
        PartlyAccepted = "partly_accepted",
        Rejected = "rejected",
        NoResponse = "no_response",
    }
);

impl GovernmentResponse {
    /// Whether the recommendation counts as taken up, fully or in part.
    pub fn taken_up(self) -> bool {
        matches!(self, GovernmentResponse::Accepted | GovernmentResponse::PartlyAccepted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_move_forward_back_and_end() {
        use LawStage::*;
        assert!(Drafting.can_become(InterMinisterial));
        assert!(Senate.can_become(AssemblyCommittee), "the Senate returns a text");
        assert!(Senate.can_become(Withdrawn));
        assert!(!Senate.can_become(Senate));
        assert!(!Promulgated.can_become(Drafting));
        assert!(!Withdrawn.can_become(Drafting));
        assert!(Shelved.can_become(CouncilOfMinisters));
        assert!(!Shelved.can_become(Promulgated));
        assert_eq!(LawStage::ALL.iter().filter(|s| s.is_final()).count(), 3);
        assert_eq!(LawStage::parse("council_of_ministers"), Some(CouncilOfMinisters));
        assert_eq!(ConstitutionalCouncil.fluent_key(), "law-stage-constitutional-council");
    }

    #[test]
    fn accepted_in_part_counts_as_taken_up() {
        let taken: Vec<_> = GovernmentResponse::ALL.iter().filter(|r| r.taken_up()).collect();
        assert_eq!(taken, [&GovernmentResponse::Accepted, &GovernmentResponse::PartlyAccepted]);
    }
}
