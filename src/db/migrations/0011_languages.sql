-- Portuguese and Arabic: an account's language may be any of the four the catalogs hold.
--
-- SQLite cannot alter a CHECK constraint, and rebuilding `users` inside the migration's
-- transaction would cascade its DROP to every table that references it (foreign keys stay on).
-- A wider CHECK leaves every existing row valid and changes nothing on disk, so the table's
-- recorded definition is edited in place, as SQLite's documentation allows for constraint
-- changes (https://sqlite.org/lang_altertable.html#otheralter). `RESET` makes this connection
-- read the edited definition; creating and dropping a table bumps the schema cookie so every
-- other connection does too. The code checks a language against `i18n::LANGUAGES` before
-- writing it; the constraint is the last guard.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (language IN (''fr'', ''en''))',
                          'CHECK (language IN (''fr'', ''en'', ''pt'', ''ar''))')
 WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_bump (x);
DROP TABLE schema_bump;
