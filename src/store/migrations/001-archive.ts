/**
 * Migration 1: the archive (sources, messages, raw packs, people, threads, subjects, trailers,
 * commits, documents, problems). docs/schema.md documents every column.
 */
import type { Migration } from './migration.ts';

export const archive: Migration = {
  version: 1,
  name: 'archive',
  sql: `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT
);

-- Every input: a file path as given, a directory (Maildir, public-inbox epoch), a git range, a URL.
CREATE TABLE sources (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL,
  location      TEXT NOT NULL,
  path          TEXT,
  sha256        TEXT,
  size          INTEGER,
  status        TEXT NOT NULL DEFAULT 'partial' CHECK (status IN ('partial', 'complete')),
  message_count INTEGER NOT NULL DEFAULT 0,
  ingested_at   TEXT
);
CREATE INDEX sources_location ON sources(location, kind);
CREATE INDEX sources_path ON sources(path, kind);

CREATE TABLE people (
  id           INTEGER PRIMARY KEY,
  name         TEXT,
  primary_addr TEXT
);

CREATE TABLE person_addresses (
  person_id  INTEGER NOT NULL REFERENCES people(id),
  addr       TEXT NOT NULL UNIQUE,
  obfuscated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX person_addresses_person ON person_addresses(person_id);

-- Every name a person was seen with (display names vary: "Michal Hocko", "Michal Hocko (SUSE)").
CREATE TABLE person_names (
  person_id INTEGER NOT NULL REFERENCES people(id),
  name      TEXT NOT NULL,
  key       TEXT NOT NULL,
  PRIMARY KEY (person_id, key)
);
CREATE INDEX person_names_key ON person_names(key);

CREATE TABLE threads (
  id              INTEGER PRIMARY KEY,
  root_message_id INTEGER NOT NULL,
  subject         TEXT,
  message_count   INTEGER NOT NULL,
  first_date      TEXT,
  last_date       TEXT
);

CREATE TABLE messages (
  id                INTEGER PRIMARY KEY,
  message_id        TEXT NOT NULL UNIQUE,
  thread_id         INTEGER,
  parent_id         INTEGER REFERENCES messages(id),
  parent_reason     TEXT,
  subject           TEXT,
  author_id         INTEGER REFERENCES people(id),
  from_name         TEXT,
  from_addr         TEXT,
  date              TEXT,
  body              TEXT,
  is_ghost          INTEGER NOT NULL DEFAULT 0,
  id_kind           TEXT NOT NULL DEFAULT 'header' CHECK (id_kind IN ('header', 'synthetic', 'reused', 'ghost')),
  header_message_id TEXT,
  date_raw          TEXT,
  date_approx       INTEGER NOT NULL DEFAULT 0,
  subject_norm      TEXT,
  content_sha256    TEXT,
  list_id           TEXT,
  html_only         INTEGER NOT NULL DEFAULT 0,
  attribution       TEXT
);
CREATE INDEX messages_thread ON messages(thread_id, date);
CREATE INDEX messages_parent ON messages(parent_id);
CREATE INDEX messages_author ON messages(author_id, date);
CREATE INDEX messages_date ON messages(date);
CREATE INDEX messages_subject_norm ON messages(subject_norm);
CREATE INDEX messages_content ON messages(content_sha256);

-- Raw bytes of every message exactly as its source held it (mbox From_ escaping undone), stored
-- in packs: consecutive messages compressed together, which shrinks raw mail to about a quarter
-- (mail headers repeat from message to message). message_raw says where in which pack a message is.
CREATE TABLE raw_packs (
  id          INTEGER PRIMARY KEY,
  compression TEXT NOT NULL CHECK (compression IN ('none', 'deflate')),
  size        INTEGER NOT NULL,
  data        BLOB NOT NULL
);

CREATE TABLE message_raw (
  message_id INTEGER PRIMARY KEY REFERENCES messages(id),
  format     TEXT NOT NULL DEFAULT 'rfc822',
  pack_id    INTEGER NOT NULL REFERENCES raw_packs(id),
  offset     INTEGER NOT NULL,
  size       INTEGER NOT NULL,
  sha256     TEXT NOT NULL
);
CREATE INDEX message_raw_sha ON message_raw(sha256);

-- Other copies of a stored message whose bytes differ (the same mail from lore and from another
-- archive, a hypermail page of a message also held as raw mail): kept so every source can be
-- re-exported byte for byte.
CREATE TABLE message_copies (
  message_id INTEGER NOT NULL REFERENCES messages(id),
  source_id  INTEGER NOT NULL REFERENCES sources(id),
  offset     INTEGER NOT NULL,
  format     TEXT NOT NULL,
  pack_id    INTEGER NOT NULL REFERENCES raw_packs(id),
  pack_offset INTEGER NOT NULL,
  size       INTEGER NOT NULL,
  sha256     TEXT NOT NULL,
  PRIMARY KEY (message_id, sha256)
);
CREATE INDEX message_copies_sha ON message_copies(sha256);

-- Threading headers as written (In-Reply-To, then References in order).
CREATE TABLE message_refs (
  message_id INTEGER NOT NULL REFERENCES messages(id),
  kind       TEXT NOT NULL CHECK (kind IN ('in-reply-to', 'references')),
  seq        INTEGER NOT NULL,
  ref_id     INTEGER NOT NULL REFERENCES messages(id),
  PRIMARY KEY (message_id, kind, seq)
);
CREATE INDEX message_refs_ref ON message_refs(ref_id);

CREATE TABLE message_sources (
  message_id INTEGER NOT NULL REFERENCES messages(id),
  source_id  INTEGER NOT NULL REFERENCES sources(id),
  offset     INTEGER NOT NULL,
  locator    TEXT,
  envelope   TEXT,
  raw_sha256 TEXT,
  PRIMARY KEY (source_id, offset, message_id)
);
CREATE INDEX message_sources_message ON message_sources(message_id);

CREATE TABLE subjects (
  message_id        INTEGER PRIMARY KEY REFERENCES messages(id),
  title             TEXT NOT NULL,
  normalised        TEXT NOT NULL,
  is_reply          INTEGER NOT NULL,
  is_patch          INTEGER NOT NULL,
  is_rfc            INTEGER NOT NULL,
  is_resend         INTEGER NOT NULL,
  revision          INTEGER NOT NULL,
  revision_inferred INTEGER NOT NULL,
  counter           INTEGER NOT NULL,
  expected          INTEGER NOT NULL,
  counter_inferred  INTEGER NOT NULL,
  prefixes          TEXT NOT NULL
);

CREATE TABLE trailers (
  message_id INTEGER NOT NULL REFERENCES messages(id),
  seq        INTEGER NOT NULL,
  name       TEXT NOT NULL,
  value      TEXT NOT NULL,
  person_id  INTEGER REFERENCES people(id),
  addr       TEXT,
  PRIMARY KEY (message_id, seq)
);
CREATE INDEX trailers_name ON trailers(name, person_id);

CREATE TABLE attachments (
  message_id   INTEGER NOT NULL REFERENCES messages(id),
  seq          INTEGER NOT NULL,
  filename     TEXT,
  content_type TEXT NOT NULL,
  size         INTEGER NOT NULL,
  text         TEXT,
  PRIMARY KEY (message_id, seq)
);

CREATE TABLE commits (
  id             INTEGER PRIMARY KEY,
  hash           TEXT NOT NULL UNIQUE,
  author_id      INTEGER REFERENCES people(id),
  author_name    TEXT,
  author_addr    TEXT,
  author_date    TEXT,
  committer_name TEXT,
  committer_addr TEXT,
  commit_date    TEXT,
  subject        TEXT NOT NULL,
  body           TEXT NOT NULL,
  diff           TEXT,
  complete       INTEGER NOT NULL DEFAULT 1,
  posted_as      TEXT,
  notes          TEXT
);

CREATE TABLE commit_trailers (
  commit_id INTEGER NOT NULL REFERENCES commits(id),
  seq       INTEGER NOT NULL,
  name      TEXT NOT NULL,
  value     TEXT NOT NULL,
  person_id INTEGER REFERENCES people(id),
  addr      TEXT,
  PRIMARY KEY (commit_id, seq)
);

CREATE TABLE commit_sources (
  commit_id INTEGER NOT NULL REFERENCES commits(id),
  source_id INTEGER NOT NULL REFERENCES sources(id),
  offset    INTEGER NOT NULL,
  PRIMARY KEY (source_id, offset, commit_id)
);

-- Documentation texts (e.g. cgroup-v2.rst entries) that decision records cite.
CREATE TABLE documents (
  id        INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  title     TEXT NOT NULL,
  url       TEXT,
  sha256    TEXT NOT NULL UNIQUE,
  text      TEXT NOT NULL
);

-- What could not be ingested, or was ingested with damage: one row per problem, never fatal.
CREATE TABLE ingest_problems (
  id         INTEGER PRIMARY KEY,
  source_id  INTEGER REFERENCES sources(id),
  offset     INTEGER,
  message_id INTEGER REFERENCES messages(id),
  severity   TEXT NOT NULL CHECK (severity IN ('skipped', 'warning')),
  code       TEXT NOT NULL,
  detail     TEXT NOT NULL
);
CREATE INDEX ingest_problems_source ON ingest_problems(source_id, offset);
`,
};
