// Contacts at organisations: an official's in clear, anyone else's sealed per field.

const CONTACT_COLUMNS: &str = "c.id, c.office_id, c.organisation_id, o.name_en AS organisation_en, \
     o.name_km AS organisation_km, c.identifying, c.position, c.notes, c.name, c.phone, c.email, \
     c.name_enc, c.phone_enc, c.email_enc, c.updated_at";
const CONTACT_FROM: &str = "contacts c JOIN organisations o ON o.id = c.organisation_id";

fn contact_from_row(r: &DbRow) -> Result<ContactRecord, StoreError> {
    Ok(ContactRecord {
        id: r.try_get("id").map_err(store_err)?,
        office_id: r.try_get("office_id").map_err(store_err)?,
        organisation_id: r.try_get("organisation_id").map_err(store_err)?,
        organisation_en: r.try_get("organisation_en").map_err(store_err)?,
        organisation_km: r.try_get("organisation_km").map_err(store_err)?,
        identifying: r.try_get("identifying").map_err(store_err)?,
        position: r.try_get("position").map_err(store_err)?,
        notes: r.try_get("notes").map_err(store_err)?,
        clear: ContactIdentity {
            name: r.try_get("name").map_err(store_err)?,
            phone: r.try_get("phone").map_err(store_err)?,
            email: r.try_get("email").map_err(store_err)?,
        },
        sealed: SealedContact {
            name: r.try_get("name_enc").map_err(store_err)?,
            phone: r.try_get("phone_enc").map_err(store_err)?,
            email: r.try_get("email_enc").map_err(store_err)?,
        },
        updated_at: r.try_get("updated_at").map_err(store_err)?,
    })
}

async fn contact_in(conn: &mut Conn, id: i64) -> Result<Option<ContactRecord>, StoreError> {
    let sql = format!("SELECT {CONTACT_COLUMNS} FROM {CONTACT_FROM} WHERE c.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await.map_err(store_err)?;
    row.as_ref().map(contact_from_row).transpose()
}

/// The clear and the sealed values of a contact's identity: one pair is empty.
fn contact_columns(
    keys: &rightsdesk_crypto::Keyring,
    id: i64,
    who: &ContactIdentity,
    identifying: bool,
) -> (ContactIdentity, SealedContact) {
    if identifying {
        (ContactIdentity::default(), SealedContact::seal(keys, id, who))
    } else {
        (who.clone(), SealedContact::default())
    }
}

#[async_trait::async_trait]
impl ContactStore for SqlStore {
    async fn add_contact(
        &self,
        office_id: i64,
        input: &ContactInput,
        identifying: bool,
        keys: &rightsdesk_crypto::Keyring,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<ContactRecord> {
        let now = now_micros();
        let mut tx = self.write().await?;
        let id = reserve_id(&mut tx, "contacts").await?;
        let (clear, sealed) = contact_columns(keys, id, &input.identity, identifying);
        sqlx::query(
            "INSERT INTO contacts (id, office_id, organisation_id, identifying, position, notes, name, phone, email, \
             name_enc, phone_enc, email_enc, name_bidx, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)",
        )
        .bind(id)
        .bind(office_id)
        .bind(input.organisation_id)
        .bind(identifying)
        .bind(&input.position)
        .bind(&input.notes)
        .bind(&clear.name)
        .bind(&clear.phone)
        .bind(&clear.email)
        .bind(&sealed.name)
        .bind(&sealed.phone)
        .bind(&sealed.email)
        .bind(contact_name_bidx(keys, &input.identity.name))
        .bind(by)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        // The summary names the organisation, never the person.
        tx.audit(audit.clone().record("contact", id).summary(format!("at organisation {}", input.organisation_id)));
        tx.changed("contacts", id, "insert");
        let created = contact_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(created)
    }

    async fn update_contact(
        &self,
        id: i64,
        input: &ContactInput,
        identifying: bool,
        keys: &rightsdesk_crypto::Keyring,
        audit: &AuditEntry,
    ) -> StoreResult<ContactRecord> {
        let mut tx = self.write().await?;
        let (clear, sealed) = contact_columns(keys, id, &input.identity, identifying);
        let done = sqlx::query(
            "UPDATE contacts SET organisation_id = $1, identifying = $2, position = $3, notes = $4, name = $5, \
             phone = $6, email = $7, name_enc = $8, phone_enc = $9, email_enc = $10, name_bidx = $11, updated_at = $12 \
             WHERE id = $13",
        )
        .bind(input.organisation_id)
        .bind(identifying)
        .bind(&input.position)
        .bind(&input.notes)
        .bind(&clear.name)
        .bind(&clear.phone)
        .bind(&clear.email)
        .bind(&sealed.name)
        .bind(&sealed.phone)
        .bind(&sealed.email)
        .bind(contact_name_bidx(keys, &input.identity.name))
        .bind(now_micros())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        one_row(done.rows_affected())?;
        tx.audit(audit.clone().record("contact", id).summary(format!("at organisation {}", input.organisation_id)));
        tx.changed("contacts", id, "update");
        let updated = contact_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(updated)
    }

    async fn contact(&self, id: i64) -> StoreResult<Option<ContactRecord>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        contact_in(&mut conn, id).await
    }

    async fn contacts_of(&self, organisation_id: i64) -> StoreResult<Vec<ContactRecord>> {
        let sql = format!("SELECT {CONTACT_COLUMNS} FROM {CONTACT_FROM} WHERE c.organisation_id = $1 ORDER BY c.id");
        let rows = sqlx::query(&sql).bind(organisation_id).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(contact_from_row).collect()
    }

    async fn contacts_by_id(&self, ids: &[i64]) -> StoreResult<Vec<ContactRecord>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let mut q = sqlx::QueryBuilder::<Db>::new(format!("SELECT {CONTACT_COLUMNS} FROM {CONTACT_FROM} WHERE c.id IN ("));
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        q.push(") ORDER BY c.id");
        let rows = q.build().fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(contact_from_row).collect()
    }

    async fn contacts_named(&self, name_bidx: &str, except: i64) -> StoreResult<Vec<ContactRecord>> {
        let sql = format!(
            "SELECT {CONTACT_COLUMNS} FROM {CONTACT_FROM} WHERE c.name_bidx = $1 AND c.id <> $2 ORDER BY c.id LIMIT 20"
        );
        let rows = sqlx::query(&sql).bind(name_bidx).bind(except).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(contact_from_row).collect()
    }

    async fn merge_contact(&self, from: i64, into: i64, audit: &AuditEntry) -> StoreResult<()> {
        if from == into {
            return Err(StoreError::Constraint("contacts.merge into itself".into()));
        }
        let mut tx = self.write().await?;
        let a = contact_in(&mut tx, from).await?.ok_or(StoreError::NotFound)?;
        let b = contact_in(&mut tx, into).await?.ok_or(StoreError::NotFound)?;
        if a.office_id != b.office_id {
            return Err(StoreError::Conflict("contacts.office".into()));
        }
        // Meetings of `from` now name `into` (once, when both were there).
        sqlx::query(
            "INSERT INTO meeting_contacts (meeting_id, contact_id) SELECT meeting_id, $1 FROM meeting_contacts \
             WHERE contact_id = $2 ON CONFLICT DO NOTHING",
        )
        .bind(into)
        .bind(from)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        sqlx::query("DELETE FROM meeting_contacts WHERE contact_id = $1").bind(from).execute(&mut *tx).await.map_err(store_err)?;
        sqlx::query("DELETE FROM contacts WHERE id = $1").bind(from).execute(&mut *tx).await.map_err(store_err)?;
        sqlx::query("UPDATE contacts SET updated_at = $1 WHERE id = $2").bind(now_micros()).bind(into).execute(&mut *tx).await.map_err(store_err)?;
        tx.audit(audit.clone().record("contact", into).summary(format!("contact {from} merged into it")));
        tx.changed("contacts", from, "delete");
        tx.changed("contacts", into, "update");
        tx.commit().await?;
        Ok(())
    }
}
