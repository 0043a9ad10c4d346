// Versions of a law: the text, its articles, the file; comments move along.

const VERSION_COLUMNS: &str = "v.id, v.law_id, v.label, v.dated, v.source, v.format, v.has_text, v.preamble, \
     f.file_name, f.size_bytes, v.created_by, v.created_at, \
     (SELECT COUNT(*) FROM law_articles a WHERE a.version_id = v.id) AS article_count";
const VERSION_FROM: &str = "law_versions v LEFT JOIN law_version_files f ON f.version_id = v.id";
const ARTICLE_COLUMNS: &str =
    "id, version_id, position, number, heading, chapter_number, chapter_heading, chapter_title, text";

fn version_from_row(r: &DbRow) -> Result<LawVersion, StoreError> {
    Ok(LawVersion {
        id: r.try_get("id").map_err(store_err)?,
        law_id: r.try_get("law_id").map_err(store_err)?,
        label: r.try_get("label").map_err(store_err)?,
        dated: r.try_get("dated").map_err(store_err)?,
        source: r.try_get("source").map_err(store_err)?,
        format: choice_at(r, "format", VersionFormat::parse)?,
        has_text: r.try_get("has_text").map_err(store_err)?,
        preamble: r.try_get("preamble").map_err(store_err)?,
        file_name: r.try_get("file_name").map_err(store_err)?,
        size_bytes: r.try_get("size_bytes").map_err(store_err)?,
        articles: r.try_get("article_count").map_err(store_err)?,
        created_by: r.try_get("created_by").map_err(store_err)?,
        created_at: r.try_get("created_at").map_err(store_err)?,
    })
}

fn article_from_row(r: &DbRow) -> Result<LawArticle, StoreError> {
    Ok(LawArticle {
        id: r.try_get("id").map_err(store_err)?,
        version_id: r.try_get("version_id").map_err(store_err)?,
        position: r.try_get("position").map_err(store_err)?,
        number: r.try_get("number").map_err(store_err)?,
        heading: r.try_get("heading").map_err(store_err)?,
        chapter_number: r.try_get("chapter_number").map_err(store_err)?,
        chapter_heading: r.try_get("chapter_heading").map_err(store_err)?,
        chapter_title: r.try_get("chapter_title").map_err(store_err)?,
        text: r.try_get("text").map_err(store_err)?,
    })
}

/// Writes a version's articles (after deleting what it had).
async fn write_articles(tx: &mut Write, version_id: i64, structure: &LawStructure) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM law_articles WHERE version_id = $1")
        .bind(version_id)
        .execute(&mut **tx)
        .await
        .map_err(store_err)?;
    let rows: Vec<(i64, &rightsdesk_domain::legislation::Article)> =
        structure.articles.iter().enumerate().map(|(i, a)| (i as i64, a)).collect();
    insert_rows(
        tx,
        "INSERT INTO law_articles (version_id, position, number, heading, chapter_number, chapter_heading, chapter_title, text) ",
        8,
        &rows,
        |mut b, (position, a)| {
            let chapter = a.chapter.and_then(|c| structure.chapters.get(c));
            b.push_bind(version_id)
                .push_bind(*position)
                .push_bind(&a.number)
                .push_bind(&a.heading)
                .push_bind(chapter.map(|c| &c.number))
                .push_bind(chapter.map(|c| &c.heading))
                .push_bind(chapter.map(|c| &c.title))
                .push_bind(&a.text);
        },
    )
    .await
}

/// The law's latest version, read inside the write (which holds the law's row).
async fn latest_version_in(tx: &mut Write, law_id: i64) -> Result<Option<i64>, StoreError> {
    sqlx::query_scalar("SELECT id FROM law_versions WHERE law_id = $1 ORDER BY dated DESC, id DESC LIMIT 1")
        .bind(law_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(store_err)
}

/// Moves comments of `from` to `to` as `moves` says (each only if it is
/// still on `from`); with `general`, the comments on the law as a whole
/// go along. Returns how many moved.
async fn move_comments(
    tx: &mut Write,
    law_id: i64,
    from: i64,
    to: i64,
    moves: &[CommentMove],
    general: bool,
) -> Result<u64, StoreError> {
    let now = now_micros();
    let mut moved = 0;
    for m in moves {
        let done = sqlx::query(
            "UPDATE law_comments SET version_id = $1, previous_number = article_number, article_number = $2, \
             article_change = $3, updated_at = $4 WHERE id = $5 AND law_id = $6 AND version_id = $7",
        )
        .bind(to)
        .bind(&m.article_number)
        .bind(change_code(m.change))
        .bind(now)
        .bind(m.comment_id)
        .bind(law_id)
        .bind(from)
        .execute(&mut **tx)
        .await
        .map_err(store_err)?;
        if done.rows_affected() > 0 {
            moved += 1;
            // Its search document names the article.
            tx.changed("law_comments", m.comment_id, "update");
        }
    }
    if general && from != to {
        sqlx::query("UPDATE law_comments SET version_id = $1 WHERE law_id = $2 AND version_id = $3 AND article_number IS NULL")
            .bind(to)
            .bind(law_id)
            .bind(from)
            .execute(&mut **tx)
            .await
            .map_err(store_err)?;
    }
    Ok(moved)
}

fn change_code(kind: ArticleChangeKind) -> &'static str {
    match kind {
        ArticleChangeKind::Unchanged => "unchanged",
        ArticleChangeKind::Changed => "changed",
        ArticleChangeKind::Renumbered => "renumbered",
        ArticleChangeKind::Removed | ArticleChangeKind::Added => "removed",
    }
}

#[async_trait::async_trait]
impl LawVersionStore for SqlStore {
    async fn add_law_version(&self, law_id: i64, new: &NewVersion, audit: &AuditEntry) -> StoreResult<LawVersion> {
        let i = &new.input;
        let now = now_micros();
        let mut tx = self.write().await?;
        touch_law(&mut tx, law_id).await?;
        // The latest version, read in the write: the moves were computed
        // from it, and no other version may have come in between.
        let previous = latest_version_in(&mut tx, law_id).await?;
        if previous != new.previous {
            return Err(StoreError::Conflict("law_versions: another version was added meanwhile".into()));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO law_versions (law_id, label, dated, source, format, has_text, text, preamble, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(law_id)
        .bind(&i.label)
        .bind(&i.dated)
        .bind(&i.source)
        .bind(new.format.as_str())
        .bind(new.has_text)
        .bind(&new.text)
        .bind(&new.structure.preamble)
        .bind(new.by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        if let Some(file) = &new.file {
            sqlx::query(
                "INSERT INTO law_version_files (version_id, file_name, content_type, sha256, size_bytes, content) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(&file.file_name)
            .bind(&file.content_type)
            .bind(&file.sha256)
            .bind(file.content.len() as i64)
            .bind(&file.content)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        write_articles(&mut tx, id, &new.structure).await?;
        let moved = match previous {
            // A version without text (a scan) keeps nothing: the comments stay
            // where they are until its text is pasted.
            Some(previous) if new.has_text => move_comments(&mut tx, law_id, previous, id, &new.moves, true).await?,
            _ => 0,
        };
        tx.audit(audit.clone().record("law", law_id).summary(format!(
            "version {id} '{}' of {}: {} articles, {moved} comments moved",
            i.label,
            i.dated,
            new.structure.articles.len()
        )));
        tx.changed("law_versions", id, "insert");
        let sql = format!("SELECT {VERSION_COLUMNS} FROM {VERSION_FROM} WHERE v.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await.map_err(store_err)?;
        let version = version_from_row(&row)?;
        tx.commit().await?;
        Ok(version)
    }

    async fn law_versions(&self, law_id: i64) -> StoreResult<Vec<LawVersion>> {
        let sql = format!("SELECT {VERSION_COLUMNS} FROM {VERSION_FROM} WHERE v.law_id = $1 ORDER BY v.dated, v.id");
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let rows = sqlx::query(&sql).bind(law_id).fetch_all(&mut *conn).await.map_err(store_err)?;
        rows.iter().map(version_from_row).collect()
    }

    async fn law_version(&self, version_id: i64) -> StoreResult<Option<VersionArticles>> {
        let statements = [
            format!("SELECT {VERSION_COLUMNS} FROM {VERSION_FROM} WHERE v.id = $1"),
            format!("SELECT {ARTICLE_COLUMNS} FROM law_articles WHERE version_id = $1 ORDER BY position"),
        ];
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let s = read_sections(&mut conn, &statements, version_id).await?;
        let Some(row) = s[0].first() else { return Ok(None) };
        Ok(Some(VersionArticles {
            version: version_from_row(row)?,
            articles: s[1].iter().map(article_from_row).collect::<Result<_, _>>()?,
        }))
    }

    async fn law_version_file(&self, version_id: i64) -> StoreResult<Option<VersionFile>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let row = sqlx::query(
            "SELECT file_name, content_type, sha256, content FROM law_version_files WHERE version_id = $1",
        )
        .bind(version_id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(store_err)?;
        row.map(|r| {
            Ok(VersionFile {
                file_name: r.try_get("file_name").map_err(store_err)?,
                content_type: r.try_get("content_type").map_err(store_err)?,
                sha256: r.try_get("sha256").map_err(store_err)?,
                content: r.try_get("content").map_err(store_err)?,
            })
        })
        .transpose()
    }

    async fn law_version_text(&self, version_id: i64) -> StoreResult<Option<String>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        sqlx::query_scalar("SELECT text FROM law_versions WHERE id = $1")
            .bind(version_id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(store_err)
    }

    async fn replace_law_text(&self, version_id: i64, fix: &TextCorrection, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let law_id: Option<i64> = sqlx::query_scalar("SELECT law_id FROM law_versions WHERE id = $1")
            .bind(version_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_err)?;
        let law_id = law_id.ok_or(StoreError::NotFound)?;
        touch_law(&mut tx, law_id).await?;
        sqlx::query("UPDATE law_versions SET text = $1, preamble = $2, has_text = $3 WHERE id = $4")
            .bind(&fix.text)
            .bind(&fix.structure.preamble)
            .bind(!fix.text.trim().is_empty())
            .bind(version_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        write_articles(&mut tx, version_id, &fix.structure).await?;
        // Comments come from the previous version only onto the latest one.
        if fix.moves_from != version_id && latest_version_in(&mut tx, law_id).await? != Some(version_id) {
            return Err(StoreError::Conflict("law_versions: not the latest version".into()));
        }
        let moved = move_comments(&mut tx, law_id, fix.moves_from, version_id, &fix.moves, true).await?;
        tx.audit(audit.clone().record("law", law_id).summary(format!(
            "version {version_id}: text corrected, {} articles, {moved} comments moved",
            fix.structure.articles.len()
        )));
        tx.changed("law_versions", version_id, "update");
        tx.commit().await?;
        Ok(())
    }
}
