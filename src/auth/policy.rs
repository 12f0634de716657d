//! The access policy: every decision of the form "may this principal do that?".
//!
//! Read this file to know who may do what. New services add variants to [`Action`] and arms
//! to [`authorize`]; nothing else in the code base decides access.

use super::{Principal, Role};
use crate::ids::{ClassId, SpaceId, UserId};
use serde::Serialize;

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
mod tests {
    use super::*;

    fn principal(role: Role) -> Principal {
        Principal {
            id: UserId(10),
            username: "u".into(),
            display_name: "U".into(),
            role,
            language: None,
            must_change_password: false,
            classes: vec![],
            teaches: vec![],
            children: vec![],
        }
    }

    #[test]
    fn pupils_and_parents_never_reach_the_admin_area() {
        for role in [Role::Pupil, Role::Parent] {
            assert_eq!(
                authorize(&principal(role), &Action::AdminArea).unwrap_err(),
                Denied
            );
        }
    }

    #[test]
    fn teacher_resets_only_pupils_of_classes_they_teach() {
        let mut t = principal(Role::Teacher);
        t.teaches = vec![ClassId(1)];
        let mine = [ClassId(1)];
        let other = [ClassId(2)];
        assert!(
            authorize(
                &t,
                &Action::ResetPassword {
                    target: UserId(5),
                    role: Role::Pupil,
                    classes: &mine
                }
            )
            .is_ok()
        );
        assert!(
            authorize(
                &t,
                &Action::ResetPassword {
                    target: UserId(5),
                    role: Role::Pupil,
                    classes: &other
                }
            )
            .is_err()
        );
        assert!(
            authorize(
                &t,
                &Action::ResetPassword {
                    target: UserId(5),
                    role: Role::Teacher,
                    classes: &mine
                }
            )
            .is_err()
        );
        assert!(
            authorize(
                &t,
                &Action::ResetPassword {
                    target: UserId(5),
                    role: Role::Parent,
                    classes: &[]
                }
            )
            .is_err()
        );
        assert!(authorize(&t, &Action::PrintSlips { class: ClassId(1) }).is_ok());
        assert!(authorize(&t, &Action::PrintSlips { class: ClassId(2) }).is_err());
        assert!(authorize(&t, &Action::CreateAccount { role: Role::Pupil }).is_err());
    }

    #[test]
    fn office_cannot_touch_admin_or_staff_accounts() {
        let s = principal(Role::Staff);
        for role in [Role::Admin, Role::Staff] {
            assert!(authorize(&s, &Action::CreateAccount { role }).is_err());
            assert!(
                authorize(
                    &s,
                    &Action::EditAccount {
                        target: UserId(1),
                        role
                    }
                )
                .is_err()
            );
            assert!(
                authorize(
                    &s,
                    &Action::ResetPassword {
                        target: UserId(1),
                        role,
                        classes: &[]
                    }
                )
                .is_err()
            );
        }
        assert!(authorize(&s, &Action::CreateAccount { role: Role::Pupil }).is_ok());
        assert!(authorize(&s, &Action::ListAccounts).is_ok());
        assert!(authorize(&s, &Action::ViewAudit).is_err());
        assert!(authorize(&s, &Action::EditSettings).is_err());
    }

    #[test]
    fn only_the_office_finds_accounts() {
        assert!(authorize(&principal(Role::Admin), &Action::ListAccounts).is_ok());
        assert!(authorize(&principal(Role::Staff), &Action::ListAccounts).is_ok());
        for role in [Role::Teacher, Role::Pupil, Role::Parent] {
            assert!(authorize(&principal(role), &Action::ListAccounts).is_err());
            assert!(authorize(&principal(role), &Action::ViewAudit).is_err());
            assert!(authorize(&principal(role), &Action::EditSettings).is_err());
            assert!(authorize(&principal(role), &Action::ManageClasses).is_err());
            assert!(authorize(&principal(role), &Action::ManageParentLinks).is_err());
        }
    }

    #[test]
    fn pupils_and_parents_reach_no_class() {
        for role in [Role::Pupil, Role::Parent] {
            let mut p = principal(role);
            p.classes = vec![ClassId(1)];
            assert!(authorize(&p, &Action::ViewClass { class: ClassId(1) }).is_err());
            assert!(authorize(&p, &Action::PrintSlips { class: ClassId(1) }).is_err());
        }
    }

    #[test]
    fn spaces() {
        let mut pupil = principal(Role::Pupil);
        pupil.classes = vec![ClassId(1)];
        let mut teacher = principal(Role::Teacher);
        teacher.id = UserId(20);
        teacher.teaches = vec![ClassId(1)];
        let admin = principal(Role::Admin);
        let read = |space| Action::ReadSpace { space };
        let write = |space| Action::WriteSpace { space };
        // Personal spaces: the owner only, not even an admin.
        assert!(authorize(&pupil, &write(SpaceId::Personal(UserId(10)))).is_ok());
        assert!(authorize(&teacher, &read(SpaceId::Personal(UserId(10)))).is_err());
        let mut other_admin = admin.clone();
        other_admin.id = UserId(99);
        assert!(authorize(&other_admin, &read(SpaceId::Personal(UserId(10)))).is_err());
        // Class spaces: teachers write, pupils read, others nothing.
        assert!(authorize(&pupil, &read(SpaceId::Class(ClassId(1)))).is_ok());
        assert!(authorize(&pupil, &write(SpaceId::Class(ClassId(1)))).is_err());
        assert!(authorize(&pupil, &read(SpaceId::Class(ClassId(2)))).is_err());
        assert!(authorize(&teacher, &write(SpaceId::Class(ClassId(1)))).is_ok());
        assert!(authorize(&teacher, &read(SpaceId::Class(ClassId(2)))).is_err());
        // The staff room.
        assert!(authorize(&teacher, &write(SpaceId::StaffRoom)).is_ok());
        assert!(authorize(&principal(Role::Staff), &write(SpaceId::StaffRoom)).is_ok());
        assert!(authorize(&pupil, &read(SpaceId::StaffRoom)).is_err());
        assert!(authorize(&principal(Role::Parent), &read(SpaceId::StaffRoom)).is_err());
    }

    #[test]
    fn drop_boxes() {
        use crate::ids::AssignmentId;
        let mut pupil = principal(Role::Pupil);
        pupil.classes = vec![ClassId(1)];
        let mut classmate = principal(Role::Pupil);
        classmate.id = UserId(11);
        classmate.classes = vec![ClassId(1)];
        let mut teacher = principal(Role::Teacher);
        teacher.id = UserId(20);
        teacher.teaches = vec![ClassId(1)];
        let mut other_teacher = principal(Role::Teacher);
        other_teacher.id = UserId(21);
        other_teacher.teaches = vec![ClassId(2)];
        let mut admin = principal(Role::Admin);
        admin.id = UserId(99);
        let mut parent = principal(Role::Parent);
        parent.id = UserId(30);
        parent.children = vec![UserId(10)];
        let space = SpaceId::DropBox {
            assignment: AssignmentId(5),
            class: ClassId(1),
            pupil: UserId(10),
        };
        let read = Action::ReadSpace { space };
        // Reading: the pupil and the class's teachers only.
        assert!(authorize(&pupil, &read).is_ok());
        assert!(authorize(&teacher, &read).is_ok());
        for who in [&classmate, &other_teacher, &admin, &parent] {
            assert!(authorize(who, &read).is_err(), "{:?}", who.role);
        }
        // Writing: never through the generic doors; handing in only by the pupil, while open.
        for who in [&pupil, &teacher, &admin] {
            assert!(authorize(who, &Action::WriteSpace { space }).is_err());
        }
        let hand_in = |open| Action::HandIn { space, open };
        assert!(authorize(&pupil, &hand_in(true)).is_ok());
        assert!(authorize(&pupil, &hand_in(false)).is_err());
        for who in [&classmate, &teacher, &admin, &parent] {
            assert!(authorize(who, &hand_in(true)).is_err());
        }
        let mut moved = pupil.clone();
        moved.classes = vec![ClassId(2)];
        assert!(authorize(&moved, &hand_in(true)).is_err(), "left the class");
        let not_a_box = Action::HandIn {
            space: SpaceId::Personal(UserId(10)),
            open: true,
        };
        assert!(authorize(&pupil, &not_a_box).is_err());
        // Assignments: the class's teachers manage them; its pupils and teachers see them.
        let manage = |c| Action::ManageAssignments { class: ClassId(c) };
        let view = |c| Action::ViewAssignments { class: ClassId(c) };
        assert!(authorize(&teacher, &manage(1)).is_ok());
        assert!(authorize(&teacher, &manage(2)).is_err());
        assert!(authorize(&other_teacher, &manage(1)).is_err());
        assert!(authorize(&pupil, &manage(1)).is_err());
        assert!(authorize(&admin, &manage(1)).is_err());
        assert!(authorize(&pupil, &view(1)).is_ok());
        assert!(authorize(&pupil, &view(2)).is_err());
        assert!(authorize(&teacher, &view(1)).is_ok());
        assert!(authorize(&other_teacher, &view(1)).is_err());
        assert!(authorize(&parent, &view(1)).is_err());
    }

    #[test]
    fn mail() {
        let list = |members_may_write| Action::MailClassList {
            class: ClassId(1),
            members_may_write,
        };
        let mut teacher = principal(Role::Teacher);
        teacher.teaches = vec![ClassId(1)];
        let mut other_teacher = principal(Role::Teacher);
        other_teacher.teaches = vec![ClassId(2)];
        let mut pupil = principal(Role::Pupil);
        pupil.classes = vec![ClassId(1)];
        let mut outsider = principal(Role::Pupil);
        outsider.classes = vec![ClassId(2)];
        assert!(authorize(&teacher, &list(false)).is_ok());
        assert!(authorize(&principal(Role::Staff), &list(false)).is_ok());
        assert!(authorize(&principal(Role::Admin), &list(false)).is_ok());
        assert!(authorize(&other_teacher, &list(false)).is_err());
        assert!(authorize(&pupil, &list(false)).is_err());
        assert!(authorize(&pupil, &list(true)).is_ok());
        assert!(authorize(&outsider, &list(true)).is_err());
        assert!(authorize(&principal(Role::Parent), &list(true)).is_err());

        let outside = |pupils_allowed| Action::MailOutside { pupils_allowed };
        assert!(authorize(&pupil, &outside(false)).is_err());
        assert!(authorize(&pupil, &outside(true)).is_ok());
        for role in [Role::Teacher, Role::Parent, Role::Staff, Role::Admin] {
            assert!(authorize(&principal(role), &outside(false)).is_ok());
        }
        for role in [Role::Teacher, Role::Parent, Role::Pupil] {
            assert!(authorize(&principal(role), &Action::ManageMailQueue).is_err());
        }
        assert!(authorize(&principal(Role::Staff), &Action::ManageMailQueue).is_ok());
    }

    #[test]
    fn forum() {
        let mut teacher = principal(Role::Teacher);
        teacher.teaches = vec![ClassId(1)];
        let mut pupil = principal(Role::Pupil);
        pupil.classes = vec![ClassId(1)];
        let mut other = principal(Role::Pupil);
        other.classes = vec![ClassId(2)];
        let parent = principal(Role::Parent);
        let admin = principal(Role::Admin);
        let class = ForumAudience::Class(ClassId(1));
        let read = |who: &Principal, c: &ForumAudience| {
            authorize(who, &Action::ReadForum { category: c }).is_ok()
        };
        let post = |who: &Principal, c: &ForumAudience, locked, muted| {
            authorize(
                who,
                &Action::PostForum {
                    category: c,
                    locked,
                    muted,
                },
            )
            .is_ok()
        };
        let moderate = |who: &Principal, c: &ForumAudience| {
            authorize(who, &Action::ModerateForum { category: c }).is_ok()
        };
        assert!(read(&pupil, &class) && read(&teacher, &class) && read(&admin, &class));
        assert!(!read(&other, &class) && !read(&parent, &class));
        assert!(read(&parent, &ForumAudience::School));
        assert!(!read(&pupil, &ForumAudience::StaffRoom));
        assert!(read(&teacher, &ForumAudience::StaffRoom));
        let parents_only = ForumAudience::Roles(vec![Role::Parent]);
        assert!(read(&parent, &parents_only) && read(&admin, &parents_only));
        assert!(!read(&teacher, &parents_only));
        assert!(post(&pupil, &class, false, false));
        assert!(!post(&pupil, &class, true, false), "locked");
        assert!(!post(&pupil, &class, false, true), "muted");
        assert!(
            post(&teacher, &class, true, false),
            "moderators write in locked topics"
        );
        assert!(!post(&other, &class, false, false));
        assert!(moderate(&teacher, &class) && moderate(&admin, &class));
        assert!(!moderate(&pupil, &class) && !moderate(&teacher, &ForumAudience::School));
        let mut other_teacher = principal(Role::Teacher);
        other_teacher.teaches = vec![ClassId(2)];
        assert!(!moderate(&other_teacher, &class) && !read(&other_teacher, &class));
        assert!(authorize(&admin, &Action::ManageForumCategories).is_ok());
        assert!(authorize(&principal(Role::Staff), &Action::ManageForumCategories).is_err());
    }

    #[test]
    fn the_proof_names_its_actor() {
        let a = authorize(&principal(Role::Admin), &Action::ViewAudit).unwrap();
        assert_eq!(a.actor(), UserId(10));
        assert_eq!(a.action(), "view_audit");
    }
}
