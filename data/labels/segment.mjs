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

const QUOTE = /^ {0,3}>/;
const SNIP = /^\s*(\[\.\.\.\]|\[…\]|\[snip\]|<snip>|\.\.\.)\s*$/i;
const TRAILER =
  /^(Signed-off-by|Acked-by|Reviewed-by|Tested-by|Nacked-by|Co-developed-by|Suggested-by|Reported-by|Link|Fixes|Cc):\s/i;
// One-line attributions: "On <date>, X wrote:", "X <addr> writes:", "Quoting X (...):",
// "Am ... schrieb X:", "在 <date>, X 写道:".
const ATTR_ONE = [
  /^\s*On\s.*\b(wrote|writes)\s*:\s*$/i,
  /^\s*\S.*\b(wrote|writes)\s*:\s*$/i,
  /^\s*Quoting\s.*\(.*\):\s*$/,
  /^\s*Am\s.*\bschrieb\b.*:\s*$/,
  /^\s*在.*写道\s*[:：]\s*$/,
];
const isAttr = (l) => ATTR_ONE.some((re) => re.test(l));

export function collapse(s) {
  return s.replace(/\s+/g, ' ').trim();
}
export const prefix60 = (s) => collapse(s).slice(0, 60);

export function quoteDepth(line) {
  const m = /^ {0,3}((?:>\s?)+)/.exec(line);
  return m ? (m[1].match(/>/g) ?? []).length : 0;
}
function stripQuote(line) {
  return line.replace(/^ {0,3}(?:>\s?)+/, '').trim();
}

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
  const cls = body.map(() => 'own');
  let end = body.length;
  // signature: from a line exactly "-- " to the end
  const sig = body.findIndex((l) => l === '-- ');
  // patch part: first "---" followed (next non-blank line) by diffstat/diff, or diff --git / Index:
  let patch = -1;
  for (let i = 0; i < body.length; i++) {
    const l = body[i];
    if (/^diff --git /.test(l) || /^Index: /.test(l)) {
      patch = i;
      break;
    }
    if (l === '---') {
      const next = body.slice(i + 1).find((x) => x.trim() !== '') ?? '';
      if (/^\s*\S+\s+\|\s+(\d+|Bin)/.test(next) || /^diff /.test(next)) {
        patch = i;
        break;
      }
    }
  }
  for (const cut of [sig, patch]) if (cut >= 0 && cut < end) end = cut;
  for (let i = end; i < body.length; i++) cls[i] = end === sig ? 'sig' : 'patch';
  for (let i = 0; i < end; i++) {
    const l = body[i];
    if (QUOTE.test(l)) cls[i] = 'quote';
    else if (l.trim() === '') cls[i] = 'blank';
    else if (SNIP.test(l)) cls[i] = 'snip';
    else if (TRAILER.test(l)) cls[i] = 'trailer';
    else if (isAttr(l)) cls[i] = 'attr';
  }
  // wrapped attribution over two lines: "On <date>, X" + "<addr> wrote:" (or similar)
  for (let i = 0; i + 1 < end; i++) {
    if (
      cls[i] === 'own' &&
      cls[i + 1] === 'attr' &&
      /^\s*On\s/.test(body[i]) &&
      !/^\s*On\s/.test(body[i + 1])
    )
      cls[i] = 'attr';
  }
  return cls;
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
