-- The school's other applications log people in through Cartable (OpenID Connect or CAS), or
-- sit behind the portal's login (a reverse proxy). See src/idp/mod.rs.

CREATE TABLE apps (
    id                     INTEGER PRIMARY KEY,
    -- Short and URL-safe; the OIDC client id, the proxy's `/apps/<slug>/`. Never changes.
    slug                   TEXT NOT NULL UNIQUE,
    name                   TEXT NOT NULL,
    icon                   TEXT NOT NULL DEFAULT '',
    launch_url             TEXT NOT NULL DEFAULT '',
    protocol               TEXT NOT NULL CHECK (protocol IN ('oidc', 'cas', 'proxy')),
    preset                 TEXT NOT NULL DEFAULT 'generic',
    -- SHA-256 (hex) of the client secret; NULL for a public client, which must use PKCE.
    secret_hash            TEXT,
    claim_profile          TEXT NOT NULL DEFAULT 'standard'
                           CHECK (claim_profile IN ('standard', 'ent_fr')),
    -- The application's own logout page (listed after a Cartable logout when it has no
    -- back-channel), and the URL that receives OIDC back-channel logout tokens.
    logout_url             TEXT NOT NULL DEFAULT '',
    backchannel_logout_url TEXT NOT NULL DEFAULT '',
    -- Where the proxy forwards `/apps/<slug>/` (protocol 'proxy').
    internal_url           TEXT NOT NULL DEFAULT '',
    disabled               INTEGER NOT NULL DEFAULT 0,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL
) STRICT;

-- Exact OIDC redirect URIs, registered post-logout redirect URIs, CAS service URL prefixes.
CREATE TABLE app_uris (
    app_id INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    kind   TEXT NOT NULL CHECK (kind IN ('redirect', 'post_logout', 'cas_service')),
    uri    TEXT NOT NULL,
    PRIMARY KEY (app_id, kind, uri)
) STRICT;

-- Who may use an application: one of these roles, and (when any are listed) one of these
-- classes (a pupil's, a teacher's, or a parent's child's).
CREATE TABLE app_roles (
    app_id INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    role   TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'teacher', 'pupil', 'parent')),
    PRIMARY KEY (app_id, role)
) STRICT;

CREATE TABLE app_classes (
    app_id   INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    class_id INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    PRIMARY KEY (app_id, class_id)
) STRICT;
CREATE INDEX app_classes_class ON app_classes (class_id);

-- The `sub` applications know a person by: random, never the username, never reused (a new
-- account that gets a deleted one's rowid gets a new random subject).
CREATE TABLE idp_subjects (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    sub     TEXT NOT NULL UNIQUE
) STRICT;

-- Signing keys (PKCS#8 DER). The signer is the newest key whose `signs_from` has come; a
-- rotated-in key is published in the JWKS before it signs. Retired keys stay published until
-- `retire_after`, so tokens they signed still verify.
CREATE TABLE idp_keys (
    kid          TEXT PRIMARY KEY,
    alg          TEXT NOT NULL CHECK (alg IN ('RS256')),
    private_der  BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    signs_from   INTEGER NOT NULL,
    retire_after INTEGER
) STRICT;

-- What an application was given in which portal session: the link that logout follows, and
-- an OIDC refresh token (hashed). Ending the session deletes its grants (trigger below).
CREATE TABLE idp_grants (
    id              INTEGER PRIMARY KEY,
    app_id          INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_sid     TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('oidc', 'cas')),
    -- The issuer the application was told (the origin it reached Cartable by).
    iss             TEXT NOT NULL,
    -- CAS: the service ticket and the service URL it was issued for (single logout names it).
    cas_ticket      TEXT,
    service         TEXT,
    refresh_hash    TEXT UNIQUE,
    refresh_expires INTEGER,
    created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX idp_grants_session ON idp_grants (session_sid);
CREATE INDEX idp_grants_user ON idp_grants (user_id);
CREATE INDEX idp_grants_app ON idp_grants (app_id);

-- Logouts to tell applications about (OIDC back-channel, CAS single logout), retried until
-- they answer or `give_up_at` passes. No user reference: the account may be gone.
CREATE TABLE idp_logout_queue (
    id         INTEGER PRIMARY KEY,
    app_id     INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('oidc', 'cas')),
    url        TEXT NOT NULL,
    iss        TEXT NOT NULL,
    sub        TEXT NOT NULL,
    sid        TEXT NOT NULL,
    ticket     TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_try   INTEGER NOT NULL,
    give_up_at INTEGER NOT NULL,
    last_error TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX idp_logout_queue_next ON idp_logout_queue (next_try);

-- A portal session's public id: the OIDC `sid`, never the cookie's hash.
ALTER TABLE sessions ADD COLUMN sid TEXT NOT NULL DEFAULT '';
UPDATE sessions SET sid = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX sessions_sid ON sessions (sid);

-- Every way a session ends (logout, a new login, a password change or reset, an account
-- disabled or deleted, expiry) deletes its row: that one place queues the applications'
-- logouts and drops what they were given, with no call site to forget.
CREATE TRIGGER sessions_end_apps AFTER DELETE ON sessions
BEGIN
    INSERT INTO idp_logout_queue (app_id, kind, url, iss, sub, sid, ticket, next_try, give_up_at)
    SELECT g.app_id, g.kind,
           CASE g.kind WHEN 'cas' THEN g.service ELSE a.backchannel_logout_url END,
           g.iss, COALESCE(s.sub, ''), OLD.sid, g.cas_ticket,
           CAST(strftime('%s', 'now') AS INTEGER),
           CAST(strftime('%s', 'now') AS INTEGER) + 86400
    FROM idp_grants g
    JOIN apps a ON a.id = g.app_id
    LEFT JOIN idp_subjects s ON s.user_id = g.user_id
    WHERE g.session_sid = OLD.sid
      AND (g.kind = 'cas' OR a.backchannel_logout_url != '');
    DELETE FROM idp_grants WHERE session_sid = OLD.sid;
END;
