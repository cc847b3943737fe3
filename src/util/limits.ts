/**
 * Named limits for untrusted input. Mail is hostile: every one of these numbers bounds memory or
 * time that a single crafted message could otherwise take. Each limit says what it protects
 * against; docs/schema.md and docs/architecture.md list them for users.
 */

/**
 * Largest message (raw bytes) that is parsed and stored. Bigger ones are skipped with a reason and
 * stay in their source: a 100 MB "message" is almost always a mis-split mbox or an attachment bomb,
 * and parsing it would hold several copies of it in memory at once.
 */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/**
 * Largest MIME part count accepted for parsing. A 10,000-part multipart makes the MIME parser build
 * 10,000 part objects (and their headers); legitimate list mail has a handful.
 */
export const MAX_MIME_PARTS = 1000;

/** Most References entries kept per message; a References header of thousands of ids is an attack on threading. */
export const MAX_REFERENCES = 256;

/**
 * Deepest parent chain the threader follows when it walks towards a root. Chains are walked with a
 * loop, never recursion, but a cap still bounds the work per message on a crafted 1,000,000-deep chain.
 */
export const MAX_THREAD_DEPTH = 100_000;

/** Longest header section (bytes) scanned by the fast header reader used for thread extraction. */
export const MAX_HEADER_BYTES = 256 * 1024;

/** Largest decoded body stored as text; longer bodies are truncated in `messages.body` (the raw copy keeps all). */
export const MAX_BODY_CHARS = 4 * 1024 * 1024;

/** Longest single line kept when splitting an mbox before giving up on finding a From_ line in it. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

/** Deepest quote nesting (`> > > …`) that is interpreted as depth; deeper markers count as this depth. */
export const MAX_QUOTE_DEPTH = 64;

/** Largest text attachment kept as text (patch attachments); bigger ones keep metadata only. */
export const MAX_TEXT_ATTACHMENT_BYTES = 1024 * 1024;

/**
 * Words of own text compared when deciding whether an archive page is the same message as another
 * copy. Real own text is a few hundred words; a crafted page of millions would make every
 * comparison against its candidates cost that much.
 */
export const MAX_IDENTITY_WORDS = 50_000;

/**
 * Candidate parents examined for one message without threading headers. Placement looks at the
 * messages of the same subject or attributed author in the 60 days before it; a crafted archive
 * of thousands of identical subjects would otherwise make placement quadratic.
 */
export const MAX_PLACEMENT_CANDIDATES = 2_000;

/**
 * Most characters of each searchable non-own part of a body (quoted text, diff file names,
 * removed lines, added lines, hunk headers) put into the CLI's search index. A message carrying
 * a generated diff of megabytes would otherwise put all of it into the index.
 */
export const MAX_PART_CHARS = 20_000;

/**
 * Most characters of a decoded To or Cc header stored (`messages.to_addrs`, `cc_addrs`). Kernel
 * mail names a few dozen recipients (a few KB); a crafted header of a million addresses would
 * otherwise be stored and indexed whole.
 */
export const MAX_RECIPIENT_CHARS = 16 * 1024;
