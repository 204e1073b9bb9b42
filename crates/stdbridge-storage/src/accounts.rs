//! Accounts as a backend keeps them: users (with a password hash, never a password),
//! their sessions and personal API tokens (known by a SHA-256 of the secret, never the
//! secret), and the users a memory or termbase is shared with.

use async_trait::async_trait;
use serde::Serialize;

use crate::StorageError;

/// What a user may do, from most to least.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, users and the shared corpus included.
    Admin,
    /// A translator who also reviews others' work.
    Reviewer,
    /// Makes and writes their own memories and termbases, translates.
    Translator,
    /// Reads what is visible to them; writes nothing.
    Reader,
}

impl Role {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Reviewer => "reviewer",
            Role::Translator => "translator",
            Role::Reader => "reader",
        }
    }

    /// The role a word names.
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "reviewer" => Some(Role::Reviewer),
            "translator" => Some(Role::Translator),
            "reader" => Some(Role::Reader),
            _ => None,
        }
    }
}

/// What an API token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenScope {
    /// Reading only.
    Read,
    /// Reading and writing, as far as the user's role allows.
    Write,
}

impl TokenScope {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }

    /// The scope a word names.
    pub fn parse(text: &str) -> Option<TokenScope> {
        match text {
            "read" => Some(TokenScope::Read),
            "write" => Some(TokenScope::Write),
            _ => None,
        }
    }
}

/// A user as listings show one (no password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Row id.
    pub id: i64,
    /// Unique name; also the owner's name on memories and termbases.
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// What the user may do.
    pub role: Role,
    /// A disabled user cannot sign in, and their sessions and tokens stop working.
    pub disabled: bool,
    /// When the account was made (RFC 3339).
    pub created_at: String,
}

/// A user with the password hash, for signing in.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The user.
    pub user: User,
    /// An Argon2id hash in the PHC string format; `None` when no password was set.
    pub password_hash: Option<String>,
}

/// A personal API token, without its secret.
#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    /// Row id (what revoking names).
    pub id: i64,
    /// Whose it is.
    pub user_id: i64,
    /// What it allows.
    pub scope: TokenScope,
    /// What the user called it.
    pub label: Option<String>,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it was revoked; a revoked token signs nobody in.
    pub revoked_at: Option<String>,
}

/// A signed-in browser session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Whose it is.
    pub user_id: i64,
    /// The token every state-changing form of this session must carry.
    pub csrf: String,
    /// When it ends (milliseconds since the epoch).
    pub expires_ms: i64,
}

/// A group of users that memories and termbases can be shared with.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// Row id.
    pub id: i64,
    /// Its unique name.
    pub name: String,
    /// Its members' names, sorted.
    pub members: Vec<String>,
}

/// What is shared: a memory or a termbase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharedKind {
    /// A translation memory.
    Memory,
    /// A termbase.
    Termbase,
}

impl SharedKind {
    /// The shares' table and its collection column.
    pub(crate) fn table(self) -> (&'static str, &'static str) {
        match self {
            SharedKind::Memory => ("memory_shares", "memory_id"),
            SharedKind::Termbase => ("termbase_shares", "termbase_id"),
        }
    }

    /// The collections' own table.
    pub(crate) fn collections(self) -> &'static str {
        match self {
            SharedKind::Memory => "tm_memories",
            SharedKind::Termbase => "termbases",
        }
    }

    /// The group shares' table and its collection column.
    pub(crate) fn group_table(self) -> (&'static str, &'static str) {
        match self {
            SharedKind::Memory => ("memory_group_shares", "memory_id"),
            SharedKind::Termbase => ("termbase_group_shares", "termbase_id"),
        }
    }
}

/// Users, sessions, tokens and shares.
#[async_trait]
pub trait AccountRepository: Send + Sync {
    /// Makes a user; a conflict if the name is taken.
    async fn create_user(
        &self,
        name: &str,
        email: Option<&str>,
        role: Role,
        password_hash: Option<&str>,
        created_at: &str,
    ) -> Result<User, StorageError>;

    /// The user of this name, with the password hash.
    async fn user_by_name(&self, name: &str) -> Result<Option<Credentials>, StorageError>;

    /// The user of this id.
    async fn user_by_id(&self, id: i64) -> Result<Option<User>, StorageError>;

    /// Every user, by name.
    async fn users(&self) -> Result<Vec<User>, StorageError>;

    /// Sets a user's role; false if there is no such user.
    async fn set_role(&self, name: &str, role: Role) -> Result<bool, StorageError>;

    /// Disables or enables a user; disabling ends their sessions. False if there is no
    /// such user.
    async fn set_disabled(&self, name: &str, disabled: bool) -> Result<bool, StorageError>;

    /// Sets a user's password hash; false if there is no such user.
    async fn set_password(&self, name: &str, password_hash: &str) -> Result<bool, StorageError>;

    /// Stores a new token by the hash of its secret.
    async fn create_token(
        &self,
        user_id: i64,
        hash: &str,
        scope: TokenScope,
        label: Option<&str>,
        created_at: &str,
    ) -> Result<ApiToken, StorageError>;

    /// The token whose secret has this hash.
    async fn token_by_hash(&self, hash: &str) -> Result<Option<ApiToken>, StorageError>;

    /// A user's tokens, newest first.
    async fn tokens(&self, user_id: i64) -> Result<Vec<ApiToken>, StorageError>;

    /// Revokes one of a user's tokens; false if the user has no such token.
    async fn revoke_token(
        &self,
        user_id: i64,
        token_id: i64,
        revoked_at: &str,
    ) -> Result<bool, StorageError>;

    /// Stores a session by the hash of its cookie's value.
    async fn create_session(
        &self,
        id_hash: &str,
        session: &Session,
        created_ms: i64,
    ) -> Result<(), StorageError>;

    /// The session of this hash, if it has not ended by `now_ms`.
    async fn session(&self, id_hash: &str, now_ms: i64) -> Result<Option<Session>, StorageError>;

    /// Ends a session (signing out).
    async fn delete_session(&self, id_hash: &str) -> Result<(), StorageError>;

    /// Shares a memory or termbase with a user (again: nothing changes).
    async fn share(
        &self,
        kind: SharedKind,
        collection_id: i64,
        user_id: i64,
    ) -> Result<(), StorageError>;

    /// Stops sharing it with a user.
    async fn unshare(
        &self,
        kind: SharedKind,
        collection_id: i64,
        user_id: i64,
    ) -> Result<(), StorageError>;

    /// Sets who may read a memory or termbase; false if there is none of this id.
    async fn set_visibility(
        &self,
        kind: SharedKind,
        collection_id: i64,
        visibility: crate::Visibility,
    ) -> Result<bool, StorageError>;

    /// The ids of the memories or termbases shared with a user.
    async fn shared_with(&self, kind: SharedKind, user_id: i64) -> Result<Vec<i64>, StorageError>;

    /// The names of the users a memory or termbase is shared with.
    async fn shared_to(
        &self,
        kind: SharedKind,
        collection_id: i64,
    ) -> Result<Vec<String>, StorageError>;

    /// Makes a group; a conflict if the name is taken.
    async fn create_group(&self, name: &str, created_at: &str) -> Result<Group, StorageError>;

    /// The group of this name, with its members.
    async fn group_by_name(&self, name: &str) -> Result<Option<Group>, StorageError>;

    /// Every group, by name, with its members.
    async fn groups(&self) -> Result<Vec<Group>, StorageError>;

    /// Deletes a group (its shares go with it); false if there is none of this id.
    async fn delete_group(&self, group_id: i64) -> Result<bool, StorageError>;

    /// Adds a user to a group or takes them out (again: nothing changes).
    async fn set_member(
        &self,
        group_id: i64,
        user_id: i64,
        member: bool,
    ) -> Result<(), StorageError>;

    /// Shares a memory or termbase with a group, or stops sharing it.
    async fn share_group(
        &self,
        kind: SharedKind,
        collection_id: i64,
        group_id: i64,
        shared: bool,
    ) -> Result<(), StorageError>;

    /// The names of the groups a memory or termbase is shared with.
    async fn groups_shared_to(
        &self,
        kind: SharedKind,
        collection_id: i64,
    ) -> Result<Vec<String>, StorageError>;

    /// Adds a word to a user's segmentation dictionary (again: nothing changes).
    async fn add_word(
        &self,
        user_id: i64,
        word: &str,
        created_at: &str,
    ) -> Result<(), StorageError>;

    /// Takes a word out of a user's dictionary; false if it was not in it.
    async fn remove_word(&self, user_id: i64, word: &str) -> Result<bool, StorageError>;

    /// A user's words, sorted.
    async fn words(&self, user_id: i64) -> Result<Vec<String>, StorageError>;
}

/// Whether a failed write broke a unique constraint (the name is taken).
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}

/// The columns of a user, in the order [`account_repository`] reads them.
pub(crate) const USER_COLUMNS: &str = "id, name, email, role, disabled, created_at";
/// The columns of a token.
pub(crate) const TOKEN_COLUMNS: &str = "id, user_id, scope, label, created_at, revoked_at";

/// Implements [`AccountRepository`] for a backend. The SQL is the same on both: numbered
/// parameters (`$1`) are PostgreSQL's and SQLite's alike, and every column is text or a
/// 64-bit integer on both.
macro_rules! account_repository {
    ($store:ty, $row:ty) => {
        fn user_of(row: &$row) -> Result<$crate::accounts::User, $crate::StorageError> {
            use sqlx::Row;
            let role: String = row.try_get(3)?;
            Ok($crate::accounts::User {
                id: row.try_get(0)?,
                name: row.try_get(1)?,
                email: row.try_get(2)?,
                role: $crate::accounts::Role::parse(&role).ok_or_else(|| {
                    $crate::StorageError::Invalid {
                        what: "role".to_owned(),
                        value: role.clone(),
                    }
                })?,
                disabled: row.try_get::<i64, _>(4)? != 0,
                created_at: row.try_get(5)?,
            })
        }

        /// The first column of each row, as text (names, words).
        fn texts_of(rows: &[$row]) -> Result<Vec<String>, $crate::StorageError> {
            use sqlx::Row;
            rows.iter()
                .map(|row| row.try_get(0).map_err(Into::into))
                .collect()
        }

        fn token_of(row: &$row) -> Result<$crate::accounts::ApiToken, $crate::StorageError> {
            use sqlx::Row;
            let scope: String = row.try_get(2)?;
            Ok($crate::accounts::ApiToken {
                id: row.try_get(0)?,
                user_id: row.try_get(1)?,
                scope: $crate::accounts::TokenScope::parse(&scope).ok_or_else(|| {
                    $crate::StorageError::Invalid {
                        what: "token scope".to_owned(),
                        value: scope.clone(),
                    }
                })?,
                label: row.try_get(3)?,
                created_at: row.try_get(4)?,
                revoked_at: row.try_get(5)?,
            })
        }

        #[async_trait::async_trait]
        impl $crate::accounts::AccountRepository for $store {
            async fn create_user(
                &self,
                name: &str,
                email: Option<&str>,
                role: $crate::accounts::Role,
                password_hash: Option<&str>,
                created_at: &str,
            ) -> Result<$crate::accounts::User, $crate::StorageError> {
                let sql = format!(
                    "INSERT INTO users (name, email, role, password_hash, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING {}",
                    $crate::accounts::USER_COLUMNS
                );
                let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(name)
                    .bind(email)
                    .bind(role.as_str())
                    .bind(password_hash)
                    .bind(created_at)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(|error| {
                        if $crate::accounts::is_unique_violation(&error) {
                            $crate::StorageError::Exists {
                                what: "user",
                                name: name.to_owned(),
                            }
                        } else {
                            error.into()
                        }
                    })?;
                user_of(&row)
            }

            async fn user_by_name(
                &self,
                name: &str,
            ) -> Result<Option<$crate::accounts::Credentials>, $crate::StorageError> {
                use sqlx::Row;
                let sql = format!(
                    "SELECT {}, password_hash FROM users WHERE name = $1",
                    $crate::accounts::USER_COLUMNS
                );
                let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(name)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|row| {
                    Ok($crate::accounts::Credentials {
                        user: user_of(&row)?,
                        password_hash: row.try_get(6)?,
                    })
                })
                .transpose()
            }

            async fn user_by_id(
                &self,
                id: i64,
            ) -> Result<Option<$crate::accounts::User>, $crate::StorageError> {
                let sql = format!(
                    "SELECT {} FROM users WHERE id = $1",
                    $crate::accounts::USER_COLUMNS
                );
                let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(user_of).transpose()
            }

            async fn users(&self) -> Result<Vec<$crate::accounts::User>, $crate::StorageError> {
                let sql = format!(
                    "SELECT {} FROM users ORDER BY name",
                    $crate::accounts::USER_COLUMNS
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(user_of).collect()
            }

            async fn set_role(
                &self,
                name: &str,
                role: $crate::accounts::Role,
            ) -> Result<bool, $crate::StorageError> {
                let changed = sqlx::query("UPDATE users SET role = $1 WHERE name = $2")
                    .bind(role.as_str())
                    .bind(name)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(changed > 0)
            }

            async fn set_disabled(
                &self,
                name: &str,
                disabled: bool,
            ) -> Result<bool, $crate::StorageError> {
                let mut tx = self.pool.begin().await?;
                let changed = sqlx::query("UPDATE users SET disabled = $1 WHERE name = $2")
                    .bind(i64::from(disabled))
                    .bind(name)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if disabled {
                    sqlx::query(
                        "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE name = $1)",
                    )
                    .bind(name)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(changed > 0)
            }

            async fn set_password(
                &self,
                name: &str,
                password_hash: &str,
            ) -> Result<bool, $crate::StorageError> {
                let changed = sqlx::query("UPDATE users SET password_hash = $1 WHERE name = $2")
                    .bind(password_hash)
                    .bind(name)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(changed > 0)
            }

            async fn create_token(
                &self,
                user_id: i64,
                hash: &str,
                scope: $crate::accounts::TokenScope,
                label: Option<&str>,
                created_at: &str,
            ) -> Result<$crate::accounts::ApiToken, $crate::StorageError> {
                let sql = format!(
                    "INSERT INTO api_tokens (user_id, hash, scope, label, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING {}",
                    $crate::accounts::TOKEN_COLUMNS
                );
                let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(user_id)
                    .bind(hash)
                    .bind(scope.as_str())
                    .bind(label)
                    .bind(created_at)
                    .fetch_one(&self.pool)
                    .await?;
                token_of(&row)
            }

            async fn token_by_hash(
                &self,
                hash: &str,
            ) -> Result<Option<$crate::accounts::ApiToken>, $crate::StorageError> {
                let sql = format!(
                    "SELECT {} FROM api_tokens WHERE hash = $1",
                    $crate::accounts::TOKEN_COLUMNS
                );
                let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(hash)
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(token_of).transpose()
            }

            async fn tokens(
                &self,
                user_id: i64,
            ) -> Result<Vec<$crate::accounts::ApiToken>, $crate::StorageError> {
                let sql = format!(
                    "SELECT {} FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
                    $crate::accounts::TOKEN_COLUMNS
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(user_id)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(token_of).collect()
            }

            async fn revoke_token(
                &self,
                user_id: i64,
                token_id: i64,
                revoked_at: &str,
            ) -> Result<bool, $crate::StorageError> {
                let changed = sqlx::query(
                    "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) \
                     WHERE id = $2 AND user_id = $3",
                )
                .bind(revoked_at)
                .bind(token_id)
                .bind(user_id)
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(changed > 0)
            }

            async fn create_session(
                &self,
                id_hash: &str,
                session: &$crate::accounts::Session,
                created_ms: i64,
            ) -> Result<(), $crate::StorageError> {
                let mut tx = self.pool.begin().await?;
                // Sessions that ended are swept as new ones begin.
                sqlx::query("DELETE FROM sessions WHERE expires_ms <= $1")
                    .bind(created_ms)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO sessions (id_hash, user_id, csrf, created_ms, expires_ms) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id_hash)
                .bind(session.user_id)
                .bind(&session.csrf)
                .bind(created_ms)
                .bind(session.expires_ms)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn session(
                &self,
                id_hash: &str,
                now_ms: i64,
            ) -> Result<Option<$crate::accounts::Session>, $crate::StorageError> {
                use sqlx::Row;
                let row = sqlx::query(
                    "SELECT user_id, csrf, expires_ms FROM sessions \
                     WHERE id_hash = $1 AND expires_ms > $2",
                )
                .bind(id_hash)
                .bind(now_ms)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|row| {
                    Ok($crate::accounts::Session {
                        user_id: row.try_get(0)?,
                        csrf: row.try_get(1)?,
                        expires_ms: row.try_get(2)?,
                    })
                })
                .transpose()
            }

            async fn delete_session(&self, id_hash: &str) -> Result<(), $crate::StorageError> {
                sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                    .bind(id_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn share(
                &self,
                kind: $crate::accounts::SharedKind,
                collection_id: i64,
                user_id: i64,
            ) -> Result<(), $crate::StorageError> {
                let (table, column) = kind.table();
                let sql = format!(
                    "INSERT INTO {table} ({column}, user_id) VALUES ($1, $2) \
                     ON CONFLICT DO NOTHING"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(collection_id)
                    .bind(user_id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn unshare(
                &self,
                kind: $crate::accounts::SharedKind,
                collection_id: i64,
                user_id: i64,
            ) -> Result<(), $crate::StorageError> {
                let (table, column) = kind.table();
                let sql = format!("DELETE FROM {table} WHERE {column} = $1 AND user_id = $2");
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(collection_id)
                    .bind(user_id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn set_visibility(
                &self,
                kind: $crate::accounts::SharedKind,
                collection_id: i64,
                visibility: $crate::Visibility,
            ) -> Result<bool, $crate::StorageError> {
                let sql = format!(
                    "UPDATE {} SET visibility = $1 WHERE id = $2",
                    kind.collections()
                );
                let done = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(visibility.as_str())
                    .bind(collection_id)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn shared_with(
                &self,
                kind: $crate::accounts::SharedKind,
                user_id: i64,
            ) -> Result<Vec<i64>, $crate::StorageError> {
                use sqlx::Row;
                let (table, column) = kind.table();
                let (groups, _) = kind.group_table();
                let sql = format!(
                    "SELECT {column} FROM {table} WHERE user_id = $1 \
                     UNION SELECT s.{column} FROM {groups} s \
                     JOIN group_members m ON m.group_id = s.group_id WHERE m.user_id = $1"
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(user_id)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|row| row.try_get(0).map_err(Into::into))
                    .collect()
            }

            async fn shared_to(
                &self,
                kind: $crate::accounts::SharedKind,
                collection_id: i64,
            ) -> Result<Vec<String>, $crate::StorageError> {
                let (table, column) = kind.table();
                let sql = format!(
                    "SELECT u.name FROM {table} s JOIN users u ON u.id = s.user_id \
                     WHERE s.{column} = $1 ORDER BY u.name"
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(collection_id)
                    .fetch_all(&self.pool)
                    .await?;
                texts_of(&rows)
            }

            async fn create_group(
                &self,
                name: &str,
                created_at: &str,
            ) -> Result<$crate::accounts::Group, $crate::StorageError> {
                use sqlx::Row;
                let row = sqlx::query(
                    "INSERT INTO user_groups (name, created_at) VALUES ($1, $2) RETURNING id",
                )
                .bind(name)
                .bind(created_at)
                .fetch_one(&self.pool)
                .await
                .map_err(|error| {
                    if $crate::accounts::is_unique_violation(&error) {
                        $crate::StorageError::Exists {
                            what: "group",
                            name: name.to_owned(),
                        }
                    } else {
                        error.into()
                    }
                })?;
                Ok($crate::accounts::Group {
                    id: row.try_get(0)?,
                    name: name.to_owned(),
                    members: Vec::new(),
                })
            }

            async fn group_by_name(
                &self,
                name: &str,
            ) -> Result<Option<$crate::accounts::Group>, $crate::StorageError> {
                Ok(self
                    .groups()
                    .await?
                    .into_iter()
                    .find(|group| group.name == name))
            }

            async fn groups(
                &self,
            ) -> Result<Vec<$crate::accounts::Group>, $crate::StorageError> {
                use sqlx::Row;
                let rows = sqlx::query(
                    "SELECT g.id, g.name, u.name FROM user_groups g \
                     LEFT JOIN group_members m ON m.group_id = g.id \
                     LEFT JOIN users u ON u.id = m.user_id ORDER BY g.name, u.name",
                )
                .fetch_all(&self.pool)
                .await?;
                let mut groups: Vec<$crate::accounts::Group> = Vec::new();
                for row in &rows {
                    let id: i64 = row.try_get(0)?;
                    let member: Option<String> = row.try_get(2)?;
                    if groups.last().is_none_or(|g| g.id != id) {
                        groups.push($crate::accounts::Group {
                            id,
                            name: row.try_get(1)?,
                            members: Vec::new(),
                        });
                    }
                    if let (Some(group), Some(member)) = (groups.last_mut(), member) {
                        group.members.push(member);
                    }
                }
                Ok(groups)
            }

            async fn delete_group(&self, group_id: i64) -> Result<bool, $crate::StorageError> {
                let done = sqlx::query("DELETE FROM user_groups WHERE id = $1")
                    .bind(group_id)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn set_member(
                &self,
                group_id: i64,
                user_id: i64,
                member: bool,
            ) -> Result<(), $crate::StorageError> {
                let sql = if member {
                    "INSERT INTO group_members (group_id, user_id) VALUES ($1, $2) \
                     ON CONFLICT DO NOTHING"
                } else {
                    "DELETE FROM group_members WHERE group_id = $1 AND user_id = $2"
                };
                sqlx::query(sql)
                    .bind(group_id)
                    .bind(user_id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn share_group(
                &self,
                kind: $crate::accounts::SharedKind,
                collection_id: i64,
                group_id: i64,
                shared: bool,
            ) -> Result<(), $crate::StorageError> {
                let (table, column) = kind.group_table();
                let sql = if shared {
                    format!(
                        "INSERT INTO {table} ({column}, group_id) VALUES ($1, $2) \
                         ON CONFLICT DO NOTHING"
                    )
                } else {
                    format!("DELETE FROM {table} WHERE {column} = $1 AND group_id = $2")
                };
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(collection_id)
                    .bind(group_id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn groups_shared_to(
                &self,
                kind: $crate::accounts::SharedKind,
                collection_id: i64,
            ) -> Result<Vec<String>, $crate::StorageError> {
                let (table, column) = kind.group_table();
                let sql = format!(
                    "SELECT g.name FROM {table} s JOIN user_groups g ON g.id = s.group_id \
                     WHERE s.{column} = $1 ORDER BY g.name"
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(collection_id)
                    .fetch_all(&self.pool)
                    .await?;
                texts_of(&rows)
            }

            async fn add_word(
                &self,
                user_id: i64,
                word: &str,
                created_at: &str,
            ) -> Result<(), $crate::StorageError> {
                sqlx::query(
                    "INSERT INTO user_words (user_id, word, created_at) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(user_id)
                .bind(word)
                .bind(created_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn remove_word(
                &self,
                user_id: i64,
                word: &str,
            ) -> Result<bool, $crate::StorageError> {
                let done = sqlx::query("DELETE FROM user_words WHERE user_id = $1 AND word = $2")
                    .bind(user_id)
                    .bind(word)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn words(&self, user_id: i64) -> Result<Vec<String>, $crate::StorageError> {
                let rows =
                    sqlx::query("SELECT word FROM user_words WHERE user_id = $1 ORDER BY word")
                        .bind(user_id)
                        .fetch_all(&self.pool)
                        .await?;
                texts_of(&rows)
            }
        }
    };
}
pub(crate) use account_repository;
