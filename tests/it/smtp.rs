//! The SMTP door spoken to byte by byte, for what a polite client like smtplib never sends:
//! malformed commands, bare LF, lines and messages over the limits, relaying without AUTH,
//! wrong passwords, a client that leaves mid-message. Each is refused with the RFC 5321 reply
//! it calls for, and leaves nothing stored.

use crate::support::{PASSWORD, TestServer};
use base64::Engine;
use cartable::auth::Role;
use cartable::smtp::Kind;
use std::net::SocketAddr;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// A raw SMTP client: sends lines, reads whole (multiline) replies.
pub(crate) struct Client {
    io: BufReader<TcpStream>,
}

impl Client {
    pub(crate) async fn connect(addr: SocketAddr) -> (Client, String) {
        Client::greeted(TcpStream::connect(addr).await.unwrap()).await
    }

    /// Connects from `from`, one of this machine's addresses (any of 127.0.0.0/8 on Linux).
    pub(crate) async fn connect_from(addr: SocketAddr, from: &str) -> (Client, String) {
        let sock = tokio::net::TcpSocket::new_v4().unwrap();
        sock.bind(format!("{from}:0").parse().unwrap()).unwrap();
        Client::greeted(sock.connect(addr).await.unwrap()).await
    }

    async fn greeted(stream: TcpStream) -> (Client, String) {
        let mut c = Client {
            io: BufReader::new(stream),
        };
        let greeting = c.reply().await;
        (c, greeting)
    }

    /// The next reply, all its lines joined with `\n`; empty when the server closed.
    pub(crate) async fn reply(&mut self) -> String {
        let mut all = String::new();
        loop {
            let mut line = String::new();
            if self.io.read_line(&mut line).await.unwrap_or(0) == 0 {
                return all;
            }
            all.push_str(line.trim_end());
            if line.as_bytes().get(3) != Some(&b'-') {
                return all;
            }
            all.push('\n');
        }
    }

    pub(crate) async fn raw(&mut self, bytes: &[u8]) {
        self.io.get_mut().write_all(bytes).await.unwrap();
    }

    pub(crate) async fn cmd(&mut self, line: &str) -> String {
        self.raw(format!("{line}\r\n").as_bytes()).await;
        self.reply().await
    }

    pub(crate) async fn closed(&mut self) -> bool {
        let mut buf = String::new();
        matches!(self.io.read_line(&mut buf).await, Ok(0) | Err(_))
    }

    pub(crate) async fn login(&mut self, user: &str, password: &str) -> String {
        let token =
            base64::engine::general_purpose::STANDARD.encode(format!("\0{user}\0{password}"));
        self.cmd(&format!("AUTH PLAIN {token}")).await
    }
}

pub(crate) fn port(s: &TestServer, kind: Kind) -> SocketAddr {
    s.running
        .smtp
        .iter()
        .find(|(_, k)| *k == kind)
        .map(|(a, _)| *a)
        .unwrap()
}

pub(crate) fn domain(s: &TestServer) -> String {
    s.running.app.settings().mail_domain.clone()
}

pub(crate) async fn stored(s: &TestServer) -> (i64, i64) {
    s.running
        .app
        .db
        .read(|c| {
            Ok(c.query_row(
                "SELECT (SELECT count(*) FROM mail_messages), (SELECT count(*) FROM mail_queue)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .await
        .unwrap()
}

fn files_on_disk(s: &TestServer) -> usize {
    fn walk(p: &std::path::Path) -> usize {
        std::fs::read_dir(p)
            .map(|d| {
                d.flatten()
                    .map(|e| {
                        if e.path().is_dir() {
                            walk(&e.path())
                        } else {
                            1
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    walk(&s.dir.path().join("mail"))
}

#[tokio::test]
async fn each_port_offers_what_it_should() {
    let s = TestServer::start().await;
    let (mut c, greeting) = Client::connect(port(&s, Kind::Incoming)).await;
    assert!(greeting.starts_with("220 "), "{greeting}");
    let ehlo = c.cmd("EHLO client.test").await;
    assert!(ehlo.contains("250-SIZE 10485760"), "{ehlo}");
    assert!(
        ehlo.contains("8BITMIME") && ehlo.contains("STARTTLS"),
        "{ehlo}"
    );
    assert!(!ehlo.contains("AUTH"), "port 25 offers no AUTH: {ehlo}");
    assert!(c.cmd("AUTH PLAIN AGEAYg==").await.starts_with("503 5.5.1"));
    assert!(c.cmd("QUIT").await.starts_with("221 "));

    let (mut c, _) = Client::connect(port(&s, Kind::Submission)).await;
    let ehlo = c.cmd("EHLO client.test").await;
    assert!(
        ehlo.contains("AUTH PLAIN LOGIN"),
        "loopback may AUTH: {ehlo}"
    );
}

#[tokio::test]
async fn never_an_open_relay() {
    let s = TestServer::start().await;
    s.user("t.prof", Role::Teacher).await;
    let (mut c, _) = Client::connect(port(&s, Kind::Incoming)).await;
    c.cmd("EHLO client.test").await;
    assert!(c.cmd("MAIL FROM:<x@outside.test>").await.starts_with("250"));
    let r = c.cmd("RCPT TO:<victim@elsewhere.test>").await;
    assert!(r.starts_with("554 5.7.1"), "{r}");
    let r = c.cmd(&format!("RCPT TO:<nobody@{}>", domain(&s))).await;
    assert!(r.starts_with("550 5.1.1"), "{r}");
    // No valid recipient: DATA is refused.
    assert!(c.cmd("DATA").await.starts_with("554 5.5.1"));
    // A stranger cannot write as one of the school's addresses, nor to a class list.
    c.cmd("RSET").await;
    let r = c.cmd(&format!("MAIL FROM:<t.prof@{}>", domain(&s))).await;
    assert!(r.starts_with("550 5.7.1"), "{r}");

    // The submission port wants AUTH before anything.
    let (mut c, _) = Client::connect(port(&s, Kind::Submission)).await;
    c.cmd("EHLO client.test").await;
    let r = c.cmd("MAIL FROM:<x@outside.test>").await;
    assert!(r.starts_with("530 5.7.0"), "{r}");
    assert_eq!(stored(&s).await, (0, 0));
}

#[tokio::test]
async fn malformed_commands_get_clear_replies_and_too_many_close() {
    let s = TestServer::start().await;
    let (mut c, _) = Client::connect(port(&s, Kind::Incoming)).await;
    assert!(
        c.cmd("MAIL FROM:<a@b.test>").await.starts_with("503 5.5.1"),
        "EHLO first"
    );
    assert!(c.cmd("EHLO").await.starts_with("501"));
    c.cmd("HELO client.test").await;
    assert!(c.cmd("RCPT TO:<a@b.test>").await.starts_with("503"));
    assert!(c.cmd("MAIL FROM:a@b.test").await.starts_with("501"));
    assert!(c.cmd("MAIL FROM:<a@b.test> FOO=1").await.starts_with("555"));
    assert!(
        c.cmd("MAIL FROM:<a@b.test> SIZE=abc")
            .await
            .starts_with("501")
    );
    assert!(c.cmd("DATA").await.starts_with("503"));
    assert!(c.cmd("NOOP").await.starts_with("250"));
    assert!(c.cmd("VRFY someone").await.starts_with("252"));
    let long = format!("NOOP {}", "x".repeat(3000));
    assert!(c.cmd(&long).await.starts_with("500 5.5.2"), "line too long");
    let mut last = String::new();
    for _ in 0..12 {
        last = c.cmd("BOGUS").await;
        if !last.starts_with("500") {
            break;
        }
    }
    assert!(last.starts_with("421"), "{last}");
    assert!(c.closed().await);
}

#[tokio::test]
async fn bare_lf_is_refused_and_closes() {
    let s = TestServer::start().await;
    s.user("amina", Role::Pupil).await;
    let (mut c, _) = Client::connect(port(&s, Kind::Incoming)).await;
    c.cmd("EHLO client.test").await;
    c.raw(b"NOOP\n").await;
    assert!(c.reply().await.starts_with("521 5.5.2"));
    assert!(c.closed().await);

    let (mut c, _) = Client::connect(port(&s, Kind::Incoming)).await;
    c.cmd("EHLO client.test").await;
    c.cmd("MAIL FROM:<x@outside.test>").await;
    assert!(
        c.cmd(&format!("RCPT TO:<amina@{}>", domain(&s)))
            .await
            .starts_with("250")
    );
    assert!(c.cmd("DATA").await.starts_with("354"));
    c.raw(b"Subject: smuggled\r\n\r\nline\n.\nMAIL FROM:<evil@x.test>\r\n.\r\n")
        .await;
    assert!(c.reply().await.starts_with("521 5.5.2"));
    assert!(c.closed().await);
    assert_eq!(stored(&s).await, (0, 0));
    assert_eq!(files_on_disk(&s), 0);
}

#[tokio::test]
async fn limits_on_lines_and_size() {
    let s = TestServer::start().await;
    s.user("amina", Role::Pupil).await;
    s.set_mail(|m| m.max_size = 64 * 1024).await;
    let rcpt = format!("RCPT TO:<amina@{}>", domain(&s));
    let (mut c, _) = Client::connect(port(&s, Kind::Incoming)).await;
    let ehlo = c.cmd("EHLO client.test").await;
    assert!(ehlo.contains("SIZE 65536"), "{ehlo}");
    let r = c.cmd("MAIL FROM:<x@outside.test> SIZE=1000000").await;
    assert!(r.starts_with("552 5.3.4"), "{r}");

    // A line over 1,000 octets.
    c.cmd("MAIL FROM:<x@outside.test>").await;
    c.cmd(&rcpt).await;
    assert!(c.cmd("DATA").await.starts_with("354"));
    c.raw(format!("Subject: long\r\n\r\n{}\r\n.\r\n", "y".repeat(1200)).as_bytes())
        .await;
    let r = c.reply().await;
    assert!(r.starts_with("500 5.5.2"), "{r}");

    // A message over SIZE, in lines that are each fine.
    c.cmd("MAIL FROM:<x@outside.test>").await;
    c.cmd(&rcpt).await;
    assert!(c.cmd("DATA").await.starts_with("354"));
    let line = format!("{}\r\n", "z".repeat(998));
    let mut body = String::from("Subject: big\r\n\r\n");
    for _ in 0..100 {
        body.push_str(&line);
    }
    body.push_str(".\r\n");
    c.raw(body.as_bytes()).await;
    let r = c.reply().await;
    assert!(r.starts_with("552 5.3.4"), "{r}");
    assert_eq!(stored(&s).await, (0, 0));

    // The session goes on: a good message still passes, dot-stuffing undone.
    c.cmd("MAIL FROM:<x@outside.test> BODY=8BITMIME").await;
    c.cmd(&rcpt).await;
    c.cmd("DATA").await;
    c.raw("Subject: fine\r\n\r\n..leading dot\r\nété\r\n.\r\n".as_bytes())
        .await;
    let r = c.reply().await;
    assert!(r.starts_with("250 2.0.0"), "{r}");
    let (raw_file,): (String,) = s
        .running
        .app
        .db
        .read(|c| Ok(c.query_row("SELECT file FROM mail_messages", [], |r| Ok((r.get(0)?,)))?))
        .await
        .unwrap();
    let text = std::fs::read_to_string(s.dir.path().join("mail/store").join(raw_file)).unwrap();
    assert!(
        text.starts_with("Received: from client.test (127.0.0.1)"),
        "{text}"
    );
    assert!(
        text.ends_with("\r\n\r\n.leading dot\r\nété\r\n"),
        "{text:?}"
    );
}

#[tokio::test]
async fn a_client_that_leaves_mid_message_leaves_nothing() {
    let s = TestServer::start().await;
    s.user("amina", Role::Pupil).await;
    let (mut c, _) = Client::connect(port(&s, Kind::Incoming)).await;
    c.cmd("EHLO client.test").await;
    c.cmd("MAIL FROM:<x@outside.test>").await;
    c.cmd(&format!("RCPT TO:<amina@{}>", domain(&s))).await;
    assert!(c.cmd("DATA").await.starts_with("354"));
    c.raw(b"Subject: cut\r\n\r\nhalf a message\r\n").await;
    drop(c);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(stored(&s).await, (0, 0));
    assert_eq!(files_on_disk(&s), 0);
}

#[tokio::test]
async fn auth_uses_the_portal_password_and_its_throttle() {
    let s = TestServer::start().await;
    s.user("t.prof", Role::Teacher).await;
    s.user("amina", Role::Pupil).await;
    let d = domain(&s);
    let (mut c, _) = Client::connect(port(&s, Kind::Submission)).await;
    c.cmd("EHLO client.test").await;
    let r = c.login("t.prof", "wrong-password-here").await;
    assert!(r.starts_with("535 5.7.8"), "{r}");
    // LOGIN, with the whole address as the user name, as many clients send it.
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    assert!(c.cmd("AUTH LOGIN").await.starts_with("334 VXNlcm5hbWU6"));
    assert!(
        c.cmd(&b64(&format!("t.prof@{d}")))
            .await
            .starts_with("334 UGFzc3dvcmQ6")
    );
    assert!(c.cmd(&b64(PASSWORD)).await.starts_with("235 2.7.0"));
    assert!(
        c.login("t.prof", PASSWORD).await.starts_with("503"),
        "only once"
    );
    // Only as oneself, in the envelope and in the header.
    let r = c.cmd(&format!("MAIL FROM:<amina@{d}>")).await;
    assert!(r.starts_with("553 5.7.1"), "{r}");
    assert!(
        c.cmd(&format!("MAIL FROM:<t.prof@{d}>"))
            .await
            .starts_with("250")
    );
    assert!(
        c.cmd(&format!("RCPT TO:<amina@{d}>"))
            .await
            .starts_with("250")
    );
    c.cmd("DATA").await;
    c.raw(format!("From: <amina@{d}>\r\nSubject: forged\r\n\r\nx\r\n.\r\n").as_bytes())
        .await;
    let r = c.reply().await;
    assert!(r.starts_with("550 5.7.1"), "{r}");
    assert_eq!(stored(&s).await, (0, 0));
    // Mail outside with no relay set up: refused at once rather than bounced days later.
    c.cmd(&format!("MAIL FROM:<t.prof@{d}>")).await;
    let r = c.cmd("RCPT TO:<friend@outside.test>").await;
    assert!(r.starts_with("550 5.7.1"), "{r}");

    // Throttled like the portal: five wrong passwords lock the account for a while.
    let (mut c, _) = Client::connect(port(&s, Kind::Submission)).await;
    c.cmd("EHLO client.test").await;
    for _ in 0..5 {
        assert!(
            c.login("amina", "not-the-password")
                .await
                .starts_with("535")
        );
    }
    let r = c.login("amina", PASSWORD).await;
    assert!(r.starts_with("454 4.7.0"), "{r}");
}

#[tokio::test]
async fn class_lists_reach_members_and_only_teachers_write_to_them() {
    let s = TestServer::start().await;
    let class = s.class("6e A").await;
    let teacher = s.user("t.prof", Role::Teacher).await;
    let a = s.user("amina", Role::Pupil).await;
    let b = s.user("bilal", Role::Pupil).await;
    let admin = s.user("chef", Role::Admin).await;
    s.add_member(class, a).await;
    s.add_member(class, b).await;
    s.running
        .app
        .db
        .write(move |tx| {
            tx.execute(
                "INSERT INTO class_teachers (class_id, user_id) VALUES (?1, ?2)",
                [class.0, teacher.0],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let d = domain(&s);
    let (mut c, _) = Client::connect(port(&s, Kind::Submission)).await;
    c.cmd("EHLO client.test").await;
    c.login("amina", PASSWORD).await;
    c.cmd(&format!("MAIL FROM:<amina@{d}>")).await;
    let r = c.cmd(&format!("RCPT TO:<classe+6e-a@{d}>")).await;
    assert!(r.starts_with("550 5.7.1"), "{r}");

    let (mut c, _) = Client::connect(port(&s, Kind::Submission)).await;
    c.cmd("EHLO client.test").await;
    c.login("t.prof", PASSWORD).await;
    c.cmd(&format!("MAIL FROM:<t.prof@{d}>")).await;
    assert!(
        c.cmd(&format!("RCPT TO:<classe+6e-a@{d}>"))
            .await
            .starts_with("250")
    );
    assert!(
        c.cmd(&format!("RCPT TO:<postmaster@{d}>"))
            .await
            .starts_with("250")
    );
    c.cmd("DATA").await;
    c.raw(format!("From: <t.prof@{d}>\r\nSubject: sortie\r\n\r\nx\r\n.\r\n").as_bytes())
        .await;
    assert!(c.reply().await.starts_with("250"));
    let boxes: Vec<(i64, String)> = s
        .running
        .app
        .db
        .read(|c| {
            let mut st =
                c.prepare("SELECT user_id, folder FROM mail_entries ORDER BY user_id, folder")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
        .unwrap();
    let want = |u: cartable::ids::UserId, f: &str| (u.0, f.to_owned());
    let mut expected = vec![
        want(teacher, "sent"),
        want(a, "inbox"),
        want(b, "inbox"),
        want(admin, "inbox"),
    ];
    expected.sort();
    assert_eq!(boxes, expected);
}

#[tokio::test]
async fn auth_needs_tls_away_from_loopback() {
    // Find an address of this machine that is not loopback; without one there is nothing
    // to test here.
    let probe = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
    let ip = match probe
        .connect("192.0.2.1:9")
        .and_then(|_| probe.local_addr())
    {
        Ok(a) if !a.ip().is_loopback() && !a.ip().is_unspecified() => a.ip(),
        _ => {
            eprintln!("no non-loopback address; skipping");
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let running = cartable::server::start(cartable::server::Options {
        submission: vec![SocketAddr::new(ip, 0)],
        ..cartable::server::Options::new(dir.path().to_owned())
    })
    .await
    .unwrap();
    let (mut c, _) = Client::connect(running.smtp[0].0).await;
    let ehlo = c.cmd("EHLO client.test").await;
    assert!(
        ehlo.contains("STARTTLS") && !ehlo.contains("AUTH"),
        "{ehlo}"
    );
    let r = c.login("anyone", "whatever-password").await;
    assert!(r.starts_with("538 5.7.11"), "{r}");
    // STARTTLS with commands pipelined behind it in clear text: dropped.
    c.raw(b"STARTTLS\r\nAUTH PLAIN AGEAYg==\r\n").await;
    let r = c.reply().await;
    assert!(r.starts_with("220"), "{r}");
    assert!(c.closed().await);
}
