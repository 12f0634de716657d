//! Uploads stream to disk: a 64 MiB file through the web file manager and through WebDAV
//! leaves the server's resident memory far below the file's size, on a board with 1 GB (or
//! 512 MiB) where a class uploads at once.
//!
//! The server runs as the `cartable` program, so that /proc shows its memory alone: its peak
//! (VmHWM) is reset before each upload (`clear_refs`, Linux 4.0+) and read after, against its
//! resident memory (VmRSS) just before. The bound (half the body) is generous: a path that
//! held the file in memory would pass it, and streaming stays under a few MiB.

use crate::support::process::{Served, add_user, cartable, serve};
use crate::support::{PASSWORD, cookie_client, csrf_for, login, plain_client};
use reqwest::multipart::{Form, Part};
use std::path::Path;

const MIB: usize = 1024 * 1024;
/// The upload.
const BIG: usize = 64 * MIB;
/// What the server's memory may grow by while it takes [`BIG`] bytes in.
const BOUND_KIB: u64 = (BIG / 2 / 1024) as u64;

/// `cartable serve` on free ports, with a teacher `t.marc`.
fn start(data: &Path) -> Served {
    add_user(data, "t.marc", "teacher");
    serve(data)
}

/// Bytes that no layer could compress or deduplicate by accident.
fn body(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x9e37_79b9;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

fn personal(data: &Path, name: &str) -> std::path::PathBuf {
    let users = data.join("files/users");
    let id = std::fs::read_dir(&users).unwrap().next().unwrap().unwrap();
    id.path().join(name)
}

/// Runs `upload` (of [`BIG`] bytes, named gros.bin), which must answer `status`, and checks
/// that the file landed whole while the server's peak memory rose by less than [`BOUND_KIB`].
async fn stays_small(
    s: &Served,
    data: &Path,
    upload: impl std::future::Future<Output = reqwest::StatusCode>,
    status: u16,
) {
    let before = s.peak_from_here();
    assert_eq!(upload.await, status);
    let growth = s.peak_growth(before);
    eprintln!("memory rose by {growth} KiB during the upload");
    let landed = std::fs::metadata(personal(data, "gros.bin")).unwrap().len();
    assert_eq!(landed, BIG as u64);
    assert!(
        growth < BOUND_KIB,
        "the server's memory rose by {growth} KiB for a {} KiB upload",
        BIG / 1024
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_64_mib_web_upload_is_not_held_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path());
    let c = cookie_client();
    assert_eq!(login(&c, &s.base, "t.marc", PASSWORD).await.status(), 303);
    let send = |name: &'static str, data: Vec<u8>| {
        let c = c.clone();
        let base = s.base.clone();
        async move {
            let csrf = csrf_for(&c, &base, "/files").await;
            let form = Form::new()
                .text("csrf", csrf)
                .text("dir", "t.marc")
                .part("files", Part::bytes(data).file_name(name));
            c.post(format!("{base}/files-action/upload"))
                .multipart(form)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    // A first upload warms up what every upload uses once (threads, buffers, statements).
    assert_eq!(send("petit.bin", body(MIB)).await, 303);
    stays_small(&s, dir.path(), send("gros.bin", body(BIG)), 303).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_64_mib_webdav_put_is_not_held_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path());
    let c = plain_client();
    let put = |name: &'static str, data: Vec<u8>| {
        c.put(format!("{}/dav/t.marc/{name}", s.base))
            .basic_auth("t.marc", Some(PASSWORD))
            .body(data)
            .send()
    };
    assert_eq!(put("petit.bin", body(MIB)).await.unwrap().status(), 201);
    let upload = async { put("gros.bin", body(BIG)).await.unwrap().status() };
    stays_small(&s, dir.path(), upload, 201).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webmail_sends_with_attachments_at_once_are_held_a_few_at_a_time() {
    // A message is built whole (lettre), attachments encoded: each send holds several times its
    // attachment. Sixteen at once grew the server by 190 to 230 MiB here; two at a time, as
    // now, by about 70.
    const SENDS: usize = 16;
    const ATTACHMENT: usize = 8 * MIB;
    let dir = tempfile::tempdir().unwrap();
    let out = cartable(
        dir.path(),
        &[
            "mail",
            "config",
            "--domain",
            "ecole.test",
            "--max-size",
            "33554432",
        ],
        None,
    );
    assert!(out.status.success(), "mail config");
    let s = start(dir.path());
    let mut clients = Vec::new();
    for _ in 0..SENDS {
        let c = cookie_client();
        assert_eq!(login(&c, &s.base, "t.marc", PASSWORD).await.status(), 303);
        let csrf = csrf_for(&c, &s.base, "/mail/compose").await;
        clients.push((c, csrf));
    }
    let send = |c: reqwest::Client, csrf: String, data: Vec<u8>| {
        let url = format!("{}/mail/compose", s.base);
        async move {
            let form = Form::new()
                .text("csrf", csrf)
                .text("to", "t.marc@ecole.test")
                .text("subject", "cours")
                .text("body", "ci-joint")
                .part("files", Part::bytes(data).file_name("cours.bin"));
            c.post(url).multipart(form).send().await.unwrap().status()
        }
    };
    let (c, csrf) = &clients[0];
    assert_eq!(send(c.clone(), csrf.clone(), body(MIB)).await, 303);
    let csrf = csrf_for(c, &s.base, "/mail/compose").await;
    clients[0].1 = csrf;
    let data = body(ATTACHMENT);
    let before = s.peak_from_here();
    let sends: Vec<_> = clients
        .into_iter()
        .map(|(c, csrf)| tokio::spawn(send(c, csrf, data.clone())))
        .collect();
    for t in sends {
        assert_eq!(t.await.unwrap(), 303);
    }
    let growth = s.peak_growth(before);
    eprintln!("memory rose by {growth} KiB during {SENDS} sends");
    let all = (SENDS * ATTACHMENT / 1024) as u64;
    assert!(
        growth < all,
        "the server's memory rose by {growth} KiB for {SENDS} sends of {} KiB",
        ATTACHMENT / 1024
    );
}
