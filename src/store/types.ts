/**
 * What the store accepts: the shapes the ingest pipeline hands to the writer. They live here, with
 * the tables they fill, so that the store depends on nothing above it and ingest depends on the
 * store (never the reverse).
 */
import type { ParsedMessage } from '../mail/parse.ts';
import type { ParsedSubject } from '../mail/subject.ts';
import type { Trailer } from '../mail/trailers.ts';

/** The formats a stored raw message can have; each has its own parser. */
export type RawFormat = 'rfc822' | 'hypermail-text' | 'hypermail-html';

/** One raw message, parsed and with every field that needs no database worked out. */
export interface PreparedMessage {
  format: RawFormat;
  rawSha: string;
  rawSize: number;
  parsed: ParsedMessage;
  dateApprox: boolean;
  subject: ParsedSubject;
  trailers: Trailer[];
  /** The first attribution line of the body (joined if wrapped), for placing id-less messages. */
  attribution: string | null;
  /** Hash of the body with all whitespace removed: equal for the same mail from two archives. */
  contentSha: string;
}

/** One kernel commit, from any commit source. */
export interface ParsedCommit {
  /** Commit hash as given: full 40 hex digits, or an abbreviation when the source only has that. */
  hash: string;
  authorName: string;
  authorAddr: string;
  authorDate: string | null;
  committerName: string | null;
  committerAddr: string | null;
  commitDate: string | null;
  subject: string;
  /** The commit message after the subject line. */
  body: string;
  diff: string | null;
  trailers: Trailer[];
  /** False when the source only holds part of the commit (corpus excerpts). */
  complete: boolean;
  /** Message-ID of the posting the commit came from, when the source names it. */
  postedAs: string | null;
  notes: string | null;
}
