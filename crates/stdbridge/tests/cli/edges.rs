//! Edges a new user meets on the command line: output piped into `head`, and the
//! permissions of the files a command writes.

use std::process::{Command, Stdio};

use super::{demo, stdbridge};

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let dir = demo();
    let mut child = Command::new(env!("CARGO_BIN_EXE_stdbridge"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["search", "", "--limit", "400"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // The reader goes before anything is written: every write meets a closed pipe.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("it ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn written_files_get_the_usual_permissions_not_a_temporary_file_s() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("notes.md");
    std::fs::write(&input, "# 范围\n\n本标准规定了罐式集装箱的技术要求。\n").expect("writes");
    let xliff = dir.path().join("notes.xlf");
    let output = stdbridge(
        &dir.path().join("data"),
        &[
            "extract",
            input.to_str().expect("utf-8"),
            "-o",
            xliff.to_str().expect("utf-8"),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The mode any new file gets here under this process's umask (0644 under 022).
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(
        mode(&xliff),
        mode(&input),
        "as a file made by the shell would be"
    );
}
