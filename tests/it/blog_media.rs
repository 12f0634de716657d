//! A post's photos and files (issue #19): a large photo is scaled down to the admin's limit, a
//! file that only calls itself an image, an oversized file and an image too large to decode
//! are refused with their message and change nothing, files follow their post's readers (the
//! public only for a public post), and a deleted post takes its files with it.

use crate::blog_web::editor_form;
use crate::school_news::*;
use crate::support::*;

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::GrayImage::new(w, h);
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn blog_of_a(s: &School) -> i64 {
    let a = s.a;
    s.s.running
        .app
        .db
        .read(move |c| Ok(cartable::blog::blogs::of_class(c, a).unwrap().0))
        .await
        .unwrap()
}

async fn media(s: &School) -> Vec<(i64, String, Option<i64>, Option<i64>)> {
    s.s.running
        .app
        .db
        .read(|c| {
            let mut st = c.prepare("SELECT id, name, width, height FROM blog_media ORDER BY id")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photos_are_scaled_and_bad_files_refused_without_a_trace() {
    let s = school().await;
    let blog = blog_of_a(&s).await;
    let path = format!("/blogs/{blog}/write");
    let fields = [
        ("title", "Le potager"),
        ("body", "Nos tomates."),
        ("action", "submit"),
    ];
    // Refused, each with its message, and nothing saved: not even the post.
    let refusals: [(&str, Vec<u8>, &str); 3] = [
        (
            "tomates.jpg",
            b"not a photo at all".to_vec(),
            "not an image that can be read",
        ),
        ("panorama.png", png(13_000, 1), "too large to be read"),
        ("film.mp4", vec![0u8; 21 << 20], "larger than 20 MB"),
    ];
    for (name, bytes, said) in refusals {
        let r = editor_form(&s, PUPIL_A, &path, &fields, &[(name, bytes)]).await;
        assert_eq!(r.status(), 400, "{name}");
        let page = plain(&r.text().await.unwrap());
        assert!(page.contains(said), "{name}: {page}");
        assert!(
            page.contains("Nos tomates."),
            "the form comes back as typed"
        );
    }
    assert_eq!(s.count("SELECT count(*) FROM blog_posts").await, 0);
    assert!(media(&s).await.is_empty());

    // A 3000 x 2000 photo is kept at 1600 px (the default), a PDF as it is.
    let pdf = b"%PDF-1.4\n% a worksheet\n".to_vec();
    let r = editor_form(
        &s,
        PUPIL_A,
        &path,
        &fields,
        &[
            ("tomates.jpg", jpeg(3000, 2000)),
            ("fiche.pdf", pdf.clone()),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let post = location(&r)
        .trim_start_matches("/blogs/p/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let kept = media(&s).await;
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert_eq!((kept[0].2, kept[0].3), (Some(1600), Some(1067)));
    assert_eq!((kept[1].2, kept[1].3), (None, None));
    let (photo, doc) = (kept[0].0, kept[1].0);
    let on_disk = s.s.dir.path().join(format!("blogs/{photo}"));
    let stored = image::ImageReader::open(&on_disk)
        .unwrap()
        .with_guessed_format()
        .unwrap()
        .decode()
        .unwrap();
    assert_eq!((stored.width(), stored.height()), (1600, 1067));

    // The admin's limit: 800 px (a limit out of range is refused).
    let r = s
        .post(ADMIN, "/admin/blog-images", &[("blog_image_px", "50")])
        .await;
    assert_eq!(r.status(), 400);
    let r = s
        .post(OFFICE, "/admin/blog-images", &[("blog_image_px", "800")])
        .await;
    assert_eq!(
        r.status(),
        403,
        "the office does not change the school's settings"
    );
    let r = s
        .post(ADMIN, "/admin/blog-images", &[("blog_image_px", "800")])
        .await;
    assert_eq!(location(&r), "/admin/settings?msg=saved");
    let r = editor_form(
        &s,
        TEACHER_A,
        &path,
        &fields,
        &[("grand.jpg", jpeg(1000, 3000))],
    )
    .await;
    assert_eq!(r.status(), 303);
    let last = media(&s).await.pop().unwrap();
    assert_eq!((last.2, last.3), (Some(267), Some(800)));

    // Files follow the post: its author now, the class once approved, nobody else; the
    // public never for a private blog.
    let url = |id: i64, name: &str| format!("/blogs/media/{id}/{name}");
    let get = |who: &'static str, path: String| {
        let s = &s;
        async move {
            let r = s.as_(who).get(s.url(&path)).send().await.unwrap();
            let ctype = r
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            (r.status().as_u16(), ctype, r.bytes().await.unwrap())
        }
    };
    let (code, ctype, _) = get(PUPIL_A, url(photo, "tomates.jpg")).await;
    assert_eq!((code, ctype.as_str()), (200, "image/jpeg"));
    assert_eq!(
        get(PARENT_TWO, url(photo, "tomates.jpg")).await.0,
        404,
        "not approved yet"
    );
    s.post(TEACHER_A, &format!("/blogs/p/{post}/approve"), &[])
        .await;
    assert_eq!(get(PARENT_TWO, url(photo, "tomates.jpg")).await.0, 200);
    let (code, ctype, bytes) = get(PARENT_TWO, url(doc, "fiche.pdf")).await;
    assert_eq!((code, ctype.as_str()), (200, "application/octet-stream"));
    assert_eq!(bytes.as_ref(), pdf.as_slice());
    assert_eq!(get(PARENT_OTHER, url(photo, "tomates.jpg")).await.0, 404);
    let anon = plain_client();
    let r = anon
        .get(s.url(&format!("/site/media/{photo}/tomates.jpg")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "a private blog's photo is not public");
    let (_, page) = s.get(PARENT_TWO, &format!("/blogs/p/{post}")).await;
    assert!(page.contains("fiche.pdf"), "{page}");

    // Deleted with its post.
    let r = s
        .post(TEACHER_A, &format!("/blogs/p/{post}/delete"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        !on_disk.exists(),
        "the photo's bytes are gone with the post"
    );
    assert_eq!(get(PUPIL_A, url(photo, "tomates.jpg")).await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_from_one_s_documents_is_taken_and_no_path_leaves_them() {
    let s = school().await;
    let blog = blog_of_a(&s).await;
    let pupil = s.ids[PUPIL_A];
    let root = cartable::files::space_root(s.s.dir.path(), cartable::ids::SpaceId::Personal(pupil));
    std::fs::create_dir_all(root.join("Sorties")).unwrap();
    std::fs::write(root.join("Sorties/musée.jpg"), jpeg(2000, 1000)).unwrap();
    let path = format!("/blogs/{blog}/write");
    let page = s.get(PUPIL_A, &path).await.1;
    assert!(
        page.contains("musée.jpg"),
        "the editor offers her documents: {page}"
    );
    let fields = |doc: &'static str| {
        vec![
            ("title", "Au musée"),
            ("body", "Voici la photo."),
            ("action", "submit"),
            ("document", doc),
        ]
    };
    for forged in [
        "../../cartable.db",
        "Sorties/../../x",
        "/etc/passwd",
        "Sorties",
        "",
    ] {
        let r = editor_form(&s, PUPIL_A, &path, &fields(forged), &[]).await;
        assert_eq!(r.status(), 400, "{forged:?}");
    }
    assert_eq!(s.count("SELECT count(*) FROM blog_posts").await, 0);
    let r = editor_form(&s, PUPIL_A, &path, &fields("Sorties/musée.jpg"), &[]).await;
    assert_eq!(r.status(), 303);
    let kept = media(&s).await;
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].1.as_str(), kept[0].2, kept[0].3),
        ("musée.jpg", Some(1600), Some(800))
    );
    assert!(
        root.join("Sorties/musée.jpg").exists(),
        "her document stays where it was"
    );
}
