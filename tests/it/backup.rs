//! Backups as a maintainer takes them: `cartable backup` beside a running school (accounts,
//! documents, mail, forum), `cartable restore` into an empty folder, and a server started on
//! it finds every login, file, message and post. A damaged or cut archive, or a restore over
//! a running server, is refused and changes nothing.

use crate::support::*;
use cartable::auth::{Role, load_principal};
use std::path::Path;
use std::process::Command;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const BIN: &str = env!("CARGO_BIN_EXE_cartable");

fn cartable(data: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN)
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A school with something in every part of the data directory.
async fn a_school(s: &TestServer) {
    s.user("t.prof", Role::Teacher).await;
    let amina = s.user("amina", Role::Pupil).await;
    let class = s.class("6e A").await;
    s.add_member(class, amina).await;
    // A document, through WebDAV.
    let r = s
        .client()
        .put(s.url("/dav/amina/exposé.txt"))
        .basic_auth("amina", Some(PASSWORD))
        .body("Les volcans d'Afrique".to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    // Mail from outside, through SMTP.
    let smtp = s
        .running
        .smtp
        .iter()
        .find(|(_, k)| *k == cartable::smtp::Kind::Incoming)
        .unwrap()
        .0;
    let d = s.running.app.settings().mail_domain.clone();
    let mut io = BufReader::new(tokio::net::TcpStream::connect(smtp).await.unwrap());
    io.get_mut()
        .write_all(
            format!(
                "EHLO t\r\nMAIL FROM:<parent@dehors.test>\r\nRCPT TO:<amina@{d}>\r\nDATA\r\n\
                 Subject: Sortie du jeudi\r\n\r\nBonjour\r\n.\r\nQUIT\r\n"
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let mut line = String::new();
    let mut saw_250_after_data = false;
    while io.read_line(&mut line).await.unwrap() > 0 {
        if line.starts_with("250 2.0.0") {
            saw_250_after_data = true;
        }
        line.clear();
    }
    assert!(saw_250_after_data);
    // A forum topic.
    s.running
        .app
        .db
        .write_as(move |tx| {
            let p = load_principal(tx, amina)?.unwrap();
            let cat: cartable::ids::CategoryId = tx.query_row(
                "SELECT id FROM forum_categories WHERE class_id = ?1",
                [class],
                |r| r.get(0),
            )?;
            cartable::forum::topics::create(
                tx,
                &p,
                cat,
                "Question sur les volcans",
                "Qui a le livre ?",
            )
            .map(|_| ())
        })
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_restores_the_whole_school() {
    let s = TestServer::start().await;
    a_school(&s).await;
    s.user("w.admin", Role::Admin).await;
    let admin = s.logged_in("w.admin").await;
    let page = page_text(&admin, s.url("/admin/system")).await;
    assert!(
        page.contains("CARTABLE-BK"),
        "no backup yet: the page says so: {page}"
    );
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("ecole.tar");
    // Taken while the server runs.
    let (ok, text) = cartable(s.dir.path(), &["backup", "--to", archive.to_str().unwrap()]);
    assert!(ok, "{text}");
    let page = page_text(&admin, s.url("/admin/system")).await;
    assert!(!page.contains("CARTABLE-BK"), "the warning is gone: {page}");
    let (ok, text) = cartable(s.dir.path(), &["status"]);
    assert!(
        ok && text.contains("last backup: ") && !text.contains("never"),
        "{text}"
    );
    // The page gives the last backup's size; four days later, it warns.
    let last = s.dir.path().join("last-backup.json");
    let mut record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&last).unwrap()).unwrap();
    let size = record["size"].as_u64().unwrap();
    assert!(
        size > 0 && page.contains(&cartable::ops::status::human(size)),
        "{page}"
    );
    record["at"] = (record["at"].as_i64().unwrap() - 4 * 86_400).into();
    std::fs::write(&last, record.to_string()).unwrap();
    let late = page_text(&admin, s.url("/admin/system")).await;
    assert!(
        (late.contains("more than 3 days ago") || late.contains("plus de 3 jours"))
            && late.contains("CARTABLE-BK"),
        "{late}"
    );
    let (_, text) = cartable(s.dir.path(), &["status"]);
    assert!(text.contains("older than 3 days"), "{text}");
    std::fs::write(&last, {
        record["at"] = (record["at"].as_i64().unwrap() + 4 * 86_400).into();
        record.to_string()
    })
    .unwrap();

    let restored = tempfile::tempdir().unwrap();
    let (ok, text) = cartable(
        restored.path(),
        &["restore", "--from", archive.to_str().unwrap()],
    );
    assert!(ok, "{text}");
    let r = TestServer::start_in(restored).await;
    let amina = r.logged_in("amina").await;
    let file = amina
        .get(r.url("/files/amina/expos%C3%A9.txt"))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.text().await.unwrap(), "Les volcans d'Afrique");
    let inbox = page_text(&amina, r.url("/mail")).await;
    assert!(inbox.contains("Sortie du jeudi"), "{inbox}");
    let forum = page_text(&amina, r.url("/forum/search?q=volcans")).await;
    assert!(forum.contains("Question sur les volcans"), "{forum}");
    r.logged_in("t.prof").await;
    // The same CA: browsers that trusted the school keep trusting it.
    assert_eq!(r.running.app.ca_pem, s.running.app.ca_pem);
    // The same signing key: applications that log in through Cartable keep verifying it.
    let kids = |app: &cartable::app::App| {
        let app = app.clone();
        async move {
            app.db
                .read(|c| {
                    Ok(
                        c.query_row("SELECT group_concat(kid) FROM idp_keys", [], |r| {
                            r.get::<_, Option<String>>(0)
                        })?,
                    )
                })
                .await
                .unwrap()
        }
    };
    let before = kids(&s.running.app).await;
    assert!(before.is_some(), "a key was made at the first start");
    assert_eq!(kids(&r.running.app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn damaged_archives_and_busy_folders_are_refused() {
    let s = TestServer::start().await;
    a_school(&s).await;
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("ecole.tar");
    let (ok, text) = cartable(s.dir.path(), &["backup", "--to", archive.to_str().unwrap()]);
    assert!(ok, "{text}");
    let bytes = std::fs::read(&archive).unwrap();

    // One byte changed inside the document's data.
    let mut corrupt = bytes.clone();
    let at = corrupt
        .windows(7)
        .position(|w| w == b"volcans")
        .expect("the document is in the archive");
    corrupt[at] ^= 0x20;
    let bad = out.path().join("corrupt.tar");
    std::fs::write(&bad, &corrupt).unwrap();
    // Cut short.
    let cut = out.path().join("cut.tar");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();

    for (archive, why) in [(&bad, "does not match"), (&cut, "")] {
        let target = tempfile::tempdir().unwrap();
        let (ok, text) = cartable(
            target.path(),
            &["restore", "--from", archive.to_str().unwrap()],
        );
        assert!(!ok, "{} was accepted", archive.display());
        assert!(text.contains(why), "{text}");
        assert_eq!(
            std::fs::read_dir(target.path()).unwrap().count(),
            0,
            "nothing restored"
        );
        // This restore's own temporary folder (`.<name>.restoring-*`): another test may be
        // restoring beside it in the same parent folder at this moment.
        let own = format!(
            ".{}.restoring-",
            target.path().file_name().unwrap().to_string_lossy()
        );
        let leftovers = std::fs::read_dir(target.path().parent().unwrap())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(&own))
            .count();
        assert_eq!(leftovers, 0, "no temporary folder left");
    }
    // Over the running server's own folder.
    let (ok, text) = cartable(
        s.dir.path(),
        &["restore", "--from", archive.to_str().unwrap()],
    );
    assert!(!ok);
    assert!(text.contains("server is running"), "{text}");
    // A backup to a folder that cannot be written leaves nothing behind.
    let (ok, text) = cartable(
        s.dir.path(),
        &["backup", "--to", "/proc/cartable-backup.tar"],
    );
    assert!(!ok, "{text}");
}
