//! The offline library's administration end to end: `/admin/library` for admins only,
//! audiences changed and audited, removal with its confirmation, discovery in the staff
//! share's `Library` folder (hard-linked) and on a USB disk (copied), files refused with their
//! reason, backups without the collections' bytes and a restore that names what is missing,
//! and the `cartable library` command refusing a bad file.

use crate::support::process::cartable;
use crate::support::*;
use cartable::auth::{Role, SchoolAudience};
use cartable::library::{registry, scan};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

fn fixture(name: &str) -> PathBuf {
    zim_fixtures().join(name)
}

async fn collections(s: &TestServer) -> Vec<registry::Collection> {
    s.running
        .app
        .db
        .read(|c| Ok(registry::list(c)?))
        .await
        .unwrap()
}

async fn admin(s: &TestServer) -> reqwest::Client {
    s.user("office.admin", Role::Admin).await;
    s.logged_in("office.admin").await
}

async fn post(
    s: &TestServer,
    c: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = csrf_for(c, &s.base, "/admin/library").await;
    let mut f: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
    f.extend_from_slice(form);
    c.post(s.url(path)).form(&f).send().await.unwrap()
}

async fn page(s: &TestServer, c: &reqwest::Client) -> String {
    page_text(c, s.url("/admin/library")).await
}

/// Dates `path` an hour back: a file that has settled.
fn age(path: &Path) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
}

/// Copies `from` to `to`, settled.
fn settled_copy(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap();
    age(to);
}

/// `s` as the templates escape it.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2f;")
}

/// "Scan now", as the admin clicks it.
async fn scan(s: &TestServer, c: &reqwest::Client) {
    let r = post(s, c, "/admin/library/scan", &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/admin/library?msg=library_admin.scanned");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_see_and_change_the_library() {
    let s = TestServer::start().await;
    let c = s
        .install_zim(&fixture("zstd.zim"), SchoolAudience::Staff)
        .await;
    let a = admin(&s).await;
    let html = page(&s, &a).await;
    assert!(html.contains(&c.title), "{html}");
    assert!(html.contains(&format!("/admin/library/{}/remove", c.name)));
    let home = page_text(&a, s.url("/admin/")).await;
    assert!(home.contains("href=\"/admin/library\""), "{home}");

    for (user, role) in [
        ("t.teacher", Role::Teacher),
        ("s.staff", Role::Staff),
        ("p.pupil", Role::Pupil),
        ("f.parent", Role::Parent),
    ] {
        s.user(user, role).await;
        let u = s.logged_in(user).await;
        let r = u.get(s.url("/admin/library")).send().await.unwrap();
        assert_eq!(r.status(), 403, "{user} sees the library's administration");
        let csrf = csrf_for(&u, &s.base, "/profile").await;
        for path in [
            format!("/admin/library/{}/remove", c.name),
            format!("/admin/library/{}/audience", c.name),
            "/admin/library/scan".to_owned(),
        ] {
            let r = u
                .post(s.url(&path))
                .form(&[("csrf", csrf.as_str()), ("audience", "school")])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 403, "{user} may POST {path}");
        }
    }
    let anon = s.client();
    let r = anon.get(s.url("/admin/library")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/login"), "{}", location(&r));
    let after = collections(&s).await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].audience, SchoolAudience::Staff);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audience_changes_with_the_csrf_token_only_and_is_audited() {
    let s = TestServer::start().await;
    let c = s
        .install_zim(&fixture("zstd.zim"), SchoolAudience::Staff)
        .await;
    let class = s.class("6e A").await;
    let a = admin(&s).await;
    let html = page(&s, &a).await;
    assert!(
        html.contains("6e A"),
        "this year's classes are offered: {html}"
    );
    let path = format!("/admin/library/{}/audience", c.name);

    // No token: refused, nothing changed.
    let r = a
        .post(s.url(&path))
        .form(&[("audience", "school")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // "Chosen classes" with none ticked: nothing changed either.
    let r = post(&s, &a, &path, &[("audience", "classes")]).await;
    assert_eq!(location(&r), "/admin/library?msg=library_admin.no_class");
    // A class that does not exist.
    let r = post(&s, &a, &path, &[("audience", "classes"), ("class", "9999")]).await;
    assert_eq!(r.status(), 400);
    assert_eq!(collections(&s).await[0].audience, SchoolAudience::Staff);

    let id = class.0.to_string();
    let r = post(&s, &a, &path, &[("audience", "classes"), ("class", &id)]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        collections(&s).await[0].audience,
        SchoolAudience::Classes(vec![class])
    );
    let r = post(&s, &a, &path, &[("audience", "school")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(collections(&s).await[0].audience, SchoolAudience::School);
    let audited: Vec<String> = s
        .running
        .app
        .db
        .read(|c| {
            let mut st = c.prepare(
                "SELECT actor || ' ' || detail FROM audit_log WHERE action = 'manage_library' \
                 AND detail LIKE 'audience %' ORDER BY id",
            )?;
            let rows = st.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<Result<Vec<String>, _>>()?)
        })
        .await
        .unwrap();
    assert_eq!(audited.len(), 2, "{audited:?}");
    assert!(audited[1].ends_with("audience school"), "{audited:?}");
    let log = page_text(&a, s.url("/admin/audit")).await;
    assert!(
        log.contains("Collection de la bibliothèque modifiée"),
        "{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removing_asks_first_then_deletes_the_files_and_the_row() {
    let s = TestServer::start().await;
    let c = s
        .install_zim(&fixture("zstd.zim"), SchoolAudience::School)
        .await;
    let keep = s
        .install_zim(&fixture("none.zim"), SchoolAudience::School)
        .await;
    assert!(c.file.exists());
    let a = admin(&s).await;
    let path = format!("/admin/library/{}/remove", c.name);
    let confirm = page_text(&a, s.url(&path)).await;
    assert!(confirm.contains(&c.title), "{confirm}");
    assert!(confirm.contains(&format!("action=\"{path}\"")), "{confirm}");
    assert!(c.file.exists(), "the confirmation page deletes nothing");
    let r = a.post(s.url(&path)).send().await.unwrap();
    assert!(r.status() == 403 || r.status() == 400);
    assert!(c.file.exists());

    let r = post(&s, &a, &path, &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/admin/library?msg=library_admin.removed");
    assert!(!c.file.exists(), "the collection's file is deleted");
    let left: Vec<String> = collections(&s).await.into_iter().map(|c| c.name).collect();
    assert_eq!(left, vec![keep.name.clone()]);
    assert!(keep.file.exists(), "the other collection is untouched");
    let r = a.get(s.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_of_the_staff_share_library_folder_links_good_files_and_lists_bad_ones() {
    let s = TestServer::start().await;
    let a = admin(&s).await;
    let data = s.dir.path().to_owned();
    let folder = data.join("files/staff/Library");
    std::fs::create_dir_all(&folder).unwrap();
    let good = folder.join("vikidia.zim");
    settled_copy(&fixture("zstd.zim"), &good);
    // Cut short, as a failed copy leaves it.
    let bytes = std::fs::read(fixture("none.zim")).unwrap();
    let broken = folder.join("broken.zim");
    std::fs::write(&broken, &bytes[..bytes.len() / 2]).unwrap();
    age(&broken);
    settled_copy(&fixture("expected.json"), &folder.join("notes.zim"));
    // Names that are no collection: a partial upload, a macOS shadow file.
    settled_copy(&fixture("none.zim"), &folder.join("dico.zim.part"));
    settled_copy(&fixture("none.zim"), &folder.join("._dico.zim"));

    scan(&s, &a).await;
    let all = collections(&s).await;
    assert_eq!(all.len(), 1, "{all:?}");
    let c = &all[0];
    assert_eq!(c.source, "webdav");
    assert_eq!(
        c.audience,
        SchoolAudience::Staff,
        "found files start as staff-only"
    );
    assert_eq!(c.file.parent().unwrap(), data.join("library"));
    assert_eq!(
        std::fs::metadata(&c.file).unwrap().ino(),
        std::fs::metadata(&good).unwrap().ino(),
        "hard-linked, not copied"
    );
    let html = page(&s, &a).await;
    assert!(html.contains(&c.title), "{html}");
    let refused = &html[html.find("id=\"refused\"").unwrap()..];
    assert!(refused.contains("broken.zim"), "{refused}");
    assert!(refused.contains("notes.zim"), "{refused}");
    assert!(!refused.contains("dico.zim"), "{refused}");
    let reasons = s
        .running
        .app
        .db
        .read(|c| Ok(registry::refused(c)?))
        .await
        .unwrap();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    for r in &reasons {
        assert_eq!(r.source, "webdav");
        assert!(!r.reason.is_empty());
        assert!(
            html.contains(&escaped(&r.reason)),
            "{}: {} not on the page",
            r.path,
            r.reason
        );
        // Said in the admin's language, the reader's words kept as the detail.
        let (kind, said) = if r.path.ends_with("broken.zim") {
            ("corrupt", "Le fichier est abîmé ou incomplet")
        } else {
            ("not_zim", "n&#x27;est pas une collection Kiwix")
        };
        assert_eq!(r.kind, kind, "{r:?}");
        assert!(html.contains(said), "{said} not on the page: {html}");
    }

    // A file still being written waits for the next scan; the installed one is not "refused"
    // on the second look; the broken one, deleted, leaves the list.
    let fresh = folder.join("fresh.zim");
    std::fs::copy(fixture("none.zim"), &fresh).unwrap();
    std::fs::remove_file(&broken).unwrap();
    scan(&s, &a).await;
    assert_eq!(collections(&s).await.len(), 1);
    let html = page(&s, &a).await;
    assert!(html.contains("fresh.zim"), "listed as waiting: {html}");
    scan(&s, &a).await;
    let all = collections(&s).await;
    assert_eq!(all.len(), 2, "unchanged over two scans, it is installed");
    let html = page(&s, &a).await;
    let refused = &html[html.find("id=\"refused\"").unwrap()..];
    assert!(!refused.contains("broken.zim"), "{refused}");
    assert!(refused.contains("notes.zim"), "{refused}");

    // Removing the collection deletes the share's link too (else nothing is freed, and the
    // next scan adds it again).
    let confirm = page_text(&a, s.url(&format!("/admin/library/{}/remove", c.name))).await;
    assert!(confirm.contains("vikidia.zim"), "{confirm}");
    let r = post(&s, &a, &format!("/admin/library/{}/remove", c.name), &[]).await;
    assert_eq!(r.status(), 303);
    assert!(!good.exists());
    assert!(!c.file.exists());
    scan(&s, &a).await;
    assert_eq!(collections(&s).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_usb_disk_library_folder_is_copied_onto_the_data_disk() {
    let s = TestServer::start().await;
    let a = admin(&s).await;
    // Another file system than the data folder's when there is one (/dev/shm is a tmpfs).
    let shm = Path::new("/dev/shm");
    let disk = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let other_device = std::fs::metadata(disk.path()).unwrap().dev()
        != std::fs::metadata(s.dir.path()).unwrap().dev();
    let folder = disk.path().join("kiwix");
    std::fs::create_dir(&folder).unwrap();
    let src = folder.join("wiktionary.zim");
    settled_copy(&fixture("none.zim"), &src);
    s.running
        .app
        .scanner
        .set_usb_roots(vec![disk.path().to_owned()]);
    scan(&s, &a).await;
    let all = collections(&s).await;
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].source, "usb");
    assert!(src.exists(), "the disk's file is left alone");
    assert_eq!(
        std::fs::read(&all[0].file).unwrap(),
        std::fs::read(&src).unwrap()
    );
    if other_device {
        assert_ne!(
            std::fs::metadata(&all[0].file).unwrap().ino(),
            std::fs::metadata(&src).unwrap().ino()
        );
    }
    let html = page(&s, &a).await;
    assert!(
        html.contains("Disque USB") || html.contains("disque USB"),
        "{html}"
    );

    // Removed by the admin while the disk stays plugged in: no scan adds it back, not even
    // after a restart; the refused list says why and offers to add it again.
    let name = all[0].name.clone();
    let r = post(&s, &a, &format!("/admin/library/{name}/remove"), &[]).await;
    assert_eq!(r.status(), 303);
    assert!(src.exists(), "the disk's file is left alone");
    scan(&s, &a).await;
    assert!(collections(&s).await.is_empty());
    let dir = s.stop();
    let s = TestServer::start_in(dir).await;
    let a = s.logged_in("office.admin").await;
    s.running
        .app
        .scanner
        .set_usb_roots(vec![disk.path().to_owned()]);
    scan(&s, &a).await;
    assert!(collections(&s).await.is_empty(), "removed stays removed");
    let html = page(&s, &a).await;
    let refused = &html[html.find("id=\"refused\"").unwrap()..];
    assert!(refused.contains("wiktionary.zim"), "{refused}");
    assert!(
        refused.contains("Un administrateur a retiré cette collection"),
        "{refused}"
    );
    assert!(refused.contains("/admin/library/readmit"), "{refused}");

    // "Add it again" takes only a path the list holds as removed.
    let other = folder.join("other.zim");
    settled_copy(&fixture("zstd.zim"), &other);
    let other_path = other.to_string_lossy().into_owned();
    let r = post(&s, &a, "/admin/library/readmit", &[("path", &other_path)]).await;
    assert_eq!(r.status(), 400);
    std::fs::remove_file(&other).unwrap();
    let r = post(&s, &a, "/admin/library/readmit", &[("path", "/etc/passwd")]).await;
    assert_eq!(r.status(), 400);
    assert!(collections(&s).await.is_empty());
    let path = src.to_string_lossy().into_owned();
    let r = post(&s, &a, "/admin/library/readmit", &[("path", &path)]).await;
    assert_eq!(r.status(), 303);
    let all = collections(&s).await;
    assert_eq!(all.len(), 1, "added again: {all:?}");
    assert_eq!(all[0].name, name);
    let refused = s
        .running
        .app
        .db
        .read(|c| Ok(registry::refused(c)?))
        .await
        .unwrap();
    assert!(refused.is_empty(), "{refused:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_usb_disk_mounted_while_the_server_runs_is_looked_into_without_asking() {
    // The periodic scan ran at start and found nothing; the disk appears afterwards, as when
    // the box mounts a stick that a technician plugs in: nobody presses "scan now".
    let s = TestServer::start().await;
    let disk = tempfile::tempdir().unwrap();
    let folder = disk.path().join("library");
    std::fs::create_dir(&folder).unwrap();
    settled_copy(&fixture("zstd.zim"), &folder.join("encyclopedie.zim"));
    while s.running.app.scanner.last().is_none() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(collections(&s).await.is_empty());
    s.running
        .app
        .scanner
        .set_usb_roots(vec![disk.path().to_owned()]);
    let deadline = tokio::time::Instant::now() + scan::MOUNT_WATCH * 3;
    let mut all = Vec::new();
    while all.is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
        all = collections(&s).await;
    }
    assert_eq!(
        all.len(),
        1,
        "the new disk was not scanned within {:?}",
        scan::MOUNT_WATCH * 3
    );
    assert_eq!(all[0].source, "usb");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backups_leave_the_collections_out_and_restore_names_the_missing_ones() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = cartable(
        d,
        &[
            "library",
            "add",
            fixture("zstd.zim").to_str().unwrap(),
            "--audience",
            "school",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list =
        String::from_utf8_lossy(&cartable(d, &["library", "list"], None).stdout).into_owned();
    let name = list.split('\t').next().unwrap().to_owned();
    assert!(d.join("library").join(format!("{name}.zim")).exists());
    // A stand-in for a full-text index, which must stay out too.
    std::fs::create_dir_all(d.join("library/index")).unwrap();
    std::fs::write(d.join("library/index/x.sqlite"), b"index").unwrap();

    let archive = tempfile::tempdir().unwrap();
    let tar_path = archive.path().join("b.tar");
    let out = cartable(d, &["backup", "--to", tar_path.to_str().unwrap()], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut tar = tar::Archive::new(std::fs::File::open(&tar_path).unwrap());
    let names: Vec<String> = tar
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().any(|n| n == "cartable.db"), "{names:?}");
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with("library") || n.ends_with(".zim") || n.ends_with(".sqlite")),
        "{names:?}"
    );

    let restored = tempfile::tempdir().unwrap();
    let out = cartable(
        restored.path(),
        &["restore", "--from", tar_path.to_str().unwrap()],
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(&format!("missing: {name}")), "{stdout}");
    assert!(stdout.contains("library add"), "{stdout}");

    let s = TestServer::start_in(restored).await;
    let a = admin(&s).await;
    let html = page(&s, &a).await;
    assert!(html.contains("Fichier absent"), "{html}");
    let c = collections(&s).await.remove(0);
    assert_eq!(
        c.file,
        s.dir.path().join("library").join(format!("{name}.zim"))
    );
    assert_eq!(
        c.index,
        registry::IndexState::Pending,
        "its index did not travel"
    );

    // Re-adding the file puts it back under its old name, audience kept.
    let again = s
        .install_zim(&fixture("zstd.zim"), SchoolAudience::Staff)
        .await;
    assert_eq!(again.name, name);
    assert_eq!(again.audience, SchoolAudience::School);
    assert!(again.file.exists());
    let html = page(&s, &a).await;
    assert!(!html.contains("Fichier absent"), "{html}");
}

#[test]
fn library_add_refuses_a_file_that_is_not_a_collection_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for bad in [fixture("expected.json"), d.join("absent.zim")] {
        let out = cartable(d, &["library", "add", bad.to_str().unwrap()], None);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("refused"), "{err}");
        assert!(
            err.contains(bad.file_name().unwrap().to_str().unwrap()),
            "{err}"
        );
    }
    let list = cartable(d, &["library", "list"], None);
    assert!(list.status.success());
    assert!(list.stdout.is_empty());
    let placed = std::fs::read_dir(d.join("library"))
        .map(|r| r.count())
        .unwrap_or(0);
    assert_eq!(placed, 0);
    let out = cartable(d, &["library", "remove", "nothing-here"], None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no collection named"));
}
