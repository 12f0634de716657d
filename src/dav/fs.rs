//! The file system dav-server sees: the principal's spaces, mapped onto their folders.
//!
//! Built per request for one principal. Every path goes through [`namespace::locate`] (so
//! spaces the principal cannot see do not exist) and then `files::store::resolve` (so no
//! path leaves its space and no link is followed); every change asks `authorize` for
//! `WriteSpace`, every read for `ReadSpace`. Names are checked and case-insensitive clashes
//! refused with the same rules as the web file manager, and quotas bind the same way.
//! `Homework/` is resolved by [`super::homework`] into drop boxes, read here like any space;
//! the only changes to a box (a hand-in, a withdrawal) go through that module.

use super::file::{Entry, Meta, ReadFile, WriteFile};
use super::homework::{self, Hw};
use super::namespace::{self, Target};
use super::propcache::PropCache;
use super::props;
use crate::app::App;
use crate::auth::{Action, Principal, authorize};
use crate::files::{self, FileError, Space, quota, store};
use crate::ids::SpaceId;
use dav_server::davpath::DavPath;
use dav_server::fs::{
    DavDirEntry, DavFile, DavFileSystem, DavMetaData, DavProp, FsError, FsFuture, FsStream,
    OpenOptions, ReadDirMeta,
};
use futures_util::FutureExt;
use hyper::StatusCode;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone)]
pub struct SpacesFs {
    pub app: App,
    pub principal: Arc<Principal>,
    pub spaces: Arc<Vec<Space>>,
    /// The assignments the principal sees (empty unless the request is below `Homework/`).
    pub homework: Arc<homework::Tree>,
    /// This request's view of the dead properties.
    pub prop_cache: Arc<PropCache>,
}

/// A path resolved inside a space.
struct InSpace {
    space: Space,
    rel: Vec<String>,
    disk: PathBuf,
}

impl InSpace {
    /// The key of this resource's dead properties.
    fn prop_key(&self) -> String {
        let mut k = match self.space.id {
            SpaceId::Personal(u) => format!("u{u}"),
            SpaceId::Class(c) => format!("c{c}"),
            SpaceId::StaffRoom => "staff".to_owned(),
            SpaceId::DropBox {
                assignment, pupil, ..
            } => format!("h{assignment}-{pupil}"),
        };
        for r in &self.rel {
            k.push('/');
            k.push_str(r);
        }
        k
    }

    fn name(&self) -> Option<&str> {
        self.rel.last().map(String::as_str)
    }
}

enum Place {
    Virtual,
    In(InSpace),
}

/// Maps a domain refusal to what dav-server answers. Internal details go to the log only.
pub fn fs_error(e: FileError) -> FsError {
    match e {
        FileError::NotFound | FileError::NotAFolder => FsError::NotFound,
        FileError::InvalidName => FsError::Forbidden,
        FileError::Exists => FsError::Exists,
        FileError::QuotaExceeded => FsError::InsufficientStorage,
        FileError::Incomplete => FsError::GeneralFailure,
        FileError::Io(e) => {
            if e.kind() == std::io::ErrorKind::NotFound {
                return FsError::NotFound;
            }
            if e.raw_os_error() == Some(nix::libc::ENOSPC) {
                return FsError::InsufficientStorage;
            }
            log::error!("WebDAV file operation failed: {e}");
            FsError::GeneralFailure
        }
    }
}

/// Runs file-system work on the blocking pool.
pub(super) async fn blocking<T, F>(f: F) -> Result<T, FsError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, FsError> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| FsError::GeneralFailure)?
}

fn meta_of(path: &Path) -> Result<Meta, FsError> {
    let m = std::fs::symlink_metadata(path).map_err(|e| fs_error(e.into()))?;
    if m.file_type().is_symlink() || !(m.is_dir() || m.is_file()) {
        return Err(FsError::NotFound);
    }
    Ok(Meta::from_fs(&m))
}

fn parent_is_dir(p: &InSpace) -> Result<(), FsError> {
    let parent = p.disk.parent().ok_or(FsError::Forbidden)?;
    match std::fs::symlink_metadata(parent) {
        Ok(m) if m.is_dir() => Ok(()),
        _ => Err(FsError::NotFound),
    }
}

fn open_nofollow(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NOFOLLOW.bits())
        .open(path)
}

impl SpacesFs {
    fn root_of(&self, space: SpaceId) -> PathBuf {
        files::space_root(&self.app.data_dir, space)
    }

    /// Whether `segs` names a folder (real or virtual) the principal sees, or a file; `None`
    /// when it names nothing they see.
    pub async fn is_folder(&self, segs: &[String]) -> Option<bool> {
        match self.place_segs(segs).ok()? {
            Place::Virtual => Some(true),
            Place::In(p) => blocking(move || meta_of(&p.disk)).await.ok().map(|m| m.dir),
        }
    }

    /// Locates `path`, checks the principal may read there, and resolves it on disk.
    fn place(&self, path: &DavPath) -> Result<Place, FsError> {
        let segs = namespace::segments(path.as_bytes()).ok_or(FsError::NotFound)?;
        self.place_segs(&segs)
    }

    fn place_segs(&self, segs: &[String]) -> Result<Place, FsError> {
        match namespace::locate(&self.spaces, segs).ok_or(FsError::NotFound)? {
            Target::Root | Target::Classes => Ok(Place::Virtual),
            Target::Space { space, rel } => self.in_space(space, rel),
            Target::Homework { rest } => {
                match homework::locate(&self.homework, &self.principal, &rest) {
                    None => Err(FsError::NotFound),
                    Some(Hw::Virtual(_)) => Ok(Place::Virtual),
                    Some(Hw::Box { space, rel, .. }) => self.in_space(&space, rel),
                }
            }
        }
    }

    fn in_space(&self, space: &Space, rel: Vec<String>) -> Result<Place, FsError> {
        authorize(&self.principal, &Action::ReadSpace { space: space.id })
            .map_err(|_| FsError::NotFound)?;
        let root = self.root_of(space.id);
        // Made on first use; checked first, as a listing asks this for every entry.
        if !root.is_dir() {
            std::fs::create_dir_all(&root).map_err(|e| fs_error(e.into()))?;
        }
        let refs: Vec<&str> = rel.iter().map(String::as_str).collect();
        let disk = store::resolve(&root, &refs).map_err(fs_error)?;
        // Names are kept in NFC: use the checked forms from here on.
        let rel = refs
            .iter()
            .map(|r| files::check_name(r).map_err(fs_error))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Place::In(InSpace {
            space: space.clone(),
            rel,
            disk,
        }))
    }

    /// A place the principal may change: inside a space they write, and not its root.
    fn writable(&self, path: &DavPath) -> Result<InSpace, FsError> {
        let place = match self.place(path) {
            // Making something new in a read-only folder (`/dav/`, `Classes/`, `Homework/`):
            // refused the same way whatever the name, so nothing is revealed.
            Err(FsError::NotFound) => {
                let segs = namespace::segments(path.as_bytes()).unwrap_or_default();
                let parent = &segs[..segs.len().saturating_sub(1)];
                return match self.place_segs(parent) {
                    Ok(Place::Virtual) => Err(FsError::Forbidden),
                    _ => Err(FsError::NotFound),
                };
            }
            other => other?,
        };
        match place {
            Place::Virtual => Err(FsError::Forbidden),
            Place::In(p) => {
                authorize(&self.principal, &Action::WriteSpace { space: p.space.id })
                    .map_err(|_| FsError::Forbidden)?;
                if p.rel.is_empty() {
                    return Err(FsError::Forbidden);
                }
                Ok(p)
            }
        }
    }

    /// Bytes the space of `p` may still take.
    async fn room(&self, p: &InSpace) -> Result<u64, FsError> {
        let (id, role) = (p.space.id, Some(self.principal.role));
        let limit = self
            .app
            .db
            .read(move |c| Ok(quota::quota_bytes(c, id, role)?))
            .await
            .map_err(|e| {
                log::error!("reading a quota failed: {e}");
                FsError::GeneralFailure
            })?;
        let root = self.root_of(id);
        let used = blocking(move || quota::used(&root).map_err(|e| fs_error(e.into()))).await?;
        Ok(limit.saturating_sub(used))
    }

    async fn with_props<T, F>(&self, f: F) -> Result<T, FsError>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T> + Send + 'static,
    {
        let r = self.app.db.write(move |tx| Ok(f(tx)?)).await;
        self.prop_cache.clear();
        r.map_err(|e| {
            log::error!("WebDAV properties: {e}");
            FsError::GeneralFailure
        })
    }

    async fn open_write(
        &self,
        path: &DavPath,
        oo: OpenOptions,
    ) -> Result<Box<dyn DavFile>, FsError> {
        if let Some(f) = homework::open_write(self, path, &oo).await? {
            return Ok(f);
        }
        let p = self.writable(path)?;
        let name = p.name().unwrap_or_default().to_owned();
        let disk = p.disk.clone();
        let existing = blocking(move || {
            parent_is_dir(&p)?;
            match std::fs::symlink_metadata(&p.disk) {
                Ok(m) if m.is_file() => Ok((Some(m.len()), p)),
                Ok(_) => Err(FsError::Forbidden),
                Err(_) => {
                    let parent = p.disk.parent().ok_or(FsError::Forbidden)?;
                    store::check_no_clash(parent, &name, None).map_err(fs_error)?;
                    Ok((None, p))
                }
            }
        })
        .await;
        let (existing, p) = existing?;
        match existing {
            Some(_) if oo.create_new => return Err(FsError::Exists),
            None if !oo.create => return Err(FsError::NotFound),
            _ => {}
        }
        let room = self.room(&p).await? + existing.unwrap_or(0);
        if oo.size.is_some_and(|n| n > room) {
            return Err(FsError::InsufficientStorage);
        }
        let data = self.app.data_dir.clone();
        let upload = blocking(move || store::Upload::start(&data).map_err(fs_error)).await?;
        Ok(Box::new(WriteFile {
            upload: Some(upload),
            dest: disk,
            room,
            expected: oo.size,
            received: 0,
            buf: Default::default(),
            done: None,
            finish: None,
        }))
    }
}

impl DavFileSystem for SpacesFs {
    fn open<'a>(
        &'a self,
        path: &'a DavPath,
        options: OpenOptions,
    ) -> FsFuture<'a, Box<dyn DavFile>> {
        async move {
            if options.write || options.append || options.create || options.create_new {
                return self.open_write(path, options).await;
            }
            let Place::In(p) = self.place(path)? else {
                return Err(FsError::Forbidden);
            };
            let (file, meta) = blocking(move || {
                let meta = meta_of(&p.disk)?;
                if meta.dir {
                    return Err(FsError::Forbidden);
                }
                let f = open_nofollow(&p.disk).map_err(|e| fs_error(e.into()))?;
                Ok((f, meta))
            })
            .await?;
            let f: Box<dyn DavFile> = Box::new(ReadFile {
                file: tokio::fs::File::from_std(file),
                meta,
            });
            Ok(f)
        }
        .boxed()
    }

    fn read_dir<'a>(
        &'a self,
        path: &'a DavPath,
        _meta: ReadDirMeta,
    ) -> FsFuture<'a, FsStream<Box<dyn DavDirEntry>>> {
        async move {
            let segs = namespace::segments(path.as_bytes()).ok_or(FsError::NotFound)?;
            let target = namespace::locate(&self.spaces, &segs).ok_or(FsError::NotFound)?;
            let mut entries: Vec<Box<dyn DavDirEntry>> = Vec::new();
            if let Some(listing) = homework::virtual_listing(self, &target)? {
                for (name, space) in listing {
                    let meta = match space {
                        Some(id) => {
                            let root = self.root_of(id);
                            blocking(move || {
                                std::fs::create_dir_all(&root).map_err(|e| fs_error(e.into()))?;
                                meta_of(&root)
                            })
                            .await?
                        }
                        None => Meta::virtual_dir(),
                    };
                    entries.push(Box::new(Entry { name, meta }));
                }
            } else {
                let Place::In(p) = self.place(path)? else {
                    return Err(FsError::NotFound);
                };
                let listed = blocking(move || {
                    let rd = std::fs::read_dir(&p.disk).map_err(|e| fs_error(e.into()))?;
                    let mut out = Vec::new();
                    for e in rd.flatten() {
                        // Links, sockets and odd names are not shown: they cannot be
                        // reached either.
                        let Ok(name) = e.file_name().into_string() else {
                            continue;
                        };
                        if files::check_name(&name).ok().as_deref() != Some(name.as_str()) {
                            continue;
                        }
                        let Ok(m) = e.path().symlink_metadata() else {
                            continue;
                        };
                        if m.is_dir() || m.is_file() {
                            out.push(Entry {
                                name,
                                meta: Meta::from_fs(&m),
                            });
                        }
                    }
                    Ok(out)
                })
                .await?;
                for e in listed {
                    entries.push(Box::new(e));
                }
            }
            let s: FsStream<Box<dyn DavDirEntry>> =
                Box::pin(futures_util::stream::iter(entries.into_iter().map(Ok)));
            Ok(s)
        }
        .boxed()
    }

    fn metadata<'a>(&'a self, path: &'a DavPath) -> FsFuture<'a, Box<dyn DavMetaData>> {
        async move {
            let m = match self.place(path)? {
                Place::Virtual => Meta::virtual_dir(),
                Place::In(p) => blocking(move || meta_of(&p.disk)).await?,
            };
            let m: Box<dyn DavMetaData> = Box::new(m);
            Ok(m)
        }
        .boxed()
    }

    fn create_dir<'a>(&'a self, path: &'a DavPath) -> FsFuture<'a, ()> {
        async move {
            let p = self.writable(path)?;
            blocking(move || {
                parent_is_dir(&p)?;
                if std::fs::symlink_metadata(&p.disk).is_ok() {
                    return Err(FsError::Exists);
                }
                let parent = p.disk.parent().ok_or(FsError::Forbidden)?;
                store::check_no_clash(parent, p.name().unwrap_or_default(), None)
                    .map_err(fs_error)?;
                std::fs::create_dir(&p.disk).map_err(|e| fs_error(e.into()))?;
                store::sync_dir(parent).map_err(fs_error)
            })
            .await
        }
        .boxed()
    }

    fn remove_dir<'a>(&'a self, path: &'a DavPath) -> FsFuture<'a, ()> {
        async move {
            let p = self.writable(path)?;
            let key = p.prop_key();
            blocking(move || {
                std::fs::remove_dir(&p.disk).map_err(|e| fs_error(e.into()))?;
                store::sync_dir(p.disk.parent().ok_or(FsError::Forbidden)?).map_err(fs_error)
            })
            .await?;
            self.with_props(move |tx| props::remove_tree(tx, &key))
                .await
        }
        .boxed()
    }

    fn remove_file<'a>(&'a self, path: &'a DavPath) -> FsFuture<'a, ()> {
        async move {
            if homework::remove_file(self, path).await? {
                return Ok(());
            }
            let p = self.writable(path)?;
            let key = p.prop_key();
            blocking(move || {
                if meta_of(&p.disk)?.dir {
                    return Err(FsError::Forbidden);
                }
                let removed = std::fs::remove_file(&p.disk);
                quota::forget(&p.disk);
                removed.map_err(|e| fs_error(e.into()))?;
                store::sync_dir(p.disk.parent().ok_or(FsError::Forbidden)?).map_err(fs_error)
            })
            .await?;
            self.with_props(move |tx| props::remove_tree(tx, &key))
                .await
        }
        .boxed()
    }

    fn rename<'a>(&'a self, from: &'a DavPath, to: &'a DavPath) -> FsFuture<'a, ()> {
        async move {
            let src = self.writable(from)?;
            let dst = self.writable(to)?;
            if src.space.id != dst.space.id {
                let moved = src.disk.clone();
                let size =
                    blocking(move || quota::usage(&moved).map_err(|e| fs_error(e.into()))).await?;
                let size = if size == 0 {
                    meta_of(&src.disk)?.len
                } else {
                    size
                };
                if size > self.room(&dst).await? {
                    return Err(FsError::InsufficientStorage);
                }
            }
            let (from_key, to_key) = (src.prop_key(), dst.prop_key());
            blocking(move || {
                meta_of(&src.disk)?;
                parent_is_dir(&dst)?;
                let to_parent = dst.disk.parent().ok_or(FsError::Forbidden)?;
                let from_parent = src.disk.parent().ok_or(FsError::Forbidden)?;
                // Renaming `a.txt` to `A.txt` in place is fine; anything else that only
                // differs in case from an existing name is a clash.
                let except = if to_parent == from_parent {
                    src.name()
                } else {
                    None
                };
                store::check_no_clash(to_parent, dst.name().unwrap_or_default(), except)
                    .map_err(fs_error)?;
                std::fs::rename(&src.disk, &dst.disk).map_err(|e| fs_error(e.into()))?;
                if to_parent != from_parent {
                    quota::forget(&src.disk);
                    quota::forget(&dst.disk);
                }
                store::sync_dir(to_parent).map_err(fs_error)?;
                if to_parent != from_parent {
                    store::sync_dir(from_parent).map_err(fs_error)?;
                }
                Ok(())
            })
            .await?;
            self.with_props(move |tx| props::move_tree(tx, &from_key, &to_key))
                .await
        }
        .boxed()
    }

    fn copy<'a>(&'a self, from: &'a DavPath, to: &'a DavPath) -> FsFuture<'a, ()> {
        async move {
            let Place::In(src) = self.place(from)? else {
                return Err(FsError::Forbidden);
            };
            let dst = self.writable(to)?;
            let room = self.room(&dst).await?;
            let (from_key, to_key) = (src.prop_key(), dst.prop_key());
            let data = self.app.data_dir.clone();
            blocking(move || {
                let m = meta_of(&src.disk)?;
                if m.dir {
                    return Err(FsError::Forbidden);
                }
                let existing = meta_of(&dst.disk).map(|m| m.len).unwrap_or(0);
                if m.len > room + existing {
                    return Err(FsError::InsufficientStorage);
                }
                parent_is_dir(&dst)?;
                let to_parent = dst.disk.parent().ok_or(FsError::Forbidden)?;
                if existing == 0 && std::fs::symlink_metadata(&dst.disk).is_err() {
                    store::check_no_clash(to_parent, dst.name().unwrap_or_default(), None)
                        .map_err(fs_error)?;
                }
                let mut input = open_nofollow(&src.disk).map_err(|e| fs_error(e.into()))?;
                let mut up = store::Upload::start(&data).map_err(fs_error)?;
                let mut buf = vec![0u8; 256 * 1024];
                loop {
                    use std::io::Read;
                    let n = input.read(&mut buf).map_err(|e| fs_error(e.into()))?;
                    if n == 0 {
                        break;
                    }
                    up.write(&buf[..n]).map_err(fs_error)?;
                }
                up.commit(&dst.disk).map_err(fs_error)
            })
            .await?;
            self.with_props(move |tx| props::copy_one(tx, &from_key, &to_key))
                .await
        }
        .boxed()
    }

    fn have_props<'a>(
        &'a self,
        _path: &'a DavPath,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = bool> + Send + 'a>> {
        futures_util::future::ready(true).boxed()
    }

    fn patch_props<'a>(
        &'a self,
        path: &'a DavPath,
        patch: Vec<(bool, DavProp)>,
    ) -> FsFuture<'a, Vec<(StatusCode, DavProp)>> {
        async move {
            let p = match self.place(path)? {
                Place::Virtual => return Err(FsError::Forbidden),
                Place::In(p) => p,
            };
            authorize(&self.principal, &Action::WriteSpace { space: p.space.id })
                .map_err(|_| FsError::Forbidden)?;
            let disk = p.disk.clone();
            blocking(move || meta_of(&disk)).await?;
            let key = p.prop_key();
            let answer = patch
                .iter()
                .map(|(_, prop)| {
                    (
                        StatusCode::OK,
                        DavProp {
                            xml: None,
                            ..prop.clone()
                        },
                    )
                })
                .collect();
            self.with_props(move |tx| props::patch(tx, &key, &patch))
                .await?;
            Ok(answer)
        }
        .boxed()
    }

    fn get_props<'a>(&'a self, path: &'a DavPath, do_content: bool) -> FsFuture<'a, Vec<DavProp>> {
        async move {
            let Place::In(p) = self.place(path)? else {
                return Ok(Vec::new());
            };
            let c = &self.prop_cache;
            c.list(&self.app.db, &p.prop_key(), do_content).await
        }
        .boxed()
    }

    fn get_prop<'a>(&'a self, path: &'a DavPath, prop: DavProp) -> FsFuture<'a, Vec<u8>> {
        async move {
            let Place::In(p) = self.place(path)? else {
                return Err(FsError::NotFound);
            };
            self.prop_cache
                .get(&self.app.db, &p.prop_key(), &prop)
                .await
        }
        .boxed()
    }
}
