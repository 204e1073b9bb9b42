//! Every table of a store as data, for moving a whole store between backends
//! ([`copy_store`]) and checking one ([`check_store`]): the columns and their kinds, and
//! the column that pages through a table. Each backend reads and writes rows of
//! [`Cell`]s; what the rows mean stays with the repositories.

use async_trait::async_trait;
use serde::Serialize;

use crate::{Database, StorageError};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// A 64-bit integer.
    Int,
    /// Text.
    Text,
    /// Bytes.
    Bytes,
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// No value.
    Null,
    /// An integer.
    Int(i64),
    /// Text.
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
}

/// A table of the store.
#[derive(Debug)]
pub struct Table {
    /// Its name.
    pub name: &'static str,
    /// Its columns, in order, with their kinds.
    pub columns: &'static [(&'static str, CellKind)],
    /// The column that pages through it (an integer, not null; rows that share a value
    /// come in one page). `None` for small tables read whole.
    pub page_by: Option<&'static str>,
    /// An identity column whose generator must move past the copied rows.
    pub identity: Option<&'static str>,
    /// Whether the migrations seed its rows (a copy replaces them).
    pub seeded: bool,
}

impl Table {
    /// The column names, comma-separated.
    pub fn column_list(&self) -> String {
        self.columns
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

use CellKind::{Bytes, Int, Text};

/// Every table, parents before children.
pub const TABLES: &[Table] = &[
    Table {
        name: "imports",
        columns: &[
            ("id", Int),
            ("path", Text),
            ("format", Text),
            ("started_at", Text),
            ("finished_at", Text),
            ("inserted", Int),
            ("updated", Int),
            ("unchanged", Int),
            ("rejected", Int),
        ],
        page_by: Some("id"),
        identity: Some("id"),
        seeded: false,
    },
    Table {
        name: "standards",
        columns: &[
            ("id", Int),
            ("key", Text),
            ("undated_key", Text),
            ("designation", Text),
            ("status", Text),
            ("doc_type", Text),
            ("scope", Text),
            ("country", Text),
            ("publisher", Text),
            ("year", Int),
            ("record", Text),
            ("created_seq", Int),
            ("updated_seq", Int),
        ],
        page_by: Some("id"),
        identity: None,
        seeded: false,
    },
    Table {
        name: "standard_sources",
        columns: &[
            ("standard_id", Int),
            ("source", Text),
            ("priority", Int),
            ("hash", Text),
            ("designation", Text),
            ("record", Text),
            ("import_id", Int),
        ],
        page_by: Some("standard_id"),
        identity: None,
        seeded: false,
    },
    Table {
        name: "relations",
        columns: &[
            ("standard_id", Int),
            ("kind", Text),
            ("target_key", Text),
            ("target", Text),
            ("degree", Text),
            ("catalogue", Text),
        ],
        page_by: Some("standard_id"),
        identity: None,
        seeded: false,
    },
    Table {
        name: "changes",
        columns: &[
            ("seq", Int),
            ("standard_id", Int),
            ("key", Text),
            ("op", Text),
            ("import_id", Int),
            ("at", Text),
        ],
        page_by: Some("seq"),
        identity: None,
        seeded: false,
    },
    Table {
        name: "ics",
        columns: &[
            ("code", Text),
            ("parent", Text),
            ("level", Int),
            ("titles", Text),
        ],
        page_by: None,
        identity: None,
        seeded: false,
    },
    Table {
        name: "ccs",
        columns: &[
            ("code", Text),
            ("level", Int),
            ("parent", Text),
            ("name_zh", Text),
            ("name_en", Text),
        ],
        page_by: None,
        identity: None,
        seeded: false,
    },
    Table {
        name: "countries",
        columns: &[
            ("alpha2", Text),
            ("alpha3", Text),
            ("numeric", Text),
            ("region", Text),
            ("sub_region", Text),
            ("names", Text),
        ],
        page_by: None,
        identity: None,
        seeded: false,
    },
    Table {
        name: "bodies",
        columns: &[
            ("abbreviation", Text),
            ("country", Text),
            ("scope", Text),
            ("url", Text),
            ("names", Text),
        ],
        page_by: None,
        identity: None,
        seeded: false,
    },
    Table {
        name: "tm_memories",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("owner", Text),
            ("visibility", Text),
            ("description", Text),
            ("created_at", Text),
            ("header", Text),
        ],
        page_by: Some("id"),
        identity: Some("id"),
        seeded: false,
    },
    Table {
        name: "tm_units",
        columns: &[
            ("id", Int),
            ("memory_id", Int),
            ("unit_key", Bytes),
            ("tuid", Text),
            ("creator", Text),
            ("created_at", Text),
            ("changed_at", Text),
            ("usage_count", Int),
            ("origin_document", Text),
            ("origin_standard", Text),
            ("domain", Text),
            ("body", Text),
        ],
        page_by: Some("id"),
        identity: Some("id"),
        seeded: false,
    },
    Table {
        name: "tm_state",
        columns: &[("id", Int), ("generation", Int)],
        page_by: None,
        identity: None,
        seeded: true,
    },
    Table {
        name: "termbases",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("owner", Text),
            ("visibility", Text),
            ("description", Text),
            ("created_at", Text),
            ("header", Text),
        ],
        page_by: Some("id"),
        identity: Some("id"),
        seeded: false,
    },
    Table {
        name: "tb_concepts",
        columns: &[
            ("id", Int),
            ("termbase_id", Int),
            ("concept_key", Text),
            ("changed_at", Text),
            ("body", Text),
        ],
        page_by: Some("id"),
        identity: Some("id"),
        seeded: false,
    },
    Table {
        name: "users",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("email", Text),
            ("role", Text),
            ("password_hash", Text),
            ("disabled", Int),
            ("created_at", Text),
        ],
        page_by: Some("id"),
        identity: Some("id"),
        seeded: false,
    },
    Table {
        name: "sessions",
        columns: &[
            ("id_hash", Text),
            ("user_id", Int),
            ("csrf", Text),
            ("created_ms", Int),
            ("expires_ms", Int),
        ],
        page_by: Some("user_id"),
        identity: None,
        seeded: false,
    },
    Table {
        name: "api_tokens",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("hash", Text),
            ("scope", Text),
            ("label", Text),
            ("created_at", Text),
            ("revoked_at", Text),
        ],
        page_by: Some("id"),
        identity: Some("id"),
        seeded: false,
    },
    Table {
        name: "memory_shares",
        columns: &[("memory_id", Int), ("user_id", Int)],
        page_by: Some("memory_id"),
        identity: None,
        seeded: false,
    },
    Table {
        name: "termbase_shares",
        columns: &[("termbase_id", Int), ("user_id", Int)],
        page_by: Some("termbase_id"),
        identity: None,
        seeded: false,
    },
    Table {
        name: "user_groups",
        columns: &[("id", Int), ("name", Text), ("created_at", Text)],
        page_by: Some("id"),
        identity: Some("id"),
        seeded: false,
    },
    Table {
        name: "group_members",
        columns: &[("group_id", Int), ("user_id", Int)],
        page_by: Some("group_id"),
        identity: None,
        seeded: false,
    },
    Table {
        name: "memory_group_shares",
        columns: &[("memory_id", Int), ("group_id", Int)],
        page_by: Some("memory_id"),
        identity: None,
        seeded: false,
    },
    Table {
        name: "termbase_group_shares",
        columns: &[("termbase_id", Int), ("group_id", Int)],
        page_by: Some("termbase_id"),
        identity: None,
        seeded: false,
    },
    Table {
        name: "user_words",
        columns: &[("user_id", Int), ("word", Text), ("created_at", Text)],
        page_by: Some("user_id"),
        identity: None,
        seeded: false,
    },
    Table {
        name: "mt_cache",
        columns: &[
            ("key", Text),
            ("engine", Text),
            ("model", Text),
            ("source_lang", Text),
            ("target_lang", Text),
            ("source", Text),
            ("target", Text),
            ("created", Text),
            ("hits", Int),
        ],
        page_by: None,
        identity: None,
        seeded: false,
    },
    Table {
        name: "jobs",
        columns: &[
            ("id", Int),
            ("kind", Text),
            ("title", Text),
            ("owner", Text),
            ("runner", Text),
            ("state", Text),
            ("phase", Text),
            ("done", Int),
            ("total", Int),
            ("result", Text),
            ("error", Text),
            ("created_ms", Int),
            ("updated_ms", Int),
            ("finished_ms", Int),
        ],
        page_by: Some("id"),
        identity: Some("id"),
        seeded: false,
    },
];

/// Rows read per page when copying.
const PAGE: i64 = 5_000;

/// Raw access to a store's tables, for copying and checking.
#[async_trait]
pub trait TableAccess: Send + Sync {
    /// How many rows `table` holds.
    async fn count_rows(&self, table: &Table) -> Result<i64, StorageError>;

    /// A page of `table` in `page_by` order: rows whose page value is above `after`,
    /// at least `limit` of them when there are (every row of the last value read comes in
    /// the same page); the whole table when it has no page column.
    async fn read_rows(
        &self,
        table: &Table,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Vec<Cell>>, StorageError>;

    /// Starts writing rows into this (empty) store: one transaction.
    async fn begin_copy(&self) -> Result<Box<dyn CopyTarget>, StorageError>;

    /// Rows that break one of the store's rules, by check: [`CHECKS`] and what the
    /// backend itself verifies (SQLite's `integrity_check` and foreign keys).
    async fn count_violations(&self, sql: &str) -> Result<i64, StorageError>;

    /// The backend's own integrity checks: each problem it reports, in its words.
    async fn engine_check(&self) -> Result<Vec<String>, StorageError>;
}

/// A running copy into a store.
#[async_trait]
pub trait CopyTarget: Send {
    /// Writes rows of `table`.
    async fn write_rows(&mut self, table: &Table, rows: &[Vec<Cell>]) -> Result<(), StorageError>;

    /// Moves identity generators past the copied ids and commits.
    async fn commit(self: Box<Self>) -> Result<(), StorageError>;
}

/// Rows counted in one table on both sides of a copy.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TableCount {
    /// The table.
    pub table: &'static str,
    /// Rows in the source.
    pub source: i64,
    /// Rows in the target after the copy.
    pub target: i64,
}

/// What a copy did.
#[derive(Debug, Clone, Serialize)]
pub struct CopyReport {
    /// Per table, the rows on each side (equal when the copy is right).
    pub tables: Vec<TableCount>,
    /// Rows copied in all.
    pub rows: i64,
}

/// Copies every table of `from` into `to`, which must hold no standards, memories,
/// termbases or jobs: one transaction on the target, so a failed copy leaves it as it
/// was. Counts each table on both sides afterwards; a difference is an error.
pub async fn copy_store(
    from: &dyn Database,
    to: &dyn Database,
    mut progress: impl FnMut(&str, i64) + Send,
) -> Result<CopyReport, StorageError> {
    for table in TABLES.iter().filter(|t| !t.seeded) {
        let rows = to.count_rows(table).await?;
        if rows > 0 {
            return Err(StorageError::NotEmpty {
                store: to.location(),
                table: table.name,
                rows,
            });
        }
    }
    let mut target = to.begin_copy().await?;
    let mut copied = 0;
    for table in TABLES {
        let mut after = None;
        loop {
            let rows = from.read_rows(table, after, PAGE).await?;
            if rows.is_empty() {
                break;
            }
            target.write_rows(table, &rows).await?;
            copied += rows.len() as i64;
            progress(table.name, rows.len() as i64);
            let Some(column) = table.page_by else {
                break;
            };
            after = last_page_value(table, column, &rows);
            if after.is_none() {
                break;
            }
        }
    }
    target.commit().await?;
    let mut tables = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let count = TableCount {
            table: table.name,
            source: from.count_rows(table).await?,
            target: to.count_rows(table).await?,
        };
        if count.source != count.target {
            return Err(StorageError::CopyMismatch {
                table: table.name,
                source_rows: count.source,
                target_rows: count.target,
            });
        }
        tables.push(count);
    }
    Ok(CopyReport {
        tables,
        rows: copied,
    })
}

fn last_page_value(table: &Table, column: &str, rows: &[Vec<Cell>]) -> Option<i64> {
    let index = table.columns.iter().position(|(name, _)| *name == column)?;
    match rows.last().and_then(|row| row.get(index)) {
        Some(Cell::Int(value)) => Some(*value),
        _ => None,
    }
}

/// One rule of the store, as a query counting the rows that break it.
pub struct Check {
    /// What the rule says.
    pub rule: &'static str,
    /// `SELECT COUNT(*) …` of the rows that break it (the same SQL on every backend).
    pub sql: &'static str,
}

/// The rules every store keeps, whatever its backend.
pub const CHECKS: &[Check] = &[
    Check {
        rule: "every standard has at least one source record",
        sql: "SELECT COUNT(*) FROM standards s WHERE NOT EXISTS \
              (SELECT 1 FROM standard_sources ss WHERE ss.standard_id = s.id)",
    },
    Check {
        rule: "every source record belongs to a stored standard",
        sql: "SELECT COUNT(*) FROM standard_sources ss WHERE NOT EXISTS \
              (SELECT 1 FROM standards s WHERE s.id = ss.standard_id)",
    },
    Check {
        rule: "every relation belongs to a stored standard",
        sql: "SELECT COUNT(*) FROM relations r WHERE NOT EXISTS \
              (SELECT 1 FROM standards s WHERE s.id = r.standard_id)",
    },
    Check {
        rule: "every standard's last change is in the change log",
        sql: "SELECT COUNT(*) FROM standards s WHERE NOT EXISTS \
              (SELECT 1 FROM changes c WHERE c.seq = s.updated_seq AND c.standard_id = s.id)",
    },
    Check {
        rule: "a standard was created no later than it was last changed",
        sql: "SELECT COUNT(*) FROM standards WHERE created_seq > updated_seq",
    },
    Check {
        rule: "the change log has no gaps (sequence numbers 1..N)",
        sql: "SELECT CASE WHEN COUNT(*) = COALESCE(MAX(seq), 0) THEN 0 ELSE 1 END FROM changes",
    },
    Check {
        rule: "every change belongs to an import that finished",
        sql: "SELECT COUNT(*) FROM changes c WHERE c.import_id IS NOT NULL AND NOT EXISTS \
              (SELECT 1 FROM imports i WHERE i.id = c.import_id AND i.finished_at IS NOT NULL)",
    },
    Check {
        rule: "every unit belongs to a stored memory",
        sql: "SELECT COUNT(*) FROM tm_units u WHERE NOT EXISTS \
              (SELECT 1 FROM tm_memories m WHERE m.id = u.memory_id)",
    },
    Check {
        rule: "every concept belongs to a stored termbase",
        sql: "SELECT COUNT(*) FROM tb_concepts c WHERE NOT EXISTS \
              (SELECT 1 FROM termbases t WHERE t.id = c.termbase_id)",
    },
    Check {
        rule: "every session and API token belongs to a stored user",
        sql: "SELECT (SELECT COUNT(*) FROM sessions s WHERE NOT EXISTS \
              (SELECT 1 FROM users u WHERE u.id = s.user_id)) + \
              (SELECT COUNT(*) FROM api_tokens t WHERE NOT EXISTS \
              (SELECT 1 FROM users u WHERE u.id = t.user_id))",
    },
    Check {
        rule: "every group member and user word belongs to a stored user",
        sql: "SELECT (SELECT COUNT(*) FROM group_members g WHERE NOT EXISTS \
              (SELECT 1 FROM users u WHERE u.id = g.user_id)) + \
              (SELECT COUNT(*) FROM user_words w WHERE NOT EXISTS \
              (SELECT 1 FROM users u WHERE u.id = w.user_id))",
    },
    Check {
        rule: "the memories' write generation is stored once",
        sql: "SELECT CASE WHEN COUNT(*) = 1 THEN 0 ELSE 1 END FROM tm_state",
    },
];

/// The outcome of one rule.
#[derive(Debug, Clone, Serialize)]
pub struct CheckOutcome {
    /// The rule.
    pub rule: String,
    /// Rows that break it (0 when it holds).
    pub violations: i64,
}

/// What a check of a store found.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// Each rule with its violations.
    pub rules: Vec<CheckOutcome>,
    /// Records that cannot be read as a standard: key and reason, at most 20.
    pub unreadable_records: Vec<String>,
    /// Standards read.
    pub records_read: i64,
    /// Problems the database engine itself reports.
    pub engine: Vec<String>,
}

impl CheckReport {
    /// Whether every rule holds and nothing is unreadable.
    pub fn is_sound(&self) -> bool {
        self.rules.iter().all(|r| r.violations == 0)
            && self.unreadable_records.is_empty()
            && self.engine.is_empty()
    }
}

/// Checks a store: the rules of [`CHECKS`], every record's JSON, and the engine's own
/// integrity checks.
pub async fn check_store(db: &dyn Database) -> Result<CheckReport, StorageError> {
    let mut rules = Vec::with_capacity(CHECKS.len());
    for check in CHECKS {
        rules.push(CheckOutcome {
            rule: check.rule.to_owned(),
            violations: db.count_violations(check.sql).await?,
        });
    }
    let (records_read, unreadable_records) = read_every_record(db).await?;
    Ok(CheckReport {
        backend: db.backend(),
        rules,
        unreadable_records,
        records_read,
        engine: db.engine_check().await?,
    })
}

/// Reads every standard's record; returns how many were read and the keys of those that
/// do not parse.
async fn read_every_record(db: &dyn Database) -> Result<(i64, Vec<String>), StorageError> {
    let standards = TABLES
        .iter()
        .find(|t| t.name == "standards")
        .ok_or(StorageError::Database(sqlx::Error::RowNotFound))?;
    let mut after = 0;
    let mut read = 0;
    let mut unreadable = Vec::new();
    loop {
        // The raw rows, so that one bad record does not stop the check.
        let rows = db.read_rows(standards, Some(after), 20_000).await?;
        let Some(last) = last_page_value(standards, "id", &rows) else {
            break;
        };
        let ids: Vec<(i64, String)> = rows
            .iter()
            .filter_map(|row| match (row.first(), row.get(1)) {
                (Some(Cell::Int(id)), Some(Cell::Text(key))) => Some((*id, key.clone())),
                _ => None,
            })
            .collect();
        read += ids.len() as i64;
        let page: Vec<i64> = ids.iter().map(|(id, _)| *id).collect();
        if db.records_by_ids(&page).await.is_err() {
            // Which ones: one at a time, only in a page that has a bad record.
            for (id, key) in ids {
                if let Err(error) = db.records_by_ids(&[id]).await
                    && unreadable.len() < 20
                {
                    unreadable.push(format!("{key}: {error}"));
                }
            }
        }
        after = last;
    }
    Ok((read, unreadable))
}
