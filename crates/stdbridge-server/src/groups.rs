//! Groups of users over HTTP: admins make them and choose their members; every signed-in
//! user lists the groups they belong to (to share with them).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use stdbridge_app::groups;

use crate::extract::{JsonBody, PathPair, PathText};
use crate::{ApiError, AppState, Who};

/// A group and its members.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GroupView {
    /// Its name.
    pub name: String,
    /// Its members' names.
    pub members: Vec<String>,
}

impl From<stdbridge_app::model::Group> for GroupView {
    fn from(group: stdbridge_app::model::Group) -> GroupView {
        GroupView {
            name: group.name,
            members: group.members,
        }
    }
}

/// The groups the caller may see.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GroupList {
    /// By name.
    pub groups: Vec<GroupView>,
}

/// A new group.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroup {
    /// 1 to 64 letters, digits, '.', '_' or '-'.
    #[schema(example = "demo-team")]
    pub name: String,
}

/// The groups the caller may see: all of them for an admin, their own for anyone else.
#[utoipa::path(get, path = "/api/v1/groups", tag = "accounts",
    responses(
        (status = 200, description = "The groups", body = GroupList),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
    ))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
) -> Result<Json<GroupList>, ApiError> {
    let groups = groups::list(&state.app, &who).await?;
    Ok(Json(GroupList {
        groups: groups.into_iter().map(GroupView::from).collect(),
    }))
}

/// Makes a group (admins).
#[utoipa::path(post, path = "/api/v1/groups", tag = "accounts",
    request_body = NewGroup,
    responses(
        (status = 201, description = "The group", body = GroupView),
        (status = 400, description = "A bad body or name", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 403, description = "Not an admin, or a read-only token", body = crate::ErrorBody),
        (status = 409, description = "The name is taken", body = crate::ErrorBody),
    ))]
pub async fn create(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    JsonBody(body): JsonBody<NewGroup>,
) -> Result<(StatusCode, Json<GroupView>), ApiError> {
    let group = groups::create(&state.app, &who, &body.name).await?;
    Ok((StatusCode::CREATED, Json(group.into())))
}

/// Deletes a group (admins); what was shared with it is no longer shared with its members.
#[utoipa::path(delete, path = "/api/v1/groups/{group}", tag = "accounts",
    params(("group" = String, Path, description = "The group's name", example = "demo-team")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 403, description = "Not an admin, or a read-only token", body = crate::ErrorBody),
        (status = 404, description = "No such group", body = crate::ErrorBody),
    ))]
pub async fn delete(
    State(state): State<Arc<AppState>>,
    Who(who): Who,
    PathText(group): PathText,
) -> Result<StatusCode, ApiError> {
    groups::delete(&state.app, &who, &group).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn membership(
    state: &AppState,
    who: Who,
    PathPair(group, user): PathPair,
    member: bool,
) -> Result<Json<GroupView>, ApiError> {
    let group = groups::set_member(&state.app, &who.0, &group, &user, member).await?;
    Ok(Json(group.into()))
}

/// Adds a user to a group (admins).
#[utoipa::path(put, path = "/api/v1/groups/{group}/members/{user}", tag = "accounts",
    params(
        ("group" = String, Path, description = "The group's name", example = "demo-team"),
        ("user" = String, Path, description = "The user's name", example = "demo-translator"),
    ),
    responses(
        (status = 200, description = "The group", body = GroupView),
        (status = 400, description = "No such user", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 403, description = "Not an admin, or a read-only token", body = crate::ErrorBody),
        (status = 404, description = "No such group", body = crate::ErrorBody),
    ))]
pub async fn add_member(
    State(state): State<Arc<AppState>>,
    who: Who,
    path: PathPair,
) -> Result<Json<GroupView>, ApiError> {
    membership(&state, who, path, true).await
}

/// Takes a user out of a group (admins).
#[utoipa::path(delete, path = "/api/v1/groups/{group}/members/{user}", tag = "accounts",
    params(
        ("group" = String, Path, description = "The group's name", example = "demo-team"),
        ("user" = String, Path, description = "The user's name", example = "demo-translator"),
    ),
    responses(
        (status = 200, description = "The group", body = GroupView),
        (status = 400, description = "No such user", body = crate::ErrorBody),
        (status = 401, description = "No credentials", body = crate::ErrorBody),
        (status = 403, description = "Not an admin, or a read-only token", body = crate::ErrorBody),
        (status = 404, description = "No such group", body = crate::ErrorBody),
    ))]
pub async fn remove_member(
    State(state): State<Arc<AppState>>,
    who: Who,
    path: PathPair,
) -> Result<Json<GroupView>, ApiError> {
    membership(&state, who, path, false).await
}
