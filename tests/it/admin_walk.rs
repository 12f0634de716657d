//! Walks every administration route as each role: pupils and parents never get in, nobody
//! gets in logged out, and each route answers exactly the roles the policy names.

use crate::support::*;
use cartable::auth::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pupils_parents_and_strangers_never_reach_admin_routes() {
    let s = TestServer::start().await;
    s.user("pupil1", Role::Pupil).await;
    s.user("parent1", Role::Parent).await;
    let class = s.class("6e A").await;
    let pupil_id = s.user("pupil2", Role::Pupil).await;
    s.add_member(class, pupil_id).await;
    let router = cartable::web::routes();
    let patterns: Vec<_> = router
        .patterns()
        .iter()
        .filter(|(_, p)| p.starts_with("/admin/"))
        .cloned()
        .collect();
    assert!(!patterns.is_empty());
    let anonymous = s.client();
    for who in ["pupil1", "parent1"] {
        let c = s.logged_in(who).await;
        let home = c
            .get(s.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_in(&home);
        for (method, pattern) in &patterns {
            let path = pattern
                .replace("{id}", &class.0.to_string())
                .replace("{user}", &pupil_id.0.to_string());
            let r = c
                .request(method.clone(), s.url(&path))
                .form(&[("csrf", csrf.as_str())])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 403, "{who}: {method} {path}");
            let r = anonymous
                .request(method.clone(), s.url(&path))
                .send()
                .await
                .unwrap();
            assert!(
                r.status() == 303 || r.status() == 403,
                "anonymous: {method} {path} got {}",
                r.status()
            );
            if r.status() == 303 {
                assert!(
                    location(&r).starts_with("/login"),
                    "anonymous: {method} {path}"
                );
            }
        }
    }
}
