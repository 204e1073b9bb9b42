//! Who may read a memory or termbase, over HTTP: its visibility and the users and groups
//! it is shared with. Only those who may write it (its owner, an admin) see or change
//! this; sharing a private collection with someone makes it shared.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use stdbridge_app::access::{self, Kind, Named};
use stdbridge_app::model::Visibility;

use crate::extract::{JsonBody, PathPair, PathText, path_id};
use crate::memories::VisibilityName;
use crate::{ApiError, AppState, Who};

/// Who may read a collection.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Sharing {
    /// `private`, `shared` or `public`.
    pub visibility: String,
    /// The users it is shared with (they read it while it is `shared`).
    pub users: Vec<String>,
    /// The groups it is shared with (their members read it while it is `shared`).
    pub groups: Vec<String>,
}

/// A new visibility.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVisibility {
    /// `private`, `shared` or `public` (admins only).
    pub visibility: VisibilityName,
}

fn id_of(kind: Kind, text: &str) -> Result<i64, ApiError> {
    path_id(
        text,
        match kind {
            Kind::Memory => "memory",
            Kind::Termbase => "termbase",
        },
    )
}

async fn sharing_of(
    state: &AppState,
    who: &stdbridge_app::Principal,
    kind: Kind,
    id: i64,
) -> Result<Sharing, ApiError> {
    let shared = access::shared_to(&state.app, who, kind, Named::Id(id)).await?;
    let collection = access::readable(&state.app, who, kind, Named::Id(id)).await?;
    Ok(Sharing {
        visibility: collection.visibility.as_str().to_owned(),
        users: shared.users,
        groups: shared.groups,
    })
}

async fn shares(
    state: &AppState,
    who: Who,
    kind: Kind,
    id: &str,
) -> Result<Json<Sharing>, ApiError> {
    let id = id_of(kind, id)?;
    Ok(Json(sharing_of(state, &who.0, kind, id).await?))
}

async fn share(
    state: &AppState,
    who: Who,
    kind: Kind,
    PathPair(id, user): PathPair,
    shared: bool,
) -> Result<Json<Sharing>, ApiError> {
    let id = id_of(kind, &id)?;
    access::share(&state.app, &who.0, kind, Named::Id(id), &user, shared).await?;
    Ok(Json(sharing_of(state, &who.0, kind, id).await?))
}

async fn share_with_group(
    state: &AppState,
    who: Who,
    kind: Kind,
    PathPair(id, group): PathPair,
    shared: bool,
) -> Result<Json<Sharing>, ApiError> {
    let id = id_of(kind, &id)?;
    access::share_with_group(&state.app, &who.0, kind, Named::Id(id), &group, shared).await?;
    Ok(Json(sharing_of(state, &who.0, kind, id).await?))
}

async fn set_visibility(
    state: &AppState,
    who: Who,
    kind: Kind,
    id: &str,
    body: NewVisibility,
) -> Result<Json<Sharing>, ApiError> {
    let id = id_of(kind, id)?;
    let visibility = Visibility::from(body.visibility);
    access::set_visibility(&state.app, &who.0, kind, Named::Id(id), visibility).await?;
    Ok(Json(sharing_of(state, &who.0, kind, id).await?))
}

/// Declares the six sharing handlers of one kind of collection.
macro_rules! sharing_routes {
    ($kind:expr, $shares_path:literal, $user_path:literal, $group_path:literal, $visibility_path:literal, $shares:ident, $share:ident, $unshare:ident, $share_group:ident, $unshare_group:ident, $visibility:ident) => {
        /// Who may read the memory or termbase: its visibility and the users it is shared
        /// with (for its owner or an admin).
        #[utoipa::path(get, path = $shares_path, tag = "translation",
            params(("id" = i64, Path, description = "Its id", example = 1)),
            responses(
                (status = 200, description = "Its visibility, users and groups", body = Sharing),
                (status = 400, description = "Not an id", body = crate::ErrorBody),
                (status = 401, description = "No credentials", body = crate::ErrorBody),
                (status = 403, description = "The caller may read it but not change it", body = crate::ErrorBody),
                (status = 404, description = "None the caller may read", body = crate::ErrorBody),
            ))]
        pub async fn $shares(
            State(state): State<Arc<AppState>>,
            who: Who,
            PathText(id): PathText,
        ) -> Result<Json<Sharing>, ApiError> {
            shares(&state, who, $kind, &id).await
        }

        /// Shares the memory or termbase with a user (a private one becomes shared).
        #[utoipa::path(put, path = $user_path, tag = "translation",
            params(
                ("id" = i64, Path, description = "Its id", example = 1),
                ("user" = String, Path, description = "The user's name", example = "demo-translator"),
            ),
            responses(
                (status = 200, description = "Its visibility, users and groups", body = Sharing),
                (status = 400, description = "Not an id, or no such user", body = crate::ErrorBody),
                (status = 401, description = "No credentials", body = crate::ErrorBody),
                (status = 403, description = "The caller may read it but not change it", body = crate::ErrorBody),
                (status = 404, description = "None the caller may read", body = crate::ErrorBody),
            ))]
        pub async fn $share(
            State(state): State<Arc<AppState>>,
            who: Who,
            path: PathPair,
        ) -> Result<Json<Sharing>, ApiError> {
            share(&state, who, $kind, path, true).await
        }

        /// Stops sharing the memory or termbase with a user.
        #[utoipa::path(delete, path = $user_path, tag = "translation",
            params(
                ("id" = i64, Path, description = "Its id", example = 1),
                ("user" = String, Path, description = "The user's name", example = "demo-translator"),
            ),
            responses(
                (status = 200, description = "Its visibility, users and groups", body = Sharing),
                (status = 400, description = "Not an id, or no such user", body = crate::ErrorBody),
                (status = 401, description = "No credentials", body = crate::ErrorBody),
                (status = 403, description = "The caller may read it but not change it", body = crate::ErrorBody),
                (status = 404, description = "None the caller may read", body = crate::ErrorBody),
            ))]
        pub async fn $unshare(
            State(state): State<Arc<AppState>>,
            who: Who,
            path: PathPair,
        ) -> Result<Json<Sharing>, ApiError> {
            share(&state, who, $kind, path, false).await
        }

        /// Shares the memory or termbase with a group the caller belongs to (an admin: any
        /// group); a private one becomes shared.
        #[utoipa::path(put, path = $group_path, tag = "translation",
            params(
                ("id" = i64, Path, description = "Its id", example = 1),
                ("group" = String, Path, description = "The group's name", example = "demo-team"),
            ),
            responses(
                (status = 200, description = "Its visibility, users and groups", body = Sharing),
                (status = 400, description = "Not an id", body = crate::ErrorBody),
                (status = 401, description = "No credentials", body = crate::ErrorBody),
                (status = 403, description = "The caller may read it but not change it", body = crate::ErrorBody),
                (status = 404, description = "None the caller may read, or no group of the caller's", body = crate::ErrorBody),
            ))]
        pub async fn $share_group(
            State(state): State<Arc<AppState>>,
            who: Who,
            path: PathPair,
        ) -> Result<Json<Sharing>, ApiError> {
            share_with_group(&state, who, $kind, path, true).await
        }

        /// Stops sharing the memory or termbase with a group.
        #[utoipa::path(delete, path = $group_path, tag = "translation",
            params(
                ("id" = i64, Path, description = "Its id", example = 1),
                ("group" = String, Path, description = "The group's name", example = "demo-team"),
            ),
            responses(
                (status = 200, description = "Its visibility, users and groups", body = Sharing),
                (status = 400, description = "Not an id", body = crate::ErrorBody),
                (status = 401, description = "No credentials", body = crate::ErrorBody),
                (status = 403, description = "The caller may read it but not change it", body = crate::ErrorBody),
                (status = 404, description = "None the caller may read, or no group of the caller's", body = crate::ErrorBody),
            ))]
        pub async fn $unshare_group(
            State(state): State<Arc<AppState>>,
            who: Who,
            path: PathPair,
        ) -> Result<Json<Sharing>, ApiError> {
            share_with_group(&state, who, $kind, path, false).await
        }

        /// Sets who may read the memory or termbase: private, shared or public (admins only).
        #[utoipa::path(put, path = $visibility_path, tag = "translation",
            params(("id" = i64, Path, description = "Its id", example = 1)),
            request_body = NewVisibility,
            responses(
                (status = 200, description = "Its visibility, users and groups", body = Sharing),
                (status = 400, description = "Not an id, or a bad body", body = crate::ErrorBody),
                (status = 401, description = "No credentials", body = crate::ErrorBody),
                (status = 403, description = "The caller may read it but not change it, or public by a non-admin", body = crate::ErrorBody),
                (status = 404, description = "None the caller may read", body = crate::ErrorBody),
            ))]
        pub async fn $visibility(
            State(state): State<Arc<AppState>>,
            who: Who,
            PathText(id): PathText,
            JsonBody(body): JsonBody<NewVisibility>,
        ) -> Result<Json<Sharing>, ApiError> {
            set_visibility(&state, who, $kind, &id, body).await
        }
    };
}

sharing_routes!(
    Kind::Memory,
    "/api/v1/memories/{id}/shares",
    "/api/v1/memories/{id}/shares/{user}",
    "/api/v1/memories/{id}/group-shares/{group}",
    "/api/v1/memories/{id}/visibility",
    memory_shares,
    share_memory,
    unshare_memory,
    share_memory_with_group,
    unshare_memory_with_group,
    memory_visibility
);
sharing_routes!(
    Kind::Termbase,
    "/api/v1/termbases/{id}/shares",
    "/api/v1/termbases/{id}/shares/{user}",
    "/api/v1/termbases/{id}/group-shares/{group}",
    "/api/v1/termbases/{id}/visibility",
    termbase_shares,
    share_termbase,
    unshare_termbase,
    share_termbase_with_group,
    unshare_termbase_with_group,
    termbase_visibility
);
