/**
 * Migration 2: the argument graph (segments, claims, edges, topics, series and patches, commit
 * links, objection status). docs/schema.md, section "Argument graph", documents every column.
 *
 * Text is never stored twice: `segment_spans` and `claim_rows` keep UTF-8 byte offsets into
 * `messages.body`, and the public `segments` and `claims` views cut the text out on read.
 */
import type { Migration } from './migration.ts';

export const graph: Migration = {
  version: 2,
  name: 'graph',
  sql: `
-- Typed spans of every message body (own text, quotes, attribution, snip, signature, trailer
-- blocks, change logs, diffstat, per-file diffs). start/end are UTF-8 byte offsets into the body.
CREATE TABLE segment_spans (
  id                INTEGER PRIMARY KEY,
  message_id        INTEGER NOT NULL REFERENCES messages(id),
  seq               INTEGER NOT NULL,
  kind              TEXT NOT NULL,
  depth             INTEGER NOT NULL,
  start             INTEGER NOT NULL,
  "end"             INTEGER NOT NULL,
  para              INTEGER,
  file              TEXT,
  source_message_id INTEGER REFERENCES messages(id),
  source_segment_id INTEGER,
  confidence        REAL,
  method            TEXT
);
CREATE INDEX segment_spans_message ON segment_spans(message_id, seq);
CREATE INDEX segment_spans_source ON segment_spans(source_segment_id) WHERE source_segment_id IS NOT NULL;

CREATE VIEW segments AS
SELECT s.id, s.message_id, s.seq, s.kind, s.depth, s.start, s."end",
       CAST(substr(CAST(m.body AS BLOB), s.start + 1, s."end" - s.start) AS TEXT) AS text,
       s.source_message_id, s.source_segment_id, s.confidence, s.method, s.para, s.file
FROM segment_spans s JOIN messages m ON m.id = s.message_id;

-- Claims: every own-text paragraph (kind 'para', cited as MESSAGE-ID#pN) and every trailer line
-- (kind 'trailer', MESSAGE-ID#tN). stance is final (curated overrides win); rule_stance is what
-- the rules alone said.
CREATE TABLE claim_rows (
  id            INTEGER PRIMARY KEY,
  message_id    INTEGER NOT NULL REFERENCES messages(id),
  segment_id    INTEGER NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('para', 'trailer')),
  n             INTEGER NOT NULL,
  start         INTEGER NOT NULL,
  "end"         INTEGER NOT NULL,
  author_id     INTEGER REFERENCES people(id),
  stance        TEXT NOT NULL,
  stance_reason TEXT NOT NULL,
  confidence    REAL NOT NULL,
  rule_stance   TEXT NOT NULL,
  UNIQUE (message_id, kind, n)
);
CREATE INDEX claim_rows_stance ON claim_rows(stance, author_id);

CREATE VIEW claims AS
SELECT c.id, c.message_id, c.segment_id, c.author_id,
       CAST(substr(CAST(m.body AS BLOB), c.start + 1, c."end" - c.start) AS TEXT) AS text,
       c.stance, c.stance_reason, c.confidence,
       m.message_id || '#' || (CASE c.kind WHEN 'para' THEN 'p' ELSE 't' END) || c.n AS key,
       c.kind, c.n, c.rule_stance
FROM claim_rows c JOIN messages m ON m.id = c.message_id;

-- src replies to dst. relation: responds-to, supports, objects-to, asks, answers, concedes,
-- proposes-alternative, acks, nacks, implements, supersedes.
CREATE TABLE edges (
  src_claim_id INTEGER NOT NULL,
  dst_claim_id INTEGER NOT NULL,
  relation     TEXT NOT NULL,
  evidence     TEXT,
  PRIMARY KEY (src_claim_id, dst_claim_id, relation)
) WITHOUT ROWID;
CREATE INDEX edges_dst ON edges(dst_claim_id, relation);

-- source: 'text' (the claim names the topic) or 'quote' (the quote it answers does).
CREATE TABLE claim_topics (
  claim_id INTEGER NOT NULL,
  topic    TEXT NOT NULL,
  source   TEXT NOT NULL,
  PRIMARY KEY (claim_id, topic)
) WITHOUT ROWID;
CREATE INDEX claim_topics_topic ON claim_topics(topic);

-- A proposal across all its postings (v1 → RESEND → v2 … vN, title changes included).
CREATE TABLE series (
  id         INTEGER PRIMARY KEY,
  title      TEXT NOT NULL,
  author_id  INTEGER REFERENCES people(id),
  first_date TEXT,
  last_date  TEXT,
  postings   INTEGER NOT NULL
);

-- Every patch, cover letter and revert posting. posting numbers the postings of a series in
-- date order; role is 'patch' or 'revert' (a revert of the series' change).
CREATE TABLE patches (
  message_id   INTEGER PRIMARY KEY REFERENCES messages(id),
  series_id    INTEGER NOT NULL REFERENCES series(id),
  version      INTEGER NOT NULL,
  part         INTEGER NOT NULL,
  total        INTEGER NOT NULL,
  is_cover     INTEGER NOT NULL,
  patch_id     TEXT,
  posting      INTEGER NOT NULL,
  is_rfc       INTEGER NOT NULL,
  is_resend    INTEGER NOT NULL,
  role         TEXT NOT NULL DEFAULT 'patch',
  chained_by   TEXT
);
CREATE INDEX patches_series ON patches(series_id, posting, part);
CREATE INDEX patches_patch_id ON patches(patch_id) WHERE patch_id IS NOT NULL;

CREATE TABLE commit_links (
  commit_hash TEXT NOT NULL,
  message_id  INTEGER NOT NULL REFERENCES messages(id),
  method      TEXT NOT NULL,
  confidence  REAL NOT NULL,
  PRIMARY KEY (commit_hash, message_id, method)
) WITHOUT ROWID;
CREATE INDEX commit_links_message ON commit_links(message_id);

-- How each objection ended: addressed, rebutted, conceded, withdrawn or open, with evidence.
CREATE TABLE objections (
  claim_id            INTEGER PRIMARY KEY,
  status              TEXT NOT NULL CHECK (status IN ('addressed', 'rebutted', 'conceded', 'withdrawn', 'open')),
  evidence_claim_id   INTEGER,
  evidence_message_id INTEGER REFERENCES messages(id),
  evidence            TEXT NOT NULL
);
CREATE INDEX objections_status ON objections(status);
`,
};
