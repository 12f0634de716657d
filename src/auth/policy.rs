//! The access policy: every decision of the form "may this principal do that?".
//!
//! Read this file to know who may do what. New services add variants to [`Action`] and arms
//! to [`authorize`]; nothing else in the code base decides access.

use super::{Principal, Role};
use crate::ids::{ClassId, SpaceId, UserId};
use serde::Serialize;

mod blog;
pub use blog::{BlogAudience, BlogFacts, BlogOwner, CommentMode, visitor_reads};

/// Something a principal wants to do. Variants carry the facts about the target that the
/// decision needs, loaded by the caller (the target's role and classes, say).
#[derive(Debug, Clone)]
pub enum Action<'a> {
    /// See the administration area's home (teachers see their classes there).
    AdminArea,
    /// Find and list accounts.
    ListAccounts,
    /// Create an account with this role.
    CreateAccount { role: Role },
    /// Edit (names, role, language), disable or enable an existing account.
    EditAccount { target: UserId, role: Role },
    /// Give an account a new password (it must change it at next login).
    ResetPassword {
        target: UserId,
        role: Role,
        classes: &'a [ClassId],
    },
    /// Create, rename or delete classes, and change who is in them and who teaches them.
    ManageClasses,
    /// See a class's pupils and teachers.
    ViewClass { class: ClassId },
    /// Print fresh login slips for a class's pupils (this resets their passwords).
    PrintSlips { class: ClassId },
    /// Link parents to their children.
    ManageParentLinks,
    /// Import a class list from CSV.
    ImportAccounts,
    /// Read the audit log.
    ViewAudit,
    /// Change the school's settings (name, language, host names).
    EditSettings,
    /// List and download the documents of a space.
    ReadSpace { space: SpaceId },
    /// Add, change, move or delete documents in a space.
    WriteSpace { space: SpaceId },
    /// Open, close and reopen homework assignments for a class.
    ManageAssignments { class: ClassId },
    /// See a class's assignments (titles, instructions, due dates).
    ViewAssignments { class: ClassId },
    /// Hand files in to (or take them back out of) a drop box, which must be a
    /// `SpaceId::DropBox`; `open` says whether the teacher has left the box open.
    HandIn { space: SpaceId, open: bool },
    /// Send mail to a class's list (its pupils and teachers). `members_may_write` is the
    /// school's setting that lets the class's own pupils write to it too.
    MailClassList {
        class: ClassId,
        members_may_write: bool,
    },
    /// Send mail outside the school, through the relay. `pupils_allowed` is the school's
    /// setting (pupils are internal-only by default).
    MailOutside { pupils_allowed: bool },
    /// See, retry and delete the outbound mail queue.
    ManageMailQueue,
    /// Read a forum category's topics (and search them).
    ReadForum { category: &'a ForumAudience },
    /// Start a topic or reply in a category; `locked` says whether the topic is locked and
    /// `muted` whether a moderator has muted this principal there for now.
    PostForum {
        category: &'a ForumAudience,
        locked: bool,
        muted: bool,
    },
    /// Pin, lock, hide, move and delete topics and posts, see reports, mute pupils.
    ModerateForum { category: &'a ForumAudience },
    /// Add forum categories with a chosen audience.
    ManageForumCategories,
    /// See the state of the box: disk, memory, backups, updates.
    ViewSystem,
    /// Read a news item written by `author` for `audience`.
    ReadNews {
        audience: &'a SchoolAudience,
        author: Option<UserId>,
    },
    /// Publish a news item for `audience`.
    PostNews { audience: &'a SchoolAudience },
    /// Change a news item: its author's, or an admin's, to do.
    EditNews { author: Option<UserId> },
    /// Delete a news item (audited).
    DeleteNews { author: Option<UserId> },
    /// See who among a must-read item's audience has acknowledged it, and who not yet.
    TrackNews { author: Option<UserId> },
    /// Say "I have read it" on a must-read item.
    AcknowledgeNews {
        audience: &'a SchoolAudience,
        author: Option<UserId>,
        must_read: bool,
    },
    /// See an agenda event (in the agenda, its `.ics`, one's calendar feed).
    ReadEvent {
        audience: &'a SchoolAudience,
        author: Option<UserId>,
    },
    /// Put an event in the agenda for `audience`.
    CreateEvent { audience: &'a SchoolAudience },
    /// Change an event: its author's, or an admin's, to do.
    EditEvent { author: Option<UserId> },
    /// Delete an event (audited).
    DeleteEvent { author: Option<UserId> },
    /// Read a class's homework book: its entries and their attached files.
    ReadBook { class: ClassId },
    /// Write a new entry in a class's homework book.
    WriteBook { class: ClassId },
    /// Change a homework book entry: its author's, or an admin's, to do.
    EditBookEntry { author: Option<UserId> },
    /// Delete a homework book entry (audited).
    DeleteBookEntry { author: Option<UserId> },
    /// Take (or take again, to correct) a class's register for a lesson.
    TakeRegister { class: ClassId },
    /// See every absence and lateness, record its reason and whether it is justified.
    ReviewAbsences,
    /// See a pupil's absences and lateness; `classes` are the pupil's classes.
    ViewAttendance {
        pupil: UserId,
        classes: &'a [ClassId],
    },
    /// Send the school a justification for one of a pupil's absences.
    JustifyAbsence { pupil: UserId },
    /// Download a class's monthly attendance summary (CSV).
    ExportAttendance { class: ClassId },
    /// Register, change and remove the applications that log in through Cartable (OpenID
    /// Connect, CAS) or sit behind the portal, and replace their secrets and signing keys.
    ManageApps,
    /// Log in to an application through Cartable, or open it behind the portal.
    UseApp { app: &'a AppAudience },
    /// Read an offline library collection (its entries, its search). Staff read every
    /// collection (teachers link articles for their classes); `audience` says which pupils
    /// and parents read it too (`School`, `Staff` or `Classes`).
    ReadCollection { audience: &'a SchoolAudience },
    /// Add and remove library collections, change their audience, see what was refused.
    ManageLibrary,
    /// Read a blog's published posts and their comments (see `policy/blog.rs`).
    ReadBlog { blog: &'a BlogFacts },
    /// Write drafts on a blog and submit them for publication.
    WriteBlog { blog: &'a BlogFacts },
    /// Publish one's own post at once, without a moderator's approval.
    PublishBlogPost { blog: &'a BlogFacts },
    /// Comment on a blog's posts (on a moderated blog, comments wait for a moderator).
    CommentBlog { blog: &'a BlogFacts },
    /// Approve, hide and delete a blog's posts and comments, see its reports, change its
    /// settings.
    ModerateBlog { blog: &'a BlogFacts },
    /// Make a blog for this owner.
    CreateBlog { owner: &'a BlogOwner },
}

/// Who an application is for: what [`authorize`] needs to know about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppAudience {
    /// The roles that may use it; none means nobody (an application just registered).
    pub roles: Vec<Role>,
    /// When any are listed, only these classes' pupils, teachers and pupils' parents.
    pub classes: Vec<ClassId>,
    /// An admin turned it off.
    pub disabled: bool,
}

/// Who a forum category is for: what [`authorize`] needs to know about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ForumAudience {
    /// Everyone in the school, parents included.
    School,
    /// One class: its pupils and teachers.
    Class(ClassId),
    /// Teachers, the office and the admins.
    StaffRoom,
    /// The roles the admin chose.
    Roles(Vec<Role>),
}

/// Who a news item or an agenda event is for: what [`authorize`] needs to know about it.
/// Class-wide audiences name their classes; pages never ask for a class's pupils one by one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "classes", rename_all = "snake_case")]
pub enum SchoolAudience {
    /// Everyone in the school.
    School,
    /// Teachers, the office and the admins.
    Staff,
    /// These classes: their pupils, their teachers, and the pupils' parents.
    Classes(Vec<ClassId>),
    /// Every parent in the school.
    Parents,
    /// The parents of these classes' pupils (the classes' teachers read along).
    ClassParents(Vec<ClassId>),
}

impl SchoolAudience {
    /// The stable name stored in the database and sent by forms.
    pub fn kind(&self) -> &'static str {
        match self {
            SchoolAudience::School => "school",
            SchoolAudience::Staff => "staff",
            SchoolAudience::Classes(_) => "classes",
            SchoolAudience::Parents => "parents",
            SchoolAudience::ClassParents(_) => "class_parents",
        }
    }

    /// The audience of kind `kind` with these classes (ignored by the school-wide kinds).
    pub fn from_parts(kind: &str, classes: Vec<ClassId>) -> Option<SchoolAudience> {
        Some(match kind {
            "school" => SchoolAudience::School,
            "staff" => SchoolAudience::Staff,
            "classes" => SchoolAudience::Classes(classes),
            "parents" => SchoolAudience::Parents,
            "class_parents" => SchoolAudience::ClassParents(classes),
            _ => return None,
        })
    }

    /// The classes it names; none for the school-wide kinds.
    pub fn classes(&self) -> &[ClassId] {
        match self {
            SchoolAudience::Classes(c) | SchoolAudience::ClassParents(c) => c,
            _ => &[],
        }
    }
}

impl Action<'_> {
    /// A stable name for logs and the audit trail.
    pub fn name(&self) -> &'static str {
        match self {
            Action::AdminArea => "admin_area",
            Action::ListAccounts => "list_accounts",
            Action::CreateAccount { .. } => "create_account",
            Action::EditAccount { .. } => "edit_account",
            Action::ResetPassword { .. } => "reset_password",
            Action::ManageClasses => "manage_classes",
            Action::ViewClass { .. } => "view_class",
            Action::PrintSlips { .. } => "print_slips",
            Action::ManageParentLinks => "manage_parent_links",
            Action::ImportAccounts => "import_accounts",
            Action::ViewAudit => "view_audit",
            Action::EditSettings => "edit_settings",
            Action::ReadSpace { .. } => "read_space",
            Action::WriteSpace { .. } => "write_space",
            Action::ManageAssignments { .. } => "manage_assignments",
            Action::ViewAssignments { .. } => "view_assignments",
            Action::HandIn { .. } => "hand_in",
            Action::MailClassList { .. } => "mail_class_list",
            Action::MailOutside { .. } => "mail_outside",
            Action::ManageMailQueue => "manage_mail_queue",
            Action::ReadForum { .. } => "read_forum",
            Action::PostForum { .. } => "post_forum",
            Action::ModerateForum { .. } => "moderate_forum",
            Action::ManageForumCategories => "manage_forum_categories",
            Action::ViewSystem => "view_system",
            Action::ReadNews { .. } => "read_news",
            Action::PostNews { .. } => "post_news",
            Action::EditNews { .. } => "edit_news",
            Action::DeleteNews { .. } => "delete_news",
            Action::TrackNews { .. } => "track_news",
            Action::AcknowledgeNews { .. } => "acknowledge_news",
            Action::ReadEvent { .. } => "read_event",
            Action::CreateEvent { .. } => "create_event",
            Action::EditEvent { .. } => "edit_event",
            Action::DeleteEvent { .. } => "delete_event",
            Action::ReadBook { .. } => "read_book",
            Action::WriteBook { .. } => "write_book",
            Action::EditBookEntry { .. } => "edit_book_entry",
            Action::DeleteBookEntry { .. } => "delete_book_entry",
            Action::TakeRegister { .. } => "take_register",
            Action::ReviewAbsences => "review_absences",
            Action::ViewAttendance { .. } => "view_attendance",
            Action::JustifyAbsence { .. } => "justify_absence",
            Action::ExportAttendance { .. } => "export_attendance",
            Action::ManageApps => "manage_apps",
            Action::UseApp { .. } => "use_app",
            Action::ReadCollection { .. } => "read_collection",
            Action::ReadBlog { .. } => "read_blog",
            Action::WriteBlog { .. } => "write_blog",
            Action::PublishBlogPost { .. } => "publish_blog_post",
            Action::CommentBlog { .. } => "comment_blog",
            Action::ModerateBlog { .. } => "moderate_blog",
            Action::CreateBlog { .. } => "create_blog",
            Action::ManageLibrary => "manage_library",
        }
    }
}

/// Proof that [`authorize`] said yes. Only this module can make one; functions that change
/// data take it, and use its actor for the audit log.
#[derive(Debug, Clone)]
pub struct Allowed {
    actor: UserId,
    actor_name: String,
    action: &'static str,
}

impl Allowed {
    pub fn actor(&self) -> UserId {
        self.actor
    }
    pub fn actor_name(&self) -> &str {
        &self.actor_name
    }
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// The proof that a person may act on their own account (their password, their
    /// language): being logged in as it is the whole check.
    pub fn for_self(who: &Principal, action: &'static str) -> Allowed {
        Allowed {
            actor: who.id,
            actor_name: who.username.clone(),
            action,
        }
    }

    /// The proof the demo school's seeding holds to act as one of the accounts it made (a
    /// teacher opening the sample assignment). Nothing else may make one.
    pub fn demo_as(actor: UserId, name: &str) -> Allowed {
        Allowed {
            actor,
            actor_name: name.to_owned(),
            action: "demo_school",
        }
    }

    /// The proof the command line holds: whoever runs `cartable` as the service's user
    /// already owns the data directory, so there is nothing left to check.
    pub fn system(action: &'static str) -> Allowed {
        Allowed {
            actor: UserId(0),
            actor_name: "system".into(),
            action,
        }
    }
}

/// A refusal. It says nothing about whether the target exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not allowed")]
pub struct Denied;

/// The office manages every account but the ones that manage the system.
fn office_may_manage(role: Role) -> bool {
    matches!(role, Role::Teacher | Role::Pupil | Role::Parent)
}

fn reads_forum(who: &Principal, category: &ForumAudience) -> bool {
    match category {
        ForumAudience::School => true,
        ForumAudience::Class(c) => {
            who.role == Role::Admin || who.classes.contains(c) || who.teaches.contains(c)
        }
        ForumAudience::StaffRoom => matches!(who.role, Role::Admin | Role::Staff | Role::Teacher),
        ForumAudience::Roles(roles) => who.role == Role::Admin || roles.contains(&who.role),
    }
}

/// The class's teachers moderate its forum; the admins moderate everything.
fn moderates_forum(who: &Principal, category: &ForumAudience) -> bool {
    match category {
        ForumAudience::Class(c) => who.role == Role::Admin || who.teaches.contains(c),
        _ => who.role == Role::Admin,
    }
}

/// Whether `who` is one of the people `audience` names: those a must-read item waits for.
/// Readers beyond them (the author, the office, a class's teachers reading what its parents
/// were told) may read along but are not asked to acknowledge.
pub fn addressed(who: &Principal, audience: &SchoolAudience) -> bool {
    let any = |named: &[ClassId], mine: &[ClassId]| named.iter().any(|c| mine.contains(c));
    let parent = who.role == Role::Parent;
    match audience {
        SchoolAudience::School => true,
        SchoolAudience::Staff => matches!(who.role, Role::Admin | Role::Staff | Role::Teacher),
        SchoolAudience::Classes(cs) => {
            any(cs, &who.classes)
                || any(cs, &who.teaches)
                || (parent && any(cs, &who.children_classes))
        }
        SchoolAudience::Parents => parent,
        SchoolAudience::ClassParents(cs) => parent && any(cs, &who.children_classes),
    }
}

/// The author, the office and the people addressed read an item; a class's teachers also
/// read what its parents were told.
fn reads_school(who: &Principal, audience: &SchoolAudience, author: Option<UserId>) -> bool {
    author == Some(who.id)
        || matches!(who.role, Role::Admin | Role::Staff)
        || addressed(who, audience)
        || matches!(audience, SchoolAudience::ClassParents(cs) if cs.iter().any(|c| who.teaches.contains(c)))
}

/// The office addresses anyone; a teacher only the classes they teach (their pupils, or
/// those pupils' parents). A class-wide audience names at least one class.
fn addresses(who: &Principal, audience: &SchoolAudience) -> bool {
    let classes = audience.classes();
    let class_wide = matches!(
        audience,
        SchoolAudience::Classes(_) | SchoolAudience::ClassParents(_)
    );
    if class_wide && classes.is_empty() {
        return false;
    }
    match who.role {
        Role::Admin | Role::Staff => true,
        Role::Teacher => class_wide && classes.iter().all(|c| who.teaches.contains(c)),
        Role::Pupil | Role::Parent => false,
    }
}

/// A role the application is open to and, when it names classes, one of the principal's
/// (taught, attended, or a child's).
fn uses_app(who: &Principal, app: &AppAudience) -> bool {
    let in_class = |c: &ClassId| {
        who.classes.contains(c) || who.teaches.contains(c) || who.children_classes.contains(c)
    };
    !app.disabled
        && app.roles.contains(&who.role)
        && (app.classes.is_empty() || app.classes.iter().any(in_class))
}

/// Decides whether `who` may do `action`.
pub fn authorize(who: &Principal, action: &Action<'_>) -> Result<Allowed, Denied> {
    let office = matches!(who.role, Role::Admin | Role::Staff);
    let yes = match (who.role, action) {
        // Documents come first: an account's own files are private even from the admins.
        (
            _,
            Action::ReadSpace {
                space: SpaceId::Personal(owner),
            },
        )
        | (
            _,
            Action::WriteSpace {
                space: SpaceId::Personal(owner),
            },
        ) => who.id == *owner,
        (
            _,
            Action::ReadSpace {
                space: SpaceId::Class(c),
            },
        ) => who.classes.contains(c) || who.teaches.contains(c),
        (
            _,
            Action::WriteSpace {
                space: SpaceId::Class(c),
            },
        ) => who.teaches.contains(c),
        // A drop box: the pupil and the class's teachers read it, nobody else, not even an
        // admin. It never changes through the generic file doors (the file manager, WebDAV):
        // only through `HandIn`, which knows whether the box is still open.
        (
            _,
            Action::ReadSpace {
                space: SpaceId::DropBox { class, pupil, .. },
            },
        ) => who.id == *pupil || who.teaches.contains(class),
        (
            _,
            Action::WriteSpace {
                space: SpaceId::DropBox { .. },
            },
        ) => false,
        (
            _,
            Action::HandIn {
                space: SpaceId::DropBox { class, pupil, .. },
                open,
            },
        ) => *open && who.id == *pupil && who.classes.contains(class),
        (_, Action::HandIn { .. }) => false,
        // Assignments belong to the class's teachers; the admin has no say in them.
        (_, Action::ManageAssignments { class }) => who.teaches.contains(class),
        (_, Action::ViewAssignments { class }) => {
            who.teaches.contains(class) || who.classes.contains(class)
        }
        (
            _,
            Action::ReadSpace {
                space: SpaceId::StaffRoom,
            },
        )
        | (
            _,
            Action::WriteSpace {
                space: SpaceId::StaffRoom,
            },
        ) => {
            matches!(who.role, Role::Admin | Role::Staff | Role::Teacher)
        }
        (
            _,
            Action::MailClassList {
                class,
                members_may_write,
            },
        ) => {
            office
                || who.teaches.contains(class)
                || (*members_may_write && who.classes.contains(class))
        }
        (Role::Pupil, Action::MailOutside { pupils_allowed }) => *pupils_allowed,
        (_, Action::MailOutside { .. }) => true,
        (_, Action::ReadForum { category }) => reads_forum(who, category),
        // Moderators write even in a locked topic; a mute holds whoever it names.
        (
            _,
            Action::PostForum {
                category,
                locked,
                muted,
            },
        ) => reads_forum(who, category) && !muted && (!locked || moderates_forum(who, category)),
        (_, Action::ModerateForum { category }) => moderates_forum(who, category),
        // School life: news and the agenda follow the same audiences.
        (_, Action::ReadNews { audience, author } | Action::ReadEvent { audience, author }) => {
            reads_school(who, audience, *author)
        }
        (_, Action::PostNews { audience } | Action::CreateEvent { audience }) => {
            addresses(who, audience)
        }
        (
            _,
            Action::EditNews { author }
            | Action::DeleteNews { author }
            | Action::TrackNews { author }
            | Action::EditEvent { author }
            | Action::DeleteEvent { author },
        ) => who.role == Role::Admin || *author == Some(who.id),
        (
            _,
            Action::AcknowledgeNews {
                audience,
                author,
                must_read,
            },
        ) => *must_read && *author != Some(who.id) && addressed(who, audience),
        // The homework book: a class's pupils, their parents and its teachers read it, the
        // office reads every class's; only the class's teachers write in it, and an entry
        // is changed by its author (or an admin).
        (_, Action::ReadBook { class }) => {
            office
                || who.classes.contains(class)
                || who.teaches.contains(class)
                || (who.role == Role::Parent && who.children_classes.contains(class))
        }
        (_, Action::WriteBook { class }) => who.teaches.contains(class),
        (_, Action::EditBookEntry { author } | Action::DeleteBookEntry { author }) => {
            who.role == Role::Admin || *author == Some(who.id)
        }
        // Attendance: the office and a class's teachers take its registers and export its
        // summary; the office reviews absences; a pupil's record is for the pupil, their
        // parents, their teachers and the office; only a parent justifies, for their child.
        (_, Action::TakeRegister { class } | Action::ExportAttendance { class }) => {
            office || who.teaches.contains(class)
        }
        (_, Action::ReviewAbsences) => office,
        (_, Action::ViewAttendance { pupil, classes }) => {
            office
                || who.id == *pupil
                || (who.role == Role::Parent && who.children.contains(pupil))
                || classes.iter().any(|c| who.teaches.contains(c))
        }
        (Role::Parent, Action::JustifyAbsence { pupil }) => who.children.contains(pupil),
        (_, Action::JustifyAbsence { .. }) => false,
        // Applications: only the roles (and classes) the admin chose, admins included, so an
        // application for pupils never receives an admin's identity by accident.
        (_, Action::UseApp { app }) => uses_app(who, app),
        // The library: staff read every collection, pupils and parents what is addressed to
        // them (a class-wide collection: the class's pupils and their parents).
        (_, Action::ReadCollection { audience }) => {
            matches!(who.role, Role::Admin | Role::Staff | Role::Teacher)
                || addressed(who, audience)
        }
        // Blogs: see policy/blog.rs.
        (_, Action::ReadBlog { blog }) => blog::reads(who, blog),
        (_, Action::WriteBlog { blog }) => blog::writes(who, blog),
        (_, Action::PublishBlogPost { blog }) => blog::publishes(who, blog),
        (_, Action::CommentBlog { blog }) => blog::comments(who, blog),
        (_, Action::ModerateBlog { blog }) => blog::moderates(who, blog),
        (_, Action::CreateBlog { owner }) => blog::creates(who, owner),
        (Role::Admin, _) => true,
        (Role::Staff, Action::ManageMailQueue) => true,
        (_, Action::AdminArea) => office || who.role == Role::Teacher,
        (Role::Staff, Action::ListAccounts) => true,
        (Role::Staff, Action::CreateAccount { role }) => office_may_manage(*role),
        (Role::Staff, Action::EditAccount { role, .. }) => office_may_manage(*role),
        (Role::Staff, Action::ResetPassword { role, .. }) => office_may_manage(*role),
        (
            Role::Teacher,
            Action::ResetPassword {
                role: Role::Pupil,
                classes,
                ..
            },
        ) => classes.iter().any(|c| who.teaches.contains(c)),
        (
            Role::Staff,
            Action::ManageClasses | Action::ManageParentLinks | Action::ImportAccounts,
        ) => true,
        (Role::Staff, Action::ViewClass { .. } | Action::PrintSlips { .. }) => true,
        (Role::Teacher, Action::ViewClass { class } | Action::PrintSlips { class }) => {
            who.teaches.contains(class)
        }
        _ => false,
    };
    if yes {
        Ok(Allowed {
            actor: who.id,
            actor_name: who.username.clone(),
            action: action.name(),
        })
    } else {
        Err(Denied)
    }
}

#[cfg(test)]
mod tests;
