//! Uploads stream to disk: a 64 MiB file through the web file manager and through WebDAV
//! leaves the server's resident memory far below the file's size, on a board with 1 GB (or
//! 512 MiB) where a class uploads at once.
//!
//! The server runs as the `cartable` program, so that /proc shows its memory alone: its peak
//! (VmHWM) is reset before each upload (`clear_refs`, Linux 4.0+) and read after, against its
//! resident memory (VmRSS) just before. The bound (half the body) is generous: a path that
//! held the file in memory would pass it, and streaming stays under a few MiB.

use crate::support::{PASSWORD, cookie_client, csrf_for, login, plain_client};
use reqwest::multipart::{Form, Part};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cartable");
const MIB: usize = 1024 * 1024;
/// The upload.
const BIG: usize = 64 * MIB;
/// What the server's memory may grow by while it takes [`BIG`] bytes in.
const BOUND_KIB: u64 = (BIG / 2 / 1024) as u64;

/// `cartable serve` on free ports, with a teacher `t.marc` (2 GiB personal quota), and the
/// portal's base URL.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(data: &Path) -> Server {
        let mut add = Command::new(BIN)
            .arg("--data")
            .arg(data)
            .args(["user", "add", "--username", "t.marc", "--role", "teacher"])
            .arg("--password-stdin")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        writeln!(add.stdin.take().unwrap(), "{PASSWORD}").unwrap();
        assert!(add.wait().unwrap().success(), "user add");
        let mut child = Command::new(BIN)
            .arg("--data")
            .arg(data)
            .args(["serve", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0"])
            .args(["--smtp", "127.0.0.1:0", "--submission", "127.0.0.1:0"])
            .args(["--submissions", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let base = loop {
            let line = lines.next().expect("serve printed its address").unwrap();
            if let Some(rest) = line.strip_prefix("listening on http://") {
                break format!("http://{}", rest.split_whitespace().next().unwrap());
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        Server { child, base }
    }

    fn status_kib(&self, key: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("{key} in /proc/PID/status"))
    }

    /// Resets the peak, and returns the resident memory now.
    fn before(&self) -> u64 {
        std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5")
            .expect("resetting VmHWM (clear_refs)");
        self.status_kib("VmRSS")
    }

    /// How much the peak rose above `before`, in KiB.
    fn growth(&self, before: u64) -> u64 {
        self.status_kib("VmHWM").saturating_sub(before)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_64_mib_web_upload_is_not_held_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path());
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
    let data = body(BIG);
    let before = s.before();
    assert_eq!(send("gros.bin", data).await, 303);
    let growth = s.growth(before);
    eprintln!("memory rose by {growth} KiB during the upload");
    assert_eq!(
        std::fs::metadata(personal(dir.path(), "gros.bin"))
            .unwrap()
            .len(),
        BIG as u64
    );
    assert!(
        growth < BOUND_KIB,
        "the server's memory rose by {growth} KiB for a {} KiB upload",
        BIG / 1024
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_64_mib_webdav_put_is_not_held_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path());
    let c = plain_client();
    let put = |name: &'static str, data: Vec<u8>| {
        c.put(format!("{}/dav/t.marc/{name}", s.base))
            .basic_auth("t.marc", Some(PASSWORD))
            .body(data)
            .send()
    };
    assert_eq!(put("petit.bin", body(MIB)).await.unwrap().status(), 201);
    let data = body(BIG);
    let before = s.before();
    assert_eq!(put("gros.bin", data).await.unwrap().status(), 201);
    let growth = s.growth(before);
    eprintln!("memory rose by {growth} KiB during the upload");
    assert_eq!(
        std::fs::metadata(personal(dir.path(), "gros.bin"))
            .unwrap()
            .len(),
        BIG as u64
    );
    assert!(
        growth < BOUND_KIB,
        "the server's memory rose by {growth} KiB for a {} KiB upload",
        BIG / 1024
    );
}
