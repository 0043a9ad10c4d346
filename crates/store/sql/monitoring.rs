// Monitoring SQL shared by both backends (see shared_impl.rs for how the
// two files are compiled into each backend crate).

use rightsdesk_domain::monitoring::{reference_number, CaseInput, CaseStatus, Sensitivity, Urgency};
use rightsdesk_domain::monitoring::{PersonIdentity, PersonProfile, PersonRole};
use rightsdesk_domain::monitoring::intervention::{InterventionInput, OPEN_STATUSES};
use rightsdesk_store::monitoring::fuzzy_from_columns;
use rightsdesk_store::CaseSort;

fn organisation_from_row(r: &DbRow) -> Result<Organisation, StoreError> {
    Ok(Organisation {
        id: r.try_get("id").map_err(store_err)?,
        name_en: r.try_get("name_en").map_err(store_err)?,
        name_km: r.try_get("name_km").map_err(store_err)?,
        kind: r.try_get("kind").map_err(store_err)?,
    })
}

fn evidence_from_row(r: &DbRow) -> Result<Evidence, StoreError> {
    Ok(Evidence {
        id: r.try_get("id").map_err(store_err)?,
        case_id: r.try_get("case_id").map_err(store_err)?,
        sha256: r.try_get("sha256").map_err(store_err)?,
        size_bytes: r.try_get("size_bytes").map_err(store_err)?,
        content_type: r.try_get("content_type").map_err(store_err)?,
        filename_enc: r.try_get("filename_enc").map_err(store_err)?,
        description: r.try_get("description").map_err(store_err)?,
        uploaded_by: r.try_get("uploaded_by").map_err(store_err)?,
        uploaded_at: r.try_get("uploaded_at").map_err(store_err)?,
    })
}

const SOURCE_COLUMNS: &str = "s.id, s.case_id, p.code AS person_code, s.received, s.method, s.reliability, s.validity, \
     s.consent, s.consent_withdrawn_on, s.information";

fn source_from_row(r: &DbRow) -> Result<Source, StoreError> {
    Ok(Source {
        id: r.try_get("id").map_err(store_err)?,
        case_id: r.try_get("case_id").map_err(store_err)?,
        person_code: r.try_get("person_code").map_err(store_err)?,
        received: r.try_get("received").map_err(store_err)?,
        method: r.try_get("method").map_err(store_err)?,
        reliability: r.try_get("reliability").map_err(store_err)?,
        validity: r.try_get("validity").map_err(store_err)?,
        consent: r.try_get("consent").map_err(store_err)?,
        consent_withdrawn_on: r.try_get("consent_withdrawn_on").map_err(store_err)?,
        information: r.try_get("information").map_err(store_err)?,
    })
}

const INTERVENTION_COLUMNS: &str = "i.id, i.case_id, i.organisation_id, o.name_en AS organisation_en, \
     o.name_km AS organisation_km, i.kind, i.sent_date, i.request, i.status, i.response_date, i.response, \
     i.next_follow_up, i.updated_at";

fn intervention_from_row(r: &DbRow) -> Result<Intervention, StoreError> {
    Ok(Intervention {
        id: r.try_get("id").map_err(store_err)?,
        case_id: r.try_get("case_id").map_err(store_err)?,
        organisation_id: r.try_get("organisation_id").map_err(store_err)?,
        organisation_en: r.try_get("organisation_en").map_err(store_err)?,
        organisation_km: r.try_get("organisation_km").map_err(store_err)?,
        kind: r.try_get("kind").map_err(store_err)?,
        date: r.try_get("sent_date").map_err(store_err)?,
        request: r.try_get("request").map_err(store_err)?,
        status: r.try_get("status").map_err(store_err)?,
        response_date: r.try_get("response_date").map_err(store_err)?,
        response: r.try_get("response").map_err(store_err)?,
        next_follow_up: r.try_get("next_follow_up").map_err(store_err)?,
        updated_at: r.try_get("updated_at").map_err(store_err)?,
    })
}

async fn intervention_in(conn: &mut Conn, id: i64) -> Result<Option<Intervention>, StoreError> {
    let sql = format!("SELECT {INTERVENTION_COLUMNS} FROM interventions i JOIN organisations o ON o.id = i.organisation_id WHERE i.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await.map_err(store_err)?;
    row.as_ref().map(intervention_from_row).transpose()
}

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

const CASE_COLUMNS: &str = "c.id, c.reference, c.office_id, o.code AS office_code, c.title, c.summary, c.status, \
     c.sensitivity, c.urgency, c.province_code, c.district_code, c.commune_code, c.location_text, c.start_date, \
     c.start_precision, c.end_date, c.end_precision, c.themes, c.created_by, c.created_at, c.updated_at";

/// The visibility rule of `domain::policy::CaseScope`, in SQL: parameters
/// `$1` (user id) and `$2` (office id of a head of office, or NULL).
///
/// The team test is a scalar subquery, not `EXISTS`: PostgreSQL turns an
/// `EXISTS` under `OR` into a hash of every case the user is assigned to,
/// built on each list (20 ms for an officer with 100,000 cases), where
/// this one probes the primary key only for the restricted cases it meets.
///
/// The office test comes before the team test: both backends try the terms
/// of an OR in order, and the office test needs no subquery.
const CASE_VISIBLE: &str = "(c.sensitivity = 'normal' \
     OR ($2 IS NOT NULL AND c.office_id = $2) \
     OR (SELECT 1 FROM case_assignments va WHERE va.case_id = c.id AND va.user_id = $1 LIMIT 1) IS NOT NULL)";

/// Cases whose people's names the user may see (the policy's `ViewIdentifying`):
/// the case's team and the head of its office. A duplicate warning must not
/// tell anyone else that a name appears in a case.
const CASE_NAMES_VISIBLE: &str = "(EXISTS (SELECT 1 FROM case_assignments na WHERE na.case_id = c.id AND na.user_id = $1) \
     OR ($2 IS NOT NULL AND c.office_id = $2))";

/// A value bound to a numbered parameter of a built statement.
enum Arg {
    Int(i64),
    Text(String),
}

/// The case list's WHERE clause for one filter: the visibility rule
/// (`$1`, `$2`), then only the filters that are set, numbered from `$3`.
/// Built per request rather than written `$n IS NULL OR ...`, so that the
/// planner sees the real conditions: an act-type filter becomes a semi-join
/// on the `acts_type` index instead of a test on every case.
fn case_where(f: &CaseFilter) -> (String, Vec<Arg>) {
    let mut clauses = vec![CASE_VISIBLE.to_string()];
    let mut args = vec![];
    // Adds an argument; its placeholder (`$3`, `$4`, ...).
    let mut p = |a: Arg| {
        args.push(a);
        format!("${}", args.len() + 2)
    };
    if let Some(o) = f.office_id {
        clauses.push(format!("c.office_id = {}", p(Arg::Int(o))));
    }
    if let Some(st) = f.status {
        clauses.push(format!("c.status = {}", p(Arg::Text(st.as_str().into()))));
    }
    if let Some(code) = &f.province_code {
        clauses.push(format!("c.province_code = {}", p(Arg::Text(code.clone()))));
    }
    if let Some(se) = f.sensitivity {
        clauses.push(format!("c.sensitivity = {}", p(Arg::Text(se.as_str().into()))));
    }
    if let Some(u) = f.urgency {
        clauses.push(format!("c.urgency = {}", p(Arg::Text(u.as_str().into()))));
    }
    if let Some(u) = f.assigned_to {
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM case_assignments fa WHERE fa.case_id = c.id AND fa.user_id = {})",
            p(Arg::Int(u))
        ));
    }
    if let Some(d) = &f.from {
        clauses.push(format!("c.start_sort >= {}", p(Arg::Text(d.clone()))));
    }
    if let Some(d) = &f.to {
        clauses.push(format!("c.start_sort <= {}", p(Arg::Text(d.clone()))));
    }
    if let Some(t) = &f.act_type {
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM acts ft WHERE ft.case_id = c.id AND ft.act_type = {})",
            p(Arg::Text(t.clone()))
        ));
    }
    if let Some(r) = &f.right {
        let (code, number) = (p(Arg::Text(r.instrument_code.clone())), p(Arg::Int(r.number)));
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM acts fr JOIN act_rights r ON r.act_id = fr.id \
             WHERE fr.case_id = c.id AND r.instrument_code = {code} AND r.article_number = {number})"
        ));
    }
    if let Some(t) = &f.perpetrator_type {
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM persons fp WHERE fp.case_id = c.id AND fp.role = 'perpetrator' \
             AND fp.perpetrator_type = {})",
            p(Arg::Text(t.clone()))
        ));
    }
    (clauses.join(" AND "), args)
}

/// Binds the scope (`$1`, `$2`) and then the filter's arguments in order.
fn bind_case_where<'q>(
    mut q: sqlx::query::Query<'q, Db, <Db as Database>::Arguments<'q>>,
    f: &CaseFilter,
    args: Vec<Arg>,
) -> sqlx::query::Query<'q, Db, <Db as Database>::Arguments<'q>> {
    q = q.bind(f.scope.user_id).bind(f.scope.head_of_office);
    for a in args {
        q = match a {
            Arg::Int(i) => q.bind(i),
            Arg::Text(t) => q.bind(t),
        };
    }
    q
}

fn case_from_row(r: &DbRow, assigned: Vec<i64>) -> Result<Case, StoreError> {
    let status: String = r.try_get("status").map_err(store_err)?;
    let sensitivity: String = r.try_get("sensitivity").map_err(store_err)?;
    let urgency: String = r.try_get("urgency").map_err(store_err)?;
    let themes: String = r.try_get("themes").map_err(store_err)?;
    Ok(Case {
        id: r.try_get("id").map_err(store_err)?,
        reference: r.try_get("reference").map_err(store_err)?,
        office_id: r.try_get("office_id").map_err(store_err)?,
        office_code: r.try_get("office_code").map_err(store_err)?,
        title: r.try_get("title").map_err(store_err)?,
        summary: r.try_get("summary").map_err(store_err)?,
        status: CaseStatus::parse(&status).ok_or_else(|| corrupt("cases.status"))?,
        sensitivity: Sensitivity::parse(&sensitivity).ok_or_else(|| corrupt("cases.sensitivity"))?,
        urgency: Urgency::parse(&urgency).ok_or_else(|| corrupt("cases.urgency"))?,
        province_code: r.try_get("province_code").map_err(store_err)?,
        district_code: r.try_get("district_code").map_err(store_err)?,
        commune_code: r.try_get("commune_code").map_err(store_err)?,
        location_text: r.try_get("location_text").map_err(store_err)?,
        start: fuzzy_from_columns(r.try_get("start_date").map_err(store_err)?, r.try_get("start_precision").map_err(store_err)?),
        end: fuzzy_from_columns(r.try_get("end_date").map_err(store_err)?, r.try_get("end_precision").map_err(store_err)?),
        themes: themes.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect(),
        assigned,
        created_by: r.try_get("created_by").map_err(store_err)?,
        created_at: r.try_get("created_at").map_err(store_err)?,
        updated_at: r.try_get("updated_at").map_err(store_err)?,
    })
}

fn summary_from_row(r: &DbRow) -> Result<CaseSummary, StoreError> {
    let status: String = r.try_get("status").map_err(store_err)?;
    let sensitivity: String = r.try_get("sensitivity").map_err(store_err)?;
    let urgency: String = r.try_get("urgency").map_err(store_err)?;
    Ok(CaseSummary {
        id: r.try_get("id").map_err(store_err)?,
        reference: r.try_get("reference").map_err(store_err)?,
        office_code: r.try_get("office_code").map_err(store_err)?,
        title: r.try_get("title").map_err(store_err)?,
        status: CaseStatus::parse(&status).ok_or_else(|| corrupt("cases.status"))?,
        sensitivity: Sensitivity::parse(&sensitivity).ok_or_else(|| corrupt("cases.sensitivity"))?,
        urgency: Urgency::parse(&urgency).ok_or_else(|| corrupt("cases.urgency"))?,
        province_code: r.try_get("province_code").map_err(store_err)?,
        start: fuzzy_from_columns(r.try_get("start_date").map_err(store_err)?, r.try_get("start_precision").map_err(store_err)?),
        updated_at: r.try_get("updated_at").map_err(store_err)?,
    })
}

fn themes_text(input: &CaseInput) -> String {
    input.themes.iter().map(|t| t.replace(',', " ")).collect::<Vec<_>>().join(",")
}

// The reads of one case and its records, each with `$1` the case id: the
// single reads and `case_file` (all of them in one round trip) share them.
fn case_sql() -> String {
    format!("SELECT {CASE_COLUMNS} FROM cases c JOIN offices o ON o.id = c.office_id WHERE c.id = $1")
}
const TEAM_SQL: &str = "SELECT user_id FROM case_assignments WHERE case_id = $1 ORDER BY user_id";
const HISTORY_SQL: &str = "SELECT h.from_status, h.to_status, h.reason, h.changed_by, COALESCE(u.name, '') AS changed_by_name, \
     h.changed_at FROM case_status_history h LEFT JOIN users u ON u.id = h.changed_by WHERE h.case_id = $1 ORDER BY h.id";
fn persons_sql() -> String {
    format!(
        "SELECT {PERSON_COLUMNS} FROM persons WHERE case_id = $1 \
         ORDER BY CASE role WHEN 'victim' THEN 1 WHEN 'witness' THEN 2 WHEN 'source' THEN 3 ELSE 4 END, id"
    )
}
const ACTS_SQL: &str = "SELECT id, case_id, act_type, act_date, date_precision, location_text, description, created_at \
     FROM acts WHERE case_id = $1 ORDER BY id";
const ACT_VICTIMS_SQL: &str = "SELECT v.act_id, p.code FROM act_victims v JOIN persons p ON p.id = v.person_id \
     JOIN acts a ON a.id = v.act_id WHERE a.case_id = $1 ORDER BY p.code";
const ACT_PERPETRATORS_SQL: &str = "SELECT x.act_id, p.code, x.involvement FROM act_perpetrators x \
     JOIN persons p ON p.id = x.person_id JOIN acts a ON a.id = x.act_id WHERE a.case_id = $1 ORDER BY p.code";
const ACT_RIGHTS_SQL: &str = "SELECT r.act_id, r.instrument_code, r.article_number FROM act_rights r \
     JOIN acts a ON a.id = r.act_id WHERE a.case_id = $1 ORDER BY r.instrument_code, r.article_number";
const ACT_TERMS_SQL: &str = "SELECT x.act_id, x.vocabulary_code, x.term_code, t.label_en, t.label_km FROM act_terms x \
     JOIN vocabulary_terms t ON t.vocabulary_code = x.vocabulary_code AND t.code = x.term_code \
     JOIN acts a ON a.id = x.act_id WHERE a.case_id = $1 ORDER BY x.vocabulary_code, x.term_code";
fn interventions_sql() -> String {
    format!(
        "SELECT {INTERVENTION_COLUMNS} FROM interventions i JOIN organisations o ON o.id = i.organisation_id \
         WHERE i.case_id = $1 ORDER BY i.id"
    )
}
fn sources_sql() -> String {
    format!("SELECT {SOURCE_COLUMNS} FROM sources s LEFT JOIN persons p ON p.id = s.person_id WHERE s.case_id = $1 ORDER BY s.id")
}
const EVIDENCE_SQL: &str = "SELECT id, case_id, sha256, size_bytes, content_type, filename_enc, description, uploaded_by, \
     uploaded_at FROM evidence WHERE case_id = $1 ORDER BY id";

fn team_from_rows(rows: &[DbRow]) -> Result<Vec<i64>, StoreError> {
    rows.iter().map(|r| r.try_get("user_id").map_err(store_err)).collect()
}

fn history_from_row(r: &DbRow) -> Result<StatusChange, StoreError> {
    let from: Option<String> = r.try_get("from_status").map_err(store_err)?;
    let to: String = r.try_get("to_status").map_err(store_err)?;
    Ok(StatusChange {
        from_status: from.as_deref().and_then(CaseStatus::parse),
        to_status: CaseStatus::parse(&to).ok_or_else(|| corrupt("case_status_history.to_status"))?,
        reason: r.try_get("reason").map_err(store_err)?,
        changed_by: r.try_get("changed_by").map_err(store_err)?,
        changed_by_name: r.try_get("changed_by_name").map_err(store_err)?,
        changed_at: r.try_get("changed_at").map_err(store_err)?,
    })
}

/// Acts with their victims, perpetrators, rights and terms (the rows of
/// `ACTS_SQL` and the four that follow it).
fn acts_from_rows(
    rows: &[DbRow],
    victims: &[DbRow],
    perpetrators: &[DbRow],
    rights: &[DbRow],
    terms: &[DbRow],
) -> Result<Vec<Act>, StoreError> {
    let mut acts = vec![];
    for r in rows {
        let id: i64 = r.try_get("id").map_err(store_err)?;
        let mut act = Act {
            id,
            case_id: r.try_get("case_id").map_err(store_err)?,
            act_type: r.try_get("act_type").map_err(store_err)?,
            date: fuzzy_from_columns(r.try_get("act_date").map_err(store_err)?, r.try_get("date_precision").map_err(store_err)?),
            location_text: r.try_get("location_text").map_err(store_err)?,
            description: r.try_get("description").map_err(store_err)?,
            victims: vec![],
            perpetrators: vec![],
            rights: vec![],
            terms: vec![],
            created_at: r.try_get("created_at").map_err(store_err)?,
        };
        for t in terms {
            if t.try_get::<i64, _>("act_id").map_err(store_err)? == id {
                act.terms.push(ActTerm {
                    vocabulary: t.try_get("vocabulary_code").map_err(store_err)?,
                    code: t.try_get("term_code").map_err(store_err)?,
                    label_en: t.try_get("label_en").map_err(store_err)?,
                    label_km: t.try_get("label_km").map_err(store_err)?,
                });
            }
        }
        for v in victims {
            if v.try_get::<i64, _>("act_id").map_err(store_err)? == id {
                act.victims.push(v.try_get("code").map_err(store_err)?);
            }
        }
        for p in perpetrators {
            if p.try_get::<i64, _>("act_id").map_err(store_err)? == id {
                act.perpetrators.push((p.try_get("code").map_err(store_err)?, p.try_get("involvement").map_err(store_err)?));
            }
        }
        for x in rights {
            if x.try_get::<i64, _>("act_id").map_err(store_err)? == id {
                act.rights.push(rightsdesk_domain::monitoring::ArticleRef {
                    instrument_code: x.try_get("instrument_code").map_err(store_err)?,
                    number: x.try_get("article_number").map_err(store_err)?,
                });
            }
        }
        acts.push(act);
    }
    Ok(acts)
}

async fn case_in(conn: &mut Conn, id: i64) -> Result<Option<Case>, StoreError> {
    let s = read_sections(conn, &[case_sql(), TEAM_SQL.into()], id).await?;
    match s[0].first() {
        Some(row) => case_from_row(row, team_from_rows(&s[1])?).map(Some),
        None => Ok(None),
    }
}

/// A row of `cases`.
struct CaseRow<'a> {
    id: i64,
    reference: String,
    office_id: i64,
    input: &'a CaseInput,
    status: CaseStatus,
    themes: String,
    created_by: i64,
    at: i64,
}

impl TableRow for CaseRow<'_> {
    const INSERT: &'static str = "INSERT INTO cases (id, reference, office_id, title, summary, status, sensitivity, \
         province_code, district_code, commune_code, location_text, start_date, start_precision, start_sort, end_date, \
         end_precision, themes, created_by, created_at, updated_at, urgency) ";
    fn push<'a>(&'a self, q: &mut sqlx::query_builder::Separated<'_, 'a, Db, &'static str>) {
        let i = self.input;
        q.push_bind(self.id)
            .push_bind(&self.reference)
            .push_bind(self.office_id)
            .push_bind(&i.title)
            .push_bind(&i.summary)
            .push_bind(self.status.as_str())
            .push_bind(i.sensitivity.as_str())
            .push_bind(&i.province_code)
            .push_bind(&i.district_code)
            .push_bind(&i.commune_code)
            .push_bind(&i.location_text)
            .push_bind(i.start.as_ref().map(|d| d.value.as_str()))
            .push_bind(rightsdesk_store::monitoring::precision_str_pub(&i.start))
            .push_bind(i.start.as_ref().map(|d| d.sort_key()))
            .push_bind(i.end.as_ref().map(|d| d.value.as_str()))
            .push_bind(rightsdesk_store::monitoring::precision_str_pub(&i.end))
            .push_bind(&self.themes)
            .push_bind(self.created_by)
            .push_bind(self.at)
            .push_bind(self.at)
            .push_bind(i.urgency.as_str());
    }
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

/// A row of `acts` (its people, rights and terms are rows of their own).
struct ActRow<'a> {
    id: i64,
    case_id: i64,
    input: &'a rightsdesk_domain::monitoring::ActInput,
    created_by: i64,
    at: i64,
}

impl TableRow for ActRow<'_> {
    const INSERT: &'static str = "INSERT INTO acts (id, case_id, act_type, act_date, date_precision, location_text, \
         description, created_by, created_at) ";
    fn push<'a>(&'a self, q: &mut sqlx::query_builder::Separated<'_, 'a, Db, &'static str>) {
        let a = self.input;
        q.push_bind(self.id)
            .push_bind(self.case_id)
            .push_bind(&a.act_type)
            .push_bind(a.date.as_ref().map(|d| d.value.as_str()))
            .push_bind(rightsdesk_store::monitoring::precision_str_pub(&a.date))
            .push_bind(&a.location_text)
            .push_bind(&a.description)
            .push_bind(self.created_by)
            .push_bind(self.at);
    }
}

/// A row of `interventions`.
struct InterventionRow<'a> {
    id: i64,
    case_id: i64,
    input: &'a InterventionInput,
    created_by: i64,
    at: i64,
}

impl TableRow for InterventionRow<'_> {
    const INSERT: &'static str = "INSERT INTO interventions (id, case_id, organisation_id, kind, sent_date, request, \
         status, response_date, response, next_follow_up, created_by, created_at, updated_at) ";
    fn push<'a>(&'a self, q: &mut sqlx::query_builder::Separated<'_, 'a, Db, &'static str>) {
        let i = self.input;
        q.push_bind(self.id)
            .push_bind(self.case_id)
            .push_bind(i.organisation_id)
            .push_bind(&i.kind)
            .push_bind(&i.date)
            .push_bind(&i.request)
            .push_bind(&i.status)
            .push_bind(&i.response_date)
            .push_bind(&i.response)
            .push_bind(&i.next_follow_up)
            .push_bind(self.created_by)
            .push_bind(self.at)
            .push_bind(self.at);
    }
}

async fn insert_case_in(tx: &mut Write, new: &NewCase, audit: &AuditEntry) -> Result<i64, StoreError> {
    let i = &new.input;
    let office: String = sqlx::query("SELECT code FROM offices WHERE id = $1")
        .bind(new.office_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(store_err)?
        .ok_or_else(|| StoreError::Constraint("cases.office_id".into()))?
        .try_get("code")
        .map_err(store_err)?;
    let number: i64 = sqlx::query(
        "INSERT INTO case_numbers (office_id, year, last_number) VALUES ($1, $2, 1) \
         ON CONFLICT (office_id, year) DO UPDATE SET last_number = case_numbers.last_number + 1 RETURNING last_number",
    )
    .bind(new.office_id)
    .bind(new.year as i64)
    .fetch_one(&mut **tx)
    .await
    .map_err(store_err)?
    .try_get("last_number")
    .map_err(store_err)?;
    let reference = reference_number(&office, new.year, number);
    let now = now_micros();
    let id = reserve_id(&mut **tx, "cases").await?;
    let row = CaseRow {
        id,
        reference: reference.clone(),
        office_id: new.office_id,
        input: i,
        status: CaseStatus::Received,
        themes: themes_text(i),
        created_by: new.created_by,
        at: now,
    };
    insert_table_rows(&mut **tx, std::slice::from_ref(&row)).await?;
    for user in &new.assigned {
        sqlx::query("INSERT INTO case_assignments (case_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(user)
            .execute(&mut **tx)
            .await
            .map_err(store_err)?;
    }
    sqlx::query(
        "INSERT INTO case_status_history (case_id, from_status, to_status, reason, changed_by, changed_at) \
         VALUES ($1, NULL, $2, '', $3, $4)",
    )
    .bind(id)
    .bind(CaseStatus::Received.as_str())
    .bind(new.created_by)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(store_err)?;
    // The audit log is read by administrators who may not see a restricted
    // case: its summary says no more than that it exists.
    let entry = audit.clone().record("case", id).summary(match i.sensitivity {
        Sensitivity::Restricted => format!("opened {reference} (restricted)"),
        Sensitivity::Normal => format!("opened {reference} (normal, {})", i.province_code.as_deref().unwrap_or("no province")),
    });
    tx.audit(entry);
    tx.changed("cases", &id.to_string(), "insert");
    Ok(id)
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

/// Inserts an act with its victims, perpetrators (people of the same case
/// in the right role, else `Constraint`) and articles. No audit.
async fn insert_act_in(tx: &mut Conn, new: &NewAct) -> Result<i64, StoreError> {
    let i = &new.input;
        let id = reserve_id(&mut *tx, "acts").await?;
        let row = ActRow { id, case_id: new.case_id, input: i, created_by: new.created_by, at: now_micros() };
        insert_table_rows(&mut *tx, std::slice::from_ref(&row)).await?;
        // People are linked only if they belong to this case and fit the role.
        for (people, table, role) in [(&new.victims, "act_victims", "victim"), (&new.perpetrators, "act_perpetrators", "perpetrator")] {
            for person in people {
                let sql = if table == "act_victims" {
                    "INSERT INTO act_victims (act_id, person_id) SELECT $1, id FROM persons WHERE id = $2 AND case_id = $3 AND role = $4".to_string()
                } else {
                    "INSERT INTO act_perpetrators (act_id, person_id, involvement) SELECT $1, id, $5 FROM persons \
                     WHERE id = $2 AND case_id = $3 AND role = $4"
                        .to_string()
                };
                let mut q = sqlx::query(&sql).bind(id).bind(person).bind(new.case_id).bind(role);
                if table == "act_perpetrators" {
                    q = q.bind(&i.involvement);
                }
                let done = q.execute(&mut *tx).await.map_err(store_err)?;
                if done.rows_affected() != 1 {
                    return Err(StoreError::Constraint(format!("{table}.person_id")));
                }
            }
        }
        for (vocabulary, term) in &i.extra_terms {
            // Checked here, not left to the foreign key: SQLite does not say
            // which key failed, and the caller must tell this from an article.
            let known = sqlx::query("SELECT 1 AS x FROM vocabulary_terms WHERE vocabulary_code = $1 AND code = $2 AND visible")
                .bind(vocabulary)
                .bind(term)
                .fetch_optional(&mut *tx)
                .await
                .map_err(store_err)?;
            if known.is_none() {
                return Err(StoreError::Constraint("act_terms.term_code".into()));
            }
            sqlx::query("INSERT INTO act_terms (act_id, vocabulary_code, term_code) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(vocabulary)
                .bind(term)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
        }
        for r in &i.rights {
            sqlx::query("INSERT INTO act_rights (act_id, instrument_code, article_number) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(&r.instrument_code)
                .bind(r.number)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
        }
    Ok(id)
}

/// Moves a case from `from` to `to` if it is still at `from`, with its
/// history row; false when it was not. No audit.
async fn transition_in(
    tx: &mut Conn,
    id: i64,
    from: CaseStatus,
    to: CaseStatus,
    reason: &str,
    by: i64,
    now: i64,
) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE cases SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(to.as_str())
            .bind(now)
            .bind(id)
            .bind(from.as_str())
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO case_status_history (case_id, from_status, to_status, reason, changed_by, changed_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(reason)
        .bind(by)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
    Ok(true)
}

/// Inserts an intervention (the organisation must exist). No audit.
async fn insert_intervention_in(
    tx: &mut Conn,
    case_id: i64,
    i: &InterventionInput,
    by: i64,
    now: i64,
) -> Result<i64, StoreError> {
        let id = reserve_id(&mut *tx, "interventions").await?;
        insert_table_rows(&mut *tx, &[InterventionRow { id, case_id, input: i, created_by: by, at: now }]).await?;
    Ok(id)
}

/// Writes whole cases (people, acts, status walk, interventions, two audit
/// events each) in one transaction with a few multi-row statements per table
/// instead of ~27 statements per case: the same rows the forms would write,
/// checked the same way before anything is written.
async fn insert_bundles_in(
    tx: &mut Write,
    bundles: &[CaseBundle],
    keys: &rightsdesk_crypto::Keyring,
    audit: &AuditEntry,
) -> Result<Vec<i64>, StoreError> {
    use std::collections::{BTreeMap, BTreeSet};
    if bundles.is_empty() {
        return Ok(vec![]);
    }
    // Check everything that does not need the database first.
    let mut terms = BTreeSet::new();
    for b in bundles {
        let mut at = CaseStatus::Received;
        for to in &b.status_path {
            at.can_move_to(*to, "").map_err(|_| StoreError::Constraint("case_bundle.status_path".into()))?;
            at = *to;
        }
        for act in &b.acts {
            for (people, role, table) in
                [(&act.victims, PersonRole::Victim, "act_victims"), (&act.perpetrators, PersonRole::Perpetrator, "act_perpetrators")]
            {
                for i in people.iter() {
                    let person = b.persons.get(*i).ok_or_else(|| StoreError::Constraint("case_bundle.person".into()))?;
                    if person.0.role != role {
                        return Err(StoreError::Constraint(format!("{table}.person_id")));
                    }
                }
            }
            terms.extend(act.input.extra_terms.iter().cloned());
        }
    }
    for (vocabulary, term) in &terms {
        let known = sqlx::query("SELECT 1 AS x FROM vocabulary_terms WHERE vocabulary_code = $1 AND code = $2 AND visible")
            .bind(vocabulary)
            .bind(term)
            .fetch_optional(&mut **tx)
            .await
            .map_err(store_err)?;
        if known.is_none() {
            return Err(StoreError::Constraint("act_terms.term_code".into()));
        }
    }
    let offices: BTreeMap<i64, String> = sqlx::query("SELECT id, code FROM offices")
        .fetch_all(&mut **tx)
        .await
        .map_err(store_err)?
        .iter()
        .map(|r| Ok((r.try_get("id").map_err(store_err)?, r.try_get("code").map_err(store_err)?)))
        .collect::<Result<_, StoreError>>()?;
    // Reference numbers: one counter update per office and year.
    let mut per_year: BTreeMap<(i64, i32), i64> = BTreeMap::new();
    for b in bundles {
        if !offices.contains_key(&b.case.office_id) {
            return Err(StoreError::Constraint("cases.office_id".into()));
        }
        *per_year.entry((b.case.office_id, b.case.year)).or_default() += 1;
    }
    let mut next_number = BTreeMap::new();
    for ((office, year), count) in &per_year {
        let last: i64 = sqlx::query_scalar(
            "INSERT INTO case_numbers (office_id, year, last_number) VALUES ($1, $2, $3) \
             ON CONFLICT (office_id, year) DO UPDATE SET last_number = case_numbers.last_number + $3 RETURNING last_number",
        )
        .bind(office)
        .bind(*year as i64)
        .bind(count)
        .fetch_one(&mut **tx)
        .await
        .map_err(store_err)?;
        next_number.insert((*office, *year), last - count + 1);
    }
    let case_ids = reserve_ids(&mut **tx, "cases", bundles.len()).await.map_err(store_err)?;
    let person_ids = reserve_ids(&mut **tx, "persons", bundles.iter().map(|b| b.persons.len()).sum()).await.map_err(store_err)?;
    let act_ids = reserve_ids(&mut **tx, "acts", bundles.iter().map(|b| b.acts.len()).sum()).await.map_err(store_err)?;
    let now = now_micros();

    let mut cases = Vec::with_capacity(bundles.len());
    let mut team = vec![];
    let mut history = vec![];
    let mut persons = vec![];
    let mut person_numbers = vec![];
    let mut acts = vec![];
    let mut victims = vec![];
    let mut perpetrators = vec![];
    let mut act_terms = vec![];
    let mut act_rights = vec![];
    let mut interventions = vec![];
    let intervention_ids =
        reserve_ids(&mut **tx, "interventions", bundles.iter().map(|b| b.interventions.len()).sum()).await.map_err(store_err)?;
    let (mut next_person, mut next_act) = (person_ids.into_iter(), act_ids.into_iter());
    let mut next_intervention = intervention_ids.into_iter();
    for (b, id) in bundles.iter().zip(case_ids.iter().copied()) {
        let number = next_number.get_mut(&(b.case.office_id, b.case.year)).ok_or(StoreError::NotFound)?;
        let reference = reference_number(&offices[&b.case.office_id], b.case.year, *number);
        *number += 1;
        let i = &b.case.input;
        for user in b.case.assigned.iter().collect::<BTreeSet<_>>() {
            team.push((id, *user));
        }
        history.push((id, None, CaseStatus::Received, b.case.created_by));
        let mut at = CaseStatus::Received;
        for to in &b.status_path {
            history.push((id, Some(at), *to, b.case.created_by));
            at = *to;
        }
        // People: codes V1, W1, ... by role, sealed under their own ids.
        let mut counters: std::collections::HashMap<PersonRole, i64> = std::collections::HashMap::new();
        let mut people = Vec::with_capacity(b.persons.len());
        for (profile, identity) in &b.persons {
            let person_id = next_person.next().ok_or(StoreError::NotFound)?;
            let n = counters.entry(profile.role).or_default();
            *n += 1;
            let code = format!("{}{n}", profile.role.code_letter());
            persons.push(PersonRow::new(keys, person_id, id, code, profile, identity));
            people.push(person_id);
        }
        for (role, last) in counters {
            person_numbers.push((id, role, last));
        }
        for act in &b.acts {
            let act_id = next_act.next().ok_or(StoreError::NotFound)?;
            acts.push(ActRow { id: act_id, case_id: id, input: &act.input, created_by: b.case.created_by, at: now });
            victims.extend(act.victims.iter().map(|v| (act_id, people[*v])));
            perpetrators.extend(act.perpetrators.iter().map(|p| (act_id, people[*p], &act.input.involvement)));
            act_terms.extend(act.input.extra_terms.iter().collect::<BTreeSet<_>>().into_iter().map(|(v, t)| (act_id, v, t)));
            act_rights.extend(act.input.rights.iter().map(|r| (act_id, &r.instrument_code, r.number)));
        }
        for iv in &b.interventions {
            let intervention_id = next_intervention.next().ok_or(StoreError::NotFound)?;
            interventions.push(InterventionRow { id: intervention_id, case_id: id, input: iv, created_by: b.case.created_by, at: now });
        }
        // The audit log is read by administrators who may not see a restricted
        // case: its summary says no more than that it exists.
        let opened = audit.clone().record("case", id).summary(match i.sensitivity {
            Sensitivity::Restricted => format!("opened {reference} (restricted)"),
            Sensitivity::Normal => format!("opened {reference} (normal, {})", i.province_code.as_deref().unwrap_or("no province")),
        });
        tx.audit(opened);
        let rest = audit.clone().record("case", id).summary(format!(
            "with {} people, {} acts, {} status changes, {} interventions (bulk, author user {})",
            b.persons.len(),
            b.acts.len(),
            b.status_path.len(),
            b.interventions.len(),
            b.case.created_by
        ));
        tx.audit(rest);
        tx.changed("cases", id, "insert");
        cases.push(CaseRow {
            id,
            reference,
            office_id: b.case.office_id,
            input: i,
            status: at,
            themes: themes_text(i),
            created_by: b.case.created_by,
            at: now,
        });
    }

    insert_table_rows(&mut **tx, &cases).await?;
    insert_rows(&mut **tx, "INSERT INTO case_assignments (case_id, user_id) ", 2, &team, |mut q, (case, user)| {
        q.push_bind(*case).push_bind(*user);
    })
    .await?;
    insert_rows(
        &mut **tx,
        "INSERT INTO case_status_history (case_id, from_status, to_status, reason, changed_by, changed_at) ",
        6,
        &history,
        |mut q, (case, from, to, by)| {
            q.push_bind(*case).push_bind(from.map(|f| f.as_str())).push_bind(to.as_str()).push_bind("").push_bind(*by).push_bind(now);
        },
    )
    .await?;
    insert_table_rows(&mut **tx, &persons).await?;
    insert_rows(
        &mut **tx,
        "INSERT INTO case_person_numbers (case_id, role, last_number) ",
        3,
        &person_numbers,
        |mut q, (case, role, last)| {
            q.push_bind(*case).push_bind(role.as_str()).push_bind(*last);
        },
    )
    .await?;
    insert_table_rows(&mut **tx, &acts).await?;
    insert_rows(&mut **tx, "INSERT INTO act_victims (act_id, person_id) ", 2, &victims, |mut q, (act, person)| {
        q.push_bind(*act).push_bind(*person);
    })
    .await?;
    insert_rows(
        &mut **tx,
        "INSERT INTO act_perpetrators (act_id, person_id, involvement) ",
        3,
        &perpetrators,
        |mut q, (act, person, involvement)| {
            q.push_bind(*act).push_bind(*person).push_bind(*involvement);
        },
    )
    .await?;
    insert_rows(&mut **tx, "INSERT INTO act_terms (act_id, vocabulary_code, term_code) ", 3, &act_terms, |mut q, (act, v, t)| {
        q.push_bind(*act).push_bind(*v).push_bind(*t);
    })
    .await?;
    insert_rows(
        &mut **tx,
        "INSERT INTO act_rights (act_id, instrument_code, article_number) ",
        3,
        &act_rights,
        |mut q, (act, code, number)| {
            q.push_bind(*act).push_bind(*code).push_bind(*number);
        },
    )
    .await?;
    insert_table_rows(&mut **tx, &interventions).await?;
    Ok(case_ids)
}

#[async_trait::async_trait]
impl MonitoringStore for SqlStore {
    async fn create_case(&self, new: &NewCase, audit: &AuditEntry) -> StoreResult<Case> {
        let mut tx = self.write().await?;
        let id = insert_case_in(&mut tx, new, audit).await?;
        let case = case_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(case)
    }

    async fn import_cases(&self, cases: &[NewCase], audit: &AuditEntry) -> StoreResult<Vec<String>> {
        // One transaction: every row or none.
        let mut tx = self.write().await?;
        let mut refs = Vec::with_capacity(cases.len());
        for new in cases {
            let id = insert_case_in(&mut tx, new, audit).await?;
            let reference: String = sqlx::query("SELECT reference FROM cases WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(store_err)?
                .try_get("reference")
                .map_err(store_err)?;
            refs.push(reference);
        }
        tx.commit().await?;
        Ok(refs)
    }

    async fn insert_case_bundles(
        &self,
        bundles: &[CaseBundle],
        keys: &rightsdesk_crypto::Keyring,
        audit: &AuditEntry,
    ) -> StoreResult<Vec<i64>> {
        let mut tx = self.write().await?;
        let ids = insert_bundles_in(&mut tx, bundles, keys, audit).await?;
        tx.commit().await?;
        Ok(ids)
    }

    async fn case(&self, id: i64) -> StoreResult<Option<Case>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        case_in(&mut conn, id).await
    }

    async fn case_by_reference(&self, reference: &str) -> StoreResult<Option<Case>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE reference = $1")
            .bind(reference)
            .fetch_optional(&mut *conn)
            .await
            .map_err(store_err)?;
        match id {
            Some(id) => case_in(&mut conn, id).await,
            None => Ok(None),
        }
    }

    async fn update_case(&self, id: i64, i: &CaseInput, audit: &AuditEntry) -> StoreResult<Case> {
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE cases SET title = $1, summary = $2, sensitivity = $3, province_code = $4, district_code = $5, \
             commune_code = $6, location_text = $7, start_date = $8, start_precision = $9, start_sort = $10, \
             end_date = $11, end_precision = $12, themes = $13, updated_at = $14, urgency = $16 WHERE id = $15",
        )
        .bind(&i.title)
        .bind(&i.summary)
        .bind(i.sensitivity.as_str())
        .bind(&i.province_code)
        .bind(&i.district_code)
        .bind(&i.commune_code)
        .bind(&i.location_text)
        .bind(i.start.as_ref().map(|d| d.value.clone()))
        .bind(rightsdesk_store::monitoring::precision_str_pub(&i.start))
        .bind(i.start.as_ref().map(|d| d.sort_key()))
        .bind(i.end.as_ref().map(|d| d.value.clone()))
        .bind(rightsdesk_store::monitoring::precision_str_pub(&i.end))
        .bind(themes_text(i))
        .bind(now_micros())
        .bind(id)
        .bind(i.urgency.as_str())
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        one_row(done.rows_affected())?;
        tx.audit(audit.clone().record("case", id));
        tx.changed("cases", &id.to_string(), "update");
        let case = case_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(case)
    }

    async fn transition_case(
        &self,
        id: i64,
        from: CaseStatus,
        to: CaseStatus,
        reason: &str,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<bool> {
        let mut tx = self.write().await?;
        let now = now_micros();
        if !transition_in(&mut tx, id, from, to, reason, by, now).await? {
            return Ok(false);
        }
        let entry = audit.clone().record("case", id).summary(format!("{} -> {}", from.as_str(), to.as_str()));
        tx.audit(entry);
        tx.changed("cases", &id.to_string(), "update");
        tx.commit().await?;
        Ok(true)
    }

    async fn set_case_team(&self, id: i64, user_ids: &[i64], audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM case_assignments WHERE case_id = $1").bind(id).execute(&mut *tx).await.map_err(store_err)?;
        for user in user_ids {
            sqlx::query("INSERT INTO case_assignments (case_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(user)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
        }
        let ids: Vec<String> = user_ids.iter().map(|u| u.to_string()).collect();
        tx.audit(audit.clone().record("case", id).summary(format!("team: users {}", ids.join(","))));
        tx.changed("cases", &id.to_string(), "update");
        tx.commit().await.map(drop)
    }

    async fn case_history(&self, id: i64) -> StoreResult<Vec<StatusChange>> {
        let rows = sqlx::query(HISTORY_SQL).bind(id).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(history_from_row).collect()
    }

    async fn case_records(&self, case_id: i64) -> StoreResult<CaseRecords> {
        let statements = [
            HISTORY_SQL.into(),
            persons_sql(),
            ACTS_SQL.into(),
            ACT_VICTIMS_SQL.into(),
            ACT_PERPETRATORS_SQL.into(),
            ACT_RIGHTS_SQL.into(),
            ACT_TERMS_SQL.into(),
            interventions_sql(),
            sources_sql(),
            EVIDENCE_SQL.into(),
        ];
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let s = read_sections(&mut conn, &statements, case_id).await?;
        Ok(CaseRecords {
            history: s[0].iter().map(history_from_row).collect::<Result<_, _>>()?,
            persons: s[1].iter().map(person_from_row).collect::<Result<_, _>>()?,
            acts: acts_from_rows(&s[2], &s[3], &s[4], &s[5], &s[6])?,
            interventions: s[7].iter().map(intervention_from_row).collect::<Result<_, _>>()?,
            sources: s[8].iter().map(source_from_row).collect::<Result<_, _>>()?,
            evidence: s[9].iter().map(evidence_from_row).collect::<Result<_, _>>()?,
        })
    }

    async fn list_cases(&self, f: &CaseFilter) -> StoreResult<Vec<CaseSummary>> {
        let (filters, args) = case_where(f);
        // Parameters after the filters': the cursor (id, or key then id),
        // then the limit. Each order has an index to walk from the top
        // (cases_updated, cases_incident).
        let n = args.len() + 3;
        let (after, order) = match f.sort {
            CaseSort::Newest => (format!("c.id < ${n}"), "c.id DESC"),
            CaseSort::Oldest => (format!("c.id > ${n}"), "c.id ASC"),
            CaseSort::Updated => (
                format!("(c.updated_at < ${n} OR (c.updated_at = ${n} AND c.id < ${}))", n + 1),
                "c.updated_at DESC, c.id DESC",
            ),
            CaseSort::Incident => (
                format!(
                    "(COALESCE(c.start_sort, '') < ${n} OR (COALESCE(c.start_sort, '') = ${n} AND c.id < ${}))",
                    n + 1
                ),
                "COALESCE(c.start_sort, '') DESC, c.id DESC",
            ),
        };
        let (after, limit) = match (&f.after, f.sort) {
            (None, _) => ("1 = 1".to_string(), n),
            (Some(_), CaseSort::Newest | CaseSort::Oldest) => (after, n + 1),
            (Some(_), _) => (after, n + 2),
        };
        let sql = format!(
            "SELECT c.id, c.reference, o.code AS office_code, c.title, c.status, c.sensitivity, c.urgency, c.province_code, \
             c.start_date, c.start_precision, c.updated_at FROM cases c JOIN offices o ON o.id = c.office_id \
             WHERE {filters} AND {after} ORDER BY {order} LIMIT ${limit}"
        );
        let q = bind_case_where(sqlx::query(&sql), f, args);
        let q = match (&f.after, f.sort) {
            (None, _) => q,
            (Some(c), CaseSort::Updated) => {
                q.bind(c.key.parse::<i64>().map_err(|_| StoreError::Constraint("cursor".into()))?).bind(c.id)
            }
            (Some(c), CaseSort::Incident) => q.bind(c.key.clone()).bind(c.id),
            (Some(c), _) => q.bind(c.id),
        };
        let rows = q.bind(f.limit.clamp(1, 500)).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(summary_from_row).collect()
    }

    async fn count_cases(&self, f: &CaseFilter) -> StoreResult<i64> {
        let (filters, args) = case_where(f);
        let sql = match f.count_cap {
            None => format!("SELECT COUNT(*) AS n FROM cases c WHERE {filters}"),
            Some(_) => format!(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM cases c WHERE {filters} LIMIT ${}) capped",
                args.len() + 3
            ),
        };
        let mut q = bind_case_where(sqlx::query(&sql), f, args);
        if let Some(cap) = f.count_cap {
            q = q.bind(cap.max(0) + 1);
        }
        q.fetch_one(&self.reader).await.map_err(store_err)?.try_get("n").map_err(store_err)
    }

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
        tx.changed("cases", &case_id.to_string(), "update");
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

    async fn add_act(&self, new: &NewAct, audit: &AuditEntry) -> StoreResult<Act> {
        let i = &new.input;
        let mut tx = self.write().await?;
        let id = insert_act_in(&mut tx, new).await?;
        sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2").bind(now_micros()).bind(new.case_id).execute(&mut *tx).await.map_err(store_err)?;
        let entry = audit.clone().record("case", new.case_id).summary(format!("act {id} added ({})", i.act_type));
        tx.audit(entry);
        tx.changed("cases", &new.case_id.to_string(), "update");
        tx.commit().await?;
        self.acts(new.case_id).await?.into_iter().find(|a| a.id == id).ok_or(StoreError::NotFound)
    }

    async fn acts(&self, case_id: i64) -> StoreResult<Vec<Act>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let statements =
            [ACTS_SQL, ACT_VICTIMS_SQL, ACT_PERPETRATORS_SQL, ACT_RIGHTS_SQL, ACT_TERMS_SQL].map(String::from);
        let s = read_sections(&mut conn, &statements, case_id).await?;
        acts_from_rows(&s[0], &s[1], &s[2], &s[3], &s[4])
    }

    async fn create_organisation(&self, new: &NewOrganisation, audit: &AuditEntry) -> StoreResult<Organisation> {
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query("INSERT INTO organisations (name_en, name_km, kind, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(&new.name_en)
            .bind(&new.name_km)
            .bind(&new.kind)
            .bind(now_micros())
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?
            .try_get("id")
            .map_err(store_err)?;
        tx.audit(audit.clone().record("organisation", id).summary(new.kind.clone()));
        tx.changed("organisations", &id.to_string(), "insert");
        tx.commit().await?;
        Ok(Organisation { id, name_en: new.name_en.clone(), name_km: new.name_km.clone(), kind: new.kind.clone() })
    }

    async fn organisations(&self) -> StoreResult<Vec<Organisation>> {
        let rows = sqlx::query("SELECT id, name_en, name_km, kind FROM organisations ORDER BY name_en")
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter().map(organisation_from_row).collect()
    }

    async fn add_intervention(&self, case_id: i64, i: &InterventionInput, by: i64, audit: &AuditEntry) -> StoreResult<Intervention> {
        let mut tx = self.write().await?;
        let now = now_micros();
        let id = insert_intervention_in(&mut tx, case_id, i, by, now).await?;
        sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2").bind(now).bind(case_id).execute(&mut *tx).await.map_err(store_err)?;
        let entry = audit.clone().record("case", case_id).summary(format!("intervention {id} added ({}, {})", i.kind, i.status));
        tx.audit(entry);
        tx.changed("cases", &case_id.to_string(), "update");
        let out = intervention_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn update_intervention(&self, id: i64, i: &InterventionInput, audit: &AuditEntry) -> StoreResult<Intervention> {
        let mut tx = self.write().await?;
        let now = now_micros();
        let row = sqlx::query(
            "UPDATE interventions SET organisation_id = $1, kind = $2, sent_date = $3, request = $4, status = $5, \
             response_date = $6, response = $7, next_follow_up = $8, updated_at = $9 WHERE id = $10 RETURNING case_id",
        )
        .bind(i.organisation_id)
        .bind(&i.kind)
        .bind(&i.date)
        .bind(&i.request)
        .bind(&i.status)
        .bind(&i.response_date)
        .bind(&i.response)
        .bind(&i.next_follow_up)
        .bind(now)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(store_err)?
        .ok_or(StoreError::NotFound)?;
        let case_id: i64 = row.try_get("case_id").map_err(store_err)?;
        sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2").bind(now).bind(case_id).execute(&mut *tx).await.map_err(store_err)?;
        let entry = audit.clone().record("case", case_id).summary(format!("intervention {id} updated ({})", i.status));
        tx.audit(entry);
        tx.changed("cases", &case_id.to_string(), "update");
        let out = intervention_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn intervention(&self, id: i64) -> StoreResult<Option<Intervention>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        intervention_in(&mut conn, id).await
    }

    async fn interventions(&self, case_id: i64) -> StoreResult<Vec<Intervention>> {
        let rows = sqlx::query(&interventions_sql()).bind(case_id).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(intervention_from_row).collect()
    }

    async fn follow_ups_due(
        &self,
        scope: &rightsdesk_domain::CaseScope,
        assigned_to: Option<i64>,
        until: &str,
        limit: i64,
    ) -> StoreResult<Vec<FollowUp>> {
        // The list of open statuses is a constant, not input.
        let open: Vec<String> = OPEN_STATUSES.iter().map(|s| format!("'{s}'")).collect();
        let sql = format!(
            "SELECT {INTERVENTION_COLUMNS}, c.reference, c.title FROM interventions i \
             JOIN organisations o ON o.id = i.organisation_id JOIN cases c ON c.id = i.case_id \
             WHERE {CASE_VISIBLE} AND i.next_follow_up IS NOT NULL AND i.next_follow_up <= $3 \
             AND i.status IN ({}) \
             AND ($4 IS NULL OR EXISTS (SELECT 1 FROM case_assignments ma WHERE ma.case_id = c.id AND ma.user_id = $4)) \
             ORDER BY i.next_follow_up, i.id LIMIT $5",
            open.join(", ")
        );
        let rows = sqlx::query(&sql)
            .bind(scope.user_id)
            .bind(scope.head_of_office)
            .bind(until)
            .bind(assigned_to)
            .bind(limit.clamp(1, 1000))
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(FollowUp {
                    intervention: intervention_from_row(r)?,
                    case_reference: r.try_get("reference").map_err(store_err)?,
                    case_title: r.try_get("title").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn add_source(
        &self,
        case_id: i64,
        i: &rightsdesk_domain::monitoring::source::SourceInput,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<Source> {
        let mut tx = self.write().await?;
        let person_id: Option<i64> = match &i.person_code {
            None => None,
            Some(code) => Some(
                sqlx::query("SELECT id FROM persons WHERE case_id = $1 AND code = $2 AND role = 'source'")
                    .bind(case_id)
                    .bind(code)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(store_err)?
                    .ok_or_else(|| StoreError::Constraint("sources.person_id".into()))?
                    .try_get("id")
                    .map_err(store_err)?,
            ),
        };
        let id: i64 = sqlx::query(
            "INSERT INTO sources (case_id, person_id, received, method, reliability, validity, consent, information, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(case_id)
        .bind(person_id)
        .bind(&i.received)
        .bind(&i.method)
        .bind(&i.reliability)
        .bind(&i.validity)
        .bind(&i.consent)
        .bind(&i.information)
        .bind(by)
        .bind(now_micros())
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?
        .try_get("id")
        .map_err(store_err)?;
        let entry = audit.clone().record("case", case_id).summary(format!("source {id} added (consent {})", i.consent));
        tx.audit(entry);
        tx.changed("cases", &case_id.to_string(), "update");
        let row = sqlx::query(&format!("SELECT {SOURCE_COLUMNS} FROM sources s LEFT JOIN persons p ON p.id = s.person_id WHERE s.id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;
        let out = source_from_row(&row)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn sources(&self, case_id: i64) -> StoreResult<Vec<Source>> {
        let rows = sqlx::query(&sources_sql()).bind(case_id).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(source_from_row).collect()
    }

    async fn source(&self, id: i64) -> StoreResult<Option<Source>> {
        let row = sqlx::query(&format!("SELECT {SOURCE_COLUMNS} FROM sources s LEFT JOIN persons p ON p.id = s.person_id WHERE s.id = $1"))
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(store_err)?;
        row.as_ref().map(source_from_row).transpose()
    }

    async fn withdraw_consent(&self, id: i64, day: &str, note: &str, audit: &AuditEntry) -> StoreResult<bool> {
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "UPDATE sources SET consent_withdrawn_on = $1, withdrawal_note = $2 WHERE id = $3 AND consent_withdrawn_on IS NULL RETURNING case_id",
        )
        .bind(day)
        .bind(note)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(store_err)?;
        let Some(row) = row else { return Ok(false) };
        let case_id: i64 = row.try_get("case_id").map_err(store_err)?;
        tx.audit(audit.clone().record("case", case_id).summary(format!("consent of source {id} withdrawn on {day}")));
        tx.changed("cases", &case_id.to_string(), "update");
        tx.commit().await?;
        Ok(true)
    }

    async fn add_evidence(&self, new: &NewEvidence, keys: &rightsdesk_crypto::Keyring, audit: &AuditEntry) -> StoreResult<Evidence> {
        let mut tx = self.write().await?;
        let now = now_micros();
        let id: i64 = sqlx::query(
            "INSERT INTO evidence (case_id, sha256, size_bytes, content_type, description, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.case_id)
        .bind(&new.sha256)
        .bind(new.size_bytes)
        .bind(&new.content_type)
        .bind(&new.description)
        .bind(new.uploaded_by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?
        .try_get("id")
        .map_err(store_err)?;
        let sealed = keys.encrypt_str(rightsdesk_store::monitoring::evidence_filename_ref(id), &new.filename);
        sqlx::query("UPDATE evidence SET filename_enc = $1 WHERE id = $2").bind(&sealed).bind(id).execute(&mut *tx).await.map_err(store_err)?;
        sqlx::query("INSERT INTO custody (evidence_id, at_micros, user_id, action, note) VALUES ($1, $2, $3, 'uploaded', $4)")
            .bind(id)
            .bind(now)
            .bind(new.uploaded_by)
            .bind(format!("sha256 {}", new.sha256))
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        let entry = audit.clone().record("case", new.case_id).summary(format!("evidence {id} uploaded ({} bytes, {})", new.size_bytes, new.content_type));
        tx.audit(entry);
        tx.changed("cases", &new.case_id.to_string(), "update");
        tx.commit().await?;
        self.evidence(id).await?.ok_or(StoreError::NotFound)
    }

    async fn evidence(&self, id: i64) -> StoreResult<Option<Evidence>> {
        let row = sqlx::query(
            "SELECT id, case_id, sha256, size_bytes, content_type, filename_enc, description, uploaded_by, uploaded_at FROM evidence WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.writer)
        .await
        .map_err(store_err)?;
        row.as_ref().map(evidence_from_row).transpose()
    }

    async fn evidence_hash_in_use(&self, sha256: &str) -> StoreResult<bool> {
        let row = sqlx::query("SELECT 1 AS x FROM evidence WHERE sha256 = $1 LIMIT 1")
            .bind(sha256)
            .fetch_optional(&self.writer)
            .await
            .map_err(store_err)?;
        Ok(row.is_some())
    }

    async fn evidence_hashes(&self) -> StoreResult<Vec<String>> {
        sqlx::query_scalar("SELECT DISTINCT sha256 FROM evidence ORDER BY sha256")
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)
    }

    async fn case_evidence(&self, case_id: i64) -> StoreResult<Vec<Evidence>> {
        let rows = sqlx::query(EVIDENCE_SQL).bind(case_id).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(evidence_from_row).collect()
    }

    async fn add_custody(&self, evidence_id: i64, user_id: i64, action: &str, note: &str, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let row = sqlx::query("SELECT case_id FROM evidence WHERE id = $1")
            .bind(evidence_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_err)?
            .ok_or(StoreError::NotFound)?;
        let case_id: i64 = row.try_get("case_id").map_err(store_err)?;
        sqlx::query("INSERT INTO custody (evidence_id, at_micros, user_id, action, note) VALUES ($1, $2, $3, $4, $5)")
            .bind(evidence_id)
            .bind(now_micros())
            .bind(user_id)
            .bind(action)
            .bind(note)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        tx.audit(audit.clone().record("case", case_id).summary(format!("evidence {evidence_id}: {action}")));
        tx.commit().await.map(drop)
    }

    async fn custody(&self, evidence_id: i64) -> StoreResult<Vec<CustodyEntry>> {
        let rows = sqlx::query(
            "SELECT c.at_micros, COALESCE(u.name, '') AS user_name, c.action, c.note FROM custody c \
             LEFT JOIN users u ON u.id = c.user_id WHERE c.evidence_id = $1 ORDER BY c.id",
        )
        .bind(evidence_id)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(CustodyEntry {
                    at_micros: r.try_get("at_micros").map_err(store_err)?,
                    user_name: r.try_get("user_name").map_err(store_err)?,
                    action: r.try_get("action").map_err(store_err)?,
                    note: r.try_get("note").map_err(store_err)?,
                })
            })
            .collect()
    }
}
