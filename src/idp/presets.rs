//! The usual values for the applications schools run beside Cartable, so that an admin fills
//! in a host name rather than learning each application's callback paths.
//!
//! `{base}` in a template is the application's address as the admin typed it (without a
//! trailing slash). The paths are the ones each application documents for its OpenID Connect
//! or CAS plugin; the README's section per application says where to paste Cartable's values.

use super::apps::{ClaimProfile, Protocol};
use crate::auth::Role;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Preset {
    pub key: &'static str,
    pub name: &'static str,
    pub icon: &'static str,
    pub protocol: Protocol,
    pub claim_profile: ClaimProfile,
    /// Exact redirect URIs (OIDC) or service prefixes (CAS), from `{base}`.
    pub uris: &'static [&'static str],
    pub post_logout: &'static [&'static str],
    pub backchannel_logout: &'static str,
    pub logout: &'static str,
    pub launch: &'static str,
    pub roles: &'static [Role],
}

const EVERYONE: &[Role] = &[Role::Admin, Role::Staff, Role::Teacher, Role::Pupil];

pub const PRESETS: &[Preset] = &[
    Preset {
        key: "moodle",
        name: "Moodle",
        icon: "🎓",
        protocol: Protocol::Oidc,
        claim_profile: ClaimProfile::Standard,
        // Moodle's OAuth 2 services ("auth_oauth2" and "oauth2" issuers).
        uris: &["{base}/admin/oauth2callback.php"],
        post_logout: &["{base}/"],
        backchannel_logout: "",
        logout: "{base}/login/logout.php",
        launch: "{base}/auth/oauth2/login.php",
        roles: EVERYONE,
    },
    Preset {
        key: "nextcloud",
        name: "Nextcloud",
        icon: "☁",
        protocol: Protocol::Oidc,
        claim_profile: ClaimProfile::Standard,
        // The "user_oidc" app, provider named "cartable".
        uris: &["{base}/apps/user_oidc/code"],
        post_logout: &["{base}/"],
        backchannel_logout: "{base}/apps/user_oidc/backchannel-logout/cartable",
        logout: "{base}/logout",
        launch: "{base}/apps/user_oidc/login/1",
        roles: EVERYONE,
    },
    Preset {
        key: "kolibri",
        name: "Kolibri",
        icon: "📚",
        protocol: Protocol::Oidc,
        claim_profile: ClaimProfile::Standard,
        // The "kolibri-oidc-client-plugin".
        uris: &["{base}/oidccb/"],
        post_logout: &["{base}/"],
        backchannel_logout: "",
        logout: "{base}/logout/",
        launch: "{base}/oidcauthenticate/",
        roles: &[Role::Admin, Role::Teacher, Role::Pupil],
    },
    Preset {
        key: "bookstack",
        name: "BookStack",
        icon: "📖",
        protocol: Protocol::Oidc,
        claim_profile: ClaimProfile::Standard,
        uris: &["{base}/oidc/callback"],
        post_logout: &["{base}/"],
        backchannel_logout: "",
        logout: "{base}/logout",
        launch: "{base}/login",
        roles: EVERYONE,
    },
    Preset {
        key: "wikijs",
        name: "Wiki.js",
        icon: "📝",
        protocol: Protocol::Oidc,
        claim_profile: ClaimProfile::Standard,
        // Wiki.js 2 names the callback after the strategy's id, shown on its page.
        uris: &["{base}/login/cartable/callback"],
        post_logout: &["{base}/"],
        backchannel_logout: "",
        logout: "{base}/logout",
        launch: "{base}/login",
        roles: EVERYONE,
    },
    Preset {
        key: "moodle-cas",
        name: "Moodle (CAS)",
        icon: "🎓",
        protocol: Protocol::Cas,
        claim_profile: ClaimProfile::EntFr,
        uris: &["{base}/login/index.php"],
        post_logout: &[],
        backchannel_logout: "",
        logout: "{base}/login/logout.php",
        launch: "{base}/login/index.php?authCAS=CAS",
        roles: EVERYONE,
    },
    Preset {
        key: "generic",
        name: "",
        icon: "🔗",
        protocol: Protocol::Oidc,
        claim_profile: ClaimProfile::Standard,
        uris: &[],
        post_logout: &[],
        backchannel_logout: "",
        logout: "",
        launch: "{base}/",
        roles: EVERYONE,
    },
];

pub fn find(key: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.key == key)
}

impl Preset {
    /// A template with `{base}` replaced; empty when the template is.
    pub fn fill(template: &str, base: &str) -> String {
        if template.is_empty() {
            return String::new();
        }
        template.replace("{base}", base.trim().trim_end_matches('/'))
    }

    pub fn fill_all(templates: &[&str], base: &str) -> Vec<String> {
        templates.iter().map(|t| Preset::fill(t, base)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_fill_from_the_base_address() {
        let m = find("moodle").unwrap();
        assert_eq!(
            Preset::fill_all(m.uris, "https://moodle.school.lan/"),
            vec!["https://moodle.school.lan/admin/oauth2callback.php"]
        );
        assert!(find("generic").is_some());
        assert!(find("nope").is_none());
        for p in PRESETS {
            for u in Preset::fill_all(p.uris, "https://x.test") {
                assert!(super::super::apps::valid_url(&u), "{u}");
            }
        }
    }
}
