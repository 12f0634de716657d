//! `cartable update` as a maintainer runs it: a new build signed with the provisioned key is
//! installed, restarted and checked; a build that fails its health check is replaced by the
//! previous one and the database snapshot, by itself; a tampered, unsigned, older or foreign
//! build is refused and nothing changes. Signatures are made with Debian's `minisign` and a
//! throwaway key; the "new builds" are this binary with its version (and, for the bad one,
//! its health route) rewritten in place.

use crate::support::PASSWORD;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_cartable");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Replaces every occurrence of `from` by `to` (same length) in a copy of the binary.
fn patched(src: &[u8], pairs: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut out = src.to_vec();
    for (from, to) in pairs {
        assert_eq!(from.len(), to.len());
        let mut i = 0;
        let mut n = 0;
        while let Some(p) = out[i..].windows(from.len()).position(|w| w == *from) {
            out[i + p..i + p + to.len()].copy_from_slice(to);
            i += p + to.len();
            n += 1;
        }
        assert!(n > 0, "{:?} not found", String::from_utf8_lossy(from));
    }
    out
}

struct Box_ {
    root: tempfile::TempDir,
    data: PathBuf,
    bin: PathBuf,
    http: u16,
    https: u16,
    smtp: u16,
}

impl Box_ {
    fn new() -> Box_ {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        let bin = root.path().join("bin/cartable");
        std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
        std::fs::copy(BIN, &bin).unwrap();
        let b = Box_ {
            data,
            bin,
            http: free_port(),
            https: free_port(),
            smtp: free_port(),
            root,
        };
        // A throwaway signing key; its public half is the provisioned update key.
        let st = Command::new("minisign")
            .args(["-G", "-W", "-f", "-p"])
            .arg(b.root.path().join("key.pub"))
            .arg("-s")
            .arg(b.root.path().join("key.sec"))
            .output()
            .expect("Debian's minisign is installed (tests/install-deps.sh)");
        assert!(st.status.success(), "{st:?}");
        std::fs::create_dir_all(&b.data).unwrap();
        std::fs::copy(b.root.path().join("key.pub"), b.data.join("update-key.pub")).unwrap();
        b.cli(
            &[
                "user",
                "add",
                "--username",
                "kader",
                "--role",
                "pupil",
                "--password-stdin",
            ],
            Some(PASSWORD),
        );
        b
    }

    fn cli(&self, args: &[&str], stdin: Option<&str>) -> (bool, String) {
        use std::io::Write;
        // A binary this test process just wrote can be "busy" for a moment: another test's
        // fork may still hold its write descriptor until that child execs (ETXTBSY).
        let mut tries = 0;
        let mut child = loop {
            let spawned = Command::new(&self.bin)
                .arg("--data")
                .arg(&self.data)
                .args(args)
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn();
            match spawned {
                Err(e) if e.raw_os_error() == Some(26) && tries < 100 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
                other => break other.unwrap(),
            }
        };
        if let Some(s) = stdin {
            child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
        }
        drop(child.stdin.take());
        let out = child.wait_with_output().unwrap();
        (
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    }

    fn pidfile(&self) -> PathBuf {
        self.root.path().join("server.pid")
    }

    /// What systemd does on the box: start the installed binary, stop it.
    fn start_cmd(&self) -> String {
        format!(
            "'{}' --data '{}' serve --http 127.0.0.1:{} --https 127.0.0.1:{} --smtp 127.0.0.1:{} \
             --submission 127.0.0.1:0 --submissions 127.0.0.1:0 >>'{}' 2>&1 </dev/null & echo $! > '{}'",
            self.bin.display(),
            self.data.display(),
            self.http,
            self.https,
            self.smtp,
            self.root.path().join("server.log").display(),
            self.pidfile().display()
        )
    }

    fn stop_cmd(&self) -> String {
        let p = self.pidfile();
        format!(
            "p=$(cat '{0}' 2>/dev/null) && kill -9 $p 2>/dev/null; while [ -n \"$p\" ] && kill -0 $p 2>/dev/null; do sleep 0.05; done; true",
            p.display()
        )
    }

    fn start(&self) {
        assert!(
            Command::new("sh")
                .arg("-c")
                .arg(self.start_cmd())
                .status()
                .unwrap()
                .success()
        );
        self.wait_version(|_| true);
    }

    fn stop(&self) {
        Command::new("sh")
            .arg("-c")
            .arg(self.stop_cmd())
            .status()
            .unwrap();
    }

    /// The version /healthz reports once it answers.
    fn wait_version(&self, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let got = reqwest::blocking_get(&format!("http://127.0.0.1:{}/healthz", self.http));
            if let Some(v) = got.filter(|v| ok(v)) {
                return v;
            }
            assert!(Instant::now() < deadline, "the server never answered");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Writes `bytes` as a build and signs it.
    fn build(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.root.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let st = Command::new("minisign")
            .arg("-S")
            .arg("-s")
            .arg(self.root.path().join("key.sec"))
            .arg("-m")
            .arg(&path)
            .output()
            .unwrap();
        assert!(st.status.success(), "{st:?}");
        path
    }

    fn update(&self, file: &Path, extra: &[&str]) -> (bool, String) {
        let (start, stop) = (self.start_cmd(), self.stop_cmd());
        let https = format!("127.0.0.1:{}", self.https);
        let smtp = format!("127.0.0.1:{}", self.smtp);
        let mut args = vec![
            "update",
            file.to_str().unwrap(),
            "--binary",
            self.bin.to_str().unwrap(),
            "--start",
            &start,
            "--stop",
            &stop,
            "--check-https",
            &https,
            "--check-smtp",
            &smtp,
            "--timeout",
            "10",
        ];
        args.extend_from_slice(extra);
        self.cli(&args, None)
    }
}

impl Drop for Box_ {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `/healthz`'s version, read with a plain HTTP/1.0 request.
mod reqwest {
    pub fn blocking_get(url: &str) -> Option<String> {
        use std::io::{Read, Write};
        let addr = url.strip_prefix("http://")?.split('/').next()?;
        let mut s = std::net::TcpStream::connect(addr).ok()?;
        s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .ok()?;
        s.write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n")
            .ok()?;
        let mut out = String::new();
        s.read_to_string(&mut out).ok()?;
        let at = out.find("\"version\":\"")? + 11;
        Some(out[at..].split('"').next()?.to_owned())
    }
}

#[test]
fn a_good_build_is_installed_and_a_failing_one_rolls_back_by_itself() {
    let b = Box_::new();
    b.start();
    assert_eq!(b.wait_version(|_| true), cartable::VERSION);
    let original = std::fs::read(&b.bin).unwrap();
    let v = cartable::VERSION.as_bytes();
    let mut newer = v.to_vec();
    *newer.last_mut().unwrap() = b'9';

    // A build whose health check fails: a newer version whose /healthz has gone.
    let bad = b.build(
        "bad",
        &patched(&original, &[(v, &newer), (b"/healthz", b"/healthx")]),
    );
    let (ok, text) = b.update(&bad, &[]);
    assert!(!ok, "{text}");
    assert!(text.contains("are back and healthy"), "{text}");
    assert_eq!(
        b.wait_version(|_| true),
        cartable::VERSION,
        "the previous version is back"
    );
    assert_eq!(std::fs::read(&b.bin).unwrap(), original);
    let (_, status) = b.cli(&["status"], None);
    assert!(status.contains("rolled back"), "{status}");
    // The data is intact: the account still logs in.
    let (ok, text) = b.cli(&["user", "list"], None);
    assert!(ok && text.contains("kader"), "{text}");

    // A good build: installed, restarted, healthy, the previous kept.
    let good = b.build("good", &patched(&original, &[(v, &newer)]));
    let (ok, text) = b.update(&good, &[]);
    assert!(ok, "{text}");
    let newer = String::from_utf8(newer).unwrap();
    assert_eq!(b.wait_version(|x| x == newer), newer);
    assert_eq!(
        std::fs::read(format!("{}.previous", b.bin.display())).unwrap(),
        original
    );
    let (_, status) = b.cli(&["status"], None);
    assert!(
        status.contains(&format!("-> {newer}")) && status.contains("installed"),
        "{status}"
    );

    // And back by hand.
    let (ok, text) = b.cli(
        &[
            "update",
            "--rollback",
            "--binary",
            b.bin.to_str().unwrap(),
            "--start",
            &b.start_cmd(),
            "--stop",
            &b.stop_cmd(),
            "--check-https",
            &format!("127.0.0.1:{}", b.https),
            "--check-smtp",
            &format!("127.0.0.1:{}", b.smtp),
        ],
        None,
    );
    assert!(ok, "{text}");
    assert_eq!(b.wait_version(|_| true), cartable::VERSION);
}

#[test]
fn unsigned_tampered_older_and_foreign_builds_are_refused() {
    let b = Box_::new();
    let original = std::fs::read(&b.bin).unwrap();
    let v = cartable::VERSION.as_bytes();
    let mut newer = v.to_vec();
    *newer.last_mut().unwrap() = b'9';
    let good = patched(&original, &[(v, &newer)]);

    // Tampered after signing.
    let tampered = b.build("tampered", &good);
    let mut bytes = std::fs::read(&tampered).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    std::fs::write(&tampered, &bytes).unwrap();
    // No signature at all.
    let unsigned = b.root.path().join("unsigned");
    std::fs::write(&unsigned, &good).unwrap();
    // Older.
    let mut older = v.to_vec();
    older[0] = b'0';
    older[2] = b'0';
    *older.last_mut().unwrap() = b'0';
    let older = b.build("older", &patched(&original, &[(v, &older)]));
    // Another architecture (the ELF header says aarch64, or x86_64 on an arm64 machine).
    let mut foreign = good.clone();
    let other: u16 = if std::env::consts::ARCH == "aarch64" {
        62
    } else {
        183
    };
    foreign[18..20].copy_from_slice(&other.to_le_bytes());
    let foreign = b.build("foreign", &foreign);
    // Cut short: the signature covers the whole file, so it no longer matches.
    let truncated = b.build("truncated", &good);
    std::fs::write(&truncated, &good[..good.len() / 3]).unwrap();

    for (file, why) in [
        (&tampered, "signature does not match"),
        (&unsigned, "minisig is missing"),
        (&older, "not newer"),
        (&foreign, "built for"),
        (&truncated, "signature does not match"),
    ] {
        let (ok, text) = b.update(file, &[]);
        assert!(!ok, "{} was accepted: {text}", file.display());
        assert!(text.contains(why), "{}: {text}", file.display());
        assert_eq!(std::fs::read(&b.bin).unwrap(), original, "nothing changed");
        assert!(!Path::new(&format!("{}.previous", b.bin.display())).exists());
    }
    // Without a provisioned key, nothing is trusted.
    std::fs::remove_file(b.data.join("update-key.pub")).unwrap();
    let signed = b.build("signed", &good);
    let (ok, text) = b.update(&signed, &[]);
    assert!(!ok && text.contains("no update key"), "{text}");
}

/// A full disk while an update is being installed (the binary's disk, then the data disk):
/// refused with the reason, nothing left behind, nothing changed. The small disks are tmpfs
/// mounts in a user and mount namespace of the test's own (`unshare -Urm`), so no root is
/// needed; where such namespaces are not allowed, the test says so and stops.
#[test]
fn a_full_disk_during_an_update_leaves_nothing_behind() {
    let userns = Command::new("unshare")
        .args(["-Urm", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !userns {
        eprintln!("skipped: `unshare -Urm` (user namespaces) is not allowed here");
        return;
    }
    let b = Box_::new();
    let original = std::fs::read(&b.bin).unwrap();
    let v = cartable::VERSION.as_bytes();
    let mut newer = v.to_vec();
    *newer.last_mut().unwrap() = b'9';
    let good = b.build("good", &patched(&original, &[(v, &newer)]));
    let small = b.root.path().join("small");
    std::fs::create_dir_all(&small).unwrap();
    let script = r#"
        set -u
        mount -t tmpfs -o size=2m tmpfs "$SMALL" || exit 99
        # 1. The installed binary's disk is full: the new one does not fit beside it.
        head -c 1048576 /dev/zero >"$SMALL/cartable"
        "$BIN" --data "$DATA" update "$GOOD" --binary "$SMALL/cartable" --stop true \
            --start true --timeout 1 2>&1
        echo "rc=$?"
        echo "left: $(ls -A "$SMALL" | tr '\n' ' ')"
        echo "data: $(ls -A "$DATA/update" 2>/dev/null | tr '\n' ' ')"
        head -c 1048576 /dev/zero | cmp -s - "$SMALL/cartable" && echo "binary unchanged"
        "$BIN" --data "$DATA" status | grep '^last update'
        # 2. The data disk is full: the copy of the new build it runs does not fit.
        umount "$SMALL" && mount -t tmpfs -o size=4m tmpfs "$SMALL" || exit 99
        cp -a "$DATA" "$SMALL/data" || exit 99
        "$BIN" --data "$SMALL/data" update "$GOOD" --binary "$BIN" --stop true --start true \
            --timeout 1 2>&1
        echo "rc=$?"
        echo "left: $(ls -A "$SMALL/data/update" 2>/dev/null | tr '\n' ' ')"
        "$BIN" --data "$SMALL/data" status | grep '^last update'
    "#;
    let out = Command::new("unshare")
        .args(["-Urm", "sh", "-c", script])
        .env("SMALL", &small)
        .env("BIN", &b.bin)
        .env("DATA", &b.data)
        .env("GOOD", &good)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    // What each case printed: its error, `rc=1`, then what is left.
    let parts: Vec<&str> = text.split("rc=1\n").collect();
    assert_eq!(parts.len(), 3, "{text}");
    let (left1, error2) = parts[1].split_once("last update: none\n").expect(&text);
    assert!(
        parts[0].contains("installing failed")
            && parts[0].contains("No space left on device")
            && parts[0].contains("nothing was changed"),
        "{text}"
    );
    assert!(
        left1.starts_with("left: cartable \n"),
        "a file is left: {text}"
    );
    assert!(left1.contains("binary unchanged"), "{text}");
    assert!(left1.contains("data: \n"), "the snapshot is left: {text}");
    assert!(
        error2.contains("candidate: No space left on device")
            && error2.contains("nothing was changed"),
        "{text}"
    );
    assert!(parts[2].starts_with("left: \n"), "a file is left: {text}");
    assert!(parts[2].contains("last update: none"), "{text}");
    assert_eq!(std::fs::read(&b.bin).unwrap(), original, "nothing changed");
}
