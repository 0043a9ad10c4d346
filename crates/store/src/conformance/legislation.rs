//! Legislation: the register in its scope, stages, versions with their
//! articles and file, comments that move to the next version, responses.

use super::*;
use crate::legislation::*;
use rightsdesk_domain::legislation::*;
use rightsdesk_domain::mechanisms::{RecommendationInput, Response};
use rightsdesk_domain::LawScope;

fn law_input(short: &str, priority: &str, themes: &str) -> LawInput {
    LawFields {
        title_en: format!("Draft law on {short}"),
        title_km: format!("សេចក្តីព្រាងច្បាប់ {short}"),
        short_name: short.into(),
        priority: priority.into(),
        themes: themes.into(),
        ..Default::default()
    }
    .parse()
    .unwrap()
}

fn audit(action: &str) -> AuditEntry {
    AuditEntry::new(Some(1), "legal@example.org", action)
}

async fn new_law(s: &dyn Store, by: &User, input: LawInput, stage: LawStage, on: &str) -> Law {
    s.create_law(&NewLaw { input, stage, stage_on: on.into(), by: by.id }, &audit("law.create")).await.unwrap()
}

fn recommendation(key: &str) -> RecommendationInput {
    RecommendationInput {
        source_key: key.into(),
        mechanism_code: "UPR".into(),
        state_under_review: "Cambodia".into(),
        session: "46".into(),
        cycle: Some(4),
        document_symbol: "A/HRC/56/7".into(),
        paragraph: key.into(),
        issued_on: None,
        recommending_state: String::new(),
        text: format!("Recommendation {key} on freedom of association"),
        response: Some(Response::Supported),
        response_raw: String::new(),
        action_category: None,
        themes: vec![],
    }
}

pub async fn laws_register_stages_links_and_scope(arc: Arc<dyn Store>) {
    let s = arc.as_ref();
    let legal = user(s, "legal@example.org", Role::LegalOfficer).await;
    let org = |name: &str| NewOrganisation { name_en: name.into(), name_km: name.into(), kind: "ministry".into() };
    let interior = s.create_organisation(&org("Ministry of Interior"), &admin_audit("org")).await.unwrap();
    let justice = s.create_organisation(&org("Ministry of Justice"), &admin_audit("org")).await.unwrap();
    let lango = new_law(
        s,
        &legal,
        LawInput {
            ministry_id: Some(interior.id),
            lead_user_id: Some(legal.id),
            ..law_input("LANGO", "high", "association")
        },
        LawStage::Drafting,
        "2026-01-05",
    )
    .await;
    assert_eq!((lango.stage, lango.stage_on.as_str(), lango.versions), (LawStage::Drafting, "2026-01-05", 0));
    assert_eq!(lango.ministry_en.as_deref(), Some("Ministry of Interior"));
    assert_eq!(lango.lead_name.as_deref(), Some("Test User"));
    assert_eq!(lango.themes, ["association"]);
    let cyber = new_law(
        s,
        &legal,
        law_input("Cybercrime", "medium", "expression, privacy"),
        LawStage::CouncilOfMinisters,
        "2026-02-01",
    )
    .await;
    let trade = new_law(s, &legal, law_input("Trade unions", "low", ""), LawStage::Drafting, "2026-03-01").await;

    // A stage change is dated and kept in the history.
    let stage = |from, stage, on, note| NewStage { from, stage, on, note, by: legal.id };
    s.change_law_stage(
        lango.id,
        &stage(LawStage::Drafting, LawStage::InterMinisterial, "2026-02-10", "sent to the ministries"),
        &audit("law.stage"),
    )
    .await
    .unwrap();
    // A second change checked against the stage it had before is refused.
    let stale = s
        .change_law_stage(
            lango.id,
            &stage(LawStage::Drafting, LawStage::Withdrawn, "2026-02-11", ""),
            &audit("law.stage"),
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    let stages = s.law_stages(lango.id).await.unwrap();
    let history: Vec<_> = stages.iter().map(|st| (st.stage, st.stage_on.as_str(), st.note.as_str())).collect();
    assert_eq!(
        history,
        [(LawStage::Drafting, "2026-01-05", ""), (LawStage::InterMinisterial, "2026-02-10", "sent to the ministries")]
    );
    let lango = s.law(lango.id).await.unwrap().unwrap();
    assert_eq!((lango.stage, lango.stage_on.as_str()), (LawStage::InterMinisterial, "2026-02-10"));

    // Update, with a consultation window; unknown ministry refused, nothing changed.
    let mut input = law_input("Cybercrime", "high", "expression");
    input.consultation = Some(("2026-04-01".into(), "2026-04-30".into()));
    let cyber = s.update_law(cyber.id, &input, &audit("law.update")).await.unwrap();
    assert_eq!((cyber.priority, cyber.themes.clone()), (LawPriority::High, vec!["expression".to_string()]));
    let bad = LawInput { ministry_id: Some(999_999), ..input.clone() };
    assert!(matches!(s.update_law(cyber.id, &bad, &audit("law.update")).await, Err(StoreError::Constraint(_))));
    assert_eq!(s.law(cyber.id).await.unwrap().unwrap().ministry_id, None);
    let consultations: Vec<_> = s.law_consultations().await.unwrap().into_iter().map(|l| l.id).collect();
    assert_eq!(consultations, [cyber.id]);

    // Filters and counts per stage.
    let f = |f: LawFilter| LawFilter { limit: 50, ..f };
    let names = |laws: Vec<Law>| laws.into_iter().map(|l| l.short_name).collect::<Vec<_>>();
    let all = names(s.list_laws(&f(LawFilter::default())).await.unwrap());
    assert_eq!(all.len(), 3);
    assert_eq!(&all[2], "Trade unions", "high priority first, low last: {all:?}");
    assert_eq!(
        names(s.list_laws(&f(LawFilter { stage: Some(LawStage::Drafting), ..Default::default() })).await.unwrap()),
        ["Trade unions"]
    );
    assert_eq!(
        names(s.list_laws(&f(LawFilter { ministry_id: Some(interior.id), ..Default::default() })).await.unwrap()),
        ["LANGO"]
    );
    assert_eq!(
        names(s.list_laws(&f(LawFilter { theme: Some("expression".into()), ..Default::default() })).await.unwrap()),
        ["Cybercrime"]
    );
    assert_eq!(
        names(s.list_laws(&f(LawFilter { lead_user_id: Some(legal.id), ..Default::default() })).await.unwrap()),
        ["LANGO"]
    );
    assert_eq!(
        s.count_laws(&f(LawFilter { priority: Some(LawPriority::High), ..Default::default() })).await.unwrap(),
        2
    );
    let by_stage =
        s.count_laws_by_stage(&f(LawFilter { stage: Some(LawStage::Drafting), ..Default::default() })).await.unwrap();
    assert_eq!(
        by_stage,
        [(LawStage::Drafting, 1), (LawStage::InterMinisterial, 1), (LawStage::CouncilOfMinisters, 1)],
        "the stage filter itself is left out of the counts"
    );

    // Links: a recommendation of the Ministry of Justice makes LANGO visible to its focal point.
    s.import_recommendations(&[recommendation("1"), recommendation("2")], &admin_audit("import"), false, &|_| {})
        .await
        .unwrap();
    let recs = s.recommendations(&RecommendationFilter { limit: 10, ..Default::default() }).await.unwrap();
    let (r1, r2) = (recs[0].id.min(recs[1].id), recs[0].id.max(recs[1].id));
    s.set_institutions(r1, &[justice.id], &admin_audit("institutions")).await.unwrap();
    let scoped = |institution| LawFilter {
        scope: Some(LawScope { institution: Some(institution) }),
        limit: 50,
        ..Default::default()
    };
    assert_eq!(s.count_laws(&scoped(justice.id)).await.unwrap(), 0);
    assert!(!s.law_linked_to_institution(lango.id, justice.id).await.unwrap());
    s.link_law(lango.id, LawLinkKind::Recommendation, r1, &audit("law.link")).await.unwrap();
    s.link_law(lango.id, LawLinkKind::Recommendation, r1, &audit("law.link")).await.unwrap();
    s.link_law(lango.id, LawLinkKind::Recommendation, r2, &audit("law.link")).await.unwrap();
    assert_eq!(names(s.list_laws(&scoped(justice.id)).await.unwrap()), ["LANGO"]);
    assert_eq!(s.count_laws(&scoped(interior.id)).await.unwrap(), 0);
    assert!(s.law_linked_to_institution(lango.id, justice.id).await.unwrap());
    let by_rec = LawFilter { recommendation_id: Some(r1), limit: 50, ..Default::default() };
    assert_eq!(names(s.list_laws(&by_rec).await.unwrap()), ["LANGO"]);
    assert!(matches!(
        s.link_law(lango.id, LawLinkKind::Recommendation, 999_999, &audit("law.link")).await,
        Err(StoreError::Constraint(_))
    ));
    assert!(matches!(
        s.link_law(lango.id, LawLinkKind::Case, 999_999, &audit("law.link")).await,
        Err(StoreError::Constraint(_))
    ));
    let links = s.law_links(lango.id).await.unwrap();
    let linked: Vec<_> = links.recommendations.iter().map(|r| (r.id, r.institutions.clone())).collect();
    assert_eq!(linked, [(r1, vec![justice.id]), (r2, vec![])]);
    assert_eq!(links.recommendations[0].symbol, "A/HRC/56/7 para. 1");
    s.unlink_law(lango.id, LawLinkKind::Recommendation, r1, &audit("law.unlink")).await.unwrap();
    assert_eq!(s.count_laws(&scoped(justice.id)).await.unwrap(), 0);
    assert!(matches!(
        s.unlink_law(lango.id, LawLinkKind::Recommendation, r1, &audit("law.unlink")).await,
        Err(StoreError::NotFound)
    ));
    assert!(s.law(trade.id + 1000).await.unwrap().is_none());
}

pub async fn law_versions_carry_comments_and_responses(arc: Arc<dyn Store>) {
    let s = arc.as_ref();
    s.load_reference(&ReferenceData::embedded().unwrap(), &AuditEntry::system("reference.load")).await.unwrap();
    let legal = user(s, "legal@example.org", Role::LegalOfficer).await;
    let law = new_law(s, &legal, law_input("LANGO", "high", ""), LawStage::Drafting, "2026-01-05").await;
    let first_text = "ច្បាប់ស្តីពីសមាគម\nមាត្រា ១\nច្បាប់នេះមានគោលបំណងការពារសិទ្ធិ។\n\
                      មាត្រា ២\nសមាគមត្រូវចុះបញ្ជីជាមួយក្រសួង។\nមាត្រា ៣\nការផាកពិន័យ។";
    let version = |label: &str,
                   dated: &str,
                   text: &str,
                   previous: Option<i64>,
                   moves: Vec<CommentMove>,
                   file: Option<VersionFile>| NewVersion {
        input: VersionInput { label: label.into(), dated: dated.into(), source: "Ministry of Interior website".into() },
        format: if file.is_some() { VersionFormat::Docx } else { VersionFormat::Pasted },
        has_text: !text.trim().is_empty(),
        text: text.into(),
        structure: split_law(text),
        file,
        previous,
        moves,
        by: legal.id,
    };
    let file = VersionFile {
        file_name: "lango-v1.docx".into(),
        content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document".into(),
        sha256: "ab".repeat(32),
        content: b"PK\x03\x04 not really a docx".to_vec(),
    };
    let v1 = s
        .add_law_version(
            law.id,
            &version("First draft", "2026-01-05", first_text, None, vec![], Some(file.clone())),
            &audit("law.version"),
        )
        .await
        .unwrap();
    assert_eq!(
        (v1.articles, v1.file_name.as_deref(), v1.size_bytes),
        (3, Some("lango-v1.docx"), Some(file.content.len() as i64))
    );
    assert_eq!(v1.preamble, "ច្បាប់ស្តីពីសមាគម");
    assert_eq!(s.law_version_file(v1.id).await.unwrap(), Some(file));
    let read = s.law_version(v1.id).await.unwrap().unwrap();
    let numbers: Vec<_> = read.articles.iter().map(|a| a.number.as_str()).collect();
    assert_eq!(numbers, ["1", "2", "3"]);
    assert_eq!(read.articles[1].text, "សមាគមត្រូវចុះបញ្ជីជាមួយក្រសួង។");

    // A comment on article 2, with its standards; an unknown instrument
    // article is refused and nothing is written.
    let input = CommentFields {
        article_number: "២".into(),
        concern: "Registration is mandatory.".into(),
        standard: "Freedom of association".into(),
        standard_articles: "ICCPR 22, ICCPR 19".into(),
        recommended_change: "Make registration voluntary.".into(),
        severity: "major".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let bad = CommentInput { standard_articles: vec![("ICCPR".into(), 999)], ..input.clone() };
    let refused = s
        .add_law_comment(law.id, &NewComment { version_id: v1.id, input: &bad, by: legal.id }, &audit("law.comment"))
        .await;
    assert!(matches!(refused, Err(StoreError::Constraint(_))), "{refused:?}");
    assert!(s.law_comments(law.id).await.unwrap().is_empty());
    let c2 = s
        .add_law_comment(law.id, &NewComment { version_id: v1.id, input: &input, by: legal.id }, &audit("law.comment"))
        .await
        .unwrap();
    let cited: Vec<_> = c2.standard_articles.iter().map(|a| (a.instrument_code.as_str(), a.number)).collect();
    assert_eq!(cited, [("ICCPR", 19), ("ICCPR", 22)]);
    assert_eq!((c2.article_number.as_deref(), c2.article_change, c2.status), (Some("2"), None, CommentStatus::Draft));
    let on3 = CommentInput {
        article_number: Some("3".into()),
        concern: "Fines are vague.".into(),
        standard_articles: vec![],
        ..input.clone()
    };
    let c3 = s
        .add_law_comment(law.id, &NewComment { version_id: v1.id, input: &on3, by: legal.id }, &audit("law.comment"))
        .await
        .unwrap();
    let general = CommentInput {
        article_number: None,
        concern: "No consultation held.".into(),
        standard_articles: vec![],
        ..input.clone()
    };
    let cg = s
        .add_law_comment(
            law.id,
            &NewComment { version_id: v1.id, input: &general, by: legal.id },
            &audit("law.comment"),
        )
        .await
        .unwrap();

    // A second version: article 2 becomes 3 (a new 2 is inserted), old 3 is removed.
    let second_text = "មាត្រា ១\nច្បាប់នេះមានគោលបំណងការពារសិទ្ធិ។\nមាត្រា ២\nនិយមន័យ។\n\
                       មាត្រា ៣\nសមាគមអាចចុះបញ្ជីជាមួយក្រសួង។";
    let moves = vec![
        CommentMove { comment_id: c2.id, article_number: Some("3".into()), change: ArticleChangeKind::Renumbered },
        CommentMove { comment_id: c3.id, article_number: None, change: ArticleChangeKind::Removed },
    ];
    // Moves computed from a stale latest version are refused, nothing written.
    let stale = s
        .add_law_version(
            law.id,
            &version("Stale", "2026-03-01", second_text, None, moves.clone(), None),
            &audit("law.version"),
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert_eq!(s.law_versions(law.id).await.unwrap().len(), 1);
    let v2 = s
        .add_law_version(
            law.id,
            &version("Council of Ministers", "2026-03-01", second_text, Some(v1.id), moves, None),
            &audit("law.version"),
        )
        .await
        .unwrap();
    assert_eq!((v2.articles, v2.file_name.clone(), v2.preamble.as_str()), (3, None, ""));
    let comments = s.law_comments(law.id).await.unwrap();
    let placed: Vec<_> = comments
        .iter()
        .map(|c| (c.id, c.version_id, c.article_number.clone(), c.article_change, c.previous_number.clone()))
        .collect();
    assert_eq!(
        placed,
        [
            (cg.id, v2.id, None, None, None),
            (c2.id, v2.id, Some("3".to_string()), Some(ArticleChangeKind::Renumbered), Some("2".to_string())),
            (c3.id, v2.id, None, Some(ArticleChangeKind::Removed), Some("3".to_string())),
        ],
        "general first, then by article, then those whose article was removed"
    );
    let versions: Vec<_> = s.law_versions(law.id).await.unwrap().into_iter().map(|v| v.label).collect();
    assert_eq!(versions, ["First draft", "Council of Ministers"]);
    assert_eq!(s.law(law.id).await.unwrap().unwrap().versions, 2);

    // The officer corrects the split of the first version.
    let corrected = format!("{first_text}\nមាត្រា ៤\nការអនុវត្ត។");
    let fix = |text: &str, from: i64, moves: Vec<CommentMove>| TextCorrection {
        text: text.into(),
        structure: split_law(text),
        moves_from: from,
        moves,
    };
    s.replace_law_text(v1.id, &fix(&corrected, v1.id, vec![]), &audit("law.text")).await.unwrap();
    assert_eq!(s.law_version(v1.id).await.unwrap().unwrap().articles.len(), 4);
    assert_eq!(s.law_version_text(v1.id).await.unwrap().as_deref(), Some(corrected.as_str()));
    assert!(matches!(
        s.replace_law_text(999_999, &fix("x", 999_999, vec![]), &audit("law.text")).await,
        Err(StoreError::NotFound)
    ));

    // The Government's response; a comment of another law is not found.
    let response = ResponseFields {
        response: "partly_accepted".into(),
        response_on: "2026-04-02".into(),
        response_text: "Registration simplified.".into(),
    }
    .parse()
    .unwrap();
    let answered = s
        .set_law_comment_response(law.id, c2.id, &NewResponse { input: &response }, &audit("law.response"))
        .await
        .unwrap();
    assert_eq!(
        (answered.response, answered.response_on.as_deref()),
        (Some(GovernmentResponse::PartlyAccepted), Some("2026-04-02"))
    );
    let other = new_law(s, &legal, law_input("Other", "low", ""), LawStage::Drafting, "2026-01-05").await;
    assert!(matches!(
        s.set_law_comment_response(other.id, c2.id, &NewResponse { input: &response }, &audit("law.response")).await,
        Err(StoreError::NotFound)
    ));
    // A comment cannot point at another law's version.
    let ov = s
        .add_law_version(
            other.id,
            &version("Only", "2026-01-05", "មាត្រា ១\nអត្ថបទ។", None, vec![], None),
            &audit("law.version"),
        )
        .await
        .unwrap();
    assert!(matches!(
        s.update_law_comment(
            law.id,
            c2.id,
            &NewComment { version_id: ov.id, input: &input, by: legal.id },
            &audit("law.comment")
        )
        .await,
        Err(StoreError::Constraint(_))
    ));
    let updated = CommentInput { status: CommentStatus::Shared, ..input.clone() };
    let c2 = s
        .update_law_comment(
            law.id,
            c2.id,
            &NewComment { version_id: v2.id, input: &updated, by: legal.id },
            &audit("law.comment"),
        )
        .await
        .unwrap();
    assert_eq!((c2.status, c2.response), (CommentStatus::Shared, Some(GovernmentResponse::PartlyAccepted)));
    assert_eq!(s.law(law.id).await.unwrap().unwrap().comments, 3);
    assert_eq!(s.law_comment(c2.id).await.unwrap().map(|c| c.status), Some(CommentStatus::Shared));
    assert!(s.law_comment(999_999).await.unwrap().is_none());

    // Comments are written on the latest version only.
    let late = s
        .add_law_comment(law.id, &NewComment { version_id: v1.id, input: &input, by: legal.id }, &audit("law.comment"))
        .await;
    assert!(matches!(late, Err(StoreError::Conflict(_))), "{late:?}");
    // A scan (no text) keeps the comments where they are; its pasted text takes them.
    let scan = s
        .add_law_version(
            law.id,
            &version("Signed copy", "2026-04-10", "", Some(v2.id), vec![], None),
            &audit("law.version"),
        )
        .await
        .unwrap();
    assert!(!scan.has_text);
    assert!(s.law_comments(law.id).await.unwrap().iter().all(|c| c.version_id == v2.id));
    let pasted = "មាត្រា ១\nច្បាប់នេះមានគោលបំណងការពារសិទ្ធិ។\nមាត្រា ២\nសមាគមអាចចុះបញ្ជីជាមួយក្រសួង។";
    let moved = vec![CommentMove {
        comment_id: c2.id,
        article_number: Some("2".into()),
        change: ArticleChangeKind::Renumbered,
    }];
    s.replace_law_text(scan.id, &fix(pasted, v2.id, moved), &audit("law.text")).await.unwrap();
    let after: Vec<_> =
        s.law_comments(law.id).await.unwrap().into_iter().map(|c| (c.id, c.version_id, c.article_number)).collect();
    assert!(after.contains(&(c2.id, scan.id, Some("2".to_string()))), "{after:?}");
    assert!(after.contains(&(cg.id, scan.id, None)), "general comments come along: {after:?}");
    assert!(s.law_version(scan.id).await.unwrap().unwrap().version.has_text);
    // Comments come over only onto the latest version.
    let old_fix = fix(pasted, v2.id, vec![]);
    assert!(matches!(s.replace_law_text(v1.id, &old_fix, &audit("law.text")).await, Err(StoreError::Conflict(_))));
}
