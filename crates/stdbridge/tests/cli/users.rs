//! `stdbridge user …` as its contract says: a password from standard input, a token on
//! stdout as one line, clear refusals.

use std::io::Write;
use std::process::{Command, Stdio};

use super::{json, stdbridge, stdout};

fn add_with_password(
    dir: &std::path::Path,
    name: &str,
    role: &str,
    password: &str,
) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stdbridge"))
        .arg("--data-dir")
        .arg(dir)
        .args(["user", "add", name, "--role", role, "--password-stdin"])
        .env_remove("STDBRIDGE_DATA")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("password written");
    child.wait_with_output().expect("it ends")
}

#[test]
fn a_user_is_added_with_a_password_from_stdin_and_gets_a_one_line_token() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let added = add_with_password(dir.path(), "ana", "translator", "a long enough password");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let token = stdbridge(dir.path(), &["user", "token", "ana", "--scope", "read"]);
    assert!(
        token.status.success(),
        "{}",
        String::from_utf8_lossy(&token.stderr)
    );
    let printed = stdout(&token);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 1, "{printed:?}");
    assert!(
        lines[0].starts_with("sbt_") && lines[0].len() > 40,
        "{printed:?}"
    );

    let listed = stdout(&stdbridge(dir.path(), &["user", "list"]));
    assert!(
        listed.contains("ana") && listed.contains("translator"),
        "{listed}"
    );
    let tokens = stdout(&stdbridge(dir.path(), &["user", "tokens", "ana"]));
    assert!(
        tokens.contains("read") && !tokens.contains(lines[0]),
        "{tokens}"
    );

    let again = add_with_password(dir.path(), "ana", "reader", "another long password");
    assert_eq!(again.status.code(), Some(4), "a taken name is a conflict");
    let short = add_with_password(dir.path(), "ben", "reader", "short");
    assert_eq!(short.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 8 characters"));
    let reserved = add_with_password(dir.path(), "operator", "admin", "a long enough password");
    assert_eq!(reserved.status.code(), Some(2));
    let missing = stdbridge(dir.path(), &["user", "token", "nobody"]);
    assert_eq!(missing.status.code(), Some(3), "no such user");

    let store = std::fs::read(dir.path().join("stdbridge.sqlite")).expect("the store");
    let wal = std::fs::read(dir.path().join("stdbridge.sqlite-wal")).unwrap_or_default();
    for bytes in [store, wal] {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("a long enough password"),
            "a password in the store"
        );
        assert!(!text.contains(lines[0]), "a token in the store");
    }
}

#[test]
fn groups_are_made_filled_listed_and_deleted_on_the_command_line() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for name in ["ana", "ben"] {
        let added = add_with_password(dir.path(), name, "translator", "a long enough password");
        assert!(added.status.success(), "{added:?}");
    }
    let made = stdbridge(dir.path(), &["group", "add", "team-a"]);
    assert!(made.status.success(), "{made:?}");
    let taken = stdbridge(dir.path(), &["group", "add", "team-a"]);
    assert_eq!(taken.status.code(), Some(4), "a taken name is a conflict");
    let bad = stdbridge(dir.path(), &["group", "add", "a b"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("group name"));
    for user in ["ben", "ana"] {
        let joined = stdbridge(dir.path(), &["group", "add-member", "team-a", user]);
        assert!(joined.status.success(), "{joined:?}");
    }
    let nobody = stdbridge(dir.path(), &["group", "add-member", "team-a", "nobody"]);
    assert_eq!(nobody.status.code(), Some(2), "no such user");
    let listed = json(&stdbridge(dir.path(), &["group", "list", "--json"]));
    assert_eq!(listed[0]["name"], "team-a");
    assert_eq!(listed[0]["members"], serde_json::json!(["ana", "ben"]));
    let left = stdbridge(dir.path(), &["group", "remove-member", "team-a", "ben"]);
    assert!(left.status.success(), "{left:?}");
    let listed = stdout(&stdbridge(dir.path(), &["group", "list"]));
    assert!(
        listed.contains("team-a") && !listed.contains("ben"),
        "{listed}"
    );
    let deleted = stdbridge(dir.path(), &["group", "rm", "team-a"]);
    assert!(deleted.status.success(), "{deleted:?}");
    let again = stdbridge(dir.path(), &["group", "rm", "team-a"]);
    assert_eq!(again.status.code(), Some(3), "no such group");
}
