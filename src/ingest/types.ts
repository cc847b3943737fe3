/** What source readers produce: raw messages, commits, documents and problems, in source order. */
import type { ParsedCommit, RawFormat } from '../store/types.ts';

export type SourceKind =
  | 'mbox'
  | 'eml'
  | 'maildir'
  | 'public-inbox'
  | 'hypermail-text'
  | 'hypermail-html'
  | 'commit-text'
  | 'git-repo'
  | 'document';

export interface RawItem {
  kind: 'message';
  format: RawFormat;
  /** Byte offset in the source (mbox, decompressed), or sequence number (Maildir file, public-inbox commit). */
  offset: number;
  /** Where inside the source: Maildir file name, public-inbox commit hash. */
  locator?: string;
  /** mbox From_ line, kept so an export can reproduce the source. */
  envelope?: string;
  raw: Buffer;
}

export interface CommitItem {
  kind: 'commit';
  offset: number;
  commit: ParsedCommit;
}

export interface DocumentItem {
  kind: 'document';
  offset: number;
  title: string;
  url: string | null;
  text: string;
}

export interface ProblemItem {
  kind: 'problem';
  offset: number;
  code: string;
  detail: string;
}

export type SourceItem = RawItem | CommitItem | DocumentItem | ProblemItem;

/** A recognised input, ready to be read. */
export interface SourceSpec {
  kind: SourceKind;
  /** The location as the user gave it (or as found by walking a directory given by the user). */
  location: string;
  /** Absolute path on disk. */
  path: string;
  /** For git repositories: the revision range and path filter. */
  git?: { range: string | null; paths: string[] };
}
