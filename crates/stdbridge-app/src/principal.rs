//! Who is acting: every use case takes one, so that authorization has exactly one place
//! to live ([`crate::authz`]).

use stdbridge_storage::{Role, TokenScope};

/// The acting principal of a use case.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Principal {
    /// The person at this machine's command line: may do everything with the local store.
    Operator,
    /// A client of the server that said nothing about who it is.
    Anonymous,
    /// A signed-in user (a browser session or an API token).
    User(Account),
}

/// A signed-in user as a request knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The user's id.
    pub id: i64,
    /// The user's name (the owner's name on what they make).
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// How they signed in.
    pub via: Via,
}

/// How a user signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A browser session; forms and state-changing requests carry its CSRF token.
    Session {
        /// The session's CSRF token.
        csrf: String,
    },
    /// A personal API token of this scope.
    Token(TokenScope),
}

impl Principal {
    /// The name recorded as a job's owner or a unit's creator.
    pub fn name(&self) -> &str {
        match self {
            Principal::Operator => "operator",
            Principal::Anonymous => "anonymous",
            Principal::User(account) => &account.name,
        }
    }

    /// The signed-in user, if any.
    pub fn account(&self) -> Option<&Account> {
        match self {
            Principal::User(account) => Some(account),
            _ => None,
        }
    }
}
