-- Mail. Each message is one RFC 5322 file under mail/store/, written and fsynced before any
-- row here points at it; a message sent to thirty pupils is stored once and listed thirty
-- times. The outbound queue is a row per external recipient, so that one refusal bounces one
-- address and the others still leave.
CREATE TABLE mail_messages (
    id              INTEGER PRIMARY KEY,
    file            TEXT NOT NULL UNIQUE,     -- relative to mail/store/
    size            INTEGER NOT NULL,
    received_at     INTEGER NOT NULL,
    from_addr       TEXT NOT NULL DEFAULT '',
    from_name       TEXT NOT NULL DEFAULT '',
    to_display      TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL DEFAULT '',
    message_id      TEXT NOT NULL DEFAULT '',
    has_attachments INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE mail_entries (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message_id INTEGER NOT NULL REFERENCES mail_messages (id),
    folder     TEXT NOT NULL CHECK (folder IN ('inbox', 'sent')),
    seen       INTEGER NOT NULL DEFAULT 0,
    at         INTEGER NOT NULL
) STRICT;
CREATE INDEX mail_entries_box ON mail_entries (user_id, folder, at DESC, id DESC);
CREATE INDEX mail_entries_message ON mail_entries (message_id);

CREATE TABLE mail_queue (
    id           INTEGER PRIMARY KEY,
    message_id   INTEGER NOT NULL REFERENCES mail_messages (id),
    sender       TEXT NOT NULL,               -- the envelope sender, '' for a bounce
    sender_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    recipient    TEXT NOT NULL,
    queued_at    INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt INTEGER NOT NULL,
    last_error   TEXT NOT NULL DEFAULT '',
    -- A delivery in progress holds the row until then, so that the server's worker and a
    -- `cartable mail flush` never send the same message twice.
    lease_until  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX mail_queue_due ON mail_queue (next_attempt);
CREATE INDEX mail_queue_message ON mail_queue (message_id);
