//! Every web route, in one table: read this file to know what the portal serves.

use super::pages::{
    admin, apps_proxy, auth_pages, blog, cas, dashboard, files, forum, homework, idp, library,
    mail, public, school,
};
use super::router::Router;

pub fn routes() -> Router {
    let mut r = Router::default();
    // Public: the health check, the CA page, static assets, language choice.
    r.get("/healthz", public::healthz);
    r.get("/ca", public::ca_page);
    r.get("/ca.crt", public::ca_cert);
    r.get("/static/{file}", public::static_file);
    r.get("/lang/{code}", public::set_language);
    // Logging in and out, and changing one's password.
    r.get("/login", auth_pages::login_form);
    r.post("/login", auth_pages::login);
    r.post("/logout", auth_pages::logout);
    r.get("/password", auth_pages::password_form);
    r.post("/password", auth_pages::change_password);
    // The portal.
    r.get("/", dashboard::dashboard);
    r.get("/profile", dashboard::profile);
    r.post("/profile", dashboard::save_profile);
    // Documents (web file manager; see pages/files/mod.rs):
    //   GET  /files                      the principal's spaces and personal quota
    //   GET  /files/{*path}              a folder's listing, or a file's download (Range, ETag)
    //   POST /files-action/upload        multipart: csrf, dir, then `files` (several)
    //   POST /files-action/mkdir         dir, name
    //   POST /files-action/rename        path, name
    //   POST /files-action/move          path, dest (a folder of the same space)
    //   POST /files-action/delete        path (to the trash)
    //   GET  /trash, POST /trash/{id}/restore
    files::routes(&mut r);
    // Homework drop boxes (see pages/homework/mod.rs):
    //   GET  /homework, POST /homework             assignments; a teacher opens one
    //   GET  /homework/{id}                        instructions and hand-ins, or the roster
    //   POST /homework/{id}/hand-in                multipart: csrf, then `files` (several)
    //   POST /homework/{id}/withdraw               name (the pupil's own file, while open)
    //   POST /homework/{id}/close, /reopen         the class's teachers
    //   GET  /homework/{id}/zip                    everything, one folder per pupil
    //   GET  /homework/{id}/files/{pupil}/{name}   one handed-in file
    homework::routes(&mut r);
    // Webmail (see pages/mail/mod.rs); entries are the principal's own, anyone else's is a 404:
    //   GET  /mail, /mail/sent                     inbox and sent folder (`?page=`)
    //   GET  /mail/compose                         new message (`?to=addr`, `?reply=entry`)
    //   POST /mail/compose                         multipart: csrf, to (several), subject,
    //                                              body, in_reply_to, references, then `files`
    //   GET  /mail/{entry}                         read one (marks it read)
    //   GET  /mail/{entry}/attachment/{index}      one attachment, always as a download
    //   POST /mail/{entry}/delete                  csrf
    mail::routes(&mut r);
    // The forum (see pages/forum/mod.rs); what a reader may not see is a 404, like what does
    // not exist. Posting forms have `action=preview|post`; every POST carries `csrf`.
    //   GET  /forum                                categories, unread notifications, search box
    //   GET  /forum/search                         `?q=`: posts the reader may see
    //   GET  /forum/c/{id}                         a category's topics (`?page=`)
    //   GET  /forum/c/{id}/new, POST               new topic: title, body, action
    //   POST /forum/c/{id}/mute                    moderators: username, hours (0, 1, 24, 168)
    //   GET  /forum/t/{id}                         a topic (`?page=`, `?quote={post}`); marks it read
    //   POST /forum/t/{id}/reply                   body, action
    //   POST /forum/t/{id}/pin, /lock, /hide       moderators: on (1 or 0)
    //   POST /forum/t/{id}/move                    moderators: category
    //   POST /forum/t/{id}/delete                  moderators
    //   GET  /forum/p/{id}                         a post's link: 303 to its topic's page
    //   GET  /forum/p/{id}/edit, POST              the author: body, action
    //   GET  /forum/p/{id}/history                 earlier versions
    //   POST /forum/p/{id}/delete                  the author, within the delete window
    //   GET  /forum/p/{id}/report, POST            reason
    //   POST /forum/p/{id}/hide, /remove           moderators (hide: on); next (optional)
    //   GET  /forum/moderation                     open reports in the categories one moderates
    //   POST /forum/reports/{id}/dismiss           moderators
    forum::routes(&mut r);
    // School life (see pages/school/mod.rs): news and the agenda. What a reader may not see
    // is a 404; every POST carries `csrf`. A parent may add `?child={id}` to a list to see
    // one child's share only (someone else's child: 404).
    //   GET  /news                                 the timeline (`?page=`, `?child=`)
    //   GET  /news/new, POST                       title, body, audience, class (several),
    //                                              must_read, action=preview|post
    //   GET  /news/{id}                            one item; its readers for author and admins
    //   POST /news/{id}/ack                        "I have read it" (next: where to go back)
    //   GET  /news/{id}/edit, POST                 the author or an admin, as for new
    //   POST /news/{id}/delete                     the author or an admin (audited)
    //   GET  /agenda                               coming events and a month (`?month=YYYY-MM`)
    //   POST /agenda/feed                          a new calendar-feed link (the old one ends)
    //   GET  /agenda/feed/{token}.ics              the feed: no session, the secret decides
    //   GET  /agenda/new, POST                     title, kind, audience, class (several),
    //                                              all_day, start_date, start_time, end_date,
    //                                              end_time, place, description
    //   GET  /agenda/{id}, /agenda/{id}.ics        one event, and as a calendar file
    //   GET  /agenda/{id}/edit, POST               the author or an admin, as for new
    //   POST /agenda/{id}/delete                   the author or an admin (audited)
    //   GET  /book                                 the homework book's week (`?week=YYYY-MM-DD`,
    //                                              `?day=`, `?class=`, `?child=`)
    //   GET  /book/new, POST                       class, subject, lesson_day, done, work,
    //                                              due_day, assignment, file (several)
    //   GET  /book/{id}                            one entry, its files and drop box
    //   GET  /book/{id}/edit, POST                 the author or an admin, as for new
    //   POST /book/{id}/delete                     the author or an admin (audited)
    //   GET  /book/{id}/files/{file}               an attached file, for the entry's readers
    school::routes(&mut r);
    // Blogs and the school's public pages (see pages/blog/mod.rs for the table); `/site` and
    // its pages are read without a login.
    blog::routes(&mut r);
    // Attendance (see pages/school/attendance/mod.rs); every POST carries `csrf`:
    //   GET  /attendance                           pupils and parents: the record (`?child=`);
    //                                              teachers and office: choose a register
    //   GET  /attendance/register                  `?class=&date=YYYY-MM-DD&slot=HH:MM&subject=`
    //   POST /attendance/register                  class, date, slot, subject, p{pupil}=
    //                                              present|absent|late, m{pupil}=minutes late
    //   GET  /attendance/absences                  the office: `?class=`, `?show=pending|all`
    //   POST /attendance/absences/{id}             the office: reason, status (audited)
    //   POST /attendance/absences/{id}/justify     a parent of the pupil: note
    //   GET  /attendance/export                    `?class=&month=YYYY-MM`: the month as CSV
    school::attendance::routes(&mut r);
    // OpenID Connect provider (see pages/idp/mod.rs; client_id = the application's slug):
    //   GET  /.well-known/openid-configuration     discovery (issuer = the origin asked by)
    //   GET  /oidc/jwks                            public signing keys
    //   GET  /oidc/authorize                       client_id, redirect_uri, response_type=code,
    //                                              scope, state, nonce, code_challenge(_method),
    //                                              prompt, max_age
    //   POST /oidc/token                           urlencoded, no CSRF: grant_type, code,
    //                                              redirect_uri, code_verifier, refresh_token,
    //                                              client_id, client_secret (or Basic)
    //   GET|POST /oidc/userinfo                    Bearer access token
    //   GET|POST /oidc/logout                      id_token_hint, post_logout_redirect_uri,
    //                                              state, client_id; csrf (the confirm form)
    idp::routes(&mut r);
    // CAS 3.0 (see pages/cas/mod.rs); applications send people here and validate tickets:
    //   GET  /cas/login                   service, renew, gateway: 302 to service?ticket=ST-..
    //   GET  /cas/logout                  service or url (a registered service) after logout
    //   GET  /cas/validate                CAS 1.0: service, ticket; `yes\nuser\n` or `no\n\n`
    //   GET  /cas/serviceValidate         service, ticket, renew, format=XML|JSON
    //   GET  /cas/p3/serviceValidate      the same (attributes in both)
    //   GET  /cas/proxyValidate, /cas/p3/proxyValidate   the same (no proxy tickets issued)
    cas::routes(&mut r);
    // Applications behind the portal (see pages/apps_proxy.rs): GET, POST, PUT, PATCH, DELETE,
    // OPTIONS /apps/{slug}/{*rest} forwarded to the app's internal address for those allowed.
    apps_proxy::routes(&mut r);
    // The offline library (see pages/library/mod.rs); a collection one may not read is a 404:
    //   GET  /library                              the collections one may read
    //   GET  /library/search                       `?q=&c=`: titles and full text, in collection
    //                                              `c` or in all one may read
    //   GET  /library/suggest                      `?q=&c=`: JSON [{title, url}], as one types
    //   GET  /library/illustration/{name}          a collection's 48x48 PNG
    //   GET  /library/{name}                       303 to its main page
    //   GET  /library/{name}/{*path}               an entry (redirects followed, Range, ETag)
    library::routes(&mut r);
    // Administration.
    admin::routes(&mut r);
    r
}
