//! The outbound queue seen from inside: a relay that cannot be reached defers the message
//! with its reason, the office sees it on the admin page and can retry or delete it, and a
//! message still stuck after the give-up delay comes back to its sender as a delivery
//! report. (The real smarthost, Postfix, is exercised by tests/mail/run.py.)

use crate::support::*;
use cartable::auth::Role;
use cartable::mail::MailSettings;
use cartable::mail::queue::Outcome;
use cartable::mail::settings::RelayTls;
use cartable::smtp::Kind;
use std::net::SocketAddr;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Sends one message through the submission port as `user`, speaking SMTP by hand.
async fn submit(s: &TestServer, user: &str, to: &str, subject: &str) {
    use base64::Engine;
    let addr: SocketAddr = s
        .running
        .smtp
        .iter()
        .find(|(_, k)| *k == Kind::Submission)
        .unwrap()
        .0;
    let d = s.running.app.settings().mail_domain.clone();
    let mut io = BufReader::new(tokio::net::TcpStream::connect(addr).await.unwrap());
    let token = base64::engine::general_purpose::STANDARD.encode(format!("\0{user}\0{PASSWORD}"));
    let script = format!(
        "EHLO t\r\nAUTH PLAIN {token}\r\nMAIL FROM:<{user}@{d}>\r\nRCPT TO:<{to}>\r\nDATA\r\n"
    );
    io.get_mut().write_all(script.as_bytes()).await.unwrap();
    let mut line = String::new();
    loop {
        line.clear();
        io.read_line(&mut line).await.unwrap();
        assert!(!line.starts_with('4') && !line.starts_with('5'), "{line}");
        if line.starts_with("354") {
            break;
        }
    }
    let body = format!(
        "From: <{user}@{d}>\r\nTo: <{to}>\r\nSubject: {subject}\r\n\r\nBonjour\r\n.\r\nQUIT\r\n"
    );
    io.get_mut().write_all(body.as_bytes()).await.unwrap();
    line.clear();
    io.read_line(&mut line).await.unwrap();
    assert!(line.starts_with("250"), "{line}");
}

async fn queue_len(s: &TestServer) -> i64 {
    s.running
        .app
        .db
        .read(|c| Ok(c.query_row("SELECT count(*) FROM mail_queue", [], |r| r.get(0))?))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_relay_defers_then_the_sender_hears_back() {
    let s = TestServer::start().await;
    s.user("t.prof", Role::Teacher).await;
    s.user("w.admin", Role::Admin).await;
    s.user("w.staff", Role::Staff).await;
    // A port nobody listens on: the relay is "down".
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    s.set_mail(|m| {
        m.relay_host = Some("127.0.0.1".into());
        m.relay_port = port;
        m.relay_tls = RelayTls::None;
        m.retry_first = 3600;
        m.retry_max = 7200;
    })
    .await;
    submit(&s, "t.prof", "friend@outside.test", "Sortie au musée").await;
    assert_eq!(queue_len(&s).await, 1);
    // The server's queue worker, woken by the new mail, tries at once and defers it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let (attempts, error) = loop {
        let row: (i64, String) = s
            .running
            .app
            .db
            .read(|c| {
                Ok(
                    c.query_row("SELECT attempts, last_error FROM mail_queue", [], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })?,
                )
            })
            .await
            .unwrap();
        if row.0 > 0 || std::time::Instant::now() > deadline {
            break row;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(attempts, 1);
    assert!(!error.is_empty());
    assert_eq!(queue_len(&s).await, 1, "still queued");
    // A pass now finds nothing due: the next try is an hour away.
    let (done, _) = s.running.app.mail_queue.pass(false).await.unwrap();
    assert!(done.is_empty());

    // The office sees it, with the relay's answer, and can ask for a retry.
    let staff = s.logged_in("w.staff").await;
    let page = page_text(&staff, s.url("/admin/mail")).await;
    assert!(page.contains("friend@outside.test"), "{page}");
    assert!(page.contains("Sortie au musée"));
    assert!(
        !page.contains("name=\"relay_host\""),
        "staff sees the queue, not the settings"
    );
    let csrf = csrf_in(&page);
    let r = staff
        .post(s.url("/admin/mail/retry"))
        .form(&[("csrf", csrf.as_str()), ("id", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let due: i64 = s
        .running
        .app
        .db
        .read(|c| Ok(c.query_row("SELECT next_attempt FROM mail_queue", [], |r| r.get(0))?))
        .await
        .unwrap();
    assert!(due <= cartable::now());

    // Past the give-up delay, the next failure returns it to the sender, in their language.
    s.set_mail(|m| {
        m.retry_first = 1;
        m.retry_max = 1;
        m.give_up = 1;
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (done, _) = s.running.app.mail_queue.pass(true).await.unwrap();
    // The worker may have taken it first; either way it is gone and reported.
    if let Some((_, o)) = done.first() {
        assert!(matches!(o, Outcome::Bounced(_)), "{o:?}");
    }
    assert_eq!(queue_len(&s).await, 0);
    let prof = s.logged_in("t.prof").await;
    let ids: Vec<String> = s
        .running
        .app
        .db
        .read(|c| {
            let mut st = c.prepare(
                "SELECT m.subject FROM mail_entries e JOIN mail_messages m ON m.id = e.message_id
                 JOIN users u ON u.id = e.user_id WHERE u.username = 't.prof' AND e.folder = 'inbox'",
            )?;
            let rows = st.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
        .unwrap();
    assert_eq!(ids, vec!["Non distribué : Sortie au musée".to_owned()]);
    drop(prof);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_deletes_queued_mail_and_the_audit_log_says_so() {
    let s = TestServer::start().await;
    s.user("t.prof", Role::Teacher).await;
    s.user("w.admin", Role::Admin).await;
    s.set_mail(|m| {
        m.relay_host = Some("127.0.0.1".into());
        m.relay_port = 9;
        m.relay_tls = RelayTls::None;
        m.retry_first = 3600;
        m.retry_max = 3600;
    })
    .await;
    submit(&s, "t.prof", "friend@outside.test", "À supprimer").await;
    assert_eq!(queue_len(&s).await, 1);
    let id: i64 = s
        .running
        .app
        .db
        .read(|c| Ok(c.query_row("SELECT id FROM mail_queue", [], |r| r.get(0))?))
        .await
        .unwrap();
    let admin = s.logged_in("w.admin").await;
    let page = page_text(&admin, s.url("/admin/mail")).await;
    assert!(
        page.contains("name=\"relay_host\""),
        "the admin sees the settings"
    );
    let csrf = csrf_in(&page);
    // A forged token changes nothing.
    let r = admin
        .post(s.url("/admin/mail/delete"))
        .form(&[("csrf", "forged"), ("id", &id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(queue_len(&s).await, 1);
    let r = admin
        .post(s.url("/admin/mail/delete"))
        .form(&[("csrf", csrf.as_str()), ("id", &id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(queue_len(&s).await, 0);
    let r = admin
        .post(s.url("/admin/mail/delete"))
        .form(&[("csrf", csrf.as_str()), ("id", &id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "gone already");
    let audit = page_text(&admin, s.url("/admin/audit")).await;
    assert!(audit.contains("friend@outside.test"), "{audit}");

    // Settings: a bad port is refused with the form kept; a good change is saved.
    let bad = admin
        .post(s.url("/admin/mail"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("max_size_mib", "10"),
            ("class_lists", "members"),
            ("relay_host", "smtp.fai.example"),
            ("relay_port", "0"),
            ("relay_tls", "starttls"),
            ("retry_first_min", "5"),
            ("retry_max_min", "60"),
            ("give_up_days", "5"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("smtp.fai.example"));
    let ok = admin
        .post(s.url("/admin/mail"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("max_size_mib", "20"),
            ("class_lists", "members"),
            ("pupils_outside", "1"),
            ("relay_host", "smtp.fai.example"),
            ("relay_port", "465"),
            ("relay_tls", "tls"),
            ("relay_user", "ecole"),
            ("relay_password", "secret-of-the-relay"),
            ("retry_first_min", "5"),
            ("retry_max_min", "60"),
            ("give_up_days", "5"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    let m = s
        .running
        .app
        .db
        .read(|c| Ok(MailSettings::load(c)?))
        .await
        .unwrap();
    assert_eq!(m.relay_host.as_deref(), Some("smtp.fai.example"));
    assert_eq!(
        (m.relay_port, m.relay_tls, m.max_size),
        (465, RelayTls::Tls, 20 << 20)
    );
    assert!(m.pupils_outside);
    assert_eq!(m.relay_password, "secret-of-the-relay");
    let page = page_text(&admin, s.url("/admin/mail")).await;
    assert!(
        !page.contains("secret-of-the-relay"),
        "the password is never shown"
    );
}
