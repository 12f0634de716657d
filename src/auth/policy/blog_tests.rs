//! The blog rules, role by role, against each kind of blog (issue #19's permission table).

use super::super::{Action, authorize};
use super::*;

/// The cast: class 1's pupil, teacher and a pupil's parent; class 2's pupil and parent; a
/// teacher of class 2 only; the office; an admin.
fn cast() -> Vec<(&'static str, Principal)> {
    let p = |id: i64, role: Role| Principal {
        id: UserId(id),
        username: format!("u{id}"),
        display_name: format!("U{id}"),
        role,
        language: None,
        must_change_password: false,
        classes: vec![],
        teaches: vec![],
        children: vec![],
        children_classes: vec![],
    };
    let mut pupil1 = p(1, Role::Pupil);
    pupil1.classes = vec![ClassId(1)];
    let mut teacher1 = p(2, Role::Teacher);
    teacher1.teaches = vec![ClassId(1)];
    let mut parent1 = p(3, Role::Parent);
    parent1.children = vec![UserId(1)];
    parent1.children_classes = vec![ClassId(1)];
    let mut pupil2 = p(4, Role::Pupil);
    pupil2.classes = vec![ClassId(2)];
    let mut parent2 = p(5, Role::Parent);
    parent2.children = vec![UserId(4)];
    parent2.children_classes = vec![ClassId(2)];
    let mut teacher2 = p(6, Role::Teacher);
    teacher2.teaches = vec![ClassId(2)];
    vec![
        ("pupil1", pupil1),
        ("teacher1", teacher1),
        ("parent1", parent1),
        ("pupil2", pupil2),
        ("parent2", parent2),
        ("teacher2", teacher2),
        ("office", p(7, Role::Staff)),
        ("admin", p(8, Role::Admin)),
    ]
}

fn blog(owner: BlogOwner, audience: BlogAudience) -> BlogFacts {
    BlogFacts {
        owner,
        audience,
        comments: CommentMode::Moderated,
        approval: true,
    }
}

/// The names in the cast that may do `action`.
fn who_may(action: impl Fn(&BlogFacts) -> Action<'_>, b: &BlogFacts) -> Vec<&'static str> {
    cast()
        .into_iter()
        .filter(|(_, p)| authorize(p, &action(b)).is_ok())
        .map(|(n, _)| n)
        .collect()
}

fn read(b: &BlogFacts) -> Action<'_> {
    Action::ReadBlog { blog: b }
}
fn write(b: &BlogFacts) -> Action<'_> {
    Action::WriteBlog { blog: b }
}
fn publish(b: &BlogFacts) -> Action<'_> {
    Action::PublishBlogPost { blog: b }
}
fn comment(b: &BlogFacts) -> Action<'_> {
    Action::CommentBlog { blog: b }
}
fn moderate(b: &BlogFacts) -> Action<'_> {
    Action::ModerateBlog { blog: b }
}

#[test]
fn a_class_blog_is_its_class_and_its_parents() {
    let b = blog(BlogOwner::Class { class: ClassId(1) }, BlogAudience::Class);
    assert_eq!(
        who_may(read, &b),
        ["pupil1", "teacher1", "parent1", "office", "admin"]
    );
    assert_eq!(who_may(write, &b), ["pupil1", "teacher1", "admin"]);
    assert_eq!(who_may(publish, &b), ["teacher1", "admin"]);
    assert_eq!(who_may(moderate, &b), ["teacher1", "admin"]);
    assert_eq!(
        who_may(comment, &b),
        ["pupil1", "teacher1", "parent1", "office", "admin"]
    );
    // The teacher turned approval off: the class's pupils publish their own posts.
    let free = BlogFacts {
        approval: false,
        ..b.clone()
    };
    assert_eq!(who_may(publish, &free), ["pupil1", "teacher1", "admin"]);
    let quiet = BlogFacts {
        comments: CommentMode::Off,
        ..b
    };
    assert!(who_may(comment, &quiet).is_empty());
}

#[test]
fn a_school_wide_or_public_class_blog_is_read_by_all_written_by_its_class() {
    for audience in [BlogAudience::School, BlogAudience::Public] {
        let b = blog(BlogOwner::Class { class: ClassId(1) }, audience);
        assert_eq!(who_may(read, &b).len(), cast().len());
        assert_eq!(who_may(write, &b), ["pupil1", "teacher1", "admin"]);
        assert_eq!(visitor_reads(&b), audience == BlogAudience::Public);
    }
    assert!(!visitor_reads(&blog(
        BlogOwner::School,
        BlogAudience::School
    )));
}

#[test]
fn the_school_blog_is_the_office_s_and_teachers_propose() {
    let b = blog(BlogOwner::School, BlogAudience::School);
    assert_eq!(
        who_may(write, &b),
        ["teacher1", "teacher2", "office", "admin"]
    );
    assert_eq!(who_may(publish, &b), ["office", "admin"]);
    assert_eq!(who_may(moderate, &b), ["office", "admin"]);
}

#[test]
fn a_teacher_blog_is_the_teacher_s_and_reaches_their_classes() {
    let owner = BlogOwner::Teacher {
        teacher: UserId(2),
        classes: vec![ClassId(1)],
    };
    let b = blog(owner.clone(), BlogAudience::Class);
    assert_eq!(
        who_may(read, &b),
        ["pupil1", "teacher1", "parent1", "office", "admin"]
    );
    assert_eq!(who_may(write, &b), ["teacher1", "admin"]);
    assert_eq!(who_may(moderate, &b), ["teacher1", "admin"]);
    let creators: Vec<_> = cast()
        .into_iter()
        .filter(|(_, p)| authorize(p, &Action::CreateBlog { owner: &owner }).is_ok())
        .map(|(n, _)| n)
        .collect();
    assert_eq!(creators, ["teacher1", "office", "admin"]);
    let school: Vec<_> = cast()
        .into_iter()
        .filter(|(_, p)| {
            authorize(
                p,
                &Action::CreateBlog {
                    owner: &BlogOwner::School,
                },
            )
            .is_ok()
        })
        .map(|(n, _)| n)
        .collect();
    assert_eq!(school, ["office", "admin"]);
}
