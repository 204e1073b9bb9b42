//! Finding the memories and termbases a principal may read or write: every use case that
//! names one goes through here, so that a private resource is found by its owner (and
//! the users and groups it is shared with) and by nobody else, on every path — lookup, concordance,
//! export, listings, pre-translation, term recognition.

use stdbridge_storage::{Collection, SharedKind, Visibility};

use crate::authz::{Action, authorize};
use crate::{App, AppError, Principal};

/// Which kind of collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Translation memories.
    Memory,
    /// Termbases.
    Termbase,
}

impl Kind {
    fn shared(self) -> SharedKind {
        match self {
            Kind::Memory => SharedKind::Memory,
            Kind::Termbase => SharedKind::Termbase,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Kind::Memory => "memory",
            Kind::Termbase => "termbase",
        }
    }
}

/// Which collection: by name (the CLI, request bodies) or by id (the API's paths).
#[derive(Debug, Clone, Copy)]
pub enum Named<'a> {
    /// By its unique name.
    Name(&'a str),
    /// By its row id.
    Id(i64),
}

impl std::fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Named::Name(name) => write!(f, "{name:?}"),
            Named::Id(id) => write!(f, "{id}"),
        }
    }
}

fn missing(kind: Kind, named: Named<'_>) -> AppError {
    AppError::not_found(format!("no {} {named}", kind.word()))
}

async fn find(app: &App, kind: Kind, named: Named<'_>) -> Result<Option<Collection>, AppError> {
    let db = app.db().await?;
    Ok(match (kind, named) {
        (Kind::Memory, Named::Name(name)) => db.memory(name).await?,
        (Kind::Memory, Named::Id(id)) => db.memory_by_id(id).await?,
        (Kind::Termbase, Named::Name(name)) => db.termbase(name).await?,
        (Kind::Termbase, Named::Id(id)) => db.termbase_by_id(id).await?,
    })
}

/// Whether `who` may read `collection`; refused as not found.
pub async fn may_read(
    app: &App,
    who: &Principal,
    kind: Kind,
    collection: &Collection,
) -> Result<(), AppError> {
    let shared_with_caller = match who.account() {
        Some(account) => app
            .db()
            .await?
            .shared_with(kind.shared(), account.id)
            .await?
            .contains(&collection.id),
        None => false,
    };
    authorize(
        app.config(),
        who,
        Action::ReadCollection {
            collection,
            shared_with_caller,
        },
    )
    .map_err(|error| match error.kind {
        crate::ErrorKind::NotFound => missing(kind, Named::Id(collection.id)),
        _ => error,
    })
}

/// The collection, if `who` may read it; not found otherwise (whether it exists or not).
pub async fn readable(
    app: &App,
    who: &Principal,
    kind: Kind,
    named: Named<'_>,
) -> Result<Collection, AppError> {
    authorize(app.config(), who, Action::UseTranslation)?;
    let collection = find(app, kind, named)
        .await?
        .ok_or_else(|| missing(kind, named))?;
    may_read(app, who, kind, &collection)
        .await
        .map_err(|error| match error.kind {
            crate::ErrorKind::NotFound => missing(kind, named),
            _ => error,
        })?;
    Ok(collection)
}

/// The collection, if `who` may write it (reading it first: one they cannot read is not
/// found).
pub async fn writable(
    app: &App,
    who: &Principal,
    kind: Kind,
    named: Named<'_>,
) -> Result<Collection, AppError> {
    let collection = readable(app, who, kind, named).await?;
    authorize(app.config(), who, Action::WriteCollection(&collection))?;
    Ok(collection)
}

/// Every collection of a kind that `who` may read (with counts).
pub async fn list_readable(
    app: &App,
    who: &Principal,
    kind: Kind,
) -> Result<Vec<Collection>, AppError> {
    authorize(app.config(), who, Action::UseTranslation)?;
    let db = app.db().await?;
    let all = match kind {
        Kind::Memory => db.memories().await?,
        Kind::Termbase => db.termbases().await?,
    };
    let shared = match who.account() {
        Some(account) => db.shared_with(kind.shared(), account.id).await?,
        None => Vec::new(),
    };
    Ok(all
        .into_iter()
        .filter(|collection| {
            let action = Action::ReadCollection {
                collection,
                shared_with_caller: shared.contains(&collection.id),
            };
            authorize(app.config(), who, action).is_ok()
        })
        .collect())
}

/// The names a request reads: each one named must be readable; none named means every
/// readable one.
pub async fn readable_names(
    app: &App,
    who: &Principal,
    kind: Kind,
    names: &[String],
) -> Result<Vec<String>, AppError> {
    if names.is_empty() {
        return Ok(list_readable(app, who, kind)
            .await?
            .into_iter()
            .map(|c| c.name)
            .collect());
    }
    let mut checked = Vec::with_capacity(names.len());
    for name in names {
        checked.push(readable(app, who, kind, Named::Name(name)).await?.name);
    }
    Ok(checked)
}

/// A memory's or termbase's name: what the CLI, TMX/TBX and the API can all carry.
pub fn check_name(name: &str) -> Result<(), AppError> {
    if name.trim().is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(AppError::bad_field(
            "name",
            "a name has 1 to 200 characters, none of them control characters",
        ));
    }
    Ok(())
}

/// The term matcher of the termbases named (each one the caller may read), from `from`
/// to `to`; none when none is named.
pub async fn term_matcher(
    app: &App,
    who: &Principal,
    termbases: &[String],
    from: &str,
    to: &str,
) -> Result<Option<stdbridge_tm::termbase::TermMatcher>, AppError> {
    if termbases.is_empty() {
        return Ok(None);
    }
    let names = readable_names(app, who, Kind::Termbase, termbases)
        .await
        .map_err(|e| e.with_field("termbases"))?;
    Ok(Some(
        app.termbases().await?.matcher(&names, from, to).await?,
    ))
}

/// Shares a collection `who` may write with the user `user` (who then reads it while it
/// is shared), or stops sharing it.
pub async fn share(
    app: &App,
    who: &Principal,
    kind: Kind,
    named: Named<'_>,
    user: &str,
    shared: bool,
) -> Result<Collection, AppError> {
    let collection = writable(app, who, kind, named).await?;
    let db = app.db().await?;
    let Some(target) = db.user_by_name(user).await? else {
        return Err(AppError::bad_field("user", format!("no user {user:?}")));
    };
    if shared {
        db.share(kind.shared(), collection.id, target.user.id)
            .await?;
        shared_now(app, kind, &collection).await?;
    } else {
        db.unshare(kind.shared(), collection.id, target.user.id)
            .await?;
    }
    Ok(collection)
}

/// Shares a collection `who` may write with a group (whose members then read it while it
/// is shared), or stops sharing it. A user shares with the groups they belong to; an
/// admin with any.
pub async fn share_with_group(
    app: &App,
    who: &Principal,
    kind: Kind,
    named: Named<'_>,
    group: &str,
    shared: bool,
) -> Result<Collection, AppError> {
    let collection = writable(app, who, kind, named).await?;
    let group = crate::groups::visible_group(app, who, group)
        .await
        .map_err(|error| error.with_field("group"))?;
    app.db()
        .await?
        .share_group(kind.shared(), collection.id, group.id, shared)
        .await?;
    if shared {
        shared_now(app, kind, &collection).await?;
    }
    Ok(collection)
}

/// Sharing a private collection with someone makes it shared: what the owner asked for is
/// that they read it.
async fn shared_now(app: &App, kind: Kind, collection: &Collection) -> Result<(), AppError> {
    if collection.visibility == Visibility::Private {
        app.db()
            .await?
            .set_visibility(kind.shared(), collection.id, Visibility::Shared)
            .await?;
    }
    Ok(())
}

/// Sets who may read a collection the caller may write: private, shared (with the users
/// it is shared with) or public (admins only, as for making one).
pub async fn set_visibility(
    app: &App,
    who: &Principal,
    kind: Kind,
    named: Named<'_>,
    visibility: Visibility,
) -> Result<Collection, AppError> {
    let collection = writable(app, who, kind, named).await?;
    authorize(app.config(), who, Action::CreateCollection(visibility))?;
    app.db()
        .await?
        .set_visibility(kind.shared(), collection.id, visibility)
        .await?;
    readable(app, who, kind, Named::Id(collection.id)).await
}

/// Who a collection is shared with (for those who may write it): users and groups.
#[derive(Debug, Clone, Default)]
pub struct SharedTo {
    /// The users' names.
    pub users: Vec<String>,
    /// The groups' names.
    pub groups: Vec<String>,
}

/// The users and groups a collection is shared with (for its owner).
pub async fn shared_to(
    app: &App,
    who: &Principal,
    kind: Kind,
    named: Named<'_>,
) -> Result<SharedTo, AppError> {
    let collection = writable(app, who, kind, named).await?;
    let db = app.db().await?;
    Ok(SharedTo {
        users: db.shared_to(kind.shared(), collection.id).await?,
        groups: db.groups_shared_to(kind.shared(), collection.id).await?,
    })
}
