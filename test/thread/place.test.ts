// Golden cases for merging archive pages and placing messages without threading headers, on one
// real sub-thread of the 2022 memory.reclaim resend (test/fixtures/hypermail/, made by
// scripts/make-hypermail-fixtures.ts): Wei Xu answers Huang Ying four times between 6 Apr 01:07
// and 20:16 UTC, from UTC-7, each reply quoting the same discussion. Expected parents are the raw
// mail's In-Reply-To, read off the fixture by hand (test/fixtures/README.md lists them).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, freshDb, ingestPaths, ingestPiece, row, rows } from '../helpers/archive.ts';
import { readMbox, writeMboxrdMessage } from '../../src/mail/mbox.ts';
import { readThreadingHeaders } from '../../src/ingest/headers.ts';
import { attributionFit, placeMessages } from '../../src/thread/place.ts';
import { rethread } from '../../src/thread/threader.ts';
import { LOW_CONFIDENCE, placementsBelow } from '../../src/store/placement.ts';
import { buildSite } from '../../src/site/build.ts';
import { urls } from '../../src/site/urls.ts';
import { runCli } from '../helpers/cli.ts';
import type { Db } from '../../src/store/db.ts';

const W273 = 'CAAPL-u_6XqQYtLAMNFvEo+0XU2VR=XYm0T9btL=g6rVVW2h93w@mail.gmail.com';
const W274 = 'CAAPL-u_FVEVE+wTBNYfDibLVKsRuOwEnpigYYRiZ2MbeUs1u8w@mail.gmail.com';
const W277 = 'CAAPL-u8u77yazFpc2R216j6ObAiANb0Lfxt7DcT9P=3eg60u9Q@mail.gmail.com';
const W279 = 'CAAPL-u8tHSPe03bDuU3+mXbEU-3dKgYQt=jFOHdMq8kwjQmGqQ@mail.gmail.com';
/** Huang Ying's messages each of those answers (In-Reply-To of the raw mail). */
const PARENT: Record<string, string> = {
  [W273]: '87o81fujdc.fsf@yhuang6-desk2.ccr.corp.intel.com',
  [W274]: '87bkxfudrk.fsf@yhuang6-desk2.ccr.corp.intel.com',
  [W277]: '877d82vi13.fsf@yhuang6-desk2.ccr.corp.intel.com',
  [W279]: '8735iqvbov.fsf@yhuang6-desk2.ccr.corp.intel.com',
};
const PAGE: Record<string, string> = {
  [W273]: 'wei-xu-273.txt',
  [W274]: 'wei-xu-274.txt',
  [W277]: 'wei-xu-277.txt',
  [W279]: 'wei-xu-279.txt',
};

/** The fixture sub-thread as an mbox in `dir`, without the messages in `drop`. */
async function subthread(dir: string, drop: string[] = []): Promise<string> {
  const out: Buffer[] = [];
  for await (const it of readMbox([readFileSync(fixture('hypermail', 'subthread.mbox'))]))
    if (it.kind === 'message' && !drop.includes(readThreadingHeaders(it.raw).messageId ?? ''))
      out.push(writeMboxrdMessage(it.raw));
  const file = join(dir, 'subthread.mbox');
  writeFileSync(file, Buffer.concat(out));
  return file;
}

/** Copy fixture pages into `dir` (each file is its own source). */
function pages(dir: string, names: string[]): string[] {
  return names.map((n) => {
    const to = join(dir, n);
    copyFileSync(fixture('hypermail', n), to);
    return to;
  });
}

/** The page stored from `file`: its message row, parent and placement. */
function pageRow(db: Db, file: string) {
  return row<{
    id: number;
    message_id: string;
    id_kind: string;
    parent: string | null;
    parent_ghost: number | null;
    parent_reason: string | null;
    method: string | null;
    confidence: number | null;
    evidence: string | null;
  }>(
    db,
    `SELECT m.id, m.message_id, m.id_kind, p.message_id AS parent, p.is_ghost AS parent_ghost, m.parent_reason,
            pl.method, pl.confidence, pl.evidence
     FROM message_sources ms JOIN sources s ON s.id = ms.source_id JOIN messages m ON m.id = ms.message_id
     LEFT JOIN messages p ON p.id = m.parent_id LEFT JOIN placements pl ON pl.message_id = m.id
     WHERE s.location = ?`,
    file,
  );
}

const realCount = (db: Db): number =>
  row<{ c: number }>(db, 'SELECT COUNT(*) AS c FROM messages WHERE is_ghost = 0').c;

describe('archive pages: identity and placement', () => {
  it('three replies by one author within a day, raw copies absent: each page under its own parent, no merge', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      const ids = [W273, W274, W277];
      const mbox = await subthread(dir, ids);
      const files = pages(
        dir,
        ids.map((i) => PAGE[i]!),
      );
      const s = await ingestPaths(db, [mbox, ...files]);
      assert.equal(s.mergedPages, 0, 'nothing to merge with: the raw copies are absent');
      assert.equal(realCount(db), 14, '11 raw messages and 3 pages, none lost');
      ids.forEach((id, k) => {
        const p = pageRow(db, files[k]!);
        assert.equal(p.id_kind, 'synthetic');
        assert.equal(p.parent, PARENT[id], PAGE[id]);
        assert.equal(p.method, 'attribution');
        assert.ok(p.confidence! >= LOW_CONFIDENCE, `${PAGE[id]}: ${p.evidence}`);
      });
    } finally {
      cleanup();
    }
  });

  it('the same pages with the raw copies present: each merges with its own raw copy only', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      const ids = [W273, W274, W277, W279];
      const mbox = await subthread(dir);
      const files = pages(
        dir,
        ids.map((i) => PAGE[i]!),
      );
      const s = await ingestPaths(db, [mbox, ...files]);
      assert.equal(s.mergedPages, 4);
      assert.equal(realCount(db), 14, 'the 14 raw messages, each once');
      ids.forEach((id, k) => {
        const p = pageRow(db, files[k]!);
        assert.equal(p.message_id, id, `${PAGE[id]} is a copy of its own raw message`);
        assert.equal(p.parent, PARENT[id]);
        assert.equal(p.parent_reason, 'in-reply-to');
      });
      // 279 is printed 16:16:27 "EST" (US Eastern daylight time) for 13:16:27 -0700: the label's
      // calendar offset fits with no delay; 277 arrived 31 s after it was sent.
      const ident = rows<{
        message_id: string;
        time_rule: string;
        zone_offset_minutes: number;
        delay_seconds: number;
      }>(
        db,
        `SELECT m.message_id, i.time_rule, i.zone_offset_minutes, i.delay_seconds FROM page_identities i
         JOIN messages m ON m.id = i.message_id ORDER BY m.date`,
      );
      assert.deepEqual(
        ident.map((r) => [r.message_id, r.time_rule, r.zone_offset_minutes, r.delay_seconds]),
        [
          [W273, 'receipt-delay', -240, 14],
          [W274, 'receipt-delay', -240, 9],
          [W277, 'receipt-delay', -240, 31],
          [W279, 'receipt-delay', -240, 0],
        ],
      );
    } finally {
      cleanup();
    }
  });

  it('an "EST" page that prints the sender’s UTC-7 local time merges by the exact quarter-hour offset', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      const mbox = await subthread(dir);
      const text = readFileSync(fixture('hypermail', 'wei-xu-279.txt'), 'utf8');
      const local = text.replace(
        'Date: Wed Apr 06 2022 - 16:16:27 EST',
        'Date: Wed Apr 06 2022 - 13:16:27 EST',
      );
      assert.notEqual(local, text);
      const file = join(dir, 'local-time.txt');
      writeFileSync(file, local);
      await ingestPaths(db, [mbox, file]);
      assert.equal(pageRow(db, file).message_id, W279);
      const i = row<{ time_rule: string; zone_offset_minutes: number }>(db, 'SELECT * FROM page_identities');
      assert.deepEqual([i.time_rule, i.zone_offset_minutes], ['exact-offset', -420]);
    } finally {
      cleanup();
    }
  });

  it('a page whose parent is missing from the archive hangs under a ghost, not under another message of that author', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      // Wei Xu's 07:05 reply answers Huang Ying's 06:32 mail; Huang Ying's 02:49 and 08:49 mails stay.
      const mbox = await subthread(dir, [W277, PARENT[W277]!]);
      const [file] = pages(dir, [PAGE[W277]!]);
      await ingestPaths(db, [mbox, file!]);
      const p = pageRow(db, file!);
      assert.equal(p.parent_ghost, 1, `the parent is a ghost (got ${p.parent})`);
      assert.equal(p.method, 'missing-parent');
      assert.match(p.evidence!, /Huang, Ying/);
      // The ghost stays in the thread: the page's thread is the sub-thread's.
      const threads = row<{ c: number }>(
        db,
        'SELECT COUNT(DISTINCT thread_id) AS c FROM messages WHERE is_ghost = 0',
      ).c;
      assert.equal(threads, 1);
      // When the missing mail arrives, the page moves under it and the ghost goes.
      await ingestPaths(db, [fixture('hypermail', 'subthread.mbox')]);
      const again = pageRow(db, file!);
      assert.equal(again.message_id, W277, 'now its raw copy is here: merged');
      assert.equal(again.parent, PARENT[W277]);
      assert.equal(
        row<{ c: number }>(db, "SELECT COUNT(*) AS c FROM messages WHERE message_id LIKE 'missing-%'").c,
        0,
      );
    } finally {
      cleanup();
    }
  });

  it('a page saved twice (text and HTML) is one message, placed once; with the raw copy, both are copies of it', async () => {
    for (const withRaw of [false, true]) {
      const { db, dir, cleanup } = freshDb();
      try {
        const mbox = await subthread(dir, withRaw ? [] : [W279]);
        const files = pages(dir, ['wei-xu-279.txt', 'wei-xu-279.html']);
        await ingestPaths(db, [mbox, ...files]);
        const a = pageRow(db, files[0]!);
        const b = pageRow(db, files[1]!);
        assert.equal(a.id, b.id, 'both pages are sources of one message');
        assert.equal(realCount(db), 14);
        assert.equal(a.parent, PARENT[W279]);
        if (withRaw) assert.equal(a.message_id, W279);
        else assert.equal(a.id_kind, 'synthetic');
      } finally {
        cleanup();
      }
    }
  });

  it('the seed page merges with its raw copy under Michal Hocko’s 22 Sep 2020 mail, 21 s after its Date', async () => {
    const { db, cleanup } = freshDb();
    try {
      await ingestPaths(db, [fixture('mbox', 'reclaim-2020.mbox'), fixture('pages', 'seed-hypermail.txt')]);
      const i = row<{
        message_id: string;
        parent: string;
        time_rule: string;
        delay_seconds: number;
        own: number;
      }>(
        db,
        `SELECT m.message_id, p.message_id AS parent, i.time_rule, i.delay_seconds, i.own_text_similarity AS own
         FROM page_identities i JOIN messages m ON m.id = i.message_id JOIN messages p ON p.id = m.parent_id`,
      );
      assert.equal(i.message_id, 'CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com');
      assert.equal(i.parent, '20200922165527.GD12990@dhcp22.suse.cz');
      assert.deepEqual([i.time_rule, i.delay_seconds], ['receipt-delay', 21]);
      assert.ok(i.own >= 0.97);
    } finally {
      cleanup();
    }
  });

  it('never merges a page into another reply of the same author in the same sub-thread, whatever its clock says', async () => {
    // Wei Xu's 05:02 page, relabelled to the exact second of his 07:05 reply (whose raw copy is
    // present; the 05:02 raw copy is not): same author, subject and quoted discussion, different
    // own text. It must stay a message of its own.
    const { db, dir, cleanup } = freshDb();
    try {
      const mbox = await subthread(dir, [W274]);
      const text = readFileSync(fixture('hypermail', 'wei-xu-274.txt'), 'utf8').replace(
        /^Date: .*$/m,
        'Date: Wed Apr 06 2022 - 03:05:03 EST',
      );
      const file = join(dir, 'relabelled.txt');
      writeFileSync(file, text);
      const s = await ingestPaths(db, [mbox, file]);
      assert.equal(s.mergedPages, 0);
      assert.equal(realCount(db), 14);
      assert.equal(pageRow(db, file).id_kind, 'synthetic');
    } finally {
      cleanup();
    }
  });

  it('a page with no attribution and no quote hangs under the latest same-subject mail, reported as a guess', async () => {
    // Wei Xu's 05:02 page with its attribution and quoted text cut (as a reader who trims quotes
    // might save it): only the subject and the time order are left, so the link is a guess, and
    // `argmap problems` and both the thread and the message page must say so.
    const { db, file: dbFile, dir, cleanup } = freshDb();
    try {
      const mbox = await subthread(dir, [W274]);
      const text = readFileSync(fixture('hypermail', 'wei-xu-274.txt'), 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith('>') && !/^On .* wrote:$/.test(l))
        .join('\n');
      const file = join(dir, 'trimmed.txt');
      writeFileSync(file, text);
      await ingestPaths(db, [mbox, file]);
      const p = pageRow(db, file);
      assert.equal(p.method, 'subject');
      assert.ok(p.confidence! < LOW_CONFIDENCE);

      const below = placementsBelow(db);
      assert.deepEqual(
        below.map((g) => [g.messageId, g.method, g.source]),
        [[p.message_id, 'subject', file]],
        'exactly the trimmed page is a guess; the raw replies have headers',
      );
      const problems = await runCli(['problems', '--db', dbFile, '--code', 'guessed-parent', '--json']);
      assert.equal(problems.code, 0, problems.err);
      const listed = JSON.parse(problems.out) as { severity: string; message_id: string; detail: string }[];
      assert.deepEqual(
        listed.map((l) => [l.severity, l.message_id]),
        [['guess', p.message_id]],
      );
      assert.match(
        listed[0]!.detail,
        new RegExp(`placed under <${p.parent!.replace(/[.+]/g, '\\$&')}> by subject, confidence 0\\.30`),
      );

      const site = new Map(
        (await buildSite(db, { decisionsDir: null, minify: false })).map((pg) => [
          pg.path,
          String(pg.content),
        ]),
      );
      const msgPage = site.get(urls.message(p.message_id))!;
      assert.match(
        msgPage,
        /<span class="placed guess">parent guessed from subject, confidence 0\.30: latest earlier message/,
      );
      const root = row<{ m: string }>(
        db,
        'SELECT r.message_id AS m FROM messages x JOIN threads t ON t.id = x.thread_id JOIN messages r ON r.id = t.root_message_id WHERE x.id = ?',
        p.id,
      ).m;
      const threadPage = site.get(urls.thread(root))!;
      assert.equal(
        (threadPage.match(/class="placed guess"/g) ?? []).length,
        2,
        'in the outline and on the message',
      );
      // A header link is not marked.
      const raw = site.get(urls.message(W273))!;
      assert.doesNotMatch(raw, /class="placed/);
    } finally {
      cleanup();
    }
  });
});

describe('attributionFit', () => {
  it('fits a local wall-clock time to a UTC date in any zone', () => {
    const when = { month: 9, day: 22, year: 2020, hour: 9, minute: 55 };
    // 20200922165527.GD12990@dhcp22.suse.cz was sent 16:55:27Z = 9:55 in US Pacific (UTC-7).
    assert.equal(attributionFit(when, Date.UTC(2020, 8, 22, 16, 55, 27))?.exact, true);
    assert.equal(attributionFit(when, Date.UTC(2020, 8, 22, 16, 58, 0)), null);
    assert.equal(attributionFit(when, Date.UTC(2020, 8, 24, 16, 55, 0)), null);
  });
  it('lets an archive page’s receipt time follow the named time by up to the slack, and no more', () => {
    const when = { month: 4, day: 6, year: 2022, hour: 0, minute: 5, second: 3 };
    const sent = Date.UTC(2022, 3, 6, 7, 5, 3); // 00:05:03 in UTC-7
    const page = { candidateLateMs: 10 * 60_000, namedLateMs: 0 };
    assert.deepEqual(attributionFit(when, sent), { errorMs: 0, exact: true });
    assert.equal(attributionFit(when, sent + 40_000), null, 'a raw Date 40 s off does not fit to the second');
    assert.deepEqual(attributionFit(when, sent + 40_000, page), { errorMs: 40_000, exact: false });
    assert.equal(attributionFit(when, sent - 40_000, page), null, 'but not one received before it was sent');
  });
  it('lets a minute-precision attribution (a client’s receipt time) follow the Date by minutes, loosely', () => {
    // "On Mon, Sep 21, 2020 at 1:05 AM" for a mail dated 16:02:55 +0800 (01:02:55 in UTC-7).
    const when = { month: 9, day: 21, year: 2020, hour: 1, minute: 5 };
    const sent = Date.UTC(2020, 8, 21, 8, 2, 55);
    assert.equal(attributionFit(when, sent), null);
    const fit = attributionFit(when, sent, { candidateLateMs: 0, namedLateMs: 10 * 60_000 });
    assert.deepEqual(fit, { errorMs: 125_000, exact: false });
  });
  it('reads the time in real zones only (no UTC+00:15)', () => {
    const when = { month: 4, day: 6, year: 2022, hour: 7, minute: 20 };
    assert.equal(attributionFit(when, Date.UTC(2022, 3, 6, 7, 5, 0)), null);
    assert.notEqual(attributionFit(when, Date.UTC(2022, 3, 6, 1, 50, 0)), null, 'UTC+5:30');
  });
});

/** Every message's parent and reason, every placement and every lookup, by Message-ID. */
function placementDump(db: Db): string[] {
  return rows<{ line: string }>(
    db,
    `SELECT 'm ' || m.message_id || ' ' || COALESCE(p.message_id, '-') || ' ' || COALESCE(m.parent_reason, '-') AS line
       FROM messages m LEFT JOIN messages p ON p.id = m.parent_id
     UNION ALL
     SELECT 'p ' || m.message_id || ' ' || COALESCE(p.message_id, '-') || ' ' || pl.method || ' ' || pl.confidence || ' ' ||
            pl.candidates || ' ' || pl.evidence
       FROM placements pl JOIN messages m ON m.id = pl.message_id LEFT JOIN messages p ON p.id = pl.parent_id
     UNION ALL
     SELECT 'l ' || m.message_id || ' ' || l.key FROM placement_lookups l JOIN messages m ON m.id = l.message_id
     ORDER BY line`,
  ).map((r) => r.line);
}

/** The messages of an mbox text, in file order. */
function split(text: string): string[] {
  return text.split(/(?=^From [^\n]*\d{4}\n)/m).filter((m) => m.startsWith('From '));
}

/**
 * Ingest `pieces` (each a list of files' texts) one after another, then place and thread the whole
 * archive again with full passes, as a first ingest does: they must change nothing. (Threading
 * belongs to the comparison: it drops an inferred parent that closes a loop, such as a robot's
 * fix posted as a reply to its own report, which placement hangs the report under.) Returns how
 * many orphans each run placed.
 */
async function appendThenFullPlacement(
  pieces: string[][],
  check?: (db: Db, piece: number) => void,
): Promise<number[]> {
  const { db, dir, cleanup } = freshDb();
  try {
    const placed: number[] = [];
    for (const [i, files] of pieces.entries()) {
      const p = (await ingestPiece(db, dir, i, files)).placed;
      placed.push(p ? p.byAttribution + p.byQuote + p.bySeries + p.bySubject + p.missingParents : 0);
      check?.(db, i);
    }
    const before = placementDump(db);
    placeMessages(db);
    rethread(db);
    assert.deepEqual(placementDump(db), before, 'a full pass changed what the incremental passes left');
    return placed;
  } finally {
    cleanup();
  }
}

describe('incremental placement', () => {
  const orphans = split(readFileSync(fixture('placement', 'orphans.mbox'), 'latin1'));

  it('gives what a full pass gives for header-less mail appended newest first, and pages before their mail', async () => {
    const page = (name: string): string => readFileSync(fixture('hypermail', name), 'latin1');
    const sub = split(readFileSync(fixture('hypermail', 'subthread.mbox'), 'latin1'));
    const rest = orphans.slice(60, -1).reverse();
    const cut = (a: number, b: number): string => rest.slice(a, b).join('');
    const placed = await appendThenFullPlacement([
      [orphans.slice(0, 60).join('')], // 2019 to mid-2024, in archive order
      [orphans[orphans.length - 1]!], // the newest message alone: nothing older is placed again
      [page('wei-xu-273.txt'), page('wei-xu-277.txt'), cut(0, 15)], // then newest first
      [sub.join(''), page('wei-xu-274.txt')], // the pages' raw copies arrive: merges
      [cut(15, 30)],
      [cut(30, rest.length), page('wei-xu-279.txt')],
    ]);
    assert.ok(placed[0]! > 5, placed.join(','));
    assert.ok(placed[1]! <= 1, placed.join(','));
    assert.ok(
      placed.slice(2).every((n) => n > 0),
      placed.join(','),
    );
  });

  it('places again an older message whose attribution names a person that newer mail adds a name to', async () => {
    // Xavier's reply 665fce35… (5 Jun 2024, sent with no name) says "On 6/3/24 08:31, Xavier
    // wrote:". The first piece is everything but his two later messages (6 and 14 Jun); then the
    // archive forgets the name "Xavier" (as if no mail had named him yet) and is placed again. The
    // later messages add the name back with mail dated after the reply: placing again only by date
    // would miss the reply, whose attribution looked the name up.
    const later = ['6661b33c7f1670.55086514.d793e57a@', '666bb346733087.27442573.c05259ad@'];
    const isLater = (m: string): boolean => later.some((id) => m.includes(`<${id}`));
    const first = '2024-06-06T13:01:48Z'; // the earlier of the two
    let expected = 0;
    let byName = 0;
    const placed = await appendThenFullPlacement(
      [[orphans.filter((m) => !isLater(m)).join('')], [orphans.filter(isLater).join('')]],
      (db, piece) => {
        if (piece === 0) {
          db.prepare("DELETE FROM person_names WHERE key = 'xavier'").run();
          placeMessages(db);
          rethread(db);
          return;
        }
        const decided = `FROM placements pl JOIN messages m ON m.id = pl.message_id
          WHERE m.is_ghost = 0 AND pl.method != 'none'`;
        const since = row<{ c: number }>(db, `SELECT COUNT(*) AS c ${decided} AND m.date >= ?`, first).c;
        byName = row<{ c: number }>(
          db,
          `SELECT COUNT(*) AS c ${decided} AND m.date < ?
             AND pl.message_id IN (SELECT message_id FROM placement_lookups WHERE key = 'n:xavier')`,
          first,
        ).c;
        expected = since + byName;
      },
    );
    assert.ok(byName >= 1, 'the reply looked the name up');
    assert.equal(
      placed[1],
      expected,
      'placed again: the mail since the new messages, and what looked up the name',
    );
    assert.ok(placed[1]! < placed[0]!, placed.join(','));
  });
});
