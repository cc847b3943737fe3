/**
 * Rebuilds the mail fixtures in test/fixtures/ from ../shared (read-only material outside the
 * project). The fixtures are committed; this script documents exactly where each came from and
 * lets a maintainer regenerate them. Run: node --import tsx scripts/make-fixtures.ts
 */
import {
  createReadStream,
  mkdirSync,
  writeFileSync,
  copyFileSync,
  readFileSync,
  readdirSync,
  chmodSync,
} from 'node:fs';
import { simpleParser } from 'mailparser';
import { createGunzip } from 'node:zlib';
import { join } from 'node:path';
import { readMbox, writeMboxrdMessage } from '../src/mail/mbox.ts';
import { readThreadingHeaders } from '../src/ingest/headers.ts';
import { SERIES_THREADS } from '../test/helpers/series-fixtures.ts';
import { extractThreads } from '../src/ingest/extract.ts';
import { tsvRows } from '../src/util/tsv.ts';
import { bodyLines, esc, headComments } from './hypermail-page.ts';

const SHARED = process.env.ARGMAP_SHARED ?? '../shared';
const OUT = 'test/fixtures';

/** Real archive messages by (year file, byte offset of the From_ line), with why each is a fixture. */
const ODDITIES: [number, number, string][] = [
  [2020, 3762031, '>From escaping in a story message (async-high-2020)'],
  [2022, 977987, 'doubly escaped >>From (quoted format-patch line)'],
  [2026, 43851180, 'a patch whose text contains >From'],
  [2020, 4916961, 'In-Reply-To id folded inside its brackets; 5 KB Original: header'],
  [2022, 4477043, 'a subject used as an id in In-Reply-To/References; empty Subject'],
  [2019, 3423408, 'In-Reply-To with trailing comment text'],
  [2024, 47597974, 'Message-ID header with trailing "(raw)"'],
  [2020, 6067536, 'Message-ID reused by a different message (first)'],
  [2020, 6324882, 'Message-ID reused by a different message (second)'],
  [2020, 11200132, 'the same message delivered twice (first)'],
  [2020, 11203548, 'the same message delivered twice (second)'],
  [2024, 2647674, 'charset="y" (git send-email prompt answer)'],
  [2025, 44301342, 'raw UTF-8 headers and body, no MIME headers'],
  [2019, 6325780, 'gbk charset'],
  [2019, 12751343, 'two-digit year in Date'],
  [2020, 4088272, 'multipart boundary that never occurs (spam)'],
  [2019, 245987, 'base64 text/plain patch mail'],
];

async function messagesAt(
  year: number,
  offsets: number[],
): Promise<Map<number, { envelope: string; raw: Buffer }>> {
  const want = new Set(offsets);
  const out = new Map<number, { envelope: string; raw: Buffer }>();
  const file = join(SHARED, 'archive', `cgroups-${year}.mbox.gz`);
  for await (const it of readMbox(createReadStream(file).pipe(createGunzip()))) {
    if (it.kind === 'message' && want.has(it.offset))
      out.set(it.offset, { envelope: it.envelope, raw: it.raw });
    if (out.size === want.size) break;
  }
  return out;
}

const SEED_ID = 'CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com';

/**
 * The seed message laid out the way hypermail 2.x writes a message page (header comments with
 * "_at_" munging and "[hidden]" domains, quote levels as spans, lines ending in "<br>"), made from
 * the raw copy in the corpus. Realistic, not a downloaded page: the project started from the
 * page's text only.
 */
async function hypermailPage(): Promise<string> {
  const mbox = readFileSync(join(SHARED, 'corpus/threads/reclaim-2020.mbox'));
  let raw: Buffer | null = null;
  for await (const it of readMbox([mbox]))
    if (it.kind === 'message' && readThreadingHeaders(it.raw).messageId === SEED_ID) raw = it.raw;
  if (!raw) throw new Error('seed message not found');
  const p = await simpleParser(raw);
  const munge = (t: string): string => t.replace(/@[\w.-]+/g, '_at_[hidden]');
  const from = (p.from?.value[0] ?? { name: '', address: '' }) as { name: string; address: string };
  // hypermail's received= is the archive's local time in ctime form; lkml.iu.edu runs on US Eastern time.
  const et = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/New_York',
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    year: 'numeric',
    hour12: false,
  }).formatToParts(new Date(p.date!.getTime() + 21_000));
  const part = (t: string): string => et.find((x) => x.type === t)!.value;
  const received = `${part('weekday')} ${part('month')} ${part('day').padStart(2, ' ')} ${part('hour')}:${part('minute')}:${part('second')} ${part('year')}`;
  const sentRaw = p.headerLines.find((h) => h.key === 'date')!.line.replace(/^Date:\s*/i, '');
  const head = [
    ...headComments({
      received,
      sent: sentRaw,
      name: from.name,
      email: from.address.replace('@', '_at_').replace(/_at_.*/, '_at_[hidden]'),
      subject: p.subject ?? '',
      id: SEED_ID.replace('@', '_at_'),
    }),
    `<!-- charset="UTF-8" -->`,
    `<!-- inreplyto="${esc(String(p.inReplyTo).replace(/[<>]/g, '').replace('@', '_at_'))}" -->`,
    `<!-- expires="-1" -->`,
  ];
  return [
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">',
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />',
    `<title>${esc(p.subject ?? '')}</title>`,
    ...head,
    '</head><body>',
    `<h1>${esc(p.subject ?? '')}</h1>`,
    `<p class="headers"><strong>From:</strong> ${esc(from.name)} (<em>${esc(from.address.replace(/@.*/, '_at_[hidden]'))}</em>)<br>`,
    `<strong>Date:</strong> ${esc(received)}</p>`,
    '<hr>',
    '<!-- body="start" -->',
    '<p>',
    ...bodyLines(p.text ?? '', munge),
    '<!-- body="end" -->',
    '<hr>',
    '</body></html>',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  mkdirSync(join(OUT, 'mbox'), { recursive: true });
  mkdirSync(join(OUT, 'pages'), { recursive: true });
  mkdirSync(join(OUT, 'eml'), { recursive: true });
  mkdirSync(join(OUT, 'commits'), { recursive: true });
  const byYear = new Map<number, number[]>();
  for (const [y, off] of ODDITIES) byYear.set(y, [...(byYear.get(y) ?? []), off]);
  const found = new Map<string, { envelope: string; raw: Buffer }>();
  for (const [y, offs] of byYear)
    for (const [off, m] of await messagesAt(y, offs)) found.set(`${y}:${off}`, m);
  const parts: Buffer[] = [];
  const index: string[] = [
    '# oddities.mbox: real archive messages, in this order (archive file, byte offset of From_ line, why)',
  ];
  for (const [y, off, why] of ODDITIES) {
    const m = found.get(`${y}:${off}`);
    if (!m) throw new Error(`message not found: ${y} ${off}`);
    parts.push(writeMboxrdMessage(m.raw, m.envelope));
    index.push(`cgroups-${y}.mbox.gz\t${off}\t${why}`);
  }
  writeFileSync(join(OUT, 'mbox', 'oddities.mbox'), Buffer.concat(parts));
  writeFileSync(join(OUT, 'mbox', 'oddities.tsv'), index.join('\n') + '\n');
  copyFileSync(join(SHARED, 'corpus/threads/reclaim-2020.mbox'), join(OUT, 'mbox', 'reclaim-2020.mbox'));
  copyFileSync(join(SHARED, 'corpus/threads/throttle-2019.mbox'), join(OUT, 'mbox', 'throttle-2019.mbox'));
  copyFileSync(
    join(SHARED, 'corpus/pages/seed-hypermail-20200922-shakeel-butt.txt'),
    join(OUT, 'pages', 'seed-hypermail.txt'),
  );
  copyFileSync(
    join(SHARED, 'corpus/text/001-20190201-throttle-2019-johannes-weiner.txt'),
    join(OUT, 'eml', 'throttle-2019-johannes-weiner.eml'),
  );
  copyFileSync(join(SHARED, 'corpus/INDEX.tsv'), join(OUT, 'INDEX.tsv'));
  // patch series across threads and versions, for the incremental graph test (test/graph/scope.test.ts)
  mkdirSync(join(OUT, 'series'), { recursive: true });
  for (const f of SERIES_THREADS)
    copyFileSync(join(SHARED, 'corpus/threads', `${f}.mbox`), join(OUT, 'series', `${f}.mbox`));
  for (const f of [
    '03-94968384dde1-memcg-introduce-per-memcg-reclaim-interface.txt',
    '05-55ab834a86a9-revert-mm-add-nodes-arg-to-memory-reclaim.txt',
  ]) {
    copyFileSync(join(SHARED, 'corpus/commits', f), join(OUT, 'commits', f));
  }
  // header-less mail and the threads it was placed into, for the incremental placement test
  // (test/thread/place-incremental.test.ts): the roots file lists the messages
  const roots = tsvRows(join(OUT, 'placement', 'orphans.roots.tsv')).map((r) => r[0]!);
  await extractThreads(
    [join(SHARED, 'archive')],
    process.cwd(),
    roots,
    join(OUT, 'placement', 'orphans.mbox'),
  );
  writeFileSync(join(OUT, 'pages', 'seed-hypermail.html'), await hypermailPage());
  for (const f of readdirSync(OUT, { recursive: true, withFileTypes: true }))
    if (f.isFile()) chmodSync(join(f.parentPath, f.name), 0o644);
  console.log(`wrote ${ODDITIES.length} oddities and the corpus copies to ${OUT}`);
}

await main();
