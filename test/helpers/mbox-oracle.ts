/**
 * A naive reading of an mboxrd fixture's headers, as a person would read them: split at the
 * `From mboxrd@z` lines, unfold the header block, take Message-ID, In-Reply-To, From and Subject.
 * It shares no code with src/, so tests can hold the ingester's results against it.
 */
import { readFileSync } from 'node:fs';

/** The headers of one fixture message that the tests compare with the archive. */
export interface OracleMessage {
  messageId: string;
  inReplyTo: string | null;
  fromName: string;
  fromAddr: string;
  subject: string;
  /** The Date header as written. */
  date: string;
}

/** Every message of an mboxrd file, in file order. */
export function oracleMessages(file: string): OracleMessage[] {
  const text = readFileSync(file, 'latin1');
  const out: OracleMessage[] = [];
  for (const chunk of text.split(/^From mboxrd@z .*\n/m).slice(1)) {
    const head = chunk.slice(0, chunk.indexOf('\n\n')).replace(/\n[ \t]+/g, ' ');
    const h = new Map<string, string>();
    for (const line of head.split('\n')) {
      const i = line.indexOf(':');
      const k = line.slice(0, i).toLowerCase();
      if (i > 0 && !h.has(k)) h.set(k, line.slice(i + 1).trim());
    }
    const from = /^(.*?)\s*<([^>]+)>$/.exec(h.get('from') ?? '');
    const id = (k: string): string | null => /<([^>]+)>/.exec(h.get(k) ?? '')?.[1] ?? null;
    out.push({
      messageId: id('message-id')!,
      inReplyTo: id('in-reply-to'),
      fromName: from?.[1]?.replace(/^"|"$/g, '') ?? '',
      fromAddr: from?.[2] ?? h.get('from') ?? '',
      subject: h.get('subject') ?? '',
      date: h.get('date') ?? '',
    });
  }
  return out;
}

/** Reply order by hand: depth first from each root, children by their Date header. */
export function oracleOrder(mail: OracleMessage[]): { id: string; depth: number }[] {
  const kids = new Map<string | null, OracleMessage[]>();
  for (const m of mail) kids.set(m.inReplyTo, [...(kids.get(m.inReplyTo) ?? []), m]);
  for (const v of kids.values()) v.sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
  const out: { id: string; depth: number }[] = [];
  const stack = (kids.get(null) ?? []).map((m) => ({ m, depth: 0 })).reverse();
  while (stack.length) {
    const { m, depth } = stack.pop()!;
    out.push({ id: m.messageId, depth });
    for (const k of [...(kids.get(m.messageId) ?? [])].reverse()) stack.push({ m: k, depth: depth + 1 });
  }
  return out;
}
