//! `stdbridge user …` and `stdbridge group …`: the server's users, their API tokens and
//! their groups.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::Context;
use stdbridge_app::{App, Principal, accounts, groups};

use crate::cli::{GroupCommand, UserCommand};

const WHO: &Principal = &Principal::Operator;

/// One line of standard input, without its line break.
fn password_from_stdin() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

pub async fn run(app: &App, action: UserCommand) -> anyhow::Result<ExitCode> {
    match action {
        UserCommand::Add {
            name,
            role,
            email,
            password_stdin,
        } => {
            let password = password_stdin.then(password_from_stdin).transpose()?;
            let user = accounts::add_user(
                app,
                WHO,
                &name,
                email.as_deref(),
                role.into(),
                password.as_deref(),
            )
            .await?;
            eprintln!("added {} ({})", user.name, user.role.as_str());
        }
        UserCommand::List { json } => {
            let users = accounts::list_users(app, WHO).await?;
            if json {
                super::print_json(&users)?;
            } else if users.is_empty() {
                outln!(
                    "no users (add the first admin: stdbridge user add NAME --role admin --password-stdin)"
                );
            } else {
                for user in users {
                    outln!(
                        "{:24} {:10} {}{}",
                        user.name,
                        user.role.as_str(),
                        user.email.as_deref().unwrap_or("-"),
                        if user.disabled { "  (disabled)" } else { "" }
                    );
                }
            }
        }
        UserCommand::SetRole { name, role } => {
            accounts::set_role(app, WHO, &name, role.into()).await?;
            eprintln!(
                "{name} is now {}",
                stdbridge_app::model::Role::from(role).as_str()
            );
        }
        UserCommand::Disable { name } => {
            accounts::set_disabled(app, WHO, &name, true).await?;
            eprintln!("{name} is disabled; their sessions ended");
        }
        UserCommand::Enable { name } => {
            accounts::set_disabled(app, WHO, &name, false).await?;
            eprintln!("{name} is enabled");
        }
        UserCommand::Password { name } => {
            let password = password_from_stdin()?;
            accounts::set_password(app, WHO, &name, &password).await?;
            eprintln!("password of {name} set");
        }
        UserCommand::Token { name, scope, label } => {
            let issued =
                accounts::issue_token(app, WHO, &name, scope.into(), label.as_deref()).await?;
            outln!("{}", issued.secret);
        }
        UserCommand::Tokens { name } => {
            for token in accounts::tokens(app, WHO, &name).await? {
                outln!(
                    "{:6} {:5} {:20} {}{}",
                    token.id,
                    token.scope.as_str(),
                    token.label.as_deref().unwrap_or("-"),
                    token.created_at,
                    if token.revoked_at.is_some() {
                        "  (revoked)"
                    } else {
                        ""
                    }
                );
            }
        }
        UserCommand::Revoke { name, id } => {
            accounts::revoke_token(app, WHO, &name, id).await?;
            eprintln!("token {id} of {name} revoked");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn run_group(app: &App, action: GroupCommand) -> anyhow::Result<ExitCode> {
    match action {
        GroupCommand::Add { name } => {
            let group = groups::create(app, WHO, &name).await?;
            eprintln!("added group {}", group.name);
        }
        GroupCommand::List { json } => {
            let groups = groups::list(app, WHO).await?;
            if json {
                super::print_json(&groups)?;
            } else if groups.is_empty() {
                outln!("no groups (make one: stdbridge group add NAME)");
            } else {
                for group in groups {
                    outln!("{:24} {}", group.name, group.members.join(", "));
                }
            }
        }
        GroupCommand::Rm { name } => {
            groups::delete(app, WHO, &name).await?;
            eprintln!("deleted group {name}");
        }
        GroupCommand::AddMember { group, user } => {
            groups::set_member(app, WHO, &group, &user, true).await?;
            eprintln!("{user} is in {group}");
        }
        GroupCommand::RemoveMember { group, user } => {
            groups::set_member(app, WHO, &group, &user, false).await?;
            eprintln!("{user} is no longer in {group}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
