//! Properties of the SMTP door through a real server: any message comes out of the store as it
//! went in (dot-stuffing undone, nothing added but the trace header), and any bytes thrown at
//! port 25 leave the server answering the next client and no spool file behind.

use crate::smtp::{Client, domain, port};
use crate::support::TestServer;
use cartable::auth::Role;
use cartable::smtp::Kind;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// A message body: lines of any bytes but CR and LF, some starting with dots.
fn body() -> impl Strategy<Value = Vec<Vec<u8>>> {
    let line = prop_oneof![
        proptest::collection::vec(
            any::<u8>().prop_filter("no CR or LF", |b| *b != b'\r' && *b != b'\n'),
            0..200
        ),
        Just(b".".to_vec()),
        Just(b"..".to_vec()),
        Just(b".x".to_vec()),
        Just(b"From: nobody".to_vec()),
        Just(Vec::new()),
    ];
    proptest::collection::vec(line, 0..60)
}

#[test]
fn any_message_is_stored_as_sent() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = rt.block_on(TestServer::start());
    rt.block_on(s.user("amina", Role::Pupil));
    let addr = port(&s, Kind::Incoming);
    let rcpt = format!("RCPT TO:<amina@{}>", domain(&s));
    let store = s.dir.path().join("mail/store");
    let mut runner = TestRunner::new(Config::with_cases(24));
    runner
        .run(&body(), |lines| {
            let (file, sent) = rt.block_on(async {
                let (mut c, _) = Client::connect(addr).await;
                c.cmd("EHLO props.test").await;
                c.cmd("MAIL FROM:<a@dehors.test>").await;
                c.cmd(&rcpt).await;
                assert!(c.cmd("DATA").await.starts_with("354"));
                let mut wire = Vec::new();
                let mut sent = Vec::new();
                for l in &lines {
                    if l.first() == Some(&b'.') {
                        wire.push(b'.');
                    }
                    wire.extend_from_slice(l);
                    wire.extend_from_slice(b"\r\n");
                    sent.extend_from_slice(l);
                    sent.extend_from_slice(b"\r\n");
                }
                c.raw(&wire).await;
                let r = c.cmd(".").await;
                assert!(r.starts_with("250 "), "{r}");
                let id: i64 = r.rsplit(' ').next().unwrap().parse().unwrap();
                let file: String = s
                    .running
                    .app
                    .db
                    .read(move |c| {
                        Ok(c.query_row(
                            "SELECT file FROM mail_messages WHERE id = ?1",
                            [id],
                            |r| r.get(0),
                        )?)
                    })
                    .await
                    .unwrap();
                (file, sent)
            });
            let stored = std::fs::read(store.join(file)).unwrap();
            // The trace header is ours: a Received: field of three lines, the third ending it.
            let trace_end = stored
                .windows(2)
                .enumerate()
                .filter(|(_, w)| w == b"\r\n")
                .nth(2)
                .map(|(i, _)| i + 2)
                .unwrap();
            prop_assert!(stored.starts_with(b"Received: from props.test"));
            prop_assert_eq!(&stored[trace_end..], &sent[..]);
            Ok(())
        })
        .unwrap();
}

#[test]
fn any_bytes_on_port_25_leave_the_server_serving_and_nothing_behind() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = rt.block_on(TestServer::start());
    rt.block_on(s.user("amina", Role::Pupil));
    let addr = port(&s, Kind::Incoming);
    let bytes = proptest::collection::vec(
        prop_oneof![
            Just(b"EHLO x\r\n".to_vec()),
            Just(b"MAIL FROM:<a@b.test>\r\n".to_vec()),
            Just(format!("RCPT TO:<amina@{}>\r\n", domain(&s)).into_bytes()),
            Just(b"DATA\r\n".to_vec()),
            Just(b"\r\n.\r\n".to_vec()),
            Just(b"\0\n\r".to_vec()),
            proptest::collection::vec(any::<u8>(), 0..300),
        ],
        0..30,
    )
    .prop_map(|v| v.concat());
    let case = std::sync::atomic::AtomicU32::new(0);
    let mut runner = TestRunner::new(Config::with_cases(48));
    runner
        .run(&bytes, |input| {
            // Each case from an address of its own, so that the door's strikes against
            // misbehaving addresses do not turn the next cases away.
            let case = case.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            let from = format!("127.1.{}.{}", case / 250, 1 + case % 250);
            rt.block_on(async {
                let sock = tokio::net::TcpSocket::new_v4().unwrap();
                sock.bind(format!("{from}:0").parse().unwrap()).unwrap();
                let mut conn = sock.connect(addr).await.unwrap();
                let _ = conn.write_all(&input).await;
                let _ = conn.shutdown().await;
            });
            Ok(())
        })
        .unwrap();
    rt.block_on(async {
        let (mut c, greeting) = Client::connect_from(addr, "127.2.0.1").await;
        assert!(greeting.starts_with("220 "), "{greeting}");
        assert!(c.cmd("EHLO after.test").await.starts_with("250"));
    });
    // Every connection has been given up by now or is about to be: no spool file stays.
    let tmp = s.dir.path().join("mail/tmp");
    let waited = std::time::Instant::now();
    while std::fs::read_dir(&tmp).map(|d| d.count()).unwrap_or(0) > 0 {
        assert!(
            waited.elapsed() < Duration::from_secs(60),
            "spool files stayed behind"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
