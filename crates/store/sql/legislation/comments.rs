// The office's comments on a law's articles and the Government's responses.

const COMMENT_COLUMNS: &str = "id, law_id, version_id, article_number, article_change, previous_number, concern, \
     standard, recommended_change, severity, status, response, response_on, response_text, created_by, created_at, \
     updated_at";

fn comment_change(code: &str) -> Option<Option<ArticleChangeKind>> {
    Some(match code {
        "none" => None,
        "unchanged" => Some(ArticleChangeKind::Unchanged),
        "changed" => Some(ArticleChangeKind::Changed),
        "renumbered" => Some(ArticleChangeKind::Renumbered),
        "removed" => Some(ArticleChangeKind::Removed),
        _ => return None,
    })
}

fn comment_from_row(
    r: &DbRow,
    standards: &mut HashMap<i64, Vec<StandardArticle>>,
    recommendations: &mut HashMap<i64, Vec<LinkedRecommendation>>,
) -> Result<LawComment, StoreError> {
    let id: i64 = r.try_get("id").map_err(store_err)?;
    let response: Option<String> = r.try_get("response").map_err(store_err)?;
    Ok(LawComment {
        id,
        law_id: r.try_get("law_id").map_err(store_err)?,
        version_id: r.try_get("version_id").map_err(store_err)?,
        article_number: r.try_get("article_number").map_err(store_err)?,
        article_change: choice_at(r, "article_change", comment_change)?,
        previous_number: r.try_get("previous_number").map_err(store_err)?,
        concern: r.try_get("concern").map_err(store_err)?,
        standard: r.try_get("standard").map_err(store_err)?,
        standard_articles: standards.remove(&id).unwrap_or_default(),
        recommendations: recommendations.remove(&id).unwrap_or_default(),
        recommended_change: r.try_get("recommended_change").map_err(store_err)?,
        severity: choice_at(r, "severity", CommentSeverity::parse)?,
        status: choice_at(r, "status", CommentStatus::parse)?,
        response: response
            .map(|c| GovernmentResponse::parse(&c).ok_or_else(|| corrupt("response")))
            .transpose()?,
        response_on: r.try_get("response_on").map_err(store_err)?,
        response_text: r.try_get("response_text").map_err(store_err)?,
        created_by: r.try_get("created_by").map_err(store_err)?,
        created_at: r.try_get("created_at").map_err(store_err)?,
        updated_at: r.try_get("updated_at").map_err(store_err)?,
    })
}

/// The comments of a law (`$1`), or the one comment (`$1` its id), with
/// their standards and recommendations.
async fn comments_in(conn: &mut Conn, key: &str, value: i64) -> Result<Vec<LawComment>, StoreError> {
    let (comments, link) = match key {
        "law" => ("law_id = $1", "c.law_id = $1"),
        _ => ("id = $1", "c.id = $1"),
    };
    let statements = [
        // General comments first, then in the order of the articles, then
        // those whose article was removed.
        format!(
            "SELECT {COMMENT_COLUMNS} FROM law_comments WHERE {comments} \
             ORDER BY CASE WHEN article_number IS NOT NULL THEN 1 WHEN article_change = 'removed' THEN 2 ELSE 0 END, \
             (SELECT MIN(a.position) FROM law_articles a WHERE a.version_id = law_comments.version_id \
              AND a.number = law_comments.article_number), id"
        ),
        format!(
            "SELECT s.comment_id, s.instrument_code, s.article_number, a.caption FROM law_comment_standards s \
             JOIN law_comments c ON c.id = s.comment_id \
             JOIN articles a ON a.instrument_code = s.instrument_code AND a.number = s.article_number \
             WHERE {link} ORDER BY s.instrument_code, s.article_number"
        ),
        format!(
            "SELECT cr.comment_id, r.id, r.mechanism_code, r.document_symbol, r.paragraph, r.text \
             FROM law_comment_recommendations cr JOIN law_comments c ON c.id = cr.comment_id \
             JOIN recommendations r ON r.id = cr.recommendation_id WHERE {link} ORDER BY r.id"
        ),
        // Whom those recommendations are assigned to (for what a focal point may see).
        format!(
            "SELECT DISTINCT ri.recommendation_id, ri.organisation_id FROM recommendation_institutions ri \
             JOIN law_comment_recommendations cr ON cr.recommendation_id = ri.recommendation_id \
             JOIN law_comments c ON c.id = cr.comment_id WHERE {link}"
        ),
    ];
    let s = read_sections(conn, &statements, value).await?;
    let mut standards: HashMap<i64, Vec<StandardArticle>> = HashMap::new();
    for r in &s[1] {
        standards.entry(r.try_get("comment_id").map_err(store_err)?).or_default().push(StandardArticle {
            instrument_code: r.try_get("instrument_code").map_err(store_err)?,
            number: r.try_get("article_number").map_err(store_err)?,
            caption: r.try_get("caption").map_err(store_err)?,
        });
    }
    let mut recommendations: HashMap<i64, Vec<LinkedRecommendation>> = HashMap::new();
    let institutions = institutions_of(&s[3])?;
    for r in &s[2] {
        recommendations
            .entry(r.try_get("comment_id").map_err(store_err)?)
            .or_default()
            .push(linked_recommendation_from_row(r, &institutions)?);
    }
    s[0].iter().map(|r| comment_from_row(r, &mut standards, &mut recommendations)).collect()
}

/// Writes the standards and recommendations a comment invokes (after deleting what it had).
async fn write_comment_links(tx: &mut Write, id: i64, new: &NewComment<'_>) -> Result<(), StoreError> {
    for table in ["law_comment_standards", "law_comment_recommendations"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE comment_id = $1"))
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(store_err)?;
    }
    let i = new.input;
    if !i.standard_articles.is_empty() {
        insert_rows(
            tx,
            "INSERT INTO law_comment_standards (comment_id, instrument_code, article_number) ",
            3,
            &i.standard_articles,
            |mut b, (code, number)| {
                b.push_bind(id).push_bind(code).push_bind(*number);
            },
        )
        .await?;
    }
    if !i.recommendation_ids.is_empty() {
        insert_rows(
            tx,
            "INSERT INTO law_comment_recommendations (comment_id, recommendation_id) ",
            2,
            &i.recommendation_ids,
            |mut b, r| {
                b.push_bind(id).push_bind(*r);
            },
        )
        .await?;
    }
    Ok(())
}

/// The version a comment is written against must be one of the law's.
async fn check_version_of(tx: &mut Write, law_id: i64, version_id: i64) -> Result<(), StoreError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM law_versions WHERE id = $1 AND law_id = $2")
        .bind(version_id)
        .bind(law_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(store_err)?;
    found.map(|_| ()).ok_or_else(|| StoreError::Constraint("law_comments.version_id".into()))
}

async fn one_comment(tx: &mut Write, id: i64) -> Result<LawComment, StoreError> {
    comments_in(tx, "comment", id).await?.pop().ok_or(StoreError::NotFound)
}

#[async_trait::async_trait]
impl LawCommentStore for SqlStore {
    async fn add_law_comment(&self, law_id: i64, new: &NewComment<'_>, audit: &AuditEntry) -> StoreResult<LawComment> {
        let i = new.input;
        let now = now_micros();
        let mut tx = self.write().await?;
        touch_law(&mut tx, law_id).await?;
        check_version_of(&mut tx, law_id, new.version_id).await?;
        // Comments are written on the latest version (they move with it).
        if latest_version_in(&mut tx, law_id).await? != Some(new.version_id) {
            return Err(StoreError::Conflict("law_comments: not the latest version".into()));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO law_comments (law_id, version_id, article_number, concern, standard, recommended_change, \
             severity, status, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(law_id)
        .bind(new.version_id)
        .bind(&i.article_number)
        .bind(&i.concern)
        .bind(&i.standard)
        .bind(&i.recommended_change)
        .bind(i.severity.as_str())
        .bind(i.status.as_str())
        .bind(new.by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        write_comment_links(&mut tx, id, new).await?;
        let article = i.article_number.as_deref().unwrap_or("-");
        tx.audit(audit.clone().record("law", law_id).summary(format!("comment {id} on article {article}: {}", i.severity)));
        tx.changed("law_comments", id, "insert");
        let comment = one_comment(&mut tx, id).await?;
        tx.commit().await?;
        Ok(comment)
    }

    async fn update_law_comment(
        &self,
        law_id: i64,
        comment_id: i64,
        new: &NewComment<'_>,
        audit: &AuditEntry,
    ) -> StoreResult<LawComment> {
        let i = new.input;
        let mut tx = self.write().await?;
        touch_law(&mut tx, law_id).await?;
        check_version_of(&mut tx, law_id, new.version_id).await?;
        // Still on the version the edit was checked against, or refused.
        let done = sqlx::query(
            "UPDATE law_comments SET article_number = $2, concern = $3, standard = $4, \
             recommended_change = $5, severity = $6, status = $7, updated_at = $8 \
             WHERE id = $9 AND law_id = $10 AND version_id = $1",
        )
        .bind(new.version_id)
        .bind(&i.article_number)
        .bind(&i.concern)
        .bind(&i.standard)
        .bind(&i.recommended_change)
        .bind(i.severity.as_str())
        .bind(i.status.as_str())
        .bind(now_micros())
        .bind(comment_id)
        .bind(law_id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        if done.rows_affected() == 0 {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM law_comments WHERE id = $1 AND law_id = $2")
                .bind(comment_id)
                .bind(law_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(store_err)?;
            return Err(match exists {
                Some(_) => StoreError::Conflict("law_comments: moved to another version meanwhile".into()),
                None => StoreError::NotFound,
            });
        }
        write_comment_links(&mut tx, comment_id, new).await?;
        tx.audit(
            audit.clone().record("law", law_id).summary(format!("comment {comment_id} updated: {}, {}", i.severity, i.status)),
        );
        tx.changed("law_comments", comment_id, "update");
        let comment = one_comment(&mut tx, comment_id).await?;
        tx.commit().await?;
        Ok(comment)
    }

    async fn set_law_comment_response(
        &self,
        law_id: i64,
        comment_id: i64,
        response: &NewResponse<'_>,
        audit: &AuditEntry,
    ) -> StoreResult<LawComment> {
        let r = response.input;
        let mut tx = self.write().await?;
        touch_law(&mut tx, law_id).await?;
        let done = sqlx::query(
            "UPDATE law_comments SET response = $1, response_on = $2, response_text = $3, updated_at = $4 \
             WHERE id = $5 AND law_id = $6",
        )
        .bind(r.response.as_str())
        .bind(&r.response_on)
        .bind(&r.response_text)
        .bind(now_micros())
        .bind(comment_id)
        .bind(law_id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        one_row(done.rows_affected())?;
        tx.audit(audit.clone().record("law", law_id).summary(format!("comment {comment_id}: response {}", r.response)));
        tx.changed("law_comments", comment_id, "update");
        let comment = one_comment(&mut tx, comment_id).await?;
        tx.commit().await?;
        Ok(comment)
    }

    async fn law_comment(&self, comment_id: i64) -> StoreResult<Option<LawComment>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        Ok(comments_in(&mut conn, "comment", comment_id).await?.pop())
    }

    async fn law_comments(&self, law_id: i64) -> StoreResult<Vec<LawComment>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        comments_in(&mut conn, "law", law_id).await
    }
}
