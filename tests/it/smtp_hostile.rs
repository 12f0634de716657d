//! The SMTP door against the clients an attacker on the LAN would write: a hundred idle
//! connections, lines with NUL bytes or over RFC 5321's limits, fifty 10 MiB messages at once, a
//! server killed in the middle of a message. The school's own people must still get through,
//! nothing is echoed back, memory stays small, and a crash leaves no debris.

use crate::smtp::{Client, domain, port};
use crate::support::process::{add_user, cartable, serve};
use crate::support::{PASSWORD, TestServer};
use cartable::auth::Role;
use cartable::smtp::Kind;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use tokio::io::AsyncBufReadExt;
use tokio::net::TcpStream;

/// A bound on waiting for something that must come, so that a broken server fails the test
/// instead of hanging it. Not a measure of speed.
const PATIENCE: Duration = Duration::from_secs(60);

async fn within<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(PATIENCE, f)
        .await
        .unwrap_or_else(|_| panic!("{what} did not come"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_idle_connections_lock_no_one_else_out() {
    let s = TestServer::start().await;
    s.user("t.prof", Role::Teacher).await;
    s.user("amina", Role::Pupil).await;
    let incoming = port(&s, Kind::Incoming);
    let mut idle = Vec::new();
    for _ in 0..100 {
        idle.push(TcpStream::connect(incoming).await.unwrap());
    }
    // Another address still gets a greeting on 25, and its message through.
    let (mut c, greeting) = within("a greeting", Client::connect_from(incoming, "127.0.0.2")).await;
    assert!(greeting.starts_with("220 "), "{greeting}");
    c.cmd("EHLO parent.test").await;
    assert!(
        c.cmd("MAIL FROM:<parent@dehors.test>")
            .await
            .starts_with("250")
    );
    let r = c.cmd(&format!("RCPT TO:<amina@{}>", domain(&s))).await;
    assert!(r.starts_with("250"), "{r}");
    assert!(c.cmd("DATA").await.starts_with("354"));
    let r = within("the 250", c.cmd("Subject: hello\r\n\r\nstill open\r\n.")).await;
    assert!(r.starts_with("250 "), "{r}");
    // A teacher on the same address as the attacker still sends on the submission door.
    let (mut c, greeting) = within("a greeting", Client::connect(port(&s, Kind::Submission))).await;
    assert!(greeting.starts_with("220 "), "{greeting}");
    c.cmd("EHLO laptop.test").await;
    assert!(c.login("t.prof", PASSWORD).await.starts_with("235"));
    let own = format!("t.prof@{}", domain(&s));
    assert!(
        c.cmd(&format!("MAIL FROM:<{own}>"))
            .await
            .starts_with("250")
    );
    let r = c.cmd(&format!("RCPT TO:<amina@{}>", domain(&s))).await;
    assert!(r.starts_with("250"), "{r}");
    assert!(c.cmd("DATA").await.starts_with("354"));
    let r = c
        .cmd(&format!(
            "From: <{own}>\r\nSubject: devoirs\r\n\r\npage 12\r\n."
        ))
        .await;
    assert!(r.starts_with("250 "), "{r}");

    // The attacker got its share of greetings (50), and the rest were refused, after a wait.
    let mut greeted = 0;
    let mut refused = 0;
    for stream in idle {
        let mut line = String::new();
        let n = within(
            "a first line",
            tokio::io::BufReader::new(stream).read_line(&mut line),
        )
        .await
        .unwrap_or(0);
        if line.starts_with("220 ") {
            greeted += 1;
        } else {
            assert!(n == 0 || line.starts_with("421 4.7.0"), "{line}");
            refused += 1;
        }
    }
    assert_eq!((greeted, refused), (50, 50));
    // Reconnecting does not help: the address is banned for a while.
    let (_, r) = within("a refusal", Client::connect(incoming)).await;
    assert!(r.starts_with("421 4.7.0"), "{r}");
}

#[tokio::test]
async fn nul_and_long_command_lines_are_refused_and_never_echoed() {
    let s = TestServer::start().await;
    let (mut c, _) = Client::connect(port(&s, Kind::Incoming)).await;
    let mark = "echo-me";
    let padded = |total: usize| {
        let mut l = format!("NOOP {mark}");
        l.push_str(&"x".repeat(total - 2 - l.len()));
        l
    };
    let cases: [(Vec<u8>, &str); 5] = [
        (format!("EHLO {mark}\0.test").into_bytes(), "501 5.5.2"),
        (
            format!("MAIL FROM:<{mark}@\0x.test>").into_bytes(),
            "501 5.5.2",
        ),
        (format!("EHLO {mark}\x1b[2J").into_bytes(), "501 5.5.2"),
        (padded(513).into_bytes(), "500 5.5.2"),
        (padded(2000).into_bytes(), "500 5.5.2"),
    ];
    for (line, code) in &cases {
        c.raw(line).await;
        c.raw(b"\r\n").await;
        let r = c.reply().await;
        assert!(r.starts_with(code), "{r}");
        assert!(!r.contains(mark) && !r.contains('\0'), "echoed: {r:?}");
    }
    // A line of exactly 512 octets is a command like any other.
    let r = c.cmd(&padded(512)).await;
    assert!(r.starts_with("250 "), "{r}");
    let r = c.cmd("EHLO client.test").await;
    assert!(
        r.starts_with("250-") && r.contains("greets client.test"),
        "{r}"
    );
    // An EHLO name that is no domain is refused, not repeated.
    let r = c.cmd(&format!("EHLO <{mark}>")).await;
    assert!(r.starts_with("501 5.5.4") && !r.contains(mark), "{r}");
}

#[tokio::test]
async fn idle_clients_are_timed_out() {
    let dir = tempfile::tempdir().unwrap();
    let any: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let running = cartable::server::start(cartable::server::Options {
        smtp: vec![any],
        smtp_limits: cartable::smtp::Limits {
            first_command_timeout: Duration::from_millis(300),
            command_timeout: Duration::from_millis(600),
            ..Default::default()
        },
        ..cartable::server::Options::new(dir.path().to_owned())
    })
    .await
    .unwrap();
    // Silent from the start: the short first wait.
    let (mut c, _) = Client::connect(running.smtp[0].0).await;
    let r = within("the timeout", c.reply()).await;
    assert!(r.starts_with("421 4.4.2"), "{r}");
    assert!(c.closed().await);
    // A command, then silence: the longer wait.
    let (mut c, _) = Client::connect(running.smtp[0].0).await;
    c.cmd("EHLO client.test").await;
    let r = within("the timeout", c.reply()).await;
    assert!(r.starts_with("421 4.4.2"), "{r}");
}

#[tokio::test]
async fn a_whole_session_has_an_end() {
    let dir = tempfile::tempdir().unwrap();
    let any: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let running = cartable::server::start(cartable::server::Options {
        smtp: vec![any],
        smtp_limits: cartable::smtp::Limits {
            session_timeout: Duration::from_millis(800),
            ..Default::default()
        },
        ..cartable::server::Options::new(dir.path().to_owned())
    })
    .await
    .unwrap();
    let (mut c, _) = Client::connect(running.smtp[0].0).await;
    let r = within("the end", async {
        loop {
            let r = c.cmd("NOOP").await;
            if !r.starts_with("250") {
                return r;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    assert!(r.starts_with("421 4.4.2"), "{r}");
}

/// A data directory with the mail domain `ecole.test`, messages up to `max_size` bytes, and
/// the pupil `kader`, set up as an admin would on the command line.
fn school(d: &Path, max_size: u64) {
    let max = max_size.to_string();
    let out = cartable(
        d,
        &[
            "mail",
            "config",
            "--domain",
            "ecole.test",
            "--max-size",
            &max,
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    add_user(d, "kader", "pupil");
}

/// Reads until a reply line with a space after its code comes, and returns it.
fn reply(conn: &mut std::net::TcpStream) -> String {
    let mut got = Vec::new();
    let mut b = [0u8; 1];
    loop {
        let n = conn.read(&mut b).unwrap();
        if n == 0 {
            return String::from_utf8_lossy(&got).into_owned();
        }
        got.push(b[0]);
        if got.ends_with(b"\r\n") {
            let line = String::from_utf8_lossy(&got).into_owned();
            let last = line
                .trim_end()
                .rsplit("\r\n")
                .next()
                .unwrap_or("")
                .to_owned();
            if last.as_bytes().get(3) != Some(&b'-') {
                return last;
            }
        }
    }
}

/// Opens a conversation from `from` up to the 354 of DATA.
fn start_message(smtp: &str, from: &str) -> std::net::TcpStream {
    let mut conn = connect_from(smtp, from);
    assert!(reply(&mut conn).starts_with("220"));
    for (cmd, code) in [
        ("EHLO t.test", "250"),
        ("MAIL FROM:<parent@dehors.test>", "250"),
        ("RCPT TO:<kader@ecole.test>", "250"),
        ("DATA", "354"),
    ] {
        conn.write_all(format!("{cmd}\r\n").as_bytes()).unwrap();
        let r = reply(&mut conn);
        assert!(r.starts_with(code), "{cmd}: {r}");
    }
    conn
}

/// A blocking connection to `to` from the local address `from`, through tokio's socket
/// builder (the standard library cannot choose the source address).
fn connect_from(to: &str, from: &str) -> std::net::TcpStream {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let s = rt.block_on(async {
        let sock = tokio::net::TcpSocket::new_v4().unwrap();
        sock.bind(format!("{from}:0").parse().unwrap()).unwrap();
        sock.connect(to.parse().unwrap()).await.unwrap()
    });
    let s = s.into_std().unwrap();
    s.set_nonblocking(false).unwrap();
    s
}

#[test]
fn fifty_messages_of_10_mib_at_once_are_not_held_in_memory() {
    const MESSAGE: usize = 10 * 1024 * 1024;
    const CLIENTS: usize = 50;
    let dir = tempfile::tempdir().unwrap();
    school(dir.path(), MESSAGE as u64 + 64 * 1024);
    let mut server = serve(dir.path());
    let before = server.memory_kib("VmRSS");
    // From five addresses, as from the several servers that send a school mail.
    let go = std::sync::Arc::new(std::sync::Barrier::new(CLIENTS));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let (smtp, go) = (server.smtp.clone(), go.clone());
            std::thread::spawn(move || {
                let mut conn = start_message(&smtp, &format!("127.0.0.{}", 1 + i % 5));
                go.wait();
                let line = [vec![b'a'; 998], b"\r\n".to_vec()].concat();
                let mut out = std::io::BufWriter::with_capacity(256 * 1024, &mut conn);
                out.write_all(format!("Subject: big {i}\r\n\r\n").as_bytes())
                    .unwrap();
                for _ in 0..(MESSAGE - 100) / line.len() {
                    out.write_all(&line).unwrap();
                }
                out.write_all(b".\r\n").unwrap();
                out.flush().unwrap();
                drop(out);
                reply(&mut conn)
            })
        })
        .collect();
    for c in clients {
        let r = c.join().unwrap();
        assert!(r.starts_with("250 "), "{r}");
    }
    let peak = server.memory_kib("VmHWM");
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let grown_mib = peak.saturating_sub(before) / 1024;
    let sent_mib = (CLIENTS * MESSAGE / (1024 * 1024)) as u64;
    // Holding the messages would take 500 MiB; spooling them takes a buffer each.
    assert!(
        grown_mib < sent_mib / 5,
        "the server grew by {grown_mib} MiB while receiving {sent_mib} MiB"
    );
}

#[test]
fn kill_9_during_data_leaves_no_orphaned_message_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    school(d, 10 * 1024 * 1024);
    let mut server = serve(d);
    let mut conn = start_message(&server.smtp, "127.0.0.1");
    conn.write_all(b"Subject: cut short\r\n\r\n").unwrap();
    let line = [vec![b'b'; 998], b"\r\n".to_vec()].concat();
    for _ in 0..2000 {
        conn.write_all(&line).unwrap();
    }
    // The server has been writing the message: wait until its spool file has grown.
    let tmp = d.join("mail/tmp");
    let spooled = || -> u64 {
        std::fs::read_dir(&tmp)
            .map(|d| {
                d.flatten()
                    .filter_map(|e| e.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    };
    let waited = std::time::Instant::now();
    while spooled() < 1_000_000 {
        assert!(waited.elapsed() < PATIENCE, "nothing was spooled");
        std::thread::sleep(Duration::from_millis(20));
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    assert!(spooled() > 0, "the crash left a spool file");
    // A crash between moving a message into the store and its transaction leaves a file that
    // no row lists: make one as such a crash would.
    std::fs::create_dir_all(d.join("mail/store/zz")).unwrap();
    std::fs::write(d.join("mail/store/zz/zzorphan.eml"), b"Subject: x\r\n\r\n").unwrap();

    let mut server = serve(d);
    let left: Vec<_> = walk(&d.join("mail"));
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// Every file under `p`.
fn walk(p: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(p)
        .map(|d| {
            d.flatten()
                .flat_map(|e| {
                    if e.path().is_dir() {
                        walk(&e.path())
                    } else {
                        vec![e.path()]
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}
