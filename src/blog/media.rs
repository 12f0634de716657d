//! A post's images and files: uploaded with the post, or taken from the author's documents.
//!
//! An image (JPEG, PNG, GIF, WebP: the formats phones and cameras make) is decoded before it
//! is kept: a file that only calls itself an image is refused, and one larger than the
//! admin's limit (`blog_image_px` in the settings: its longest side, 1600 px unless set) is
//! scaled down and saved again, so that a parent on a phone does not download a 12-megapixel
//! photo. Decoding is bounded (dimensions and memory), so a crafted file cannot take the box's
//! memory. The decoders are the `image` crate's, in Rust: no system library.
//!
//! Bytes live in `DATA/blogs/<id>`, written to a temporary name, fsynced and renamed before
//! the row that names them is committed: an acknowledged upload survives a pulled plug.

use super::posts::{Post, get};
use super::*;
use crate::ids::{BlogMediaId, BlogPostId};
use rusqlite::{Transaction, params};
use std::path::{Path, PathBuf};

/// The largest file accepted, in bytes.
pub const MAX_BYTES: usize = 20 << 20;
/// Files per post, at most.
pub const MAX_PER_POST: usize = 12;
/// The longest side of a kept image unless the admin set another (`blog_image_px`).
pub const DEFAULT_IMAGE_PX: u32 = 1600;
/// Images with a side longer than this are not even decoded.
const MAX_DECODE_PX: u32 = 12_000;
/// Memory a decoder may take.
const MAX_DECODE_BYTES: u64 = 256 << 20;

#[derive(Debug, Clone, Serialize)]
pub struct Media {
    pub id: BlogMediaId,
    pub post_id: BlogPostId,
    pub name: String,
    pub mime: String,
    pub size: u64,
    /// An image's size in pixels.
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl Media {
    pub fn is_image(&self) -> bool {
        self.width.is_some()
    }
}

/// Where a media's bytes are.
pub fn path(data_dir: &Path, id: BlogMediaId) -> PathBuf {
    data_dir.join("blogs").join(id.0.to_string())
}

/// The longest side the admin allows for images.
pub fn image_px(conn: &Connection) -> Result<u32> {
    let v: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = 'blog_image_px'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok())
        .filter(|&px| (100..=MAX_DECODE_PX).contains(&px))
        .unwrap_or(DEFAULT_IMAGE_PX))
}

/// A file ready to keep: its bytes (an image maybe scaled down), type and pixel size.
pub struct Prepared {
    pub name: String,
    pub bytes: Vec<u8>,
    pub mime: String,
    pub size_px: Option<(u32, u32)>,
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Checks a file and, for an image, decodes it and scales it down to `max_px`. Blocking (the
/// decoding): callers run it off the async threads.
pub fn prepare(name: &str, bytes: &[u8], max_px: u32) -> Result<Prepared> {
    let name = crate::one_line(name)
        .replace(['/', '\\'], "_")
        .chars()
        .take(120)
        .collect::<String>();
    if name.is_empty() || name.starts_with('.') {
        return Err(BlogError::BadFile);
    }
    if bytes.len() > MAX_BYTES {
        return Err(BlogError::FileTooBig);
    }
    let ext = extension(&name);
    let guessed = image::guess_format(bytes).ok();
    let claims_image = matches!(ext.as_str(), "jpg" | "jpeg" | "png" | "gif" | "webp");
    if !claims_image && guessed.is_none() {
        return Ok(Prepared {
            mime: mime_guess::from_path(&name)
                .first_or_octet_stream()
                .essence_str()
                .to_owned(),
            name,
            bytes: bytes.to_vec(),
            size_px: None,
        });
    }
    let format = match guessed {
        Some(
            f @ (image::ImageFormat::Jpeg
            | image::ImageFormat::Png
            | image::ImageFormat::Gif
            | image::ImageFormat::WebP),
        ) => f,
        _ => return Err(BlogError::NotAnImage),
    };
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DECODE_PX);
    limits.max_image_height = Some(MAX_DECODE_PX);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => BlogError::ImageTooLarge,
        _ => BlogError::NotAnImage,
    })?;
    let (w, h) = (img.width(), img.height());
    if w.max(h) <= max_px {
        return Ok(Prepared {
            mime: format.to_mime_type().to_owned(),
            name,
            bytes: bytes.to_vec(),
            size_px: Some((w, h)),
        });
    }
    let small = img.resize(max_px, max_px, image::imageops::FilterType::Triangle);
    let mut out = std::io::Cursor::new(Vec::new());
    // Photos go out as JPEG; a PNG or GIF (drawings, screenshots, transparency) as PNG.
    let (encoded, mime, ext) = if format == image::ImageFormat::Jpeg
        || (format == image::ImageFormat::WebP && !small.color().has_alpha())
    {
        let rgb = small.to_rgb8();
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
        (rgb.write_with_encoder(enc), "image/jpeg", "jpg")
    } else {
        (
            small.write_to(&mut out, image::ImageFormat::Png),
            "image/png",
            "png",
        )
    };
    encoded.map_err(|_| BlogError::NotAnImage)?;
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    Ok(Prepared {
        name: format!("{stem}.{ext}"),
        bytes: out.into_inner(),
        mime: mime.to_owned(),
        size_px: Some((small.width(), small.height())),
    })
}

/// Whether `who` may change the post's files: as for its text.
fn may_change(who: &Principal, b: &Blog, p: &Post) -> bool {
    may(who, &b.facts, |blog| Action::ModerateBlog { blog })
        || (p.author_id == Some(who.id) && may(who, &b.facts, |blog| Action::WriteBlog { blog }))
}

/// Keeps `file` with the post (its bytes durable before the row is).
pub fn attach(
    tx: &Transaction<'_>,
    who: &Principal,
    data_dir: &Path,
    post: BlogPostId,
    file: &Prepared,
) -> Result<BlogMediaId> {
    let (b, p) = get(tx, who, post)?;
    if !may_change(who, &b, &p) {
        return Err(BlogError::Denied);
    }
    let count: i64 = tx.query_row(
        "SELECT count(*) FROM blog_media WHERE post_id = ?1",
        [post],
        |r| r.get(0),
    )?;
    if count >= MAX_PER_POST as i64 {
        return Err(BlogError::TooManyFiles);
    }
    let (w, h) = file.size_px.unzip();
    tx.execute(
        "INSERT INTO blog_media (post_id, name, mime, size, width, height, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            post,
            file.name,
            file.mime,
            file.bytes.len() as i64,
            w,
            h,
            crate::now()
        ],
    )?;
    let id = BlogMediaId(tx.last_insert_rowid());
    write_durably(&path(data_dir, id), &file.bytes)
        .map_err(|e| BlogError::Db(crate::db::Error::Task(format!("saving a file: {e}"))))?;
    Ok(id)
}

fn write_durably(dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = dest.parent() {
        std::fs::create_dir_all(dir)?;
    }
    crate::tls::write_atomic(dest, bytes, true)
}

const MEDIA: &str = "SELECT id, post_id, name, mime, size, width, height FROM blog_media";

fn media_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Media> {
    Ok(Media {
        id: r.get(0)?,
        post_id: r.get(1)?,
        name: r.get(2)?,
        mime: r.get(3)?,
        size: r.get::<_, i64>(4)?.max(0) as u64,
        width: r.get(5)?,
        height: r.get(6)?,
    })
}

/// A post's files, in the order they were added (for a caller that may see the post).
pub fn of_post(conn: &Connection, post: BlogPostId) -> Result<Vec<Media>> {
    let mut st = conn.prepare_cached(&format!("{MEDIA} WHERE post_id = ?1 ORDER BY id"))?;
    let rows = st.query_map([post], media_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn load_media(conn: &Connection, id: BlogMediaId) -> Result<Media> {
    conn.prepare_cached(&format!("{MEDIA} WHERE id = ?1"))?
        .query_row([id], media_row)
        .optional()?
        .ok_or(BlogError::NotFound)
}

/// A file, if `who` sees its post.
pub fn readable(conn: &Connection, who: &Principal, id: BlogMediaId) -> Result<Media> {
    let m = load_media(conn, id)?;
    get(conn, who, m.post_id)?;
    Ok(m)
}

/// A file of a published post of a public blog, for anyone.
pub fn public(conn: &Connection, id: BlogMediaId) -> Result<Media> {
    let m = load_media(conn, id)?;
    super::visitor::post(conn, m.post_id)?;
    Ok(m)
}

/// Removes a file from its post (the bytes go when the transaction is committed; a file left
/// by a crash in between is harmless and unreachable).
pub fn remove(
    tx: &Transaction<'_>,
    who: &Principal,
    id: BlogMediaId,
) -> Result<(BlogPostId, Media)> {
    let m = load_media(tx, id)?;
    let (b, p) = get(tx, who, m.post_id)?;
    if !may_change(who, &b, &p) {
        return Err(BlogError::Denied);
    }
    tx.execute("DELETE FROM blog_media WHERE id = ?1", [id])?;
    Ok((p.id, m))
}
