//! Mail addresses as the school uses them: `username@domain` for each account and
//! `classe+<class>@domain` for a class's list (`+` never appears in a username, so the two
//! can never clash).

/// The local part's prefix of a class list address.
pub const CLASS_LIST_PREFIX: &str = "classe+";

/// An address split into its local part and its lowercased domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub local: String,
    pub domain: String,
}

impl Address {
    /// Parses a bare address (`a@b.c`, no display name, no angle brackets), as SMTP gives
    /// them and as a person types them. Refuses what no mailbox can have: spaces, control
    /// characters, quotes, a missing or odd domain, more than 254 octets.
    pub fn parse(s: &str) -> Option<Address> {
        let s = s.trim();
        if s.len() > 254 || s.is_empty() {
            return None;
        }
        let (local, domain) = s.rsplit_once('@')?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let domain = domain.to_ascii_lowercase();
        let domain_ok = crate::settings::is_dns_name(&domain)
            || (domain.starts_with('[') && domain.ends_with(']'));
        (local_ok && domain_ok).then(|| Address {
            local: local.to_owned(),
            domain,
        })
    }

    pub fn is_in(&self, domain: &str) -> bool {
        self.domain.eq_ignore_ascii_case(domain)
    }
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{}", self.local, self.domain)
    }
}

/// A class name as it appears in its list address: `6e A` → `6e-a`, `Terminale S2` →
/// `terminale-s2`, accents folded.
pub fn class_slug(name: &str) -> String {
    let mut out = String::new();
    for c in deunicode::deunicode(name).to_ascii_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// The list address of a class.
pub fn class_address(name: &str, domain: &str) -> String {
    format!("{CLASS_LIST_PREFIX}{}@{domain}", class_slug(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_mailboxes_have() {
        let a = Address::parse(" Jean.Dupont@Ecole.FR ").unwrap();
        assert_eq!(a.local, "Jean.Dupont");
        assert_eq!(a.domain, "ecole.fr");
        assert!(a.is_in("ECOLE.fr"));
        assert_eq!(a.to_string(), "Jean.Dupont@ecole.fr");
        assert!(Address::parse("classe+6e-a@ecole.fr").is_some());
        for bad in [
            "",
            "a",
            "@b.fr",
            "a@",
            "a b@c.fr",
            "a@b c.fr",
            "a@@b.fr",
            ".a@b.fr",
            "a..b@c.fr",
            "a\"b@c.fr",
            "a@-b.fr",
            "a\r\n@b.fr",
            "<a@b.fr>",
        ] {
            assert!(Address::parse(bad).is_none(), "{bad:?}");
        }
        assert!(Address::parse(&format!("{}@b.fr", "a".repeat(65))).is_none());
    }

    #[test]
    fn class_slugs() {
        assert_eq!(class_slug("6e A"), "6e-a");
        assert_eq!(class_slug("Terminale  S2"), "terminale-s2");
        assert_eq!(class_slug("CM2 – Hélène"), "cm2-helene");
        assert_eq!(class_address("5e C", "ecole.fr"), "classe+5e-c@ecole.fr");
    }
}
