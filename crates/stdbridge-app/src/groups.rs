//! Groups of users — a team, a department — that memories and termbases are shared with.
//! Admins make groups and choose their members; a member shares what they own with their
//! groups, and reads what is shared with them.

use stdbridge_storage::Group;

use crate::accounts::now_rfc3339;
use crate::authz::{Action, authorize};
use crate::{App, AppError, Principal};

/// A group's name: what a URL path carries as it is.
fn check_group_name(name: &str) -> Result<(), AppError> {
    let valid = !name.is_empty()
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if valid {
        Ok(())
    } else {
        Err(AppError::bad_field(
            "name",
            "a group name has 1 to 64 letters, digits, '.', '_' or '-'",
        ))
    }
}

/// Makes a group (admins).
pub async fn create(app: &App, who: &Principal, name: &str) -> Result<Group, AppError> {
    authorize(app.config(), who, Action::ManageUsers)?;
    check_group_name(name)?;
    Ok(app.db().await?.create_group(name, &now_rfc3339()).await?)
}

/// Deletes a group (admins); what was shared with it is no longer shared with its members.
pub async fn delete(app: &App, who: &Principal, name: &str) -> Result<(), AppError> {
    authorize(app.config(), who, Action::ManageUsers)?;
    let group = existing(app, name).await?;
    app.db().await?.delete_group(group.id).await?;
    Ok(())
}

/// Adds a user to a group or takes them out (admins); the group as it is now.
pub async fn set_member(
    app: &App,
    who: &Principal,
    group: &str,
    user: &str,
    member: bool,
) -> Result<Group, AppError> {
    authorize(app.config(), who, Action::ManageUsers)?;
    let found = existing(app, group).await?;
    let db = app.db().await?;
    let Some(target) = db.user_by_name(user).await? else {
        return Err(AppError::bad_field("user", format!("no user {user:?}")));
    };
    db.set_member(found.id, target.user.id, member).await?;
    existing(app, group).await
}

/// The groups `who` may see: every group for an admin or the command line, a user's own
/// groups for anyone else.
pub async fn list(app: &App, who: &Principal) -> Result<Vec<Group>, AppError> {
    authorize(app.config(), who, Action::UseTranslation)?;
    let groups = app.db().await?.groups().await?;
    if authorize(app.config(), who, Action::ManageUsers).is_ok() {
        return Ok(groups);
    }
    let name = who.account().map(|a| a.name.as_str()).unwrap_or_default();
    Ok(groups
        .into_iter()
        .filter(|group| group.members.iter().any(|member| member == name))
        .collect())
}

/// The group of this name if `who` may see it (an admin any, a user their own); not found
/// otherwise, whether it exists or not.
pub async fn visible_group(app: &App, who: &Principal, name: &str) -> Result<Group, AppError> {
    list(app, who)
        .await?
        .into_iter()
        .find(|group| group.name == name)
        .ok_or_else(|| no_group(name))
}

async fn existing(app: &App, name: &str) -> Result<Group, AppError> {
    app.db()
        .await?
        .group_by_name(name)
        .await?
        .ok_or_else(|| no_group(name))
}

fn no_group(name: &str) -> AppError {
    AppError::not_found(format!("no group {name:?} of yours"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_names_are_path_safe() {
        assert!(check_group_name("team-a_1.b").is_ok());
        assert!(check_group_name("标准化组").is_ok());
        for bad in ["", "a/b", "a b", "a%2F", &"x".repeat(65)] {
            assert!(check_group_name(bad).is_err(), "{bad:?}");
        }
    }
}
