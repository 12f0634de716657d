//! Documents: every account's own space, each class's shared folder and the staff room.
//!
//! This module holds the rules (what a valid name is, where a space lives on disk, that no
//! path leaves its space, quotas, durable writes) and knows no protocol: the web file manager
//! and WebDAV both come through here, after `auth::authorize` said yes to a
//! `ReadSpace`/`WriteSpace` on the space.

pub mod names;
pub mod quota;
pub mod spaces;
pub mod store;
pub mod trash;

pub use names::check_name;
pub use spaces::{Space, space_root, visible_spaces};

/// Why a file operation was refused. Each has a message key the doors translate, and a
/// WebDAV status.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("no such file or folder")]
    NotFound,
    #[error("this name is not allowed")]
    InvalidName,
    #[error("a file or folder with this name already exists")]
    Exists,
    #[error("not a folder")]
    NotAFolder,
    #[error("the quota is full")]
    QuotaExceeded,
    #[error("the upload was interrupted or did not match its declared size")]
    Incomplete,
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl FileError {
    pub fn key(&self) -> &'static str {
        match self {
            FileError::NotFound => "error.not_found",
            FileError::InvalidName => "files.error_name",
            FileError::Exists => "files.error_exists",
            FileError::NotAFolder => "files.error_not_folder",
            FileError::QuotaExceeded => "files.error_quota",
            FileError::Incomplete => "files.error_incomplete",
            FileError::Io(_) => "error.internal",
        }
    }
}

pub type Result<T> = std::result::Result<T, FileError>;
