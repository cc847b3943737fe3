/**
 * What every page function gets: the archive, the people with their slugs, the decision records,
 * and lookups that cross threads (where a message lives, so any page can link any message).
 */
import type { DecisionRecord } from '../decisions/record.ts';
import type { AuthorRow, MessageRow, SiteData } from '../store/site-data.ts';
import { displayName } from './thread.ts';
import { slugify, urls } from './urls.ts';

/** A person who wrote in the archive, with the slug of their page. */
export interface PersonRow extends AuthorRow {
  slug: string;
}

/**
 * Every author with a stable slug: the name (or address) as a slug, numbered `-2`, `-3` … in
 * address order when two people share it.
 */
export function peopleWithSlugs(authors: AuthorRow[]): Map<number, PersonRow> {
  const next = new Map<string, number>(); // the next number to try after each base
  const taken = new Set<string>();
  const out = new Map<number, PersonRow>();
  for (const r of authors) {
    let base = slugify(r.name ?? '') || slugify((r.primaryAddr ?? '').split('@')[0] ?? '') || 'person';
    if (['index'].includes(base)) base += '-person';
    // base, then base-2, base-3 …, skipping a slug another name already has ("Wei Xu 2" is wei-xu-2)
    let slug = base;
    let n = next.get(base) ?? 1;
    while (taken.has(slug)) slug = `${base}-${++n}`;
    next.set(base, n);
    taken.add(slug);
    out.set(r.id, { ...r, slug });
  }
  return out;
}

export interface SiteContext {
  data: SiteData;
  people: Map<number, PersonRow>;
  records: DecisionRecord[];
  /** Scenarios of the reference model: id, title, expected outcome, the Message-IDs each tests. */
  scenarios: { id: string; title: string; expected: string; messageIds: string[] }[];
  /** Absolute base URL for the Atom feed, if given. */
  baseUrl?: string;
  /** Time the build started (ISO), for the feed's `updated`. */
  builtAt: string;
}

/** Where a message is shown: its thread's root Message-ID, or null for unknown messages. */
export function threadRootOf(ctx: SiteContext, m: Pick<MessageRow, 'threadId'>): string | null {
  if (m.threadId === null) return null;
  return ctx.data.thread(m.threadId)?.rootMessageId ?? null;
}

/** Site path of a message inside its thread page (falls back to the message page). */
export function messageLink(ctx: SiteContext, messageId: string): string | null {
  const m = ctx.data.message(messageId);
  if (!m) return null;
  const root = threadRootOf(ctx, m);
  return root ? urls.inThread(root, messageId) : urls.message(messageId);
}

/** Site path of own paragraph `n` of a message. */
export function paragraphLink(ctx: SiteContext, messageId: string, n: number): string | null {
  const m = ctx.data.message(messageId);
  if (!m) return null;
  const root = threadRootOf(ctx, m);
  return root ? urls.paragraph(root, messageId, n) : urls.message(messageId);
}

/** Name and page of a message's author. */
export function authorOf(ctx: SiteContext, m: MessageRow): { name: string; path: string | null } {
  const p = m.authorId !== null ? ctx.people.get(m.authorId) : undefined;
  return { name: displayName(m), path: p ? urls.person(p.slug) : null };
}

const nameCache = new WeakMap<SiteContext, Map<string, PersonRow | undefined>>();

/** Find a person by a display name as written in a record ("Michal Hocko"). Cached per build. */
export function personByName(ctx: SiteContext, name: string): PersonRow | undefined {
  const want = name.trim().toLowerCase();
  let cache = nameCache.get(ctx);
  if (!cache) nameCache.set(ctx, (cache = new Map()));
  if (cache.has(want)) return cache.get(want);
  const found = lookupName(ctx, want);
  cache.set(want, found);
  return found;
}

function lookupName(ctx: SiteContext, want: string): PersonRow | undefined {
  let best: PersonRow | undefined;
  for (const p of ctx.people.values()) {
    if ((p.name ?? '').trim().toLowerCase() === want && (!best || p.messageCount > best.messageCount))
      best = p;
  }
  if (best) return best;
  for (const id of ctx.data.personIdsByName(want)) {
    const p = ctx.people.get(id);
    if (p && (!best || p.messageCount > best.messageCount)) best = p;
  }
  return best;
}
