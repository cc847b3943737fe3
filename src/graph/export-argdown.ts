/**
 * Argdown export: one statement per claim, titled by its claim key, with the claims that reply to
 * it listed under it as Argdown relations (`+` supports, `-` attacks). Argdown has no relation for
 * questions, answers or plain responses; those are written as comments so the map stays valid.
 * https://argdown.org/syntax/ — statements `[title]: text`, relations indented below.
 */
import type { GraphExport } from './export-json.ts';

const ATTACK = new Set(['objects-to', 'nacks', 'proposes-alternative']);
const SUPPORT = new Set(['supports', 'acks', 'concedes', 'answers', 'implements']);

/** Argdown titles may not contain brackets; keys never do, but be safe. */
function title(key: string): string {
  return key.replace(/[[\]]/g, '');
}

/** Statement text on one line, without characters Argdown would read as syntax at the start. */
function clean(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[-+<>#[\]_*]+\s*/, '');
}

/** Tags: `#(objects-to)`, `#(memory.high)` — parenthesised so dots and `=` are allowed. */
function tags(list: string[]): string {
  return list.map((t) => `#(${t.replace(/[()]/g, '')})`).join(' ');
}

/** Convert an exported graph to Argdown text. */
export function toArgdown(g: GraphExport): string {
  const out: string[] = [];
  out.push('===');
  out.push(`title: ${JSON.stringify(`argmap: ${g.scope.title ?? g.scope.kind + ' ' + g.scope.id}`)}`);
  out.push('===');
  out.push('');
  out.push(`// exported by argmap from the ${g.scope.kind} ${g.scope.id}; claim keys are MESSAGE-ID#pN`);
  out.push('');
  const incoming = new Map<string, typeof g.edges>();
  for (const e of g.edges) (incoming.get(e.to) ?? incoming.set(e.to, []).get(e.to)!).push(e);
  let lastMessage = '';
  for (const c of g.claims) {
    if (c.messageId !== lastMessage) {
      lastMessage = c.messageId;
      out.push(`// ${c.date?.slice(0, 10) ?? '?'} ${c.author ?? '?'} <${c.messageId}>`);
    }
    const t = tags([c.stance, ...(c.status ? [`status: ${c.status}`] : []), ...c.topics]);
    out.push(`[${title(c.key)}]: ${clean(c.text)} ${t}`.trimEnd());
    for (const e of incoming.get(c.key) ?? []) {
      if (ATTACK.has(e.relation)) out.push(`  - [${title(e.from)}]`);
      else if (SUPPORT.has(e.relation)) out.push(`  + [${title(e.from)}]`);
      else out.push(`  // ${e.relation}: [${title(e.from)}]`);
    }
    out.push('');
  }
  return out.join('\n');
}
