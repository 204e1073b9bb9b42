//! Authorization: the one place that decides who may do what. Use cases ask here before
//! they act; handlers and commands never decide.
//!
//! * The local operator (the command line) may do everything.
//! * An anonymous client of the server may read the catalogue (unless the configuration
//!   closes it) and the jobs that run on it, and nothing of the translation half.
//! * A signed-in user reads the catalogue, their own memories and termbases, those
//!   shared with them and the public ones; a translator or reviewer makes and writes
//!   their own; only an admin writes a public one, manages users and the catalogue.
//!   A reader writes nothing, and neither does an API token of scope `read`.
//!
//! What a caller may not read is reported as not found, never as forbidden: nobody
//! learns from an answer that someone else's private memory exists.

use stdbridge_storage::{Collection, JobRecord, Role, TokenScope, Visibility};

use crate::principal::{Account, Via};
use crate::{AppError, Config, Principal};

/// What a principal wants to do.
#[derive(Debug, Clone, Copy)]
pub enum Action<'a> {
    /// Search, show, export and count the catalogue.
    ReadCatalogue,
    /// Import into the catalogue, rebuild its index.
    WriteCatalogue,
    /// Use the translation half without reading a stored resource: segment, check,
    /// translate with an engine.
    UseTranslation,
    /// Read a memory or termbase (`shared_with_caller`: it is shared with the caller by
    /// name).
    ReadCollection {
        /// The memory or termbase.
        collection: &'a Collection,
        /// Whether it is shared with the caller.
        shared_with_caller: bool,
    },
    /// Make a memory or termbase of this visibility.
    CreateCollection(Visibility),
    /// Write to, share or delete a memory or termbase the caller can read.
    WriteCollection(&'a Collection),
    /// Add or list local MT models.
    ManageModels,
    /// See a job and its progress.
    ReadJob(&'a JobRecord),
    /// Make, change and list users.
    ManageUsers,
    /// Issue or revoke API tokens of the user of this name.
    ManageTokens(&'a str),
    /// Copy a whole store, check one.
    AdministerStore,
    /// Change what is the caller's own: their segmentation dictionary.
    WriteOwnData,
}

impl Action<'_> {
    /// Whether the action changes what is stored.
    fn writes(&self) -> bool {
        matches!(
            self,
            Action::WriteCatalogue
                | Action::CreateCollection(_)
                | Action::WriteCollection(_)
                | Action::ManageModels
                | Action::ManageUsers
                | Action::ManageTokens(_)
                | Action::AdministerStore
                | Action::WriteOwnData
        )
    }
}

/// The names the command line and anonymous clients act under: no user may take them.
pub const RESERVED_NAMES: &[&str] = &["operator", "anonymous"];

/// Whether `who` may do `action`.
pub fn authorize(config: &Config, who: &Principal, action: Action<'_>) -> Result<(), AppError> {
    match who {
        Principal::Operator => Ok(()),
        Principal::Anonymous => anonymous(config, action),
        Principal::User(account) => {
            if action.writes() && account.via == Via::Token(TokenScope::Read) {
                return Err(AppError::forbidden(
                    "this API token may only read (make one with scope write)",
                ));
            }
            user(config, account, action)
        }
    }
}

fn anonymous(config: &Config, action: Action<'_>) -> Result<(), AppError> {
    match action {
        Action::ReadCatalogue if config.catalogue_public => Ok(()),
        Action::ReadJob(job) if config.catalogue_public && !owned_by_a_user(job) => Ok(()),
        Action::ReadJob(_) => Err(AppError::not_found("no such job")),
        _ => Err(AppError::unauthenticated(
            "sign in or send an API token to do this",
        )),
    }
}

fn user(_config: &Config, account: &Account, action: Action<'_>) -> Result<(), AppError> {
    let admin = account.role == Role::Admin;
    let writer = account.role <= Role::Translator;
    match action {
        Action::ReadCatalogue | Action::UseTranslation | Action::WriteOwnData => Ok(()),
        Action::ReadCollection {
            collection,
            shared_with_caller,
        } => {
            let readable = admin
                || owns(account, collection)
                || collection.visibility == Visibility::Public
                || (collection.visibility == Visibility::Shared && shared_with_caller);
            if readable {
                Ok(())
            } else {
                Err(not_found(collection))
            }
        }
        Action::CreateCollection(Visibility::Public) if !admin => Err(AppError::forbidden(
            "only an admin makes a public memory or termbase; make it private or shared",
        )),
        Action::CreateCollection(_) if writer => Ok(()),
        Action::WriteCollection(collection)
            if admin || (writer && owns(account, collection) && !is_public(collection)) =>
        {
            Ok(())
        }
        Action::WriteCollection(collection) if is_public(collection) => Err(AppError::forbidden(
            "a public memory or termbase is written by an admin or through contributions",
        )),
        Action::ReadJob(job) if admin || job.owner == account.name => Ok(()),
        Action::ReadJob(_) => Err(AppError::not_found("no such job")),
        Action::ManageTokens(name) if name == account.name => Ok(()),
        Action::WriteCatalogue
        | Action::ManageModels
        | Action::ManageUsers
        | Action::ManageTokens(_)
        | Action::AdministerStore
            if admin =>
        {
            Ok(())
        }
        _ => Err(AppError::forbidden(format!(
            "a {} may not do this",
            account.role.as_str()
        ))),
    }
}

fn owns(account: &Account, collection: &Collection) -> bool {
    collection.owner.as_deref() == Some(account.name.as_str())
}

fn is_public(collection: &Collection) -> bool {
    collection.visibility == Visibility::Public
}

/// Jobs of the command line or of anonymous clients are the catalogue's; a user's are
/// their own.
fn owned_by_a_user(job: &JobRecord) -> bool {
    !RESERVED_NAMES.contains(&job.owner.as_str())
}

/// The answer to a caller who may not read a collection: the same as for one that does
/// not exist.
pub fn not_found(collection: &Collection) -> AppError {
    AppError::not_found(format!("no memory or termbase {}", collection.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn config() -> Config {
        Config::for_data_dir(std::path::Path::new("/tmp/x"))
    }

    fn account(name: &str, role: Role, via: Via) -> Principal {
        Principal::User(Account {
            id: 1,
            name: name.to_owned(),
            role,
            via,
        })
    }

    fn session() -> Via {
        Via::Session {
            csrf: "c".to_owned(),
        }
    }

    fn collection(owner: &str, visibility: Visibility) -> Collection {
        Collection {
            id: 7,
            name: "tm".to_owned(),
            owner: Some(owner.to_owned()),
            visibility,
            description: None,
            created_at: String::new(),
            header: String::new(),
            entries: None,
        }
    }

    fn read(who: &Principal, c: &Collection, shared: bool) -> Result<(), AppError> {
        let action = Action::ReadCollection {
            collection: c,
            shared_with_caller: shared,
        };
        authorize(&config(), who, action)
    }

    #[test]
    fn the_operator_may_do_everything_and_strangers_only_read_the_catalogue() {
        let mut config = config();
        assert!(authorize(&config, &Principal::Operator, Action::WriteCatalogue).is_ok());
        assert!(authorize(&config, &Principal::Anonymous, Action::ReadCatalogue).is_ok());
        let refused = authorize(&config, &Principal::Anonymous, Action::UseTranslation)
            .expect_err("no translation without an account");
        assert_eq!(refused.kind, ErrorKind::Unauthenticated);
        assert!(authorize(&config, &Principal::Anonymous, Action::WriteCatalogue).is_err());
        assert!(authorize(&config, &Principal::Operator, Action::AdministerStore).is_ok());
        assert!(authorize(&config, &Principal::Anonymous, Action::AdministerStore).is_err());
        config.catalogue_public = false;
        assert!(authorize(&config, &Principal::Anonymous, Action::ReadCatalogue).is_err());
    }

    #[test]
    fn a_private_memory_is_its_owners_alone_and_unknown_to_others() {
        let mine = collection("ana", Visibility::Private);
        let ana = account("ana", Role::Translator, session());
        let ben = account("ben", Role::Translator, session());
        let admin = account("root", Role::Admin, session());
        assert!(read(&ana, &mine, false).is_ok());
        assert_eq!(
            read(&ben, &mine, true).map_err(|e| e.kind),
            Err(ErrorKind::NotFound),
            "shares do not open a private memory"
        );
        assert!(read(&admin, &mine, false).is_ok());
        let write = authorize(&config(), &ben, Action::WriteCollection(&mine));
        assert_eq!(write.map_err(|e| e.kind), Err(ErrorKind::Forbidden));
    }

    #[test]
    fn shared_memories_open_to_named_users_and_public_ones_to_everyone() {
        let shared = collection("ana", Visibility::Shared);
        let public = collection("root", Visibility::Public);
        let ben = account("ben", Role::Reader, session());
        assert!(read(&ben, &shared, true).is_ok());
        assert!(read(&ben, &shared, false).is_err());
        assert!(read(&ben, &public, false).is_ok());
        let translator = account("ana", Role::Translator, session());
        let written = authorize(&config(), &translator, Action::WriteCollection(&public));
        assert_eq!(written.map_err(|e| e.kind), Err(ErrorKind::Forbidden));
        let made = authorize(
            &config(),
            &translator,
            Action::CreateCollection(Visibility::Public),
        );
        assert_eq!(made.map_err(|e| e.kind), Err(ErrorKind::Forbidden));
    }

    #[test]
    fn readers_and_read_tokens_write_nothing() {
        let mine = collection("ana", Visibility::Private);
        let reader = account("ana", Role::Reader, session());
        let token = account("ana", Role::Translator, Via::Token(TokenScope::Read));
        let writer = account("ana", Role::Translator, Via::Token(TokenScope::Write));
        for who in [&reader, &token] {
            let refused = authorize(&config(), who, Action::WriteCollection(&mine));
            assert_eq!(refused.map_err(|e| e.kind), Err(ErrorKind::Forbidden));
            let made = authorize(
                &config(),
                who,
                Action::CreateCollection(Visibility::Private),
            );
            assert_eq!(made.map_err(|e| e.kind), Err(ErrorKind::Forbidden));
        }
        assert!(authorize(&config(), &token, Action::WriteCollection(&mine)).is_err());
        assert!(authorize(&config(), &writer, Action::WriteCollection(&mine)).is_ok());
        assert!(read(&token, &mine, false).is_ok());
    }
}
