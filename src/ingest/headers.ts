/**
 * A fast reader of the threading headers only (Message-ID, In-Reply-To, References), for passes
 * that must look at every message of a large archive without decoding MIME (thread extraction).
 */
import { MAX_HEADER_BYTES } from '../util/limits.ts';
import { findRoot } from '../util/union-find.ts';
import { extractMsgIds, firstMsgId } from '../mail/msgid.ts';

export interface ThreadingHeaders {
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
}

export function readThreadingHeaders(raw: Buffer): ThreadingHeaders {
  let end = raw.indexOf('\n\n', 0, 'latin1');
  const crlf = raw.indexOf('\r\n\r\n', 0, 'latin1');
  if (crlf >= 0 && (end < 0 || crlf < end)) end = crlf;
  if (end < 0 || end > MAX_HEADER_BYTES) end = Math.min(raw.length, MAX_HEADER_BYTES);
  const head = raw.toString('latin1', 0, end).replace(/\r?\n[ \t]+/g, ' ');
  const get = (name: string): string[] => {
    const out: string[] = [];
    const re = new RegExp(`^${name}:(.*)$`, 'gim');
    for (const m of head.matchAll(re)) out.push(m[1]!);
    return out;
  };
  return {
    messageId: firstMsgId(get('Message-ID')[0]),
    inReplyTo: extractMsgIds(get('In-Reply-To').join(' ')),
    references: extractMsgIds(get('References').join(' ')),
  };
}

/**
 * Union-find over Message-IDs: every id a message names (its own, In-Reply-To, References) joins
 * one component, as lore's thread mbox does. Memory is a map entry per distinct id.
 */
export class IdComponents {
  private index = new Map<string, number>();
  private parent: number[] = [];

  private idx(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.parent.length;
      this.index.set(id, i);
      this.parent.push(i);
    }
    return i;
  }

  private find(i: number): number {
    return findRoot(this.parent, i);
  }

  add(h: ThreadingHeaders): void {
    const ids = [h.messageId, ...h.inReplyTo, ...h.references].filter((x): x is string => !!x);
    if (!ids.length) return;
    const a = this.find(this.idx(ids[0]!));
    for (let k = 1; k < ids.length; k++) {
      const b = this.find(this.idx(ids[k]!));
      if (a !== b) this.parent[b] = a;
    }
  }

  /** Every id in the components of the given ids (ids never seen are returned as themselves). */
  closure(roots: string[]): Set<string> {
    const comps = new Set<number>();
    for (const r of roots) {
      const i = this.index.get(r);
      if (i !== undefined) comps.add(this.find(i));
    }
    const out = new Set<string>(roots);
    for (const [id, i] of this.index) if (comps.has(this.find(i))) out.add(id);
    return out;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }
}
