//! Paths inside a space, and writes that survive a power cut.
//!
//! Every path is built from checked names below the space's root, and every existing
//! component is looked at without following links: a symlink planted in a space (or a
//! `..` in a request) never leads out of it. Uploads go to a temporary file in the data
//! directory's `tmp/`, are fsynced, then renamed into place and the folder fsynced, so a
//! file is either whole or absent.

use super::{FileError, Result, check_name, names::fold};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Resolves `segments` (already split on `/`, percent-decoded) below `root`. Missing
/// components are allowed (for a file about to be created); existing ones must be real
/// folders, and the last may be a file, never a link.
pub fn resolve(root: &Path, segments: &[&str]) -> Result<PathBuf> {
    let mut path = root.to_path_buf();
    for (i, seg) in segments.iter().enumerate() {
        let name = check_name(seg)?;
        path.push(&name);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => return Err(FileError::NotFound),
            Ok(m) if !m.is_dir() && i + 1 < segments.len() => return Err(FileError::NotAFolder),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(path)
}

/// Refuses a new `name` in `dir` that only differs in case (or Unicode form) from an
/// existing entry: Windows and macOS clients could not tell them apart.
pub fn check_no_clash(dir: &Path, name: &str, except: Option<&str>) -> Result<()> {
    let wanted = fold(name);
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    for entry in entries {
        let other = entry?.file_name();
        let other = other.to_string_lossy();
        if fold(&other) == wanted && Some(other.as_ref()) != except {
            return Err(FileError::Exists);
        }
    }
    Ok(())
}

/// The folder that holds files being written, on the same filesystem as the spaces so that
/// the final rename is atomic.
pub fn tmp_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("files").join(".tmp")
}

/// A file being written: bytes go to a temporary file that is deleted unless [`Upload::commit`]
/// is reached, so a broken upload leaves nothing behind.
pub struct Upload {
    file: Option<File>,
    tmp: PathBuf,
    pub written: u64,
}

impl Upload {
    pub fn start(data_dir: &Path) -> Result<Upload> {
        let dir = tmp_dir(data_dir);
        std::fs::create_dir_all(&dir)?;
        let tmp = dir.join(format!("upload-{}", crate::random_token(12)));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        Ok(Upload {
            file: Some(file),
            tmp,
            written: 0,
        })
    }

    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        let f = self.file.as_mut().ok_or(FileError::Incomplete)?;
        f.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Syncs the data and moves the file to `dest`, replacing what was there, then syncs the
    /// folder: once this returns, the file survives a power cut.
    pub fn commit(mut self, dest: &Path) -> Result<()> {
        let f = self.file.take().ok_or(FileError::Incomplete)?;
        f.sync_all()?;
        drop(f);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // What it replaces, so that the space's cached usage grows by the difference only.
        let replaced = std::fs::symlink_metadata(dest)
            .ok()
            .filter(|m| m.is_file())
            .map_or(0, |m| m.len());
        std::fs::rename(&self.tmp, dest)?;
        super::quota::charge(dest, self.written.saturating_sub(replaced));
        sync_dir(dest.parent().unwrap_or(Path::new(".")))?;
        Ok(())
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// fsyncs a folder, so that a rename or a new entry in it is durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)?.sync_all()?;
    Ok(())
}

/// Removes temporary files left by a crash; called at start-up.
pub fn sweep_tmp(data_dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(tmp_dir(data_dir)) {
        for e in entries.flatten() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_their_space() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("space");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        assert_eq!(
            resolve(&root, &["sub", "a.txt"]).unwrap(),
            root.join("sub/a.txt")
        );
        for bad in [
            vec![".."],
            vec!["sub", ".."],
            vec!["a/b"],
            vec!["/etc"],
            vec!["sub", "x\0"],
        ] {
            assert!(resolve(&root, &bad).is_err(), "{bad:?}");
        }
        std::os::unix::fs::symlink("/etc", root.join("link")).unwrap();
        assert!(resolve(&root, &["link"]).is_err());
        assert!(resolve(&root, &["link", "passwd"]).is_err());
        std::fs::write(root.join("file"), b"x").unwrap();
        assert!(matches!(
            resolve(&root, &["file", "x"]),
            Err(FileError::NotAFolder)
        ));
    }

    #[test]
    fn case_clashes_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Devoir.pdf"), b"x").unwrap();
        assert!(check_no_clash(dir.path(), "devoir.PDF", None).is_err());
        assert!(check_no_clash(dir.path(), "devoir.PDF", Some("Devoir.pdf")).is_ok());
        assert!(check_no_clash(dir.path(), "autre.pdf", None).is_ok());
    }

    #[test]
    fn an_upload_is_whole_or_absent() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("space/a.txt");
        let mut u = Upload::start(dir.path()).unwrap();
        u.write(b"half").unwrap();
        drop(u);
        assert!(!dest.exists());
        assert_eq!(
            std::fs::read_dir(tmp_dir(dir.path())).unwrap().count(),
            0,
            "the temporary file is gone"
        );
        let mut u = Upload::start(dir.path()).unwrap();
        u.write(b"whole").unwrap();
        u.commit(&dest).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"whole");
    }
}
