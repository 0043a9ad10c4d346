//! What the mechanisms pages and API share: the recommendations a caller may
//! see, and the filters of the list.

use super::*;

/// Narrows a filter to what the user may see: a government focal point only
/// the recommendations assigned to their institution, whatever they asked.
pub fn scoped(mut f: RecommendationFilter, scope: RecommendationScope) -> RecommendationFilter {
    if let Some(institution) = scope.institution {
        f.institution = Some(institution);
    }
    f
}

/// A recommendation offered by a "find and link" box.
pub struct RecommendationChoice {
    pub id: i64,
    /// `Recommendation 12 · UPR 46 · Canada`.
    pub heading: String,
    /// The text, cut after about 240 characters.
    pub text: String,
}

/// At most this many recommendations a "find and link" box offers.
pub const CHOICES: i64 = 10;

/// The recommendations with these words that the user may see, for the
/// boxes that link one to an action or an intervention (people look for a
/// recommendation by what it says, not by its number). None for a user who
/// sees no recommendations, or for fewer than two letters.
pub async fn recommendation_choices(ctx: &Ctx, words: &str) -> Result<Vec<RecommendationChoice>, PageError> {
    let words = words.trim();
    let Some(scope) = recommendation_scope(&ctx.actor) else { return Ok(vec![]) };
    if words.chars().count() < 2 || words.chars().count() > 200 {
        return Ok(vec![]);
    }
    let filter = RecommendationFilter { text: Some(words.to_string()), limit: CHOICES, ..Default::default() };
    let tr = &ctx.tr;
    Ok(ctx
        .state
        .store
        .recommendations(&scoped(filter, scope))
        .await?
        .into_iter()
        .map(|r| {
            let mut heading = vec![tr.t1("recommendation-title", "id", &tr.num(r.id))];
            heading.push(format!("{} {}", r.mechanism_code, tr.digits(&r.session)).trim().to_string());
            if !r.recommending_state.is_empty() {
                heading.push(r.recommending_state.clone());
            }
            let mut text: String = r.text.chars().take(240).collect();
            if text.len() < r.text.len() {
                text.push('…');
            }
            RecommendationChoice { id: r.id, heading: heading.join(" · "), text }
        })
        .collect())
}

/// `?find=` on the pages with a "find and link" box.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FindQuery {
    pub find: String,
}

/// What the policy needs to decide on one recommendation for this user.
pub async fn recommendation_ref(
    store: &dyn rightsdesk_store::Store,
    user: Option<&rightsdesk_store::User>,
    id: i64,
) -> Result<RecommendationRef, rightsdesk_store::StoreError> {
    let assigned_to_actor = match user.and_then(|u| u.organisation_id) {
        Some(org) => store.institutions(id).await?.iter().any(|o| o.id == org),
        None => false,
    };
    Ok(RecommendationRef { assigned_to_actor })
}

/// The list's query string, as typed (kept to fill the filter form again).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RecommendationQuery {
    pub state: String,
    pub mechanism: String,
    pub cycle: String,
    pub response: String,
    pub status: String,
    pub theme: String,
    pub recommending_state: String,
    pub sdg_goal: String,
    pub group: String,
    pub cluster: String,
    /// An organisation id: the recommendations assigned to it.
    pub institution: String,
    pub q: String,
    pub after: String,
}

/// Turns the typed query into a filter, or says which field is wrong.
pub fn recommendation_filter(q: &RecommendationQuery) -> Result<RecommendationFilter, ValidationError> {
    let text = |s: &str, field: &'static str| -> Result<Option<String>, ValidationError> {
        let s = s.trim();
        if s.chars().count() > 200 {
            return Err(ValidationError::too_long(field, 200));
        }
        Ok((!s.is_empty()).then(|| s.to_string()))
    };
    let number = |s: &str, field: &'static str| -> Result<Option<i64>, ValidationError> {
        match s.trim() {
            "" => Ok(None),
            t => t.parse::<i64>().map(Some).map_err(|_| ValidationError::new(field, "not-a-number")),
        }
    };
    Ok(RecommendationFilter {
        state_under_review: text(&q.state, "state")?,
        mechanism_code: text(&q.mechanism, "mechanism")?,
        cycle: number(&q.cycle, "cycle")?,
        session: None,
        response: match q.response.trim() {
            "" => None,
            r => Some(StateResponse::parse(r).ok_or(ValidationError::new("response", "invalid-choice"))?),
        },
        status: match q.status.trim() {
            "" => None,
            s => Some(ImplementationStatus::parse(s).ok_or(ValidationError::new("status", "invalid-choice"))?),
        },
        theme: text(&q.theme, "theme")?,
        recommending_state: text(&q.recommending_state, "recommending_state")?,
        text: text(&q.q, "q")?,
        institution: number(&q.institution, "institution")?,
        sdg_goal: number(&q.sdg_goal, "sdg_goal")?,
        affected_group: match q.group.trim() {
            "" => None,
            g if rightsdesk_domain::mechanisms::AFFECTED_GROUPS.contains(&g) => Some(g.to_string()),
            _ => return Err(ValidationError::new("group", "invalid-choice")),
        },
        cluster_id: number(&q.cluster, "cluster")?,
        after: number(&q.after, "after")?,
        limit: PAGE_SIZE,
    })
}
