//! The webmail as people use it in the portal: writing to a person and to a class list with
//! attachments, the unread count, reading, downloading, replying, deleting; and what must be
//! refused (someone else's message, a pupil writing to a list or outside, a forged form, a
//! message over the school's size) with nothing stored. Mail from outside is shown escaped.

use crate::support::*;
use cartable::auth::Role;
use cartable::ids::UserId;
use reqwest::multipart::{Form, Part};

struct School {
    s: TestServer,
    domain: String,
    amina: UserId,
}

impl School {
    fn addr(&self, local: &str) -> String {
        format!("{local}@{}", self.domain)
    }

    /// Rows in `mail_messages`: what the store holds, whoever lists it.
    async fn stored(&self) -> i64 {
        self.s
            .running
            .app
            .db
            .read(|c| {
                Ok(c.query_row("SELECT count(*) FROM mail_messages", [], |r| {
                    r.get::<_, i64>(0)
                })?)
            })
            .await
            .unwrap()
    }

    async fn set_max_size(&self, bytes: u64) {
        self.s
            .running
            .app
            .db
            .write(move |tx| {
                let mut m = cartable::mail::MailSettings::load(tx)?;
                m.max_size = bytes;
                m.save(tx)?;
                Ok(())
            })
            .await
            .unwrap();
    }
}

/// "6e A": teacher `t.marc`, pupils `p.amina`, `p.bilal`. "5e B": teacher `t.other`, pupil
/// `p.dan`. `o.office` (staff), `m.parent` (Amina's parent).
async fn school() -> School {
    let s = TestServer::start().await;
    s.set_default_language("en").await;
    let domain = s.running.app.settings().mail_domain.clone();
    let class = s.class("6e A").await;
    let other = s.class("5e B").await;
    let marc = s.user("t.marc", Role::Teacher).await;
    s.add_member(class, marc).await;
    let amina = s.user("p.amina", Role::Pupil).await;
    s.add_member(class, amina).await;
    let bilal = s.user("p.bilal", Role::Pupil).await;
    s.add_member(class, bilal).await;
    let t = s.user("t.other", Role::Teacher).await;
    s.add_member(other, t).await;
    let d = s.user("p.dan", Role::Pupil).await;
    s.add_member(other, d).await;
    s.user("o.office", Role::Staff).await;
    let parent = s.user("m.parent", Role::Parent).await;
    s.link_parent(parent, amina).await;
    School { s, domain, amina }
}

/// Posts the compose form as a browser would: csrf, the `to` boxes, the other text fields
/// (subject, body…), then the files.
async fn compose_with(
    c: &reqwest::Client,
    base: &str,
    csrf: &str,
    to: &[&str],
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
) -> reqwest::Response {
    let mut form = Form::new().text("csrf", csrf.to_owned());
    for t in to {
        form = form.text("to", t.to_string());
    }
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (name, data) in files {
        form = form.part(
            "files",
            Part::bytes(data.to_vec()).file_name(name.to_string()),
        );
    }
    c.post(format!("{base}/mail/compose"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn compose(
    c: &reqwest::Client,
    base: &str,
    to: &[&str],
    subject: &str,
    body: &str,
    files: &[(&str, &[u8])],
) -> reqwest::Response {
    let csrf = csrf_for(c, base, "/mail/compose").await;
    let fields = [("subject", subject), ("body", body)];
    compose_with(c, base, &csrf, to, &fields, files).await
}

async fn get(c: &reqwest::Client, url: String) -> (u16, String) {
    let r = c.get(url).send().await.unwrap();
    (
        r.status().as_u16(),
        crate::support::plain(&r.text().await.unwrap()),
    )
}

/// The entry ids of a mail list page, in order.
fn entry_ids(html: &str) -> Vec<i64> {
    html.split("data-id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect()
}

/// The `<li>` of a mail list that holds `subject`.
fn row_with<'a>(html: &'a str, subject: &str) -> Option<&'a str> {
    html.split("<li ")
        .skip(1)
        .map(|li| li.split("</li>").next().unwrap_or(""))
        .find(|li| li.contains(subject))
}

async fn post_delete(c: &reqwest::Client, base: &str, id: i64, csrf: &str) -> reqwest::Response {
    c.post(format!("{base}/mail/{id}/delete"))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap()
}

const PDF: &[u8] = b"%PDF-1.4\n\x00\x01\x02\xff binary \r\n\xfe end";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_writes_a_pupil_reads_downloads_replies_and_deletes() {
    let sc = school().await;
    let base = sc.s.base.clone();
    let marc = sc.s.logged_in("t.marc").await;
    let amina = sc.s.logged_in("p.amina").await;

    // The compose page suggests the class's people and list, and the office.
    let (status, page) = get(&marc, format!("{base}/mail/compose")).await;
    assert_eq!(status, 200);
    for a in ["classe+6e-a", "p.amina", "p.bilal", "o.office"] {
        assert!(
            page.contains(&format!("<option value=\"{}\">", sc.addr(a))),
            "{a} suggested"
        );
    }
    assert!(!page.contains(&sc.addr("p.dan")), "another class's pupil");

    let r = compose(
        &marc,
        &base,
        &[&sc.addr("p.amina")],
        "Sortie au musée",
        "Bonjour Amina,\nvoici la fiche.\n\nM. Marc",
        &[("fiche é.pdf", PDF)],
    )
    .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert_eq!(location(&r), "/mail/sent?msg=mail.sent");
    let (_, sent) = get(&marc, format!("{base}/mail/sent?msg=mail.sent")).await;
    assert!(sent.contains("Message sent.") && sent.contains("Sortie au musée"));
    assert!(sent.contains("class=\"clip\""), "the paperclip mark");

    // Amina sees one unread message on her dashboard and in her inbox.
    let (_, dash) = get(&amina, format!("{base}/")).await;
    assert!(
        dash.contains("Mail <span class=\"count\">(1 unread)</span>"),
        "{dash}"
    );
    let (_, inbox) = get(&amina, format!("{base}/mail")).await;
    let row = row_with(&inbox, "Sortie au musée").expect("the message is listed");
    assert!(row.starts_with("class=\"unread\""), "{row}");
    assert!(row.contains("Test t.marc"), "the sender's name: {row}");
    let id = entry_ids(&inbox)[0];

    // She opens it: the text, the sender, the attachment; then it is read.
    let (status, msg) = get(&amina, format!("{base}/mail/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        msg.contains("Bonjour Amina,\nvoici la fiche.\n\nM. Marc"),
        "{msg}"
    );
    assert!(msg.contains(&sc.addr("t.marc")));
    assert!(msg.contains("fiche é.pdf"));
    let (_, inbox) = get(&amina, format!("{base}/mail")).await;
    assert!(
        row_with(&inbox, "Sortie au musée")
            .unwrap()
            .starts_with("class=\"read\"")
    );
    let (_, dash) = get(&amina, format!("{base}/")).await;
    assert!(!dash.contains("unread"), "no unread count once read");

    // The attachment comes back byte for byte, as a download.
    let r = amina
        .get(format!("{base}/mail/{id}/attachment/0"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let cd = h["content-disposition"].to_str().unwrap();
    assert!(cd.starts_with("attachment;"), "{cd}");
    assert!(cd.contains("filename*=UTF-8''fiche%20%C3%A9.pdf"), "{cd}");
    assert_eq!(&r.bytes().await.unwrap()[..], PDF);
    let (status, _) = get(&amina, format!("{base}/mail/{id}/attachment/1")).await;
    assert_eq!(status, 404);

    // Reply: To is the sender, one "Re:", the original quoted, the thread ids hidden.
    let (status, form) = get(&amina, format!("{base}/mail/compose?reply={id}")).await;
    assert_eq!(status, 200);
    assert!(
        form.contains(&format!("value=\"{}\"", sc.addr("t.marc"))),
        "{form}"
    );
    assert!(form.contains("value=\"Re: Sortie au musée\""));
    assert!(
        form.contains("&gt; Bonjour Amina,\n&gt; voici la fiche.\n&gt;\n&gt; M. Marc"),
        "{form}"
    );
    assert!(form.contains("wrote:"));
    let in_reply_to = form
        .split("name=\"in_reply_to\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    assert!(in_reply_to.contains('@'), "{in_reply_to}");
    let csrf = csrf_in(&form);
    let r = compose_with(
        &amina,
        &base,
        &csrf,
        &[&sc.addr("t.marc")],
        &[
            ("subject", "Re: Sortie au musée"),
            ("body", "Merci !"),
            ("in_reply_to", &in_reply_to),
            ("references", &in_reply_to),
        ],
        &[],
    )
    .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let (_, marc_inbox) = get(&marc, format!("{base}/mail")).await;
    let reply_id = entry_ids(&marc_inbox)[0];
    assert!(row_with(&marc_inbox, "Re: Sortie au musée").is_some());
    // A reply to a reply keeps one "Re:".
    let (_, again) = get(&marc, format!("{base}/mail/compose?reply={reply_id}")).await;
    assert!(again.contains("value=\"Re: Sortie au musée\"") && !again.contains("Re: Re:"));
    // The reply names the original in its headers.
    let raw = stored_raw(&sc, reply_id).await;
    assert!(
        raw.contains(&format!("In-Reply-To: <{in_reply_to}>")),
        "{raw}"
    );

    // Amina deletes the message: gone from her inbox, still in Marc's sent folder.
    let csrf = csrf_for(&amina, &base, &format!("/mail/{id}")).await;
    let r = post_delete(&amina, &base, id, &csrf).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/mail?msg=mail.deleted");
    let (_, inbox) = get(&amina, format!("{base}/mail?msg=mail.deleted")).await;
    assert!(inbox.contains("Message deleted."));
    assert!(row_with(&inbox, "Sortie au musée").is_none());
    let (status, _) = get(&amina, format!("{base}/mail/{id}")).await;
    assert_eq!(status, 404);
    let (_, sent) = get(&marc, format!("{base}/mail/sent")).await;
    let sent_id = entry_ids(&sent)
        .into_iter()
        .find(|e| *e != id)
        .expect("the sent copy");
    let (status, copy) = get(&marc, format!("{base}/mail/{sent_id}")).await;
    assert_eq!(status, 200);
    assert!(copy.contains("Sortie au musée") && copy.contains("fiche é.pdf"));
    assert!(
        !copy.contains("id=\"reply\""),
        "no reply button on one's own sent copy"
    );
}

/// The stored bytes of an entry, read through the domain as the store keeps them.
async fn stored_raw(sc: &School, entry: i64) -> String {
    let app = sc.s.running.app.clone();
    let file: String = app
        .db
        .read(move |c| {
            Ok(c.query_row(
                "SELECT m.file FROM mail_entries e JOIN mail_messages m ON m.id = e.message_id
                 WHERE e.id = ?1",
                [entry],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap();
    let raw = cartable::mail::store::read_file(&app.data_dir, &file).unwrap();
    String::from_utf8_lossy(&raw).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_list_reaches_the_class_and_only_teachers_may_write_to_it() {
    let sc = school().await;
    let base = sc.s.base.clone();
    let marc = sc.s.logged_in("t.marc").await;
    let list = sc.addr("classe+6e-a");
    let r = compose(&marc, &base, &[&list], "Réunion", "Jeudi 18 h.", &[]).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    for (who, gets) in [("p.amina", true), ("p.bilal", true), ("p.dan", false)] {
        let c = sc.s.logged_in(who).await;
        let (_, inbox) = get(&c, format!("{base}/mail")).await;
        assert_eq!(row_with(&inbox, "Réunion").is_some(), gets, "{who}");
    }
    // The writer is not sent their own copy as new mail.
    let (_, inbox) = get(&marc, format!("{base}/mail")).await;
    assert!(row_with(&inbox, "Réunion").is_none());
    // Several recipients in one box, separated by commas, and in several boxes.
    let r = compose(
        &marc,
        &base,
        &[
            &format!("{}, {}", sc.addr("p.amina"), sc.addr("p.dan")),
            "",
            &sc.addr("o.office"),
        ],
        "Plusieurs",
        "x",
        &[],
    )
    .await;
    assert_eq!(r.status(), 303);
    for who in ["p.amina", "p.dan", "o.office"] {
        let c = sc.s.logged_in(who).await;
        let (_, inbox) = get(&c, format!("{base}/mail")).await;
        assert!(row_with(&inbox, "Plusieurs").is_some(), "{who}");
    }

    // A pupil writing to the class list: the clear error, the form as typed, nothing stored.
    let before = sc.stored().await;
    let amina = sc.s.logged_in("p.amina").await;
    let (_, page) = get(&amina, format!("{base}/mail/compose")).await;
    assert!(
        !page.contains(&list),
        "pupils are not offered the class list"
    );
    assert!(page.contains(&sc.addr("t.marc")) && page.contains(&sc.addr("p.bilal")));
    assert!(!page.contains(&sc.addr("p.dan")) && !page.contains(&sc.addr("t.other")));
    let r = compose(&amina, &base, &[&list], "À tous", "Coucou la classe", &[]).await;
    assert_eq!(r.status(), 400);
    let page = plain(&r.text().await.unwrap());
    assert!(
        page.contains("Only the class&#x27;s teachers and the office may write to a class list."),
        "{page}"
    );
    assert!(
        page.contains(&format!("Recipient concerned: {list}")),
        "{page}"
    );
    assert!(page.contains("value=\"À tous\"") && page.contains(">Coucou la classe</textarea>"));
    assert!(
        page.contains(&format!("value=\"{list}\"")),
        "the recipient box is kept"
    );
    // Outside the school: pupils may not.
    let r = compose(&amina, &base, &["ami@example.org"], "Dehors", "x", &[]).await;
    assert_eq!(r.status(), 400);
    let page = plain(&r.text().await.unwrap());
    assert!(
        page.contains("Your account may not send mail outside the school."),
        "{page}"
    );
    assert!(page.contains("Recipient concerned: ami@example.org"));
    // Nobody by that name; a malformed address; no recipient at all.
    let r = compose(&amina, &base, &[&sc.addr("nobody")], "x", "x", &[]).await;
    let page = plain(&r.text().await.unwrap());
    assert!(page.contains("No one at this school has this address."));
    assert!(page.contains(&sc.addr("nobody")));
    let r = compose(&amina, &base, &["not an address"], "x", "x", &[]).await;
    let page = plain(&r.text().await.unwrap());
    assert!(page.contains("This is not a valid address.") && page.contains("not an address"));
    let r = compose(&amina, &base, &["", " ,; "], "x", "x", &[("a.txt", b"a")]).await;
    assert_eq!(r.status(), 400);
    let page = plain(&r.text().await.unwrap());
    assert!(page.contains("Add at least one recipient."));
    assert!(
        page.contains("choose the files again"),
        "attachments must be picked again"
    );
    assert_eq!(sc.stored().await, before, "nothing stored");
    let (_, sent) = get(&amina, format!("{base}/mail/sent")).await;
    assert!(entry_ids(&sent).is_empty());

    // A parent is offered their child's teachers.
    let parent = sc.s.logged_in("m.parent").await;
    let (_, page) = get(&parent, format!("{base}/mail/compose")).await;
    assert!(page.contains(&sc.addr("t.marc")) && !page.contains(&sc.addr("t.other")));
    assert!(!page.contains(&sc.addr("p.bilal")));
    // The office is offered every class list and teacher.
    let office = sc.s.logged_in("o.office").await;
    let (_, page) = get(&office, format!("{base}/mail/compose")).await;
    for a in ["classe+6e-a", "classe+5e-b", "t.marc", "t.other"] {
        assert!(page.contains(&sc.addr(a)), "{a}");
    }
    assert!(!page.contains(&sc.addr("p.dan")), "not every pupil");
    // `?to=` fills the first box.
    let (_, page) = get(
        &amina,
        format!("{base}/mail/compose?to={}", sc.addr("t.marc")),
    )
    .await;
    assert!(page.contains(&format!("name=\"to\" value=\"{}\"", sc.addr("t.marc"))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_elses_message_is_a_404_and_forged_forms_are_refused() {
    let sc = school().await;
    let base = sc.s.base.clone();
    let marc = sc.s.logged_in("t.marc").await;
    let r = compose(
        &marc,
        &base,
        &[&sc.addr("p.amina")],
        "Privé",
        "x",
        &[("a.txt", b"secret")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let amina = sc.s.logged_in("p.amina").await;
    let (_, inbox) = get(&amina, format!("{base}/mail")).await;
    let id = entry_ids(&inbox)[0];

    let bilal = sc.s.logged_in("p.bilal").await;
    let (_, not_found) = get(&bilal, format!("{base}/mail/999999")).await;
    for path in [format!("/mail/{id}"), format!("/mail/{id}/attachment/0")] {
        let (status, body) = get(&bilal, format!("{base}{path}")).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body, not_found, "the same page as a missing one: {path}");
        assert!(!body.contains("secret") && !body.contains("Privé"));
    }
    let (status, _) = get(&bilal, format!("{base}/mail/compose?reply={id}")).await;
    assert_eq!(status, 404);
    let csrf = csrf_for(&bilal, &base, "/mail").await;
    let r = post_delete(&bilal, &base, id, &csrf).await;
    assert_eq!(r.status(), 404);
    let r = post_delete(&bilal, &base, 999_999, &csrf).await;
    assert_eq!(r.status(), 404);

    // Forged or missing tokens: refused, nothing deleted or sent.
    let r = post_delete(&amina, &base, id, "forged").await;
    assert_eq!(r.status(), 403);
    let (status, _) = get(&amina, format!("{base}/mail/{id}")).await;
    assert_eq!(status, 200, "still there");
    let before = sc.stored().await;
    let forged = "x".repeat(48);
    let to = sc.addr("p.bilal");
    for files in [&[][..], &[("a.txt", &b"a"[..])][..]] {
        let r = compose_with(
            &amina,
            &base,
            &forged,
            &[&to],
            &[("subject", "Forgé")],
            files,
        )
        .await;
        assert_eq!(r.status(), 403);
    }
    let r = amina
        .post(format!("{base}/mail/compose"))
        .multipart(
            Form::new()
                .text("to", to.clone())
                .text("subject", "Sans jeton"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // A file before the token is refused too.
    let csrf = csrf_for(&amina, &base, "/mail/compose").await;
    let form = Form::new()
        .part("files", Part::bytes(b"a".to_vec()).file_name("a.txt"))
        .text("csrf", csrf)
        .text("to", to.clone());
    let r = amina
        .post(format!("{base}/mail/compose"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // Another site's page posting with the right token.
    let csrf = csrf_for(&amina, &base, "/mail/compose").await;
    let r = amina
        .post(format!("{base}/mail/compose"))
        .header("origin", "http://evil.example")
        .multipart(Form::new().text("csrf", csrf).text("to", to.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(sc.stored().await, before, "nothing stored");
    let (_, inbox) = get(&bilal, format!("{base}/mail")).await;
    assert!(entry_ids(&inbox).is_empty());
    // Logged out: the login page.
    let r = plain_client()
        .get(format!("{base}/mail"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/login"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_over_the_schools_size_is_refused_and_nothing_is_stored() {
    let sc = school().await;
    let base = sc.s.base.clone();
    sc.set_max_size(64 * 1024).await;
    let marc = sc.s.logged_in("t.marc").await;
    let before = sc.stored().await;
    let to = sc.addr("p.amina");
    // A body whose declared length is over (its files are not read), attachments found over
    // the limit while reading, and ones that only the encoded message is larger than.
    for size in [400 * 1024, 200 * 1024, 60 * 1024] {
        // Bytes that are not text, so the message carries them in base64.
        let big: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
        let r = compose(
            &marc,
            &base,
            &[&to],
            "Trop gros",
            "Le voici.",
            &[("gros.bin", &big)],
        )
        .await;
        assert_eq!(r.status(), 413, "{size}");
        let page = plain(&r.text().await.unwrap());
        assert!(page.contains("This message is too large: 64"), "{page}");
        assert!(page.contains("Nothing was sent."));
        assert!(page.contains("value=\"Trop gros\"") && page.contains(">Le voici.</textarea>"));
        assert!(page.contains(&format!("value=\"{to}\"")));
    }
    assert_eq!(sc.stored().await, before);
    let (_, sent) = get(&marc, format!("{base}/mail/sent")).await;
    assert!(entry_ids(&sent).is_empty());
    // A small one still goes.
    let r = compose(&marc, &base, &[&to], "Petit", "x", &[("petit.txt", b"ok")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(sc.stored().await, before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_from_outside_is_shown_as_text_never_as_html() {
    let sc = school().await;
    let base = sc.s.base.clone();
    let evil = "<script>alert(1)</script><img src=x onerror=alert(1)>";
    let raw = format!(
        "From: \"{evil}\" <bad@example.org>\r\nTo: p.amina@{d}\r\nSubject: {evil}\r\n\
         Message-ID: <x1@example.org>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=B\r\n\r\n\
         --B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello {evil}\r\n\
         --B\r\nContent-Type: text/html; name=\"{evil}.html\"\r\n\
         Content-Disposition: attachment; filename=\"{evil}.html\"\r\n\r\n{evil}\r\n--B--\r\n\
         ",
        d = sc.domain
    );
    let html_only = format!(
        "From: bad@example.org\r\nTo: p.amina@{d}\r\nSubject: html\r\n\
         Content-Type: text/html\r\n\r\n<p>Hi {evil}<b>bold</b></p>\r\n",
        d = sc.domain
    );
    for raw in [raw, html_only] {
        let env = cartable::mail::Envelope {
            from: "bad@example.org".into(),
            sender: None,
            local: vec![sc.amina],
            outside: vec![],
        };
        cartable::mail::store::accept(
            &sc.s.running.app.db,
            &sc.s.running.app.data_dir,
            env,
            raw.into_bytes(),
        )
        .await
        .unwrap();
    }
    let amina = sc.s.logged_in("p.amina").await;
    let (_, inbox) = get(&amina, format!("{base}/mail")).await;
    let ids = entry_ids(&inbox);
    assert_eq!(ids.len(), 2);
    let mut pages = vec![inbox];
    for id in &ids {
        let (status, page) = get(&amina, format!("{base}/mail/{id}")).await;
        assert_eq!(status, 200);
        pages.push(page);
        let (status, page) = get(&amina, format!("{base}/mail/compose?reply={id}")).await;
        assert_eq!(status, 200);
        pages.push(page);
    }
    for page in &pages {
        for bad in ["<script", "<img", "<b>bold"] {
            assert!(!page.contains(bad), "{bad} in {page}");
        }
    }
    assert!(
        pages[0].contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{}",
        pages[0]
    );
    let read = pages
        .iter()
        .find(|p| p.contains("id=\"attachments\""))
        .expect("the message with an attachment");
    assert!(read.contains("Hello &lt;script&gt;"), "{read}");
    assert!(read.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(
        pages.iter().any(|p| p.contains("bold")),
        "the HTML-only one as text"
    );
    // The attachment is a download whatever it claims to be.
    let id = ids
        .iter()
        .find(|id| {
            pages
                .iter()
                .any(|p| p.contains(&format!("/mail/{id}/attachment/0")))
        })
        .unwrap();
    let r = amina
        .get(format!("{base}/mail/{id}/attachment/0"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cd = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cd.starts_with("attachment;"), "{cd}");
    assert_eq!(cd.matches('"').count(), 2, "one quoted fallback name: {cd}");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
}
