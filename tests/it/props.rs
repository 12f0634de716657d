//! Property tests of the doors that parse bodies from outside, through the real server:
//! multipart forms (streamed uploads and the class-list import) and the XML bodies of
//! WebDAV. Whatever arrives, the answer is a 2xx, 3xx or 4xx, never a 5xx, a panic, a stack
//! overflow or a hang; and the server answers the next request. Inputs are bounded in size,
//! which bounds each case's time; huge inputs are refused by a limit, shown case by case.

use crate::support::{PASSWORD, TestServer, csrf_for, plain_client};
use cartable::auth::Role;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use reqwest::Method;

/// Runs `cases` cases of `strategy` against one server, each an async `test`.
fn run<S, F>(cases: u32, strategy: S, server: &TestServer, rt: &tokio::runtime::Runtime, test: F)
where
    S: Strategy,
    S::Value: Clone,
    F: AsyncFn(S::Value) -> Result<(), TestCaseError>,
{
    let mut runner = TestRunner::new(ProptestConfig::with_cases(cases));
    let result = runner.run(&strategy, |v| {
        rt.block_on(async {
            test(v).await?;
            // Still serving.
            let r = plain_client().get(server.url("/healthz")).send().await;
            prop_assert!(
                r.is_ok_and(|r| r.status() == 200),
                "the server stopped answering"
            );
            Ok(())
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

// ---------------------------------------------------------------- multipart

/// One part of a multipart body, before it is framed.
#[derive(Debug, Clone)]
struct RawPart {
    /// The boundary line before it: the right one, or a wrong one.
    right_boundary: bool,
    headers: Vec<String>,
    body: Vec<u8>,
}

#[derive(Debug, Clone)]
struct RawForm {
    /// The boundary the Content-Type names (`None`: a Content-Type without one).
    boundary: Option<String>,
    parts: Vec<RawPart>,
    closed: bool,
    /// Starts as a browser's form does: the CSRF token, then the folder.
    preface: bool,
    /// Cut the body to this fraction of its length (1.0: whole).
    cut: f64,
}

impl RawForm {
    fn content_type(&self) -> String {
        match &self.boundary {
            Some(b) => format!("multipart/form-data; boundary=\"{b}\""),
            None => "multipart/form-data".to_owned(),
        }
    }

    fn body(&self, csrf: &str) -> Vec<u8> {
        let b = self.boundary.clone().unwrap_or_else(|| "x".to_owned());
        let mut out = Vec::new();
        if self.preface {
            for (name, value) in [("csrf", csrf), ("dir", "amina")] {
                out.extend_from_slice(
                    format!(
                        "--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                    )
                    .as_bytes(),
                );
            }
        }
        for p in &self.parts {
            let line = if p.right_boundary {
                b.as_str()
            } else {
                "other"
            };
            out.extend_from_slice(format!("--{line}\r\n").as_bytes());
            for h in &p.headers {
                out.extend_from_slice(h.replace("{csrf}", csrf).as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(
                &String::from_utf8_lossy(&p.body)
                    .replace("{csrf}", csrf)
                    .into_bytes(),
            );
            out.extend_from_slice(b"\r\n");
        }
        if self.closed {
            out.extend_from_slice(format!("--{b}--\r\n").as_bytes());
        }
        let keep = (out.len() as f64 * self.cut) as usize;
        out.truncate(keep);
        out
    }
}

fn raw_part() -> impl Strategy<Value = RawPart> {
    let header = prop_oneof![
        12 => prop::sample::select(vec![
            "Content-Disposition: form-data; name=\"csrf\"",
            "Content-Disposition: form-data; name=\"dir\"",
            "Content-Disposition: form-data; name=\"files\"; filename=\"a.txt\"",
            "Content-Disposition: form-data; name=\"files\"; filename=\"\"",
            "Content-Disposition: form-data; name=\"file\"; filename=\"liste.csv\"",
            "Content-Disposition: form-data; name=\"files\"; filename=\"../../etc/x\"",
            "Content-Disposition: form-data; name=\"files\"; filename*=UTF-8''%C3%A9t%C3%A9.txt",
            "Content-Disposition: attachment",
            "Content-Type: text/plain",
            "Content-Type: application/octet-stream",
        ])
        .prop_map(str::to_owned),
        1 => "\\PC{0,40}",
        1 => "[\\x00-\\x7f]{0,40}",
        // A long header line: up to three times the framing limit.
        1 => (1usize..200_000).prop_map(|n| format!("X-Pad: {}", "a".repeat(n))),
    ];
    let body = prop_oneof![
        2 => prop::sample::select(vec![
            b"{csrf}".to_vec(),
            b"amina".to_vec(),
            b"Nom;Prenom\nBa;Khady\n".to_vec(),
            b"42".to_vec(),
            Vec::new(),
        ]),
        1 => prop::collection::vec(any::<u8>(), 0..2000),
        1 => prop::collection::vec(prop::sample::select(b"-\r\nab".to_vec()), 0..200),
    ];
    (
        any::<bool>(),
        prop::collection::vec(header, 0..4),
        body,
        0u8..10,
    )
        .prop_map(|(right, headers, body, wrong)| RawPart {
            right_boundary: right || wrong > 0,
            headers,
            body,
        })
}

fn raw_form() -> impl Strategy<Value = RawForm> {
    (
        prop_oneof![
            6 => "[A-Za-z0-9-]{1,40}".prop_map(Some),
            3 => "[A-Za-z0-9'()+_,./:=? -]{1,70}".prop_map(Some),
            1 => Just(None),
            1 => "\\PC{0,80}".prop_map(Some),
        ],
        prop_oneof![
            prop::collection::vec(raw_part(), 0..2),
            prop::collection::vec(raw_part(), 0..8),
        ],
        any::<bool>(),
        prop::bool::weighted(0.8),
        prop_oneof![4 => Just(1.0), 1 => 0.0f64..1.0],
    )
        .prop_map(|(boundary, parts, closed, preface, cut)| RawForm {
            boundary,
            parts,
            closed,
            preface,
            cut,
        })
}

#[test]
fn any_multipart_body_gets_a_clear_answer() {
    let rt = runtime();
    let s = rt.block_on(TestServer::start());
    let (pupil, admin, pupil_csrf, admin_csrf) = rt.block_on(async {
        s.user("amina", Role::Pupil).await;
        s.user("office", Role::Admin).await;
        let pupil = s.logged_in("amina").await;
        let admin = s.logged_in("office").await;
        let pc = csrf_for(&pupil, &s.base, "/files").await;
        let ac = csrf_for(&admin, &s.base, "/admin/import").await;
        (pupil, admin, pc, ac)
    });
    run(
        48,
        (raw_form(), any::<bool>()),
        &s,
        &rt,
        async |(form, import)| {
            let (c, path, csrf) = if import {
                (&admin, "/admin/import", &admin_csrf)
            } else {
                (&pupil, "/files-action/upload", &pupil_csrf)
            };
            let r = c
                .post(s.url(path))
                .header("Content-Type", form.content_type())
                .body(form.body(csrf))
                .send()
                .await;
            // The server may answer and close while a refused body is still being sent.
            if let Ok(r) = r {
                prop_assert!(
                    !r.status().is_server_error(),
                    "{} for {:?}",
                    r.status(),
                    form
                );
            }
            Ok(())
        },
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_whose_part_headers_never_end_is_refused_not_held() {
    // multer holds a part's headers until their blank line: 3 MiB of them were held whole,
    // then the file was stored. Past the framing limit, the form is refused.
    let s = TestServer::start().await;
    s.user("amina", Role::Pupil).await;
    let c = s.logged_in("amina").await;
    let csrf = csrf_for(&c, &s.base, "/files").await;
    let upload = async |pad: usize| {
        let body = format!(
            "--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --B\r\nContent-Disposition: form-data; name=\"dir\"\r\n\r\namina\r\n\
             --B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"pad{pad}.txt\"\r\n\
             X-Pad: {}\r\n\r\ndata\r\n--B--\r\n",
            "a".repeat(pad)
        );
        c.post(s.url("/files-action/upload"))
            .header("Content-Type", "multipart/form-data; boundary=B")
            .body(body)
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(upload(1000).await, 303);
    assert_eq!(upload(3 * 1024 * 1024).await, 400);
    let stored = |name: &str| {
        std::fs::read_dir(s.dir.path().join("files"))
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| walk_has(&e.path(), name))
    };
    assert!(stored("pad1000.txt"));
    assert!(!stored(&format!("pad{}.txt", 3 * 1024 * 1024)));
}

fn walk_has(p: &std::path::Path, name: &str) -> bool {
    if p.file_name().is_some_and(|n| n == name) {
        return true;
    }
    std::fs::read_dir(p)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| walk_has(&e.path(), name))
}

// ---------------------------------------------------------------- WebDAV XML

/// XML-ish bodies: real elements, deep nesting, long names and attributes, and noise.
fn xml_body() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec![
            "<D:prop>", "</D:prop>", "<D:allprop/>", "<D:propname/>", "<D:set>", "</D:set>",
            "<D:remove>", "</D:remove>", "<D:getetag/>", "<x:y xmlns:x=\"urn:x\">", "</x:y>",
            "<D:lockscope><D:exclusive/></D:lockscope>", "<D:locktype><D:write/></D:locktype>",
            "<D:owner>", "</D:owner>", "<![CDATA[<a>]]>", "<!-- c -->", "&amp;", "&lt;",
            "<!DOCTYPE a [<!ENTITY e \"xxxxxxxxxx\">]>", "&e;", "<a>", "</a>",
        ])
        .prop_map(str::to_owned),
        1 => "\\PC{0,20}",
        1 => (1usize..3000).prop_map(|n| "<a>".repeat(n)),
        1 => (1usize..20_000).prop_map(|n| format!("<{} a=\"{}\"/>", "n".repeat(n % 300 + 1), "v".repeat(n))),
    ];
    (
        prop::sample::select(vec!["propfind", "propertyupdate", "lockinfo", "other"]),
        prop::collection::vec(piece, 0..30),
        any::<bool>(),
    )
        .prop_map(|(root, pieces, close)| {
            format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:{root} xmlns:D=\"DAV:\">{}{}",
                pieces.concat(),
                if close {
                    format!("</D:{root}>")
                } else {
                    String::new()
                }
            )
        })
}

/// Well-formed bodies of each method, with a value nested to a drawn depth around the limit.
fn well_formed_body() -> impl Strategy<Value = (&'static str, String)> {
    (
        prop::sample::select(vec!["PROPFIND", "PROPPATCH", "LOCK"]),
        "[a-z][a-z0-9-]{0,12}",
        0usize..80,
        "\\PC{0,40}",
    )
        .prop_map(|(method, name, depth, text)| {
            let text = text.replace('&', "&amp;").replace('<', "&lt;");
            let value = format!("{}{text}{}", "<x:v>".repeat(depth), "</x:v>".repeat(depth));
            let body = match method {
                "PROPFIND" => format!(
                    "<D:propfind xmlns:D=\"DAV:\" xmlns:x=\"urn:x\"><D:prop><x:{name}/><D:getetag/></D:prop></D:propfind>"
                ),
                "PROPPATCH" => format!(
                    "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:x=\"urn:x\"><D:set><D:prop><x:{name}>{value}</x:{name}></D:prop></D:set></D:propertyupdate>"
                ),
                _ => format!(
                    "<D:lockinfo xmlns:D=\"DAV:\" xmlns:x=\"urn:x\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>{value}</D:owner></D:lockinfo>"
                ),
            };
            (method, body)
        })
}

#[test]
fn any_xml_body_gets_a_clear_answer() {
    let rt = runtime();
    let s = rt.block_on(TestServer::start());
    rt.block_on(async {
        s.user("amina", Role::Pupil).await;
        let r = dav(&s, "PUT", "/dav/amina/a.txt")
            .body("x")
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.status());
    });
    let methods = prop::sample::select(vec!["PROPFIND", "PROPPATCH", "LOCK", "MKCOL"]);
    let bodies = prop_oneof![(methods, xml_body()), well_formed_body()];
    run(64, bodies, &s, &rt, async |(method, body)| {
        let r = dav(&s, method, "/dav/amina/a.txt")
            .header("Depth", "0")
            .header("Content-Type", "application/xml")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        prop_assert!(
            !r.status().is_server_error(),
            "{} to {method} {body:?}",
            r.status()
        );
        if r.status() == 200 && method == "LOCK" {
            // Let the next case lock it again.
            if let Some(t) = r.headers().get("Lock-Token").and_then(|t| t.to_str().ok()) {
                dav(&s, "UNLOCK", "/dav/amina/a.txt")
                    .header("Lock-Token", t)
                    .send()
                    .await
                    .unwrap();
            }
        }
        Ok(())
    });
}

fn dav(s: &TestServer, method: &str, path: &str) -> reqwest::RequestBuilder {
    plain_client()
        .request(Method::from_bytes(method.as_bytes()).unwrap(), s.url(path))
        .basic_auth("amina", Some(PASSWORD))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_propfind_of_a_thousand_nested_elements_is_refused_and_the_server_lives() {
    // xmltree recursed once per level: this body overflowed a worker's stack and aborted
    // the whole server.
    let s = TestServer::start().await;
    s.user("amina", Role::Pupil).await;
    for method in ["PROPFIND", "PROPPATCH", "LOCK"] {
        let body = format!("<D:propfind xmlns:D=\"DAV:\">{}", "<a>".repeat(1000));
        let r = dav(&s, method, "/dav/")
            .header("Depth", "0")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{method}");
    }
    let r = dav(&s, "PROPFIND", "/dav/")
        .header("Depth", "0")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 207);
    // Over dav-server's 64 KiB, refused before it is read.
    let r = dav(&s, "PROPFIND", "/dav/")
        .header("Depth", "0")
        .body(vec![b' '; 65 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
}
