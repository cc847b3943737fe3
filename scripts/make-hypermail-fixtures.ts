/**
 * Builds the golden fixtures of test/thread/place.test.ts in test/fixtures/hypermail/ from the
 * bundled archive (data/archive/threads.mbox): one sub-thread of the 2022 memory.reclaim resend
 * (Wei Xu and Huang Ying, 31 Mar – 8 Apr 2022) as raw mail, and some of Wei Xu's replies laid out
 * as lkml.iu.edu hypermail pages: the page text (subject, `From: Name`, `Date: … EST` in US Eastern
 * time, addresses shown as `user@xxxxxxxx`) and one as a saved HTML page. The fixtures are
 * committed; this script documents how they were made. Run:
 *   node --import tsx scripts/make-hypermail-fixtures.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { readMbox, writeMboxrdMessage } from '../src/mail/mbox.ts';
import { readThreadingHeaders } from '../src/ingest/headers.ts';
import { bodyLines, esc, headComments } from './hypermail-page.ts';

const OUT = 'test/fixtures/hypermail';

/** The sub-thread, root first; see test/fixtures/README.md for who wrote what. */
export const SUBTHREAD = [
  '20220331084151.2600229-1-yosryahmed@google.com', // the RESEND (root)
  'YkcEMdsi9G5y8mX4@dhcp22.suse.cz', // Michal Hocko
  'CAAPL-u_i-Mp-Bo7LtP_4aJscY=1JHG_y1H_-A7N_HRAgtz+arg@mail.gmail.com', // Wei Xu
  '87y20nzyw4.fsf@yhuang6-desk2.ccr.corp.intel.com', // Huang Ying
  'CAAPL-u_zLTs6cMSN8sOtktCHKncfSWo+qWxXU7_iL3hhwhL8QA@mail.gmail.com', // Wei Xu
  'CAAPL-u8wjtBRE7KZyZjoQ0eTJecnW35uEXAE3KU0M+AvL=5-ug@mail.gmail.com', // Wei Xu
  '87o81fujdc.fsf@yhuang6-desk2.ccr.corp.intel.com', // Huang Ying
  'CAAPL-u_6XqQYtLAMNFvEo+0XU2VR=XYm0T9btL=g6rVVW2h93w@mail.gmail.com', // Wei Xu, 6 Apr 01:07 UTC
  '87bkxfudrk.fsf@yhuang6-desk2.ccr.corp.intel.com', // Huang Ying
  'CAAPL-u_FVEVE+wTBNYfDibLVKsRuOwEnpigYYRiZ2MbeUs1u8w@mail.gmail.com', // Wei Xu, 6 Apr 05:02 UTC
  '877d82vi13.fsf@yhuang6-desk2.ccr.corp.intel.com', // Huang Ying
  'CAAPL-u8u77yazFpc2R216j6ObAiANb0Lfxt7DcT9P=3eg60u9Q@mail.gmail.com', // Wei Xu, 6 Apr 07:05 UTC
  '8735iqvbov.fsf@yhuang6-desk2.ccr.corp.intel.com', // Huang Ying
  'CAAPL-u8tHSPe03bDuU3+mXbEU-3dKgYQt=jFOHdMq8kwjQmGqQ@mail.gmail.com', // Wei Xu, 6 Apr 20:16 UTC
];

/** `Www Mmm DD YYYY - HH:MM:SS` in US Eastern time, as lkml.iu.edu prints dates (always "EST"). */
function easternClock(ms: number): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/New_York',
    weekday: 'short',
    month: 'short',
    day: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).formatToParts(new Date(ms));
  const p = (t: string): string => parts.find((x) => x.type === t)!.value;
  return `${p('weekday')} ${p('month')} ${p('day')} ${p('year')} - ${p('hour')}:${p('minute')}:${p('second')}`;
}

const obfuscate = (t: string): string => t.replace(/([\w.+-]+)@[\w.-]+\.\w+/g, '$1@xxxxxxxx');

/** The page text of a raw message; `delayMs` is how long after the Date the archive received it. */
async function pageText(raw: Buffer, delayMs: number): Promise<string> {
  const p = await simpleParser(raw);
  const name = p.from?.value[0]?.name || p.from?.value[0]?.address || '';
  return `${p.subject}\n\nFrom: ${name}\nDate: ${easternClock(p.date!.getTime() + delayMs)} EST\n\n${obfuscate(p.text ?? '')}`;
}

/** The same message as a saved hypermail 2.x HTML page, with an obfuscated id (so id-less). */
async function pageHtml(raw: Buffer, delayMs: number): Promise<string> {
  const p = await simpleParser(raw);
  const name = p.from?.value[0]?.name ?? '';
  const sent = p.headerLines.find((h) => h.key === 'date')!.line.replace(/^Date:\s*/i, '');
  const id = String(p.messageId).replace(/[<>]/g, '').replace(/@.*/, '_at_[hidden]');
  return [
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />',
    `<title>${esc(p.subject ?? '')}</title>`,
    ...headComments({
      received: easternClock(p.date!.getTime() + delayMs).replace(' - ', ' '),
      sent,
      name,
      email: obfuscate(p.from?.value[0]?.address ?? '').replace('@', '_at_'),
      subject: p.subject ?? '',
      id,
    }),
    '</head><body>',
    `<h1>${esc(p.subject ?? '')}</h1>`,
    '<!-- body="start" -->',
    '<p>',
    ...bodyLines(obfuscate(p.text ?? '')),
    '<!-- body="end" -->',
    '</body></html>',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const byId = new Map<string, Buffer>();
  for await (const it of readMbox([readFileSync('data/archive/threads.mbox')]))
    if (it.kind === 'message') {
      const id = readThreadingHeaders(it.raw).messageId;
      if (id && SUBTHREAD.includes(id)) byId.set(id, it.raw);
    }
  const missing = SUBTHREAD.filter((id) => !byId.has(id));
  if (missing.length) throw new Error(`not in data/archive/threads.mbox: ${missing.join(', ')}`);
  writeFileSync(
    join(OUT, 'subthread.mbox'),
    Buffer.concat(SUBTHREAD.map((id) => writeMboxrdMessage(byId.get(id)!))),
  );
  const raw = (i: number): Buffer => byId.get(SUBTHREAD[i]!)!;
  // Receipt delays as lkml.iu.edu shows them: seconds after the Date header (the seed's is 21 s).
  writeFileSync(join(OUT, 'wei-xu-273.txt'), await pageText(raw(7), 14_000));
  writeFileSync(join(OUT, 'wei-xu-274.txt'), await pageText(raw(9), 9_000));
  writeFileSync(join(OUT, 'wei-xu-277.txt'), await pageText(raw(11), 31_000));
  writeFileSync(join(OUT, 'wei-xu-279.txt'), await pageText(raw(13), 0));
  writeFileSync(join(OUT, 'wei-xu-279.html'), await pageHtml(raw(13), 0));
  console.log(`wrote ${SUBTHREAD.length} raw messages and 5 pages to ${OUT}`);
}

await main();
