//! Who an application is told a person is: the same facts for OpenID Connect claims (in the
//! ID token and from userinfo alike) and CAS attributes, so that an application learns role
//! and classes without a plugin per vendor.
//!
//! `sub` is random, made the first time an application meets the person, and kept: never the
//! username (which the office may change), never reused (a deleted account's subject goes with
//! it, and a new one is drawn for whoever comes next).

use crate::auth::Role;
use crate::ids::UserId;
use crate::settings::Settings;
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::Serialize;

/// Everything any profile may say about a person.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub sub: String,
    pub username: String,
    pub name: String,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub locale: String,
    pub role: Role,
    /// This school year's classes the person is in, teaches, or (a parent) has a child in.
    pub classes: Vec<String>,
    pub school: String,
}

/// The person's subject, made on first use. Needs a write: call it where the login is
/// recorded (the token endpoint, a CAS ticket's validation).
pub fn subject(tx: &Transaction<'_>, user: UserId) -> rusqlite::Result<String> {
    if let Some(s) = existing_subject(tx, user)? {
        return Ok(s);
    }
    let sub = crate::random_token(16);
    tx.execute(
        "INSERT INTO idp_subjects (user_id, sub) VALUES (?1, ?2)",
        rusqlite::params![user, sub],
    )?;
    Ok(sub)
}

pub fn existing_subject(conn: &Connection, user: UserId) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT sub FROM idp_subjects WHERE user_id = ?1")?
        .query_row([user], |r| r.get(0))
        .optional()
}

/// The person behind `user`, if the account exists, is enabled and has a subject.
pub fn person(
    conn: &Connection,
    user: UserId,
    settings: &Settings,
) -> rusqlite::Result<Option<Person>> {
    let Some(sub) = existing_subject(conn, user)? else {
        return Ok(None);
    };
    let row = conn
        .prepare_cached(
            "SELECT username, display_name, first_name, last_name, role, language FROM users
             WHERE id = ?1 AND disabled = 0",
        )?
        .query_row([user], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Role>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })
        .optional()?;
    let Some((username, name, given_name, family_name, role, language)) = row else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT c.name FROM classes c WHERE c.school_year = ?2 AND c.id IN (
             SELECT class_id FROM class_pupils WHERE user_id = ?1
             UNION SELECT class_id FROM class_teachers WHERE user_id = ?1
             UNION SELECT p.class_id FROM parent_links l
                   JOIN class_pupils p ON p.user_id = l.child_id WHERE l.parent_id = ?1)
         ORDER BY c.name",
    )?;
    let classes = stmt
        .query_map(rusqlite::params![user, settings.school_year], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let locale = language.unwrap_or_else(|| match settings.default_language.as_str() {
        "auto" => "fr".into(),
        l => l.into(),
    });
    Ok(Some(Person {
        sub,
        email: crate::mail::address_of(&username.to_lowercase(), &settings.mail_domain),
        username,
        name,
        given_name,
        family_name,
        locale,
        role,
        classes,
        school: settings.school_name.clone(),
    }))
}

/// `role:pupil`, `class:6e A`, ...: what applications map to their own groups.
pub fn groups(p: &Person) -> Vec<String> {
    std::iter::once(format!("role:{}", p.role))
        .chain(p.classes.iter().map(|c| format!("class:{c}")))
        .collect()
}

/// The French ENT profile name (SDET) of a role.
fn ent_profile(role: Role) -> &'static str {
    match role {
        Role::Pupil => "National_ELV",
        Role::Teacher => "National_ENS",
        Role::Parent => "National_TUT",
        Role::Staff => "National_EVS",
        Role::Admin => "National_DIR",
    }
}

/// The OpenID Connect claims for the scopes asked (`openid` always; `profile`, `email`;
/// `roles`, `groups` and `school` come with `profile`).
pub fn oidc(
    p: &Person,
    scopes: &[&str],
    profile: super::apps::ClaimProfile,
) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::json;
    let mut m = serde_json::Map::new();
    m.insert("sub".into(), json!(p.sub));
    if scopes.contains(&"profile") {
        m.insert("preferred_username".into(), json!(p.username));
        m.insert("name".into(), json!(p.name));
        if !p.given_name.is_empty() {
            m.insert("given_name".into(), json!(p.given_name));
        }
        if !p.family_name.is_empty() {
            m.insert("family_name".into(), json!(p.family_name));
        }
        m.insert("locale".into(), json!(p.locale));
        m.insert("roles".into(), json!([p.role.as_str()]));
        m.insert("groups".into(), json!(groups(p)));
        m.insert("school".into(), json!(p.school));
        if profile == super::apps::ClaimProfile::EntFr {
            for (k, v) in ent_fr(p) {
                m.insert(k.into(), json!(v));
            }
        }
    }
    if scopes.contains(&"email") {
        m.insert("email".into(), json!(p.email));
        m.insert("email_verified".into(), json!(true));
    }
    m
}

fn ent_fr(p: &Person) -> Vec<(&'static str, Vec<String>)> {
    vec![
        ("ENTPersonProfils", vec![ent_profile(p.role).to_owned()]),
        ("ENTClasse", p.classes.clone()),
        ("ENTPersonStructRattachRNE", vec![p.school.clone()]),
    ]
}

/// CAS attributes: every value a list (CAS 3.0 repeats an attribute for several values).
pub fn cas(p: &Person, profile: super::apps::ClaimProfile) -> Vec<(&'static str, Vec<String>)> {
    let one = |s: &str| vec![s.to_owned()];
    let mut out = vec![
        ("uid", one(&p.username)),
        ("sub", one(&p.sub)),
        ("displayName", one(&p.name)),
        ("givenName", one(&p.given_name)),
        ("sn", one(&p.family_name)),
        ("mail", one(&p.email)),
        ("locale", one(&p.locale)),
        ("role", one(p.role.as_str())),
        ("groups", groups(p)),
        ("school", one(&p.school)),
    ];
    if profile == super::apps::ClaimProfile::EntFr {
        out.extend(ent_fr(p));
    }
    out.retain(|(_, v)| v.iter().any(|s| !s.is_empty()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idp::apps::ClaimProfile;

    fn pupil() -> Person {
        Person {
            sub: "s1".into(),
            username: "alice".into(),
            name: "Alice M".into(),
            given_name: "Alice".into(),
            family_name: "M".into(),
            email: "alice@school.test".into(),
            locale: "fr".into(),
            role: Role::Pupil,
            classes: vec!["6e A".into()],
            school: "Collège".into(),
        }
    }

    #[test]
    fn claims_follow_scopes_and_profile() {
        let p = pupil();
        let only = oidc(&p, &["openid"], ClaimProfile::Standard);
        assert_eq!(only.len(), 1);
        let all = oidc(&p, &["openid", "profile", "email"], ClaimProfile::Standard);
        assert_eq!(
            all["groups"],
            serde_json::json!(["role:pupil", "class:6e A"])
        );
        assert_eq!(all["email_verified"], true);
        assert!(all.get("ENTClasse").is_none());
        let fr = oidc(&p, &["openid", "profile"], ClaimProfile::EntFr);
        assert_eq!(fr["ENTPersonProfils"], serde_json::json!(["National_ELV"]));
        let attrs = cas(&p, ClaimProfile::EntFr);
        assert!(
            attrs
                .iter()
                .any(|(k, v)| *k == "ENTClasse" && v == &["6e A"])
        );
    }
}
