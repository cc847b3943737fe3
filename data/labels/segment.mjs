#!/usr/bin/env node
// Mechanics only for the hand-labelled gold set (docs/labelling.md): split a decoded
// message (../shared/corpus/text/*.txt) into own-text paragraphs, trailer lines and
// quote blocks per the paragraph rule, and print keys (message_id, para, prefix).
// It assigns no stance and resolves no quote: those columns are filled by a human.
//
//   node data/labels/segment.mjs FILE...             # TSV rows: kind, message_id, n, depth, prefix
//   node data/labels/segment.mjs --view FILE...      # every body line tagged with its class / pN / qN
//   node data/labels/segment.mjs --skeleton FILE...  # stance.tsv rows to fill in (stance column empty,
//                                                    # trailer rows pre-filled by the trailer mapping)
//   node data/labels/segment.mjs --quotes FILE...    # quotes.tsv rows to fill in (source column empty)
import { readFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';

// The paragraph rule itself is not written here: it is src/mail/owntext.ts, the one definition
// that the argument graph, decision records and search use too, so a label's (message_id, para)
// key is by construction the graph's claim key. tsx lets this plain script load the TypeScript.
register();
const owntext = await import('../../src/mail/owntext.ts');

export function collapse(s) {
  return s.replace(/\s+/g, ' ').trim();
}
export const prefix60 = (s) => collapse(s).slice(0, 60);
export const quoteDepth = (line) => owntext.quoteDepth(line);
const stripQuote = (line) => owntext.stripQuote(line).trim();

export function parseMessage(text) {
  const lines = text.split(/\r?\n/);
  const headerEnd = lines.indexOf('');
  const headers = {};
  for (const l of lines.slice(0, headerEnd)) {
    const m = /^([\w-]+):\s*(.*)$/.exec(l);
    if (m) headers[m[1].toLowerCase()] = m[2];
  }
  const messageId = (headers['message-id'] ?? '').replace(/^<|>$/g, '');
  const body = lines.slice(headerEnd + 1);
  return { messageId, headers, body };
}

// Classify every body line: own | blank | quote | attr | snip | trailer | sig | patch
export function classify(body) {
  return owntext.classifyLines(body).cls;
}

export function segment(text) {
  const { messageId, headers, body } = parseMessage(text);
  const cls = classify(body);
  const paras = [];
  const trailers = [];
  const quotes = [];
  let cur = null;
  let q = null;
  for (let i = 0; i < body.length; i++) {
    const c = cls[i];
    if (c === 'own') {
      if (!cur) {
        cur = { n: paras.length + 1, start: i, lines: [] };
        paras.push(cur);
      }
      cur.lines.push(body[i]);
    } else cur = null;
    if (c === 'trailer') trailers.push({ line: i, text: collapse(body[i]) });
    if (c === 'quote') {
      const d = quoteDepth(body[i]);
      if (!q || q.depth !== d) {
        q = { n: quotes.length + 1, depth: d, start: i, lines: [] };
        quotes.push(q);
      }
      q.lines.push(stripQuote(body[i]));
    } else q = null;
  }
  for (const p of paras) p.prefix = prefix60(p.lines.join(' '));
  for (const b of quotes) b.prefix = prefix60(b.lines.join(' '));
  return { messageId, headers, body, cls, paras, trailers, quotes };
}

export function trailerStance(line) {
  if (/^(Acked-by|Reviewed-by|Tested-by):/i.test(line)) return 'acks';
  if (/^Nacked-by:/i.test(line)) return 'nacks';
  return 'neutral';
}

function main(argv) {
  const mode = argv[0]?.startsWith('--') ? argv[0] : '';
  const files = mode ? argv.slice(1) : argv;
  const view = mode === '--view';
  const out = [];
  for (const f of files) {
    const s = segment(readFileSync(f, 'utf8'));
    if (mode === '--skeleton') {
      const items = [
        ...s.paras.map((p) => ({ at: p.start, row: [s.messageId, p.n, p.prefix, '', ''] })),
        ...s.trailers.map((t) => ({
          at: t.line,
          row: [s.messageId, 't', t.text, trailerStance(t.text), 'trailer line'],
        })),
      ].sort((a, b) => a.at - b.at);
      for (const it of items) out.push(it.row.join('\t'));
      continue;
    }
    if (mode === '--quotes') {
      for (const b of s.quotes)
        if (b.prefix) out.push([s.messageId, b.n, b.depth, b.prefix, '', ''].join('\t'));
      continue;
    }
    if (view) {
      out.push(`##### ${f}\n##### ${s.messageId}  irt=${s.headers['in-reply-to'] ?? ''}`);
      const pAt = new Map(s.paras.map((p) => [p.start, p.n]));
      const qAt = new Map(s.quotes.map((b) => [b.start, b]));
      let inPatch = false;
      s.body.forEach((l, i) => {
        const c = s.cls[i];
        if (c === 'patch' || c === 'sig') {
          if (!inPatch) out.push(`      [${c} omitted: ${s.body.length - i} lines]`);
          inPatch = true;
          return;
        }
        let tag = c === 'own' ? '    ' : c.slice(0, 4);
        if (pAt.has(i)) tag = `p${pAt.get(i)}`.padEnd(4);
        if (qAt.has(i)) tag = `q${qAt.get(i).n}d${qAt.get(i).depth}`;
        // long quote blocks are elided in the reading view (first 8 and last 4 lines kept)
        const blk = s.quotes.find((b) => i >= b.start && i < b.start + b.lines.length);
        if (c === 'quote' && blk && blk.lines.length > 14) {
          const k = i - blk.start;
          if (k === 8) out.push(`      ... [${blk.lines.length - 12} quoted lines elided]`);
          if (k >= 8 && k < blk.lines.length - 4) return;
        }
        out.push(`${tag.padEnd(6)}|${l}`);
      });
    } else {
      for (const p of s.paras) out.push(['para', s.messageId, p.n, '', p.prefix].join('\t'));
      for (const t of s.trailers) out.push(['trailer', s.messageId, 't', '', t.text].join('\t'));
      for (const b of s.quotes) out.push(['quote', s.messageId, b.n, b.depth, b.prefix].join('\t'));
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
