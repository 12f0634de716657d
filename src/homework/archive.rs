//! Everything handed in for an assignment as one zip, one folder per pupil.
//!
//! A class's hand-ins can weigh gigabytes on a board with 1 GB of memory, so the archive is
//! written to a temporary file in the data directory (copied file by file through a small
//! buffer), then handed back open and already unlinked: the caller streams it, and the
//! space is freed when the last handle closes, even if the download is cut.
//!
//! Entries are stored, not deflated: hand-ins are mostly PDFs, photos and office files,
//! which are compressed already, and a one-core board would spend minutes for nothing.

use super::{Assignment, HomeworkError, Result, RosterRow, box_dir};
use crate::files::{self, FileError};
use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::Path;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// The folder a pupil's files go in: `Amina Diallo (p.amina)`, or the username alone if the
/// display name would not make a valid file name.
fn folder_name(row: &RosterRow) -> String {
    files::check_name(&format!("{} ({})", row.display_name, row.username))
        .unwrap_or_else(|_| row.username.clone())
}

/// A name for the downloaded archive: `6e A - Rédaction.zip`.
pub fn archive_name(a: &Assignment) -> String {
    let name = format!("{} - {}.zip", a.class_name, a.title);
    files::check_name(&name).unwrap_or_else(|_| format!("homework-{}.zip", a.id))
}

fn zip_error(e: zip::result::ZipError) -> HomeworkError {
    match e {
        zip::result::ZipError::Io(e) => FileError::Io(e).into(),
        other => FileError::Io(std::io::Error::other(other.to_string())).into(),
    }
}

/// Writes the archive of `rows` (pupils without files are left out) and returns it open at
/// its start, with its length.
pub fn build(data_dir: &Path, a: &Assignment, rows: &[RosterRow]) -> Result<(File, u64)> {
    let dir = files::store::tmp_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(FileError::Io)?;
    let path = dir.join(format!("zip-{}", crate::random_token(12)));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(FileError::Io)?;
    // Unlinked at once: nothing is left behind whatever happens next.
    let _ = std::fs::remove_file(&path);
    let mut zip = ZipWriter::new(file);
    for row in rows.iter().filter(|r| !r.files.is_empty()) {
        let folder = folder_name(row);
        let root = box_dir(data_dir, a, row.pupil);
        for f in &row.files {
            let Ok(src_path) = files::store::resolve(&root, &[f.file_name.as_str()]) else {
                continue;
            };
            let mut src = match File::open(&src_path) {
                Ok(s) => s,
                // A file the database lists but the disk lost is left out, not fatal.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(FileError::Io(e).into()),
            };
            let len = src.metadata().map_err(FileError::Io)?.len();
            let options = SimpleFileOptions::default()
                .compression_method(CompressionMethod::Stored)
                .large_file(len >= u32::MAX as u64)
                .last_modified_time(zip_time(f.handed_in_at));
            zip.start_file(format!("{folder}/{}", f.file_name), options)
                .map_err(zip_error)?;
            std::io::copy(&mut src, &mut zip).map_err(FileError::Io)?;
        }
    }
    let mut file = zip.finish().map_err(zip_error)?;
    let len = file.seek(SeekFrom::End(0)).map_err(FileError::Io)?;
    file.seek(SeekFrom::Start(0)).map_err(FileError::Io)?;
    Ok((file, len))
}

/// A zip entry's time: zip times have no zone and are read as local, so we write the
/// school's local time.
fn zip_time(ts: i64) -> zip::DateTime {
    crate::clock::local(ts)
        .and_then(|d| {
            zip::DateTime::from_date_and_time(
                d.year().clamp(1980, 2107) as u16,
                d.month() as u8,
                d.day(),
                d.hour(),
                d.minute(),
                d.second(),
            )
            .ok()
        })
        .unwrap_or_default()
}
