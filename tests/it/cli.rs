//! The `cartable` program as scripts and maintainers use it: account commands, a second
//! server on the same data directory, and a kill -9 that must lose nothing acknowledged.

use crate::support::{PASSWORD, cookie_client, csrf_in, login, page_text};
use std::io::Write;

use crate::support::process::{add_user, cartable, serve};

#[test]
fn user_add_reads_the_password_from_stdin_and_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = cartable(
        d,
        &[
            "user",
            "add",
            "--username",
            "mme.diop",
            "--role",
            "teacher",
            "--class",
            "6e A",
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = cartable(d, &["user", "list"], None);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(text.contains("mme.diop\tteacher"), "{text}");
    // Bad input: a clear message, a failing exit code, nothing created.
    for (args, needle) in [
        (
            vec![
                "user",
                "add",
                "--username",
                "Bad Name",
                "--role",
                "pupil",
                "--password-stdin",
            ],
            "refused",
        ),
        (
            vec![
                "user",
                "add",
                "--username",
                "okname",
                "--role",
                "wizard",
                "--password-stdin",
            ],
            "unknown role",
        ),
        (
            vec![
                "user",
                "add",
                "--username",
                "mme.diop",
                "--role",
                "pupil",
                "--password-stdin",
            ],
            "already taken",
        ),
    ] {
        let out = cartable(d, &args, Some(&format!("{PASSWORD}\n")));
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let out = cartable(
        d,
        &[
            "user",
            "add",
            "--username",
            "shorty",
            "--role",
            "pupil",
            "--password-stdin",
        ],
        Some("abc\n"),
    );
    assert!(!out.status.success());
    let list = cartable(d, &["user", "list"], None);
    assert_eq!(String::from_utf8_lossy(&list.stdout).lines().count(), 1);
    let out = cartable(d, &["check"], None);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("database: ok"));
}

#[test]
fn a_second_server_on_the_same_data_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = serve(dir.path());
    let out = cartable(
        dir.path(),
        &[
            "serve",
            "--http",
            "127.0.0.1:0",
            "--https",
            "127.0.0.1:0",
            "--smtp",
            "127.0.0.1:0",
            "--submission",
            "127.0.0.1:0",
            "--submissions",
            "127.0.0.1:0",
        ],
        None,
    );
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already using the data directory"), "{err}");
}

#[test]
fn a_password_change_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_user(d, "kader", "pupil");
    let mut server = serve(d);
    let base = server.base.clone();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = cookie_client();
        assert_eq!(login(&c, &base, "kader", PASSWORD).await.status(), 303);
        let page = page_text(&c, format!("{base}/password")).await;
        let r = c
            .post(format!("{base}/password"))
            .form(&[
                ("csrf", csrf_in(&page).as_str()),
                ("current", PASSWORD),
                ("new", "baobab-sous-la-pluie"),
                ("confirm", "baobab-sous-la-pluie"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "the change was acknowledged");
    });
    // kill -9 right after the acknowledgement: no clean shutdown, no chance to flush.
    server.child.kill().unwrap(); // std sends SIGKILL on Unix
    server.child.wait().unwrap();
    let mut server = serve(d);
    let base = server.base.clone();
    rt.block_on(async {
        let c = cookie_client();
        assert_eq!(
            login(&c, &base, "kader", "baobab-sous-la-pluie")
                .await
                .status(),
            303
        );
    });
    server.child.kill().unwrap();
    server.child.wait().unwrap();
}

#[test]
fn disable_stops_logins() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(
        cartable(
            d,
            &[
                "user",
                "add",
                "--username",
                "seydou",
                "--role",
                "parent",
                "--password-stdin"
            ],
            Some(PASSWORD)
        )
        .status
        .success()
    );
    assert!(
        cartable(d, &["user", "disable", "seydou"], None)
            .status
            .success()
    );
    let out = cartable(d, &["user", "disable", "nobody"], None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no account named nobody"));
    let mut server = serve(d);
    let base = server.base.clone();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = cookie_client();
        assert_eq!(login(&c, &base, "seydou", PASSWORD).await.status(), 200);
    });
    server.child.kill().unwrap();
    server.child.wait().unwrap();
}

#[test]
fn a_message_acknowledged_by_smtp_survives_kill_9() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = cartable(d, &["mail", "config", "--domain", "ecole.test"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    add_user(d, "kader", "pupil");
    let mut server = serve(d);
    let (base, smtp) = (server.base.clone(), server.smtp.clone());
    let mut conn = std::net::TcpStream::connect(&smtp).unwrap();
    conn.write_all(
        b"EHLO t\r\nMAIL FROM:<parent@dehors.test>\r\nRCPT TO:<kader@ecole.test>\r\nDATA\r\n",
    )
    .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&got).contains("354 ") {
        let n = conn.read(&mut buf).unwrap();
        assert!(n > 0, "{}", String::from_utf8_lossy(&got));
        got.extend_from_slice(&buf[..n]);
    }
    conn.write_all(b"Subject: kept\r\n\r\nsaved before the 250\r\n.\r\n")
        .unwrap();
    got.clear();
    while !String::from_utf8_lossy(&got).contains("\r\n") {
        let n = conn.read(&mut buf).unwrap();
        got.extend_from_slice(&buf[..n]);
    }
    assert!(
        got.starts_with(b"250 "),
        "{}",
        String::from_utf8_lossy(&got)
    );
    // kill -9 right after the 250: the message is in the inbox and on disk.
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    drop(base);
    let db = rusqlite::Connection::open(d.join("cartable.db")).unwrap();
    let (subject, file): (String, String) = db
        .query_row(
            "SELECT m.subject, m.file FROM mail_entries e JOIN mail_messages m ON m.id = e.message_id
             JOIN users u ON u.id = e.user_id WHERE u.username = 'kader' AND e.folder = 'inbox'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(subject, "kept");
    let raw = std::fs::read_to_string(d.join("mail/store").join(file)).unwrap();
    assert!(
        raw.ends_with("Subject: kept\r\n\r\nsaved before the 250\r\n"),
        "{raw:?}"
    );
}
