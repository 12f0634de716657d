//! The policy's tests: each rule of `authorize`, role by role.

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
        children_classes: vec![],
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

/// The cast of the school-life tests: class 1's teacher and pupil, class 2's, a parent
/// of a child in each, another family's parent, the office and an admin.
struct Cast {
    teacher: Principal,
    other_teacher: Principal,
    pupil: Principal,
    other_pupil: Principal,
    parent: Principal,
    other_parent: Principal,
    staff: Principal,
    admin: Principal,
}

fn cast() -> Cast {
    let with = |role, id, f: &dyn Fn(&mut Principal)| {
        let mut p = principal(role);
        p.id = UserId(id);
        f(&mut p);
        p
    };
    Cast {
        teacher: with(Role::Teacher, 20, &|p| p.teaches = vec![ClassId(1)]),
        other_teacher: with(Role::Teacher, 21, &|p| p.teaches = vec![ClassId(2)]),
        pupil: with(Role::Pupil, 30, &|p| p.classes = vec![ClassId(1)]),
        other_pupil: with(Role::Pupil, 31, &|p| p.classes = vec![ClassId(2)]),
        parent: with(Role::Parent, 40, &|p| {
            p.children = vec![UserId(30), UserId(32)];
            p.children_classes = vec![ClassId(1), ClassId(3)];
        }),
        other_parent: with(Role::Parent, 41, &|p| {
            p.children = vec![UserId(31)];
            p.children_classes = vec![ClassId(2)];
        }),
        staff: with(Role::Staff, 50, &|_| {}),
        admin: with(Role::Admin, 60, &|_| {}),
    }
}

#[test]
fn news_and_events_reach_their_audience() {
    use SchoolAudience::*;
    let c = cast();
    let reads = |who: &Principal, audience: &SchoolAudience| {
        let news = authorize(
            who,
            &Action::ReadNews {
                audience,
                author: Some(UserId(99)),
            },
        )
        .is_ok();
        let event = authorize(
            who,
            &Action::ReadEvent {
                audience,
                author: Some(UserId(99)),
            },
        )
        .is_ok();
        assert_eq!(news, event, "news and events agree for {:?}", who.role);
        news
    };
    let everyone = [
        &c.teacher,
        &c.other_teacher,
        &c.pupil,
        &c.other_pupil,
        &c.parent,
        &c.other_parent,
        &c.staff,
        &c.admin,
    ];
    // (audience, who reads it, in the order of `everyone`)
    let table: [(SchoolAudience, [bool; 8]); 6] = [
        (School, [true; 8]),
        (Staff, [true, true, false, false, false, false, true, true]),
        (
            Classes(vec![ClassId(1)]),
            [true, false, true, false, true, false, true, true],
        ),
        (
            Parents,
            [false, false, false, false, true, true, true, true],
        ),
        (
            ClassParents(vec![ClassId(2)]),
            [false, true, false, false, false, true, true, true],
        ),
        (
            ClassParents(vec![ClassId(3)]),
            [false, false, false, false, true, false, true, true],
        ),
    ];
    for (audience, want) in &table {
        for (who, want) in everyone.iter().zip(want) {
            assert_eq!(
                reads(who, audience),
                *want,
                "{:?} {} reading {audience:?}",
                who.role,
                who.id
            );
        }
    }
    // The author reads their own item whoever it was for.
    assert!(
        authorize(
            &c.other_teacher,
            &Action::ReadNews {
                audience: &Classes(vec![ClassId(1)]),
                author: Some(c.other_teacher.id)
            }
        )
        .is_ok()
    );
    // The office reads along without being asked to acknowledge.
    assert!(!addressed(&c.staff, &Parents));
    assert!(!addressed(
        &c.other_teacher,
        &ClassParents(vec![ClassId(2)])
    ));
    assert!(addressed(&c.parent, &Classes(vec![ClassId(3)])));
}

#[test]
fn who_posts_news_and_plans_events_where() {
    use SchoolAudience::*;
    let c = cast();
    let posts = |who: &Principal, audience: &SchoolAudience| {
        let news = authorize(who, &Action::PostNews { audience }).is_ok();
        let event = authorize(who, &Action::CreateEvent { audience }).is_ok();
        assert_eq!(news, event);
        news
    };
    for office in [&c.staff, &c.admin] {
        for a in [
            School,
            Staff,
            Parents,
            Classes(vec![ClassId(1), ClassId(2)]),
            ClassParents(vec![ClassId(2)]),
        ] {
            assert!(posts(office, &a), "{:?} to {a:?}", office.role);
        }
        assert!(
            !posts(office, &Classes(vec![])),
            "a class-wide item names a class"
        );
    }
    assert!(posts(&c.teacher, &Classes(vec![ClassId(1)])));
    assert!(posts(&c.teacher, &ClassParents(vec![ClassId(1)])));
    assert!(!posts(&c.teacher, &Classes(vec![ClassId(2)])));
    assert!(!posts(&c.teacher, &Classes(vec![ClassId(1), ClassId(2)])));
    assert!(!posts(&c.teacher, &ClassParents(vec![ClassId(2)])));
    for a in [School, Staff, Parents] {
        assert!(!posts(&c.teacher, &a), "a teacher to {a:?}");
    }
    for who in [&c.pupil, &c.parent] {
        for a in [School, Classes(vec![ClassId(1)]), Parents] {
            assert!(!posts(who, &a));
        }
    }
}

#[test]
fn authors_and_admins_manage_items_and_addressees_acknowledge() {
    use SchoolAudience::*;
    let c = cast();
    let mine = Some(c.teacher.id);
    for action in [
        Action::EditNews { author: mine },
        Action::DeleteNews { author: mine },
        Action::TrackNews { author: mine },
        Action::EditEvent { author: mine },
        Action::DeleteEvent { author: mine },
    ] {
        assert!(authorize(&c.teacher, &action).is_ok());
        assert!(authorize(&c.admin, &action).is_ok());
        for who in [&c.other_teacher, &c.staff, &c.pupil, &c.parent] {
            assert!(authorize(who, &action).is_err(), "{:?}", who.role);
        }
    }
    assert!(authorize(&c.admin, &Action::DeleteNews { author: None }).is_ok());
    assert!(authorize(&c.teacher, &Action::DeleteNews { author: None }).is_err());
    let audience = ClassParents(vec![ClassId(1)]);
    let ack = |who: &Principal, must_read| {
        authorize(
            who,
            &Action::AcknowledgeNews {
                audience: &audience,
                author: Some(c.staff.id),
                must_read,
            },
        )
        .is_ok()
    };
    assert!(ack(&c.parent, true));
    assert!(!ack(&c.parent, false), "nothing to acknowledge");
    for who in [&c.other_parent, &c.teacher, &c.pupil, &c.staff, &c.admin] {
        assert!(!ack(who, true), "{:?} {}", who.role, who.id);
    }
}

#[test]
fn the_proof_names_its_actor() {
    let a = authorize(&principal(Role::Admin), &Action::ViewAudit).unwrap();
    assert_eq!(a.actor(), UserId(10));
    assert_eq!(a.action(), "view_audit");
}

#[test]
fn registers_are_taken_and_exported_by_the_class_teachers_and_the_office() {
    let c = cast();
    let class = |n| ClassId(n);
    for action in [
        |k| Action::TakeRegister { class: k },
        |k| Action::ExportAttendance { class: k },
    ] {
        assert!(authorize(&c.teacher, &action(class(1))).is_ok());
        assert!(
            authorize(&c.teacher, &action(class(2))).is_err(),
            "not their class"
        );
        assert!(authorize(&c.other_teacher, &action(class(1))).is_err());
        for office in [&c.staff, &c.admin] {
            assert!(authorize(office, &action(class(1))).is_ok());
            assert!(authorize(office, &action(class(2))).is_ok());
        }
        for who in [&c.pupil, &c.parent, &c.other_parent] {
            assert!(authorize(who, &action(class(1))).is_err(), "{:?}", who.role);
        }
    }
    assert!(authorize(&c.staff, &Action::ReviewAbsences).is_ok());
    assert!(authorize(&c.admin, &Action::ReviewAbsences).is_ok());
    for who in [&c.teacher, &c.pupil, &c.parent] {
        assert!(
            authorize(who, &Action::ReviewAbsences).is_err(),
            "{:?}",
            who.role
        );
    }
}

#[test]
fn a_pupils_record_is_theirs_their_parents_their_teachers_and_the_offices() {
    let c = cast();
    // Pupil 30 is in class 1; their parent is `parent` (who also has a child in class 3).
    let classes = [ClassId(1)];
    let view = Action::ViewAttendance {
        pupil: UserId(30),
        classes: &classes,
    };
    for who in [&c.pupil, &c.parent, &c.teacher, &c.staff, &c.admin] {
        assert!(authorize(who, &view).is_ok(), "{:?} {}", who.role, who.id);
    }
    for who in [&c.other_pupil, &c.other_parent, &c.other_teacher] {
        assert!(authorize(who, &view).is_err(), "{:?} {}", who.role, who.id);
    }
    // Justifying: a parent of the child only; not the pupil, a teacher or even the office.
    let justify = |p| Action::JustifyAbsence { pupil: UserId(p) };
    assert!(authorize(&c.parent, &justify(30)).is_ok());
    assert!(
        authorize(&c.parent, &justify(32)).is_ok(),
        "their other child"
    );
    assert!(
        authorize(&c.parent, &justify(31)).is_err(),
        "another family's"
    );
    assert!(authorize(&c.other_parent, &justify(30)).is_err());
    for who in [&c.pupil, &c.teacher, &c.staff, &c.admin] {
        assert!(authorize(who, &justify(30)).is_err(), "{:?}", who.role);
    }
    // A pupil's id in a parent's children list means nothing for another role.
    let mut odd = c.teacher.clone();
    odd.children = vec![UserId(30)];
    assert!(authorize(&odd, &justify(30)).is_err());
}

/// The homework book: class 1 is the one at stake; class 2 is another.
#[test]
fn homework_book_is_read_by_the_class_family_and_office_and_written_by_its_teachers() {
    let (one, two) = (ClassId(1), ClassId(2));
    let with = |role, f: &dyn Fn(&mut Principal)| {
        let mut p = principal(role);
        f(&mut p);
        p
    };
    let teacher = with(Role::Teacher, &|p| p.teaches = vec![one]);
    let other_teacher = with(Role::Teacher, &|p| p.teaches = vec![two]);
    let pupil = with(Role::Pupil, &|p| p.classes = vec![one]);
    let other_pupil = with(Role::Pupil, &|p| p.classes = vec![two]);
    let parent = with(Role::Parent, &|p| {
        p.children = vec![UserId(30), UserId(31)];
        p.children_classes = vec![one, two];
    });
    let other_parent = with(Role::Parent, &|p| {
        p.children = vec![UserId(32)];
        p.children_classes = vec![two];
    });
    let staff = principal(Role::Staff);
    let admin = principal(Role::Admin);
    let read = Action::ReadBook { class: one };
    for who in [&teacher, &pupil, &parent, &staff, &admin] {
        assert!(authorize(who, &read).is_ok(), "{:?} reads", who.role);
    }
    for who in [&other_teacher, &other_pupil, &other_parent] {
        assert!(authorize(who, &read).is_err(), "{:?} reads", who.role);
    }
    // A class id in `children_classes` means nothing for anyone but a parent.
    let odd = with(Role::Pupil, &|p| p.children_classes = vec![one]);
    assert!(authorize(&odd, &read).is_err());
    // Only the class's own teachers write; not the office, not even an admin.
    let write = Action::WriteBook { class: one };
    assert!(authorize(&teacher, &write).is_ok());
    for who in [
        &other_teacher,
        &pupil,
        &parent,
        &staff,
        &admin,
        &other_pupil,
    ] {
        assert!(authorize(who, &write).is_err(), "{:?} writes", who.role);
    }
    // Changing and deleting: the author (here UserId(10), every test principal's id) or
    // an admin.
    for action in [
        Action::EditBookEntry {
            author: Some(UserId(10)),
        },
        Action::DeleteBookEntry {
            author: Some(UserId(10)),
        },
    ] {
        assert!(authorize(&teacher, &action).is_ok());
        assert!(authorize(&admin, &action).is_ok());
    }
    for action in [
        Action::EditBookEntry {
            author: Some(UserId(11)),
        },
        Action::DeleteBookEntry { author: None },
    ] {
        assert!(authorize(&admin, &action).is_ok());
        for who in [&teacher, &staff, &pupil, &parent] {
            assert!(authorize(who, &action).is_err(), "{:?}", who.role);
        }
    }
    let proof = authorize(&admin, &Action::DeleteBookEntry { author: None }).unwrap();
    assert_eq!(proof.action(), "delete_book_entry");
}

#[test]
fn applications_open_to_chosen_roles_and_classes_only() {
    let app = AppAudience {
        roles: vec![Role::Pupil, Role::Teacher, Role::Parent],
        classes: vec![ClassId(1)],
        disabled: false,
    };
    let mut pupil = principal(Role::Pupil);
    pupil.classes = vec![ClassId(1)];
    let mut other = principal(Role::Pupil);
    other.classes = vec![ClassId(2)];
    let mut teacher = principal(Role::Teacher);
    teacher.teaches = vec![ClassId(1)];
    let mut parent = principal(Role::Parent);
    parent.children_classes = vec![ClassId(1)];
    let admin = principal(Role::Admin);
    let uses = |p: &Principal, a: &AppAudience| authorize(p, &Action::UseApp { app: a }).is_ok();
    assert!(uses(&pupil, &app));
    assert!(uses(&teacher, &app));
    assert!(uses(&parent, &app));
    assert!(!uses(&other, &app), "a pupil of another class");
    assert!(!uses(&admin, &app), "admins only when the app names them");
    let off = AppAudience {
        disabled: true,
        ..app.clone()
    };
    assert!(!uses(&pupil, &off));
    let everyone = AppAudience {
        roles: Role::ALL.to_vec(),
        classes: vec![],
        disabled: false,
    };
    assert!(uses(&admin, &everyone));
    assert!(uses(&other, &everyone));
    let nobody = AppAudience {
        roles: vec![],
        classes: vec![],
        disabled: false,
    };
    assert!(!uses(&admin, &nobody));
}

#[test]
fn only_admins_manage_applications() {
    for role in Role::ALL {
        assert_eq!(
            authorize(&principal(role), &Action::ManageApps).is_ok(),
            role == Role::Admin
        );
    }
}
