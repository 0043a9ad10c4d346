//! Fictional draft laws for the legislation module: two laws at different
//! stages, each with versions split into Khmer articles, the office's
//! comments tied to ICCPR articles (moved to the second version where the
//! text changed), a Government response, and a link to a recommendation
//! assigned to the Ministry of Justice (so the demo focal point sees one).

use anyhow::{Context, Result};
use rightsdesk_domain::legislation::*;
use rightsdesk_domain::Role;
use rightsdesk_store::legislation::{CommentMove, LawLinkKind, NewComment, NewLaw, NewResponse, NewStage, NewVersion};
use rightsdesk_store::{AuditEntry, RecommendationFilter, Store};
use std::sync::Arc;

const ASSOCIATIONS_V1: &str = "សេចក្តីព្រាងច្បាប់ស្តីពីសមាគម និងអង្គការមិនមែនរដ្ឋាភិបាល [DEMO]
ជំពូកទី ១ បទប្បញ្ញត្តិទូទៅ
មាត្រា ១
ច្បាប់នេះមានគោលបំណងកំណត់ការបង្កើត និងសកម្មភាពរបស់សមាគម និងអង្គការមិនមែនរដ្ឋាភិបាល។
មាត្រា ២
សមាគម ឬអង្គការមិនមែនរដ្ឋាភិបាលទាំងអស់ត្រូវចុះបញ្ជីនៅក្រសួងមហាផ្ទៃ មុនពេលធ្វើសកម្មភាពណាមួយ។
មាត្រា ៣
សមាគមដែលមិនបានចុះបញ្ជី ត្រូវហាមឃាត់មិនឱ្យធ្វើសកម្មភាព។
ជំពូកទី ២ ការរាយការណ៍
មាត្រា ៤
អង្គការត្រូវរាយការណ៍សកម្មភាព និងហិរញ្ញវត្ថុរបស់ខ្លួនជូនក្រសួងជារៀងរាល់ឆ្នាំ។";

const ASSOCIATIONS_V2: &str = "សេចក្តីព្រាងច្បាប់ស្តីពីសមាគម និងអង្គការមិនមែនរដ្ឋាភិបាល [DEMO]
ជំពូកទី ១ បទប្បញ្ញត្តិទូទៅ
មាត្រា ១
ច្បាប់នេះមានគោលបំណងកំណត់ការបង្កើត និងសកម្មភាពរបស់សមាគម និងអង្គការមិនមែនរដ្ឋាភិបាល។
មាត្រា ២
និយមន័យនៃពាក្យដែលប្រើក្នុងច្បាប់នេះ។
មាត្រា ៣
សមាគម ឬអង្គការមិនមែនរដ្ឋាភិបាលទាំងអស់អាចចុះបញ្ជីនៅក្រសួងមហាផ្ទៃ។
ជំពូកទី ២ ការរាយការណ៍
មាត្រា ៤
អង្គការត្រូវរាយការណ៍សកម្មភាព និងហិរញ្ញវត្ថុរបស់ខ្លួនជូនក្រសួងជារៀងរាល់ឆ្នាំ។";

const CYBER_V1: &str = "Draft Law on Cybercrime [DEMO]
Chapter 1 General provisions
Article 1
This law aims to prevent and suppress offences committed through computer systems.
Article 2
Service providers shall keep the traffic data of their users for two years and give it to the authorities on request.
Article 3
Publishing content that damages the honour of a public official online is an offence.";

fn audit(action: &str) -> AuditEntry {
    AuditEntry::system(action).summary("demo")
}

fn comment(article: &str, concern: &str, standards: &str, change: &str, severity: &str) -> CommentInput {
    CommentFields {
        article_number: article.into(),
        concern: concern.into(),
        standard: String::new(),
        standard_articles: standards.into(),
        recommendation_ids: String::new(),
        recommended_change: change.into(),
        severity: severity.into(),
        status: "shared".into(),
    }
    .parse()
    .expect("a valid demo comment")
}

/// Adds the demo laws (once: the caller runs it on an empty database).
pub async fn seed(store: &Arc<dyn Store>) -> Result<()> {
    let users = store.list_users().await?;
    let legal = users.iter().find(|u| u.role == Role::LegalOfficer).context("a demo legal officer")?;
    let orgs = store.organisations().await?;
    let interior = orgs.iter().find(|o| o.name_en == "Ministry of Interior").map(|o| o.id);
    let justice = orgs.iter().find(|o| o.name_en == "Ministry of Justice").map(|o| o.id);

    let law_input = |title_en: &str, title_km: &str, short: &str, priority: &str, themes: &str| {
        LawFields {
            title_en: title_en.into(),
            title_km: title_km.into(),
            short_name: short.into(),
            priority: priority.into(),
            themes: themes.into(),
            ..Default::default()
        }
        .parse()
        .expect("a valid demo law")
    };
    let mut associations = law_input(
        "Draft law on associations and non-governmental organisations",
        "សេចក្តីព្រាងច្បាប់ស្តីពីសមាគម និងអង្គការមិនមែនរដ្ឋាភិបាល",
        "LANGO [DEMO]",
        "high",
        "freedom of association, civic space",
    );
    associations.ministry_id = interior;
    associations.lead_user_id = Some(legal.id);
    associations.consultation = Some(("2026-12-01".into(), "2027-01-15".into()));
    let law = store
        .create_law(
            &NewLaw { input: associations, stage: LawStage::Drafting, stage_on: "2026-01-05".into(), by: legal.id },
            &audit("law.create"),
        )
        .await?;
    store
        .change_law_stage(
            law.id,
            &NewStage {
                from: LawStage::Drafting,
                stage: LawStage::CouncilOfMinisters,
                on: "2026-03-01",
                note: "",
                by: legal.id,
            },
            &audit("law.stage"),
        )
        .await?;
    let version = |label: &str, dated: &str, text: &str, previous: Option<i64>, moves: Vec<CommentMove>| NewVersion {
        input: VersionInput { label: label.into(), dated: dated.into(), source: "Ministry of Interior [DEMO]".into() },
        format: VersionFormat::Pasted,
        has_text: true,
        text: text.into(),
        structure: split_law(text),
        file: None,
        previous,
        moves,
        by: legal.id,
    };
    let v1 = store
        .add_law_version(
            law.id,
            &version("First draft", "2026-01-05", ASSOCIATIONS_V1, None, vec![]),
            &audit("law.version"),
        )
        .await?;
    let mandatory = comment(
        "2",
        "Registration is mandatory before any activity: informal groups and community networks could not act at all.",
        "ICCPR 22",
        "Make registration voluntary; let unregistered groups act freely.",
        "critical",
    );
    let reporting = comment(
        "4",
        "Yearly reports of activities and finances to the ministry allow undue scrutiny of human rights work.",
        "ICCPR 22, ICCPR 19",
        "Limit reporting to what the law on taxes already requires.",
        "major",
    );
    let mut ids = vec![];
    for input in [&mandatory, &reporting] {
        let c = store
            .add_law_comment(law.id, &NewComment { version_id: v1.id, input, by: legal.id }, &audit("law.comment"))
            .await?;
        ids.push(c.id);
    }
    // The second version, and where the comments go in it.
    let old = split_law(ASSOCIATIONS_V1).articles;
    let new = split_law(ASSOCIATIONS_V2).articles;
    let changes = compare_articles(&old, &new, &rightsdesk_search::analysis::word_pieces);
    let moves = [("2", ids[0]), ("4", ids[1])]
        .iter()
        .filter_map(|(number, id)| {
            let at = old.iter().position(|a| a.number == *number)?;
            let ch = changes.iter().find(|c| c.old == Some(at))?;
            Some(CommentMove { comment_id: *id, article_number: ch.new_number.clone(), change: ch.kind })
        })
        .collect();
    let v2 = version("Council of Ministers", "2026-03-01", ASSOCIATIONS_V2, Some(v1.id), moves);
    store.add_law_version(law.id, &v2, &audit("law.version")).await?;
    let response = ResponseFields {
        response: "partly_accepted".into(),
        response_on: "2026-04-02".into(),
        response_text: "Registration is now voluntary; the reporting duty stays.".into(),
    }
    .parse()
    .expect("a valid demo response");
    store.set_law_comment_response(law.id, ids[0], &NewResponse { input: &response }, &audit("law.response")).await?;
    // A recommendation of the Ministry of Justice this law would implement.
    if let Some(j) = justice {
        let f = RecommendationFilter { institution: Some(j), limit: 1, ..Default::default() };
        if let Some(r) = store.recommendations(&f).await?.first() {
            store.link_law(law.id, LawLinkKind::Recommendation, r.id, &audit("law.link")).await?;
        }
    }

    let mut cyber = law_input(
        "Draft law on cybercrime",
        "សេចក្តីព្រាងច្បាប់ស្តីពីបទល្មើសបច្ចេកវិទ្យា",
        "Cybercrime [DEMO]",
        "medium",
        "freedom of expression, privacy",
    );
    cyber.lead_user_id = Some(legal.id);
    let law = store
        .create_law(
            &NewLaw { input: cyber, stage: LawStage::InterMinisterial, stage_on: "2026-06-10".into(), by: legal.id },
            &audit("law.create"),
        )
        .await?;
    let v = store
        .add_law_version(
            law.id,
            &version("Inter-ministerial draft", "2026-06-10", CYBER_V1, None, vec![]),
            &audit("law.version"),
        )
        .await?;
    for input in [
        comment("2", "Keeping all traffic data for two years and giving it on request, without a court order, is not necessary or proportionate.", "ICCPR 17", "Require a court order, and keep only what an investigation needs.", "critical"),
        comment("3", "A crime of damaging an official's honour online punishes criticism of public figures.", "ICCPR 19", "Remove article 3; defamation is a civil matter.", "critical"),
    ] {
        store.add_law_comment(law.id, &NewComment { version_id: v.id, input: &input, by: legal.id }, &audit("law.comment")).await?;
    }
    Ok(())
}
