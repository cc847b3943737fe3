/**
 * Every URL of the site, in one place (Datasette's url_builder). Paths are relative to the site
 * root and never need percent-encoding: identifiers from mail (Message-IDs, topics) are
 * tilde-encoded into a safe alphabet, so the same file name works on disk, from file:// and from
 * any static web server. A link from one page to another is the target path with one `../` per
 * directory the linking page sits in.
 *
 * URL scheme (docs/site.md has the full table):
 *   index.html                    home: decisions, recent threads, search box
 *   search.html?q=…               search (state in the URL)
 *   model.html#scenario=S2        the reference reclaim model
 *   feed.atom                     Atom feed of new threads
 *   d/<slug>.html                 decision record
 *   map/<slug>.html               argument map of a decision
 *   map/t/<root-msgid>.html       argument map of a thread (argument graph)
 *   t/<root-msgid>.html           whole thread; #m<hash> a message, #m<hash>-p<N> its paragraph N
 *   t/<root-msgid>.mbox.gz        the thread's raw messages as gzipped mboxrd (lore's t.mbox.gz)
 *   m/<msgid>.html, m/<msgid>.eml message page and its raw bytes
 *   p/<slug>.html                 person
 *   topic/<topic>.html            topic
 *   s/<first-root-msgid>.html     patch series across versions
 *   t/index.html, p/index.html, topic/index.html, s/index.html, d/index.html   lists
 * Each HTML page has a JSON twin at the same path with `.json`.
 */
import { createHash } from 'node:crypto';

/** Longest encoded identifier used whole in a file name; longer ones are cut and hashed. */
const MAX_NAME = 150;

/**
 * Encode an identifier for a file name: ASCII letters, digits and `._@+=-` stay, every other
 * byte becomes `~XX`. A leading dot is encoded (no hidden files, no `..`).
 */
export function encodeId(id: string): string {
  let out = '';
  for (const byte of Buffer.from(id, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9_@+=-]/.test(c) || (c === '.' && out !== '')) out += c;
    else out += '~' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  if (out === '') out = '~';
  if (out.length > MAX_NAME) out = out.slice(0, 100) + '~~' + shortHash(id, 16);
  return out;
}

/** Hex prefix of the SHA-1 of a string: stable, short identifiers for anchors. */
export function shortHash(s: string, len = 10): string {
  return createHash('sha1').update(s, 'utf8').digest('hex').slice(0, len);
}

/** A slug from free text (names, titles): lower-case ASCII letters and digits joined by `-`. */
export function slugify(s: string, max = 60): string {
  const slug = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return slug;
}

/** The anchor id of a message inside its thread page. */
export function messageAnchor(messageId: string): string {
  // A thread page names each message's anchor once per paragraph, quote and link: hash it once.
  let a = anchorCache.get(messageId);
  if (a === undefined) {
    if (anchorCache.size >= ANCHOR_CACHE_SIZE) anchorCache.clear();
    anchorCache.set(messageId, (a = 'm' + shortHash(messageId)));
  }
  return a;
}

/** Anchors remembered (a few of the largest threads' worth; emptied whole when full). */
const ANCHOR_CACHE_SIZE = 20_000;
const anchorCache = new Map<string, string>();

/** The anchor id of own-text paragraph `n` of a message. */
export function paragraphAnchor(messageId: string, n: number): string {
  return `${messageAnchor(messageId)}-p${n}`;
}

export const urls = {
  index: (): string => 'index.html',
  search: (q?: string): string => (q ? `search.html?q=${encodeURIComponent(q)}` : 'search.html'),
  model: (scenario?: string): string =>
    scenario ? `model.html#scenario=${encodeURIComponent(scenario)}` : 'model.html',
  feed: (): string => 'feed.atom',
  decisions: (): string => 'd/index.html',
  decision: (slug: string): string => `d/${encodeId(slug)}.html`,
  map: (slug: string): string => `map/${encodeId(slug)}.html`,
  /** The argument map of a thread (from the argument graph). */
  threadMap: (rootMessageId: string): string => `map/t/${encodeId(rootMessageId)}.html`,
  threads: (): string => 't/index.html',
  thread: (rootMessageId: string): string => `t/${encodeId(rootMessageId)}.html`,
  /** A thread's raw messages as one gzipped mboxrd file. */
  threadMbox: (rootMessageId: string): string => `t/${encodeId(rootMessageId)}.mbox.gz`,
  /** A message's place in its thread page. */
  inThread: (rootMessageId: string, messageId: string): string =>
    `t/${encodeId(rootMessageId)}.html#${messageAnchor(messageId)}`,
  /** Own-text paragraph `n` of a message in its thread page. */
  paragraph: (rootMessageId: string, messageId: string, n: number): string =>
    `t/${encodeId(rootMessageId)}.html#${paragraphAnchor(messageId, n)}`,
  message: (messageId: string): string => `m/${encodeId(messageId)}.html`,
  raw: (messageId: string): string => `m/${encodeId(messageId)}.eml`,
  people: (): string => 'p/index.html',
  person: (slug: string): string => `p/${encodeId(slug)}.html`,
  topics: (): string => 'topic/index.html',
  topic: (topic: string): string => `topic/${encodeId(topic)}.html`,
  seriesList: (): string => 's/index.html',
  series: (firstRootMessageId: string): string => `s/${encodeId(firstRootMessageId)}.html`,
  asset: (name: string): string => `assets/${name}`,
  /** Search data files (index shards, document chunks, the manifest). */
  searchData: (name: string): string => `search/${name}`,
  /** The JSON twin of an HTML page. */
  json: (htmlPath: string): string => htmlPath.replace(/\.html(#.*)?$/, '.json'),
};

/** Depth of a site path (number of directories). */
export function depth(path: string): number {
  const p = path.split(/[?#]/)[0]!;
  return p.split('/').length - 1;
}

/** A link from the page at `from` to the site path `to` (both relative to the site root). */
export function href(from: string, to: string): string {
  return '../'.repeat(depth(from)) + to;
}
