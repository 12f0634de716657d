//! Open files and their metadata, as dav-server wants them.
//!
//! Reads stream from a file opened without following links. Writes never touch the target
//! until the whole body has arrived: bytes go into a [`files::store::Upload`] (a temporary
//! file), which is fsynced and renamed over the target only on the final `flush`. A client
//! that disconnects mid-upload drops the `WriteFile`, and with it the temporary file. Quota
//! and the declared length are checked as bytes arrive.

use crate::files::store::Upload;
use bytes::{Buf, Bytes, BytesMut};
use dav_server::fs::{DavDirEntry, DavFile, DavMetaData, FsError, FsFuture, FsResult};
use futures_util::FutureExt;
use std::io::SeekFrom;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::AsyncReadExt;

/// Metadata of a real file or folder, or of a virtual folder (`/dav/`, `/dav/Classes/`).
#[derive(Debug, Clone)]
pub struct Meta {
    pub len: u64,
    pub modified: SystemTime,
    pub created: Option<SystemTime>,
    pub dir: bool,
}

impl Meta {
    pub fn virtual_dir() -> Meta {
        // A fixed date: the listing changes only with class membership, and a changing
        // date would make Finder and Explorer refetch for nothing.
        let t = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        Meta {
            len: 0,
            modified: t,
            created: Some(t),
            dir: true,
        }
    }

    pub fn from_fs(m: &std::fs::Metadata) -> Meta {
        Meta {
            len: if m.is_dir() { 0 } else { m.len() },
            modified: m.modified().unwrap_or(UNIX_EPOCH),
            created: m.created().ok(),
            dir: m.is_dir(),
        }
    }
}

impl DavMetaData for Meta {
    fn len(&self) -> u64 {
        self.len
    }
    fn modified(&self) -> FsResult<SystemTime> {
        Ok(self.modified)
    }
    fn is_dir(&self) -> bool {
        self.dir
    }
    fn created(&self) -> FsResult<SystemTime> {
        self.created.ok_or(FsError::NotImplemented)
    }
}

/// One entry of a folder listing.
pub struct Entry {
    pub name: String,
    pub meta: Meta,
}

impl DavDirEntry for Entry {
    fn name(&self) -> Vec<u8> {
        self.name.as_bytes().to_vec()
    }
    fn metadata(&'_ self) -> FsFuture<'_, Box<dyn DavMetaData>> {
        let m: Box<dyn DavMetaData> = Box::new(self.meta.clone());
        futures_util::future::ready(Ok(m)).boxed()
    }
}

/// A file opened for reading (GET).
#[derive(Debug)]
pub struct ReadFile {
    pub file: tokio::fs::File,
    pub meta: Meta,
}

impl DavFile for ReadFile {
    fn metadata(&'_ mut self) -> FsFuture<'_, Box<dyn DavMetaData>> {
        let m: Box<dyn DavMetaData> = Box::new(self.meta.clone());
        futures_util::future::ready(Ok(m)).boxed()
    }
    fn write_buf(&'_ mut self, _buf: Box<dyn Buf + Send>) -> FsFuture<'_, ()> {
        futures_util::future::ready(Err(FsError::Forbidden)).boxed()
    }
    fn write_bytes(&'_ mut self, _buf: Bytes) -> FsFuture<'_, ()> {
        futures_util::future::ready(Err(FsError::Forbidden)).boxed()
    }
    fn read_bytes(&'_ mut self, count: usize) -> FsFuture<'_, Bytes> {
        async move {
            let mut buf = BytesMut::zeroed(count);
            let mut filled = 0;
            while filled < count {
                let n = self
                    .file
                    .read(&mut buf[filled..])
                    .await
                    .map_err(|_| FsError::GeneralFailure)?;
                if n == 0 {
                    break;
                }
                filled += n;
            }
            buf.truncate(filled);
            Ok(buf.freeze())
        }
        .boxed()
    }
    fn seek(&'_ mut self, pos: SeekFrom) -> FsFuture<'_, u64> {
        async move {
            use tokio::io::AsyncSeekExt;
            self.file
                .seek(pos)
                .await
                .map_err(|_| FsError::GeneralFailure)
        }
        .boxed()
    }
    fn flush(&'_ mut self) -> FsFuture<'_, ()> {
        futures_util::future::ready(Ok(())).boxed()
    }
}

/// Bytes are gathered up to this size before one blocking write.
const WRITE_CHUNK: usize = 1024 * 1024;

/// A file being uploaded (PUT): written to a temporary file, renamed into place on `flush`.
pub struct WriteFile {
    pub upload: Option<Upload>,
    pub dest: PathBuf,
    /// Bytes the space may still take (counting the file this one replaces).
    pub room: u64,
    /// The length the client declared, if it did.
    pub expected: Option<u64>,
    pub received: u64,
    pub buf: BytesMut,
    pub done: Option<Meta>,
    /// Puts the whole upload in place instead of renaming it to `dest` (a hand-in goes
    /// through the homework rules); it answers the file's metadata.
    pub finish: Option<Finish>,
}

/// See [`WriteFile::finish`].
pub type Finish = Box<
    dyn FnOnce(Upload) -> futures_util::future::BoxFuture<'static, FsResult<Meta>> + Send + Sync,
>;

impl std::fmt::Debug for WriteFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteFile")
            .field("dest", &self.dest)
            .finish()
    }
}

impl WriteFile {
    fn take_in(&mut self, bytes: &[u8]) -> FsResult<()> {
        self.received += bytes.len() as u64;
        if self.received > self.room {
            return Err(FsError::InsufficientStorage);
        }
        if self.expected.is_some_and(|n| self.received > n) {
            return Err(FsError::TooLarge);
        }
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    /// Writes the gathered bytes on the blocking pool. If this future is dropped (the client
    /// went away), the upload is dropped with the task's result and its file removed.
    async fn spill(&mut self) -> FsResult<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let mut up = self.upload.take().ok_or(FsError::GeneralFailure)?;
        let bytes = self.buf.split().freeze();
        let (up, r) = tokio::task::spawn_blocking(move || {
            let r = up.write(&bytes);
            (up, r)
        })
        .await
        .map_err(|_| FsError::GeneralFailure)?;
        r.map_err(super::fs::fs_error)?;
        self.upload = Some(up);
        Ok(())
    }
}

impl DavFile for WriteFile {
    fn metadata(&'_ mut self) -> FsFuture<'_, Box<dyn DavMetaData>> {
        let m = self.done.clone().unwrap_or(Meta {
            len: self.received,
            modified: SystemTime::now(),
            created: None,
            dir: false,
        });
        let m: Box<dyn DavMetaData> = Box::new(m);
        futures_util::future::ready(Ok(m)).boxed()
    }
    fn write_buf(&'_ mut self, mut buf: Box<dyn Buf + Send>) -> FsFuture<'_, ()> {
        async move {
            while buf.has_remaining() {
                let chunk = buf.chunk().to_vec();
                buf.advance(chunk.len());
                self.take_in(&chunk)?;
            }
            if self.buf.len() >= WRITE_CHUNK {
                self.spill().await?;
            }
            Ok(())
        }
        .boxed()
    }
    fn write_bytes(&'_ mut self, bytes: Bytes) -> FsFuture<'_, ()> {
        async move {
            self.take_in(&bytes)?;
            if self.buf.len() >= WRITE_CHUNK {
                self.spill().await?;
            }
            Ok(())
        }
        .boxed()
    }
    fn read_bytes(&'_ mut self, _count: usize) -> FsFuture<'_, Bytes> {
        futures_util::future::ready(Err(FsError::Forbidden)).boxed()
    }
    fn seek(&'_ mut self, _pos: SeekFrom) -> FsFuture<'_, u64> {
        // Partial updates (Content-Range, SabreDAV's PATCH) would need the old bytes copied
        // into the temporary file first; clients send whole files, so we refuse them.
        futures_util::future::ready(Err(FsError::NotImplemented)).boxed()
    }
    fn flush(&'_ mut self) -> FsFuture<'_, ()> {
        async move {
            if self.done.is_some() {
                return Ok(());
            }
            if self.expected.is_some_and(|n| n != self.received) {
                // A body shorter than declared: drop the temporary file, change nothing.
                self.upload = None;
                return Err(FsError::GeneralFailure);
            }
            self.spill().await?;
            let up = self.upload.take().ok_or(FsError::GeneralFailure)?;
            if let Some(finish) = self.finish.take() {
                self.done = Some(finish(up).await?);
                return Ok(());
            }
            let dest = self.dest.clone();
            let meta = tokio::task::spawn_blocking(move || {
                up.commit(&dest)?;
                Ok::<_, crate::files::FileError>(std::fs::symlink_metadata(&dest)?)
            })
            .await
            .map_err(|_| FsError::GeneralFailure)?
            .map_err(super::fs::fs_error)?;
            self.done = Some(Meta::from_fs(&meta));
            Ok(())
        }
        .boxed()
    }
}
