//! What a path below `/dav/` names, for one principal.
//!
//! The tree a client mounts is made per account: its own space under its username,
//! `Classes/<class>` for each class it is in or teaches, `Staff` when it may, and
//! `Homework/` (see [`super::homework`]) whenever `Classes/` is there: an account in or
//! teaching a class may see assignments, and showing the folder even while it is empty keeps
//! the root stable, so a mounted drive does not change shape when a first assignment opens.
//! Anything else
//! (another pupil's username, a class it is not in) is simply absent, so a forbidden name
//! and a name that does not exist answer the same 404: listing or probing reveals nothing.

use crate::files::Space;
use crate::files::spaces::CLASSES;

/// The folder of homework drop boxes at the top of `/dav/`. Capitalised, like `Classes`, so
/// no username can take it.
pub const HOMEWORK: &str = "Homework";

/// Where a path lands.
#[derive(Debug, Clone)]
pub enum Target<'a> {
    /// `/dav/`: the principal's spaces, read-only.
    Root,
    /// `/dav/Classes/`: the principal's class spaces, read-only.
    Classes,
    /// Somewhere in a space: `rel` is the path below the space's root (empty for the root).
    Space { space: &'a Space, rel: Vec<String> },
    /// `/dav/Homework/` or below: `rest` is the path below it, which [`super::homework`]
    /// resolves against the assignments the principal may see.
    Homework { rest: Vec<String> },
}

/// Splits a decoded DAV path (no prefix) into segments; `None` if it is not UTF-8.
pub fn segments(path: &[u8]) -> Option<Vec<String>> {
    let s = std::str::from_utf8(path).ok()?;
    Some(
        s.split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    )
}

/// Finds what `segs` names among `spaces` (the principal's visible spaces).
pub fn locate<'a>(spaces: &'a [Space], segs: &[String]) -> Option<Target<'a>> {
    if segs.is_empty() {
        return Some(Target::Root);
    }
    if segs.len() == 1 && segs[0] == CLASSES {
        return has_classes(spaces).then_some(Target::Classes);
    }
    if segs[0] == HOMEWORK {
        return has_classes(spaces).then(|| Target::Homework {
            rest: segs[1..].to_vec(),
        });
    }
    for space in spaces {
        let parts: Vec<&str> = space.path.split('/').collect();
        if segs.len() >= parts.len() && parts.iter().zip(segs).all(|(a, b)| *a == b.as_str()) {
            return Some(Target::Space {
                space,
                rel: segs[parts.len()..].to_vec(),
            });
        }
    }
    None
}

pub fn has_classes(spaces: &[Space]) -> bool {
    spaces
        .iter()
        .any(|s| s.path.starts_with(&format!("{CLASSES}/")))
}

/// The names listed in `/dav/` or `/dav/Classes/`, with the space each stands for (`None`
/// for the `Classes` and `Homework` folders).
pub fn children<'a>(spaces: &'a [Space], target: &Target<'_>) -> Vec<(String, Option<&'a Space>)> {
    let prefix = format!("{CLASSES}/");
    match target {
        Target::Root => {
            let mut out = Vec::new();
            for s in spaces {
                if s.path.starts_with(&prefix) {
                    continue;
                }
                out.push((s.path.clone(), Some(s)));
            }
            if has_classes(spaces) {
                out.push((CLASSES.to_owned(), None));
                out.push((HOMEWORK.to_owned(), None));
            }
            out
        }
        Target::Classes => spaces
            .iter()
            .filter_map(|s| {
                s.path
                    .strip_prefix(&prefix)
                    .map(|n| (n.to_owned(), Some(s)))
            })
            .collect(),
        Target::Space { .. } | Target::Homework { .. } => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ClassId, SpaceId, UserId};

    fn spaces() -> Vec<Space> {
        let s = |id, path: &str| Space {
            id,
            path: path.into(),
            title: path.into(),
            writable: false,
        };
        vec![
            s(SpaceId::Personal(UserId(1)), "amina"),
            s(SpaceId::Class(ClassId(2)), "Classes/6e A"),
        ]
    }

    fn segs(p: &str) -> Vec<String> {
        segments(p.as_bytes()).unwrap()
    }

    #[test]
    fn paths_land_in_the_principals_spaces_only() {
        let sp = spaces();
        assert!(matches!(locate(&sp, &segs("/")), Some(Target::Root)));
        assert!(matches!(
            locate(&sp, &segs("/Classes/")),
            Some(Target::Classes)
        ));
        match locate(&sp, &segs("/Classes/6e A/devoir.pdf")) {
            Some(Target::Space { space, rel }) => {
                assert_eq!(space.id, SpaceId::Class(ClassId(2)));
                assert_eq!(rel, vec!["devoir.pdf"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(locate(&sp, &segs("/Classes/5e B")).is_none());
        assert!(locate(&sp, &segs("/bob/x")).is_none());
        assert!(locate(&sp, &segs("/Staff")).is_none());
        assert!(locate(&sp, &segs("/AMINA")).is_none());
        let names: Vec<String> = children(&sp, &Target::Root)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, vec!["amina", "Classes", "Homework"]);
        match locate(&sp, &segs("/Homework/6e A - Essai/copie.txt")) {
            Some(Target::Homework { rest }) => assert_eq!(rest, vec!["6e A - Essai", "copie.txt"]),
            other => panic!("{other:?}"),
        }
        assert!(locate(&sp[..1], &segs("/Homework/")).is_none());
    }
}
