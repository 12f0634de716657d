//! One child at a time: the shared piece for pages that a parent reads child by child (the
//! homework book, the registers). A parent with several children picks one with
//! `?child=<id>`; with none picked, the first child (by name) is shown, so a parent always
//! lands on something useful and never on a mix of two families' worth of classes.
//!
//! Pages call [`choose_child`] once (or [`choose_child_in`] on a page about one class, which
//! starts on the child in that class) and get the principal to pass on to the domain, narrowed
//! to that child's classes (`school::for_child`), so that every rule applies unchanged and
//! shows a subset. An id that is not one of the parent's children, or any `?child=` from
//! someone who is not a parent, is a plain 404: nothing tells whether that child exists.
//!
//! The template partial `school/child_switch.html` renders the switch as plain links (no
//! JavaScript): include it with `list_path` (the page's path) and, optionally, `child_extra`
//! (more query, such as `&week=2026-05-04`, kept when switching). It shows nothing for a
//! parent of one child, and nothing for anyone else.
//!
//! (News and the agenda keep their older `child_scope`, which also offers "all my children":
//! a timeline mixes well; a week of homework or a register does not.)

use super::{ChildOption, read};
use crate::auth::{Principal, Role};
use crate::ids::{ClassId, UserId};
use crate::school::{self, SchoolError};
use crate::web::error::WebError;
use crate::web::req::Req;
use serde::{Deserialize, Serialize};

/// The child a parent is looking at.
#[derive(Debug, Clone, Serialize)]
pub struct Child {
    pub id: UserId,
    pub name: String,
    /// The classes this child is a pupil of.
    pub classes: Vec<ClassId>,
}

/// What [`choose_child`] decided.
#[derive(Debug, Clone)]
pub struct ChildChoice {
    /// The asker, narrowed to the chosen child for a parent; unchanged for everyone else.
    /// A parent with no linked child gets themselves with no children: they see nothing.
    pub who: Principal,
    /// The chosen child, for a parent with at least one.
    pub child: Option<Child>,
    /// A parent's children by name, the chosen one `selected`, for the switch; empty for
    /// everyone else.
    pub options: Vec<ChildOption>,
}

#[derive(Deserialize, Default)]
struct ChildQuery {
    #[serde(default)]
    child: String,
}

/// Reads `?child=` from the request and decides whose view this is (see the module doc).
pub async fn choose_child(req: &Req) -> Result<ChildChoice, WebError> {
    let q: ChildQuery = req.query()?;
    choose(req, &q.child, None).await
}

/// [`choose_child`] for a page about one class (`?class=`): with no child asked, a parent
/// gets the first of their children in that class, so that a link naming a class (from an
/// entry's page, say) opens on the right child.
pub async fn choose_child_in(req: &Req, class: ClassId) -> Result<ChildChoice, WebError> {
    let q: ChildQuery = req.query()?;
    choose(req, &q.child, Some(class)).await
}

/// [`choose_child`] with the asked id given (a form field, say) rather than read from the
/// query: empty means "the first child" (the first in `class`, if given and there is one).
pub async fn choose(
    req: &Req,
    asked: &str,
    class: Option<ClassId>,
) -> Result<ChildChoice, WebError> {
    let p = Principal::clone(req.principal()?);
    let asked = match asked.trim() {
        "" => None,
        s => Some(s.parse::<UserId>().map_err(|_| WebError::NotFound)?),
    };
    if p.role != Role::Parent {
        return match asked {
            Some(_) => Err(WebError::NotFound),
            None => Ok(ChildChoice {
                who: p,
                child: None,
                options: Vec::new(),
            }),
        };
    }
    if let Some(id) = asked
        && !p.children.contains(&id)
    {
        return Err(WebError::NotFound);
    }
    read(req, move |c| {
        let mut kids = crate::accounts::children_of(c, p.id)
            .map_err(|e| SchoolError::Db(e.into()))?
            .into_iter()
            .filter(|k| p.children.contains(&k.id))
            .collect::<Vec<_>>();
        kids.sort_by(|a, b| a.display_name.cmp(&b.display_name).then(a.id.cmp(&b.id)));
        let mut in_class = None;
        if let (None, Some(wanted)) = (asked, class) {
            for k in &kids {
                let classes = crate::accounts::classes_of_pupil(c, k.id)
                    .map_err(|e| SchoolError::Db(e.into()))?;
                if classes.contains(&wanted) {
                    in_class = Some(k.id);
                    break;
                }
            }
        }
        let Some(chosen) = asked.or(in_class).or_else(|| kids.first().map(|k| k.id)) else {
            let mut none = p;
            none.children.clear();
            none.children_classes.clear();
            return Ok(ChildChoice {
                who: none,
                child: None,
                options: Vec::new(),
            });
        };
        let who = school::for_child(c, &p, chosen)?;
        let name = kids
            .iter()
            .find(|k| k.id == chosen)
            .map(|k| k.display_name.clone())
            .unwrap_or_default();
        let options = kids
            .into_iter()
            .map(|k| ChildOption {
                selected: k.id == chosen,
                id: k.id,
                name: k.display_name,
            })
            .collect();
        Ok(ChildChoice {
            child: Some(Child {
                id: chosen,
                name,
                classes: who.children_classes.clone(),
            }),
            who,
            options,
        })
    })
    .await
}
