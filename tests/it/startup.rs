//! Start-up on a big or damaged database: the server answers before its full database check
//! has finished, reports the damage that check finds while it keeps serving, and sweeps the
//! temporary files a crash left behind (but not those of a backup or update at work).

use crate::support::{TestServer, page_text};
use cartable::auth::Role;
use cartable::ops::integrity::{self, Hold, Record, State};
use cartable::server::{self, Options};
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_cartable");

/// `posts` forum posts in 1,000 topics with their search rows, written with SQL in one
/// transaction as tests/bench/forum.py seeds them: ~120 characters each, drawn from French
/// school words and from 50,000 distinct made-up ones, so the search index has some size.
fn seed_posts(data: &Path, posts: u32) {
    drop(server::open_db(data).unwrap());
    let mut conn = rusqlite::Connection::open(data.join("cartable.db")).unwrap();
    let tx = conn.transaction().unwrap();
    tx.execute_batch(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
         INSERT INTO forum_topics (category_id, title, created_at, last_post_at, posts)
             SELECT 1, printf('Sujet %d', i), i, i, 0 FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {posts})
         INSERT INTO forum_posts (topic_id, body, html, created_at)
             SELECT 1 + i % 1000,
                    printf('Message %d : les devoirs de %s pour %s, exercice mot%x et mot%x, page %d.',
                           i,
                           CASE i % 5 WHEN 0 THEN 'mathématiques' WHEN 1 THEN 'français'
                                WHEN 2 THEN 'histoire' WHEN 3 THEN 'anglais' ELSE 'sciences' END,
                           CASE i % 3 WHEN 0 THEN 'lundi' WHEN 1 THEN 'mardi' ELSE 'jeudi' END,
                           (i * 7919) % 50000, (i * 104729) % 50000, i % 300),
                    '', i
             FROM n;
         INSERT INTO forum_search (rowid, title, body) SELECT id, '', body FROM forum_posts;"
    ))
    .unwrap();
    tx.commit().unwrap();
}

/// Waits for the background check's outcome: as long as it takes, no timing judged (the test
/// harness's own limit ends a check that never finishes).
async fn outcome(data: &Path) -> Record {
    loop {
        if let Some(r) = integrity::last(data)
            && r.state != State::Running
        {
            return r;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_answers_before_the_full_check_of_100000_posts_finishes() {
    let dir = tempfile::tempdir().unwrap();
    seed_posts(dir.path(), 100_000);
    // The full check is held back until this test releases it: it cannot have finished when
    // /healthz first answers, however fast or slow this machine is.
    let hold = Hold::default();
    let any: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let running = server::start(Options {
        http: vec![any],
        integrity_hold: Some(hold.clone()),
        ..Options::new(dir.path().to_owned())
    })
    .await
    .expect("the server starts");
    let base = format!("http://{}", running.http[0].0);
    let r = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("\"status\":\"ok\""));
    let during = integrity::last(dir.path()).expect("a check is recorded");
    assert_eq!(during.state, State::Running, "{during:?}");
    let status = Command::new(BIN)
        .arg("--data")
        .arg(dir.path())
        .arg("status")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(text.contains("database check: running since"), "{text}");
    hold.release();
    let done = outcome(dir.path()).await;
    assert_eq!(done.state, State::Ok, "{:?}", done.problems);
    assert_eq!(done.run, during.run, "the same check, finished");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_search_index_is_reported_and_the_server_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    seed_posts(dir.path(), 2_000);
    // A post's text changed behind FTS5's back: its index no longer matches its content.
    // (SQLite's quick_check, on the start path before, refused to start on this.)
    let conn = rusqlite::Connection::open(dir.path().join("cartable.db")).unwrap();
    conn.execute(
        "UPDATE forum_search_content SET c1 = 'un tout autre texte' WHERE id = 1234",
        [],
    )
    .unwrap();
    drop(conn);
    let s = TestServer::start_in(dir).await;
    let found = outcome(s.dir.path()).await;
    assert_eq!(found.state, State::Problem);
    assert!(
        found.problems.iter().any(|p| p.contains("forum_search")),
        "{:?}",
        found.problems
    );

    let status = Command::new(BIN)
        .arg("--data")
        .arg(s.dir.path())
        .arg("status")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(status.status.success(), "{text}");
    assert!(
        text.contains("database check: PROBLEM") && text.contains("forum_search"),
        "{text}"
    );
    assert!(
        text.contains("cartable restore"),
        "it says what to do: {text}"
    );

    s.user("w.admin", Role::Admin).await;
    let admin = s.logged_in("w.admin").await;
    let page = page_text(&admin, s.url("/admin/system")).await;
    // The first alert, above the backup's, says what to do and what was found.
    let alert = page
        .split("role=\"alert\"")
        .nth(1)
        .and_then(|a| a.split("</p>").next())
        .unwrap_or_else(|| panic!("no alert on the System page: {page}"));
    assert!(
        alert.contains("cartable restore") && alert.contains("forum_search"),
        "{page}"
    );
    // The rest of the school goes on.
    let r = reqwest::get(s.url("/healthz")).await.unwrap();
    assert_eq!(r.status(), 200);
    for path in ["/forum", "/forum/t/1"] {
        let r = admin.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_debris_is_swept_at_start_but_a_running_update_s_files_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let debris = [
        "files/.tmp/upload-0123456789ab",
        "backups/cartable-20260101-023000.partial",
        "backups/.cartable-snapshot-a1b2c3.db",
        "update/candidate",
        "update/before-update.partial",
        "cartable.db.restoring",
        "tls/server.tmp",
    ];
    let kept = [
        "backups/cartable-20251231-023000.tar",
        "update/before-update.db",
        "update/last.json",
    ];
    for f in debris.iter().chain(&kept) {
        std::fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
        std::fs::write(d.join(f), b"left by a kill -9").unwrap();
    }
    let s = TestServer::start_in(dir).await;
    let d = s.dir.path().to_owned();
    for f in debris {
        assert!(!d.join(f).exists(), "{f} is still there");
    }
    for f in kept {
        assert!(d.join(f).exists(), "{f} was removed");
    }
    let dir = s.stop();

    // An update at work holds update/ (it restarts the server): its files stay.
    std::fs::write(d.join("update/candidate"), b"being checked").unwrap();
    std::fs::write(d.join("cartable.db.restoring"), b"being copied").unwrap();
    let held = cartable::ops::debris::lock_dir(&d.join("update")).unwrap();
    let s = TestServer::start_in(dir).await;
    assert!(d.join("update/candidate").exists());
    assert!(d.join("cartable.db.restoring").exists());
    drop(held);
    drop(s);
}
