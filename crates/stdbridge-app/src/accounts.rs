//! Accounts: users and their passwords (Argon2id), signing in (throttled per account and
//! per address), browser sessions and personal API tokens. Secrets — passwords, session
//! cookies, tokens — are never stored: passwords as Argon2id hashes, cookies and tokens
//! as SHA-256 digests, so a copy of the store signs nobody in.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use stdbridge_storage::{ApiToken, Role, Session, TokenScope, User};

use crate::authz::{Action, RESERVED_NAMES, authorize};
use crate::principal::{Account, Via};
use crate::{App, AppError, Principal};

/// How long a browser session lasts.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 3600);
/// Wrong passwords allowed for one account within [`THROTTLE_WINDOW`].
pub const ACCOUNT_ATTEMPTS: u32 = 5;
/// Wrong passwords allowed from one address within [`THROTTLE_WINDOW`].
pub const ADDRESS_ATTEMPTS: u32 = 20;
/// The window over which wrong passwords are counted.
pub const THROTTLE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Accounts and addresses counted before the ended windows are swept.
const THROTTLE_KEYS: usize = 10_000;
/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 8;
/// Longest password accepted (hashing a megabyte is a denial of service).
pub const MAX_PASSWORD: usize = 1024;

/// The one answer to a failed sign-in, whatever failed: nobody learns which names exist.
const WRONG: &str = "wrong name or password";

/// A new browser session: the cookie's value (given once to the browser) and its CSRF
/// token.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The secret the session cookie carries.
    pub cookie: String,
    /// The token its forms carry.
    pub csrf: String,
    /// Who signed in.
    pub user: User,
}

/// A new API token: the secret (shown once) and what is stored of it.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// The secret, `sbt_…`; sent as `Authorization: Bearer sbt_…`.
    pub secret: String,
    /// The stored token.
    pub token: ApiToken,
}

/// Wrong passwords counted per account and per address, in this process.
#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Throttle {
    /// Refuses when `key` failed `limit` times in the current window.
    fn check(&self, key: &str, limit: u32, now: Instant) -> Result<(), AppError> {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match failures.get(key) {
            Some(&(count, since)) if count >= limit && now < since + THROTTLE_WINDOW => {
                let wait = (since + THROTTLE_WINDOW).saturating_duration_since(now);
                Err(AppError::throttled(
                    format!(
                        "too many wrong passwords; try again in {} minutes",
                        wait.as_secs().div_ceil(60)
                    ),
                    wait.as_secs().max(1),
                ))
            }
            _ => Ok(()),
        }
    }

    fn fail(&self, key: &str, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        // Names tried at random must not grow the map without end: past a size, the
        // counts whose window has ended are dropped.
        if failures.len() >= THROTTLE_KEYS {
            failures.retain(|_, (_, since)| now < *since + THROTTLE_WINDOW);
        }
        let entry = failures.entry(key.to_owned()).or_insert((0, now));
        if now >= entry.1 + THROTTLE_WINDOW {
            *entry = (0, now);
        }
        entry.0 += 1;
    }

    fn forget(&self, key: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(key);
    }
}

/// An Argon2id hash (PHC string) of a password that is long enough.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    check_password(password)?;
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(AppError::internal)
}

fn check_password(password: &str) -> Result<(), AppError> {
    let length = password.chars().count();
    if length < MIN_PASSWORD {
        return Err(AppError::bad_field(
            "password",
            format!("a password has at least {MIN_PASSWORD} characters"),
        ));
    }
    if password.len() > MAX_PASSWORD {
        return Err(AppError::bad_field(
            "password",
            format!("a password has at most {MAX_PASSWORD} bytes"),
        ));
    }
    Ok(())
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash to verify against when the name is unknown, so that an unknown name takes as
/// long to refuse as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"decoy password, never used", &salt)
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

fn check_name(name: &str) -> Result<(), AppError> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if !valid {
        return Err(AppError::bad_field(
            "name",
            "a user name has 1 to 64 letters, digits, '.', '_', '-' or '@'",
        ));
    }
    if RESERVED_NAMES.contains(&name.to_lowercase().as_str()) {
        return Err(AppError::bad_field(
            "name",
            format!("{name:?} is reserved; choose another name"),
        ));
    }
    Ok(())
}

pub(crate) fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn now_ms() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis(),
    )
    .unwrap_or(i64::MAX)
}

/// A random secret of 32 bytes, URL-safe.
fn secret() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// The SHA-256 of a secret, as stored.
fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A new user. A password is needed to sign in; without one the user only has tokens.
pub async fn add_user(
    app: &App,
    who: &Principal,
    name: &str,
    email: Option<&str>,
    role: Role,
    password: Option<&str>,
) -> Result<User, AppError> {
    authorize(app.config(), who, Action::ManageUsers)?;
    check_name(name)?;
    let hash = password.map(hash_password).transpose()?;
    let db = app.db().await?;
    Ok(db
        .create_user(name, email, role, hash.as_deref(), &now_rfc3339())
        .await?)
}

/// Every user.
pub async fn list_users(app: &App, who: &Principal) -> Result<Vec<User>, AppError> {
    authorize(app.config(), who, Action::ManageUsers)?;
    Ok(app.db().await?.users().await?)
}

fn no_user(name: &str) -> AppError {
    AppError::not_found(format!("no user {name:?}"))
}

/// Gives a user another role.
pub async fn set_role(app: &App, who: &Principal, name: &str, role: Role) -> Result<(), AppError> {
    authorize(app.config(), who, Action::ManageUsers)?;
    if app.db().await?.set_role(name, role).await? {
        Ok(())
    } else {
        Err(no_user(name))
    }
}

/// Disables a user (their sessions end; tokens stop working) or enables them again.
pub async fn set_disabled(
    app: &App,
    who: &Principal,
    name: &str,
    disabled: bool,
) -> Result<(), AppError> {
    authorize(app.config(), who, Action::ManageUsers)?;
    if app.db().await?.set_disabled(name, disabled).await? {
        Ok(())
    } else {
        Err(no_user(name))
    }
}

/// Sets a user's password.
pub async fn set_password(
    app: &App,
    who: &Principal,
    name: &str,
    password: &str,
) -> Result<(), AppError> {
    authorize(app.config(), who, Action::ManageTokens(name))?;
    let hash = hash_password(password)?;
    if app.db().await?.set_password(name, &hash).await? {
        Ok(())
    } else {
        Err(no_user(name))
    }
}

async fn user_named(app: &App, name: &str) -> Result<User, AppError> {
    match app.db().await?.user_by_name(name).await? {
        Some(found) => Ok(found.user),
        None => Err(no_user(name)),
    }
}

/// A new API token for the user `name` (themself, or an admin for them).
pub async fn issue_token(
    app: &App,
    who: &Principal,
    name: &str,
    scope: TokenScope,
    label: Option<&str>,
) -> Result<NewToken, AppError> {
    authorize(app.config(), who, Action::ManageTokens(name))?;
    let user = user_named(app, name).await?;
    let secret = format!("sbt_{}", secret()?);
    let token = app
        .db()
        .await?
        .create_token(user.id, &digest(&secret), scope, label, &now_rfc3339())
        .await?;
    Ok(NewToken { secret, token })
}

/// The tokens of the user `name`, without their secrets.
pub async fn tokens(app: &App, who: &Principal, name: &str) -> Result<Vec<ApiToken>, AppError> {
    authorize(app.config(), who, Action::ManageTokens(name))?;
    let user = user_named(app, name).await?;
    Ok(app.db().await?.tokens(user.id).await?)
}

/// Revokes one of the user's tokens.
pub async fn revoke_token(
    app: &App,
    who: &Principal,
    name: &str,
    token_id: i64,
) -> Result<(), AppError> {
    authorize(app.config(), who, Action::ManageTokens(name))?;
    let user = user_named(app, name).await?;
    if app
        .db()
        .await?
        .revoke_token(user.id, token_id, &now_rfc3339())
        .await?
    {
        Ok(())
    } else {
        Err(AppError::not_found(format!(
            "{name} has no token {token_id}"
        )))
    }
}

/// Whether the store has any user (an empty one is told how to make the first admin).
pub async fn has_users(app: &App) -> Result<bool, AppError> {
    Ok(!app.db().await?.users().await?.is_empty())
}

/// Signs a user in with a password: a new session. Every failure says the same; ten
/// wrong passwords in a row for an account (or many from one address) are refused for
/// a while without checking the password.
pub async fn sign_in(
    app: &App,
    name: &str,
    password: &str,
    address: Option<IpAddr>,
) -> Result<NewSession, AppError> {
    let throttle = app.throttle();
    let now = Instant::now();
    let account_key = format!("user:{}", name.to_lowercase());
    let address_key = address.map(|a| format!("addr:{a}"));
    throttle.check(&account_key, ACCOUNT_ATTEMPTS, now)?;
    if let Some(key) = &address_key {
        throttle.check(key, ADDRESS_ATTEMPTS, now)?;
    }
    if password.len() > MAX_PASSWORD {
        return Err(AppError::unauthenticated(WRONG));
    }
    let found = app.db().await?.user_by_name(name).await?;
    let hash = found
        .as_ref()
        .and_then(|c| c.password_hash.clone())
        .unwrap_or_else(|| decoy_hash().to_owned());
    let password_owned = password.to_owned();
    let matches = app
        .cpu(move || verify_password(&hash, &password_owned))
        .await?;
    let user = match found {
        Some(credentials)
            if matches && credentials.password_hash.is_some() && !credentials.user.disabled =>
        {
            credentials.user
        }
        _ => {
            throttle.fail(&account_key, now);
            if let Some(key) = &address_key {
                throttle.fail(key, now);
            }
            return Err(AppError::unauthenticated(WRONG));
        }
    };
    throttle.forget(&account_key);
    let cookie = secret()?;
    let csrf = secret()?;
    let created = now_ms();
    let lifetime = i64::try_from(SESSION_LIFETIME.as_millis()).unwrap_or(i64::MAX);
    let session = Session {
        user_id: user.id,
        csrf: csrf.clone(),
        expires_ms: created.saturating_add(lifetime),
    };
    app.db()
        .await?
        .create_session(&digest(&cookie), &session, created)
        .await?;
    Ok(NewSession { cookie, csrf, user })
}

/// Ends the session of this cookie (nothing happens for an unknown one).
pub async fn sign_out(app: &App, cookie: &str) -> Result<(), AppError> {
    Ok(app.db().await?.delete_session(&digest(cookie)).await?)
}

/// The user of a session cookie, if it is a live session of an enabled user.
pub async fn from_session(app: &App, cookie: &str) -> Result<Option<Principal>, AppError> {
    let db = app.db().await?;
    let Some(session) = db.session(&digest(cookie), now_ms()).await? else {
        return Ok(None);
    };
    let user = db.user_by_id(session.user_id).await?;
    Ok(user.filter(|u| !u.disabled).map(|user| {
        Principal::User(Account {
            id: user.id,
            name: user.name,
            role: user.role,
            via: Via::Session { csrf: session.csrf },
        })
    }))
}

/// The user of an API token; an unknown, revoked or disabled user's token is refused.
pub async fn from_token(app: &App, secret: &str) -> Result<Principal, AppError> {
    let refused = || AppError::unauthenticated("the API token is not valid (revoked or mistyped)");
    let db = app.db().await?;
    let token = db
        .token_by_hash(&digest(secret))
        .await?
        .ok_or_else(refused)?;
    if token.revoked_at.is_some() {
        return Err(refused());
    }
    let user = db
        .user_by_id(token.user_id)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(refused)?;
    Ok(Principal::User(Account {
        id: user.id,
        name: user.name,
        role: user.role,
        via: Via::Token(token.scope),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_stored_as_an_argon2id_hash_that_verifies_it() {
        let hash = hash_password("correct horse").expect("hashes");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains("correct horse"));
        assert!(verify_password(&hash, "correct horse"));
        assert!(!verify_password(&hash, "correct horsE"));
        assert!(!verify_password("not a hash", "correct horse"));
        assert!(hash_password("short").is_err());
    }

    #[test]
    fn the_throttle_refuses_after_the_limit_until_the_window_ends() {
        let throttle = Throttle::default();
        let start = Instant::now();
        for _ in 0..ACCOUNT_ATTEMPTS {
            assert!(throttle.check("user:a", ACCOUNT_ATTEMPTS, start).is_ok());
            throttle.fail("user:a", start);
        }
        let refused = throttle
            .check("user:a", ACCOUNT_ATTEMPTS, start)
            .expect_err("throttled");
        assert_eq!(refused.kind, crate::ErrorKind::Throttled);
        assert!(refused.retry_after.is_some_and(|s| s > 0));
        assert!(throttle.check("user:b", ACCOUNT_ATTEMPTS, start).is_ok());
        let later = start + THROTTLE_WINDOW;
        assert!(throttle.check("user:a", ACCOUNT_ATTEMPTS, later).is_ok());
    }

    #[test]
    fn ended_windows_are_swept_when_many_names_were_tried() {
        let throttle = Throttle::default();
        let start = Instant::now();
        for n in 0..THROTTLE_KEYS {
            throttle.fail(&format!("user:{n}"), start);
        }
        let later = start + THROTTLE_WINDOW;
        throttle.fail("user:new", later);
        let kept = throttle.failures.lock().map(|f| f.len()).unwrap_or(0);
        assert_eq!(kept, 1, "only the count still in its window is kept");
    }

    #[test]
    fn reserved_and_odd_names_are_refused() {
        assert!(check_name("ana.lima@example.org").is_ok());
        assert!(check_name("张伟").is_ok());
        assert!(check_name("operator").is_err());
        assert!(check_name("Anonymous").is_err());
        assert!(check_name("a b").is_err());
        assert!(check_name("").is_err());
    }
}
