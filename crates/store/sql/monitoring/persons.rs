// People of a case: codes by role, identities sealed per field, name matches.

const PERSON_COLUMNS: &str = "id, case_id, code, role, kind, name_enc, aliases_enc, contact_enc, address_enc, id_number_enc, \
     sex, age, age_group, occupation, disability, ethnicity, perpetrator_type";

fn person_from_row(r: &DbRow) -> Result<PersonRecord, StoreError> {
    let role: String = r.try_get("role").map_err(store_err)?;
    Ok(PersonRecord {
        id: r.try_get("id").map_err(store_err)?,
        case_id: r.try_get("case_id").map_err(store_err)?,
        code: r.try_get("code").map_err(store_err)?,
        profile: PersonProfile {
            role: PersonRole::parse(&role).ok_or_else(|| corrupt("persons.role"))?,
            kind: r.try_get("kind").map_err(store_err)?,
            sex: r.try_get("sex").map_err(store_err)?,
            age: r.try_get("age").map_err(store_err)?,
            age_group: r.try_get("age_group").map_err(store_err)?,
            occupation: r.try_get("occupation").map_err(store_err)?,
            disability: r.try_get("disability").map_err(store_err)?,
            ethnicity: r.try_get("ethnicity").map_err(store_err)?,
            perpetrator_type: r.try_get("perpetrator_type").map_err(store_err)?,
        },
        sealed: SealedIdentity {
            name: r.try_get("name_enc").map_err(store_err)?,
            aliases: r.try_get("aliases_enc").map_err(store_err)?,
            contact: r.try_get("contact_enc").map_err(store_err)?,
            address: r.try_get("address_enc").map_err(store_err)?,
            id_number: r.try_get("id_number_enc").map_err(store_err)?,
        },
    })
}

fn persons_sql() -> String {
    format!(
        "SELECT {PERSON_COLUMNS} FROM persons WHERE case_id = $1 \
         ORDER BY CASE role WHEN 'victim' THEN 1 WHEN 'witness' THEN 2 WHEN 'source' THEN 3 ELSE 4 END, id"
    )
}

/// A row of `persons`, its identifying fields sealed under its id.
struct PersonRow<'a> {
    id: i64,
    case_id: i64,
    code: String,
    profile: &'a PersonProfile,
    name_bidx: String,
    sealed: SealedIdentity,
    at: i64,
}

impl TableRow for PersonRow<'_> {
    const INSERT: &'static str = "INSERT INTO persons (id, case_id, code, role, kind, name_bidx, sex, age, age_group, \
         occupation, disability, ethnicity, perpetrator_type, created_at, name_enc, aliases_enc, contact_enc, \
         address_enc, id_number_enc) ";
    fn push<'a>(&'a self, q: &mut sqlx::query_builder::Separated<'_, 'a, Db, &'static str>) {
        let p = self.profile;
        q.push_bind(self.id)
            .push_bind(self.case_id)
            .push_bind(&self.code)
            .push_bind(p.role.as_str())
            .push_bind(&p.kind)
            .push_bind(&self.name_bidx)
            .push_bind(&p.sex)
            .push_bind(p.age)
            .push_bind(&p.age_group)
            .push_bind(&p.occupation)
            .push_bind(&p.disability)
            .push_bind(&p.ethnicity)
            .push_bind(&p.perpetrator_type)
            .push_bind(self.at)
            .push_bind(&self.sealed.name)
            .push_bind(&self.sealed.aliases)
            .push_bind(&self.sealed.contact)
            .push_bind(&self.sealed.address)
            .push_bind(&self.sealed.id_number);
    }
}

impl<'a> PersonRow<'a> {
    fn new(
        keys: &rightsdesk_crypto::Keyring,
        id: i64,
        case_id: i64,
        code: String,
        profile: &'a PersonProfile,
        identity: &PersonIdentity,
    ) -> Self {
        PersonRow {
            id,
            case_id,
            code,
            profile,
            name_bidx: rightsdesk_store::monitoring::person_name_bidx(keys, &identity.name),
            // The record id is bound into each ciphertext.
            sealed: SealedIdentity::seal(keys, id, identity),
            at: now_micros(),
        }
    }
}

/// Inserts a person with the next code of their role and seals the
/// identifying fields once the row has its id (the id is bound into each
/// ciphertext). No audit: the caller writes it.
async fn insert_person_in(
    tx: &mut Conn,
    case_id: i64,
    profile: &PersonProfile,
    identity: &PersonIdentity,
    keys: &rightsdesk_crypto::Keyring,
) -> Result<(i64, String), StoreError> {
        let number: i64 = sqlx::query(
            "INSERT INTO case_person_numbers (case_id, role, last_number) VALUES ($1, $2, 1) \
             ON CONFLICT (case_id, role) DO UPDATE SET last_number = case_person_numbers.last_number + 1 RETURNING last_number",
        )
        .bind(case_id)
        .bind(profile.role.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?
        .try_get("last_number")
        .map_err(store_err)?;
        let code = format!("{}{number}", profile.role.code_letter());
        let id = reserve_id(&mut *tx, "persons").await?;
        let row = PersonRow::new(keys, id, case_id, code, profile, identity);
        insert_table_rows(&mut *tx, std::slice::from_ref(&row)).await?;
        let code = row.code;
    Ok((id, code))
}

#[async_trait::async_trait]
impl PersonStore for SqlStore {
    async fn add_person(
        &self,
        case_id: i64,
        profile: &PersonProfile,
        identity: &PersonIdentity,
        keys: &rightsdesk_crypto::Keyring,
        audit: &AuditEntry,
    ) -> StoreResult<PersonRecord> {
        let mut tx = self.write().await?;
        let (id, code) = insert_person_in(&mut tx, case_id, profile, identity, keys).await?;
        sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2").bind(now_micros()).bind(case_id).execute(&mut *tx).await.map_err(store_err)?;
        let entry = audit.clone().record("case", case_id).summary(format!("person {code} added ({})", profile.role.as_str()));
        tx.audit(entry);
        tx.changed("cases", case_id, "update");
        let row = sqlx::query(&format!("SELECT {PERSON_COLUMNS} FROM persons WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;
        let person = person_from_row(&row)?;
        tx.commit().await?;
        Ok(person)
    }

    async fn persons(&self, case_id: i64) -> StoreResult<Vec<PersonRecord>> {
        let rows = sqlx::query(&persons_sql()).bind(case_id).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(person_from_row).collect()
    }

    async fn person_matches(
        &self,
        name_bidx: &str,
        scope: &rightsdesk_domain::CaseScope,
        except_case: i64,
    ) -> StoreResult<Vec<PersonMatch>> {
        let sql = format!(
            "SELECT c.id AS case_id, c.reference, p.code FROM persons p JOIN cases c ON c.id = p.case_id \
             WHERE p.name_bidx = $3 AND c.id <> $4 AND {CASE_NAMES_VISIBLE} ORDER BY c.id DESC LIMIT 20"
        );
        let rows = sqlx::query(&sql)
            .bind(scope.user_id)
            .bind(scope.head_of_office)
            .bind(name_bidx)
            .bind(except_case)
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(PersonMatch {
                    case_id: r.try_get("case_id").map_err(store_err)?,
                    reference: r.try_get("reference").map_err(store_err)?,
                    code: r.try_get("code").map_err(store_err)?,
                })
            })
            .collect()
    }
}
