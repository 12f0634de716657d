//! Typed ids, so that a class id can never be passed where a user id is expected.
//!
//! They are plain `i64` rowids underneath; the newtypes cost nothing and the compiler
//! checks every call site (vaultwarden paid for typing its ids late).

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($name:ident) => {
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(
                v: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                i64::column_result(v).map($name)
            }
        }
    };
}

id_type!(UserId);
id_type!(ClassId);
id_type!(AssignmentId);
id_type!(MessageId);
id_type!(EntryId);
id_type!(QueueId);
id_type!(CategoryId);
id_type!(TopicId);
id_type!(PostId);
id_type!(ReportId);
id_type!(NewsId);
id_type!(EventId);
id_type!(BookEntryId);
id_type!(RegisterId);
id_type!(MarkId);
id_type!(CollectionId);
id_type!(BlogId);
id_type!(BlogPostId);
id_type!(BlogCommentId);
id_type!(BlogMediaId);

/// A space of documents: what a path under `/dav/` or `/files/` starts in, and what the
/// policy decides about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SpaceId {
    /// An account's own documents.
    Personal(UserId),
    /// A class's shared folder: its teachers write, its pupils read.
    Class(ClassId),
    /// The staff room: teachers, office and admins.
    StaffRoom,
    /// One pupil's hand-in folder for one homework assignment: the pupil and the class's
    /// teachers see it. The assignment's class is part of the id (it never changes), so the
    /// policy can decide from the id alone.
    DropBox {
        assignment: AssignmentId,
        class: ClassId,
        pupil: UserId,
    },
}
id_type!(AppId);
