// Segmentation of real message bodies: every segment kind, the labeller's paragraph rule (the gold
// labels' 828 paragraphs), offsets, CRLF and a missing final newline. Bodies come from the real
// pipeline (ingest of data/corpus and the fixtures under test/fixtures/graph); expected values were
// written by reading the mail.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture, row, ingestedDb } from '../helpers/archive.ts';
import type { Db } from '../../src/store/db.ts';
import { segmentBody, type Segment } from '../../src/graph/segment.ts';
import { ownParagraphs, quoteDepth } from '../../src/mail/owntext.ts';

let db: Db;
let cleanup: () => void;
before(async () => {
  ({ db, cleanup } = await ingestedDb([
    'data/corpus',
    fixture('graph', 'attributions.mbox'),
    fixture('graph', 'changelog-v2-v3.mbox'),
    fixture('graph', 'nack-2019.mbox'),
  ]));
});
after(() => cleanup());

const body = (mid: string): string =>
  row<{ body: string }>(db, 'SELECT body FROM messages WHERE message_id = ?', mid).body;
const text = (b: string, s: Segment): string => b.slice(s.start, s.end);
const kinds = (b: string): string[] => segmentBody(b).map((s) => `${s.kind}${s.depth ? s.depth : ''}`);

describe('own-text paragraphs follow the labeller rule (data/labels/stance.tsv)', () => {
  it('reproduces the number and 60-character prefix of all 828 labelled paragraphs', () => {
    const lines = readFileSync('data/labels/stance.tsv', 'utf8').split('\n').slice(1).filter(Boolean);
    const byMsg = new Map<string, { n: number; prefix: string }[]>();
    for (const l of lines) {
      const [mid, para, prefix] = l.split('\t');
      if (para === 't') continue;
      (byMsg.get(mid!) ?? byMsg.set(mid!, []).get(mid!)!).push({ n: Number(para), prefix: prefix! });
    }
    let checked = 0;
    for (const [mid, labels] of byMsg) {
      const paras = ownParagraphs(body(mid));
      for (const l of labels) {
        assert.equal(paras[l.n - 1]?.prefix, l.prefix, `${mid}#p${l.n}`);
        checked++;
      }
      // the seed's raw mail ends with a "Shakeel" name line that the labelled hypermail page lacks
      const extra = mid.startsWith('CALvZod7K9g9mi599c5') ? 1 : 0;
      assert.equal(paras.length, labels.length + extra, `paragraph count of ${mid}`);
    }
    assert.equal(checked, 828);
  });

  it("keeps Andrew Morton's tab-indented Acked-by lines as prose (p2), not trailers", () => {
    const b = body('20221216101820.3f4a370af2c93d3c2e78ed8a@linux-foundation.org');
    const p = ownParagraphs(b);
    assert.match(p[1]!.text, /^\tAcked-by: Michal Hocko/);
    assert.equal(p[2]!.text, 'fooled me.');
    assert.ok(!segmentBody(b).some((s) => s.kind === 'trailer'));
  });

  it("treats Michal's '--- ' (trailing space) as text and cuts the patch at the real '---'", () => {
    const b = body('Y5xASNe1x8cusiTx@dhcp22.suse.cz');
    const segs = segmentBody(b);
    const p1 = segs.find((s) => s.para === 1)!;
    assert.match(text(b, p1), /^Andrew,\nI have noticed/);
    assert.match(text(b, p1), /\nSubject: \[PATCH\] Revert/); // the format-patch header ran into p1
    assert.deepEqual(
      segs.filter((s) => s.kind === 'diff').map((s) => s.file),
      ['Documentation/admin-guide/cgroup-v2.rst', 'include/linux/swap.h', 'mm/memcontrol.c', 'mm/vmscan.c'],
    );
    const sig = segs.at(-1)!;
    assert.equal(sig.kind, 'signature');
    assert.equal(text(b, sig), '-- \nMichal Hocko\nSUSE Labs');
  });
});

describe('segment kinds, on real excerpts', () => {
  it('Gmail and mutt attributions, nested quotes, [...] snips and own text (the seed message)', () => {
    const b = body('CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com');
    const segs = segmentBody(b);
    assert.deepEqual(kinds(b).slice(0, 6), [
      'attribution',
      'attribution1',
      'attribution2',
      'attribution3',
      'snip1',
      'quote4',
    ]);
    assert.equal(text(b, segs[0]!), 'On Tue, Sep 22, 2020 at 9:55 AM Michal Hocko <mhocko@suse.com> wrote:');
    assert.equal(text(b, segs[1]!), '> On Tue 22-09-20 08:54:25, Shakeel Butt wrote:');
    assert.equal(text(b, segs[4]!), '> [...]');
    const p1 = segs.find((s) => s.para === 1)!;
    assert.equal(
      text(b, p1),
      'Adding Minchan, if he has more experience/opinion on async swap on zram/zswap.',
    );
    const p2 = segs.find((s) => s.para === 2)!;
    assert.match(text(b, p2), /^Wait how did you reach this conclusion\?/);
  });

  it('German Gmail (Am … schrieb X:), Chinese (… 写道:) and Outlook top-posting with its header block', () => {
    const de = body('f63c8d6b-92a4-2977-d062-7e0b7036834e@gmail.com');
    const s0 = segmentBody(de)[0]!;
    assert.equal(s0.kind, 'attribution');
    assert.equal(text(de, s0), 'Am 09.05.19 um 23:04 schrieb Kenny Ho:');
    assert.equal(segmentBody(de)[1]!.kind, 'quote');

    const zh = body('a5bb3773-fef5-ce2b-33b9-18e0d49c33c4@linux.alibaba.com');
    assert.ok(segmentBody(zh).some((s) => s.kind === 'attribution' && /写道/.test(text(zh, s))));

    const ol = body('BYAPR11MB2582B2C3246BFAA8D2130A63CC8E0@BYAPR11MB2582.namprd11.prod.outlook.com');
    const segs = segmentBody(ol);
    assert.match(text(ol, segs[0]!), /^Hi Roman,/); // the reply is on top
    const sep = segs.findIndex((s) => s.kind === 'attribution');
    assert.match(text(ol, segs[sep]!), /^-----Original Message-----\nFrom: Roman Gushchin/);
    assert.ok(
      segs.slice(sep + 1).every((s) => s.depth >= 1),
      'all below is the quoted message',
    );
    assert.ok(segs.slice(0, sep).every((s) => s.depth === 0));
    // Roman's message, quoted by Outlook without markers, itself quoted Saeed with "> ": depth 2
    const below = segs
      .slice(sep + 1)
      .map((s) => [s.kind, s.depth, text(ol, s).split('\n')[0]!.replace(/\s+/g, ' ').trim().slice(0, 40)]);
    assert.deepEqual(below.slice(0, 4), [
      ['attribution', 1, 'On Wed, Sep 18, 2019 at 08:31:18PM +0000'],
      ['quote', 2, '> Hi Kernel Maintainers,'],
      ['quote', 2, '> We are chasing an issue where slab all'],
      ['quote', 1, 'Hi Saeed!'],
    ]);
  });

  it('Gnus "X <addr> writes:" (Huang Ying, nodes= thread)', () => {
    const b = body('87a62fdj0y.fsf@yhuang6-desk2.ccr.corp.intel.com');
    const a = segmentBody(b).find((s) => s.kind === 'attribution')!;
    assert.match(text(b, a), /writes:$/);
  });

  it('change logs: "v3:" after a bare ---, and "v2 -> v3" in a cover letter; trailer blocks; diffstat', () => {
    const v3 = body('20221202223533.1785418-1-almasrymina@google.com');
    const segs = segmentBody(v3);
    const p11 = segs.find((s) => s.para === 11)!;
    assert.equal(text(v3, p11), '---');
    const p12 = segs.find((s) => s.para === 12)!;
    assert.equal(p12.kind, 'changelog');
    assert.match(text(v3, p12), /^v3:\n- Dropped RFC tag from subject\./);
    const tr = segs.find((s) => s.kind === 'trailer')!;
    // Michal's Acked-by from the RFC v2 thread, carried into v3, sits in the same trailer block
    assert.equal(
      text(v3, tr),
      'Acked-by: Michal Hocko <mhocko@suse.com>\nSigned-off-by: Mina Almasry <almasrymina@google.com>',
    );
    assert.ok(segs.some((s) => s.kind === 'diffstat' && /4 files changed/.test(text(v3, s))));

    const cover = body('20201208041847.72122-1-songmuchun@bytedance.com');
    const cl = segmentBody(cover).filter((s) => s.kind === 'changelog');
    assert.ok(
      cl.some((s) => /^Changes in v2 -> v3:/.test(text(cover, s))),
      'v2 -> v3 heading',
    );
  });

  it('a Nacked-by trailer and the signature of a reply (Tejun Heo, 2019)', () => {
    const b = body('20190615162004.GG657710@devbig004.ftw2.facebook.com');
    assert.deepEqual(kinds(b), ['attribution', 'quote1', 'quote1', 'own', 'trailer', 'own', 'signature']);
    const segs = segmentBody(b);
    assert.equal(text(b, segs[4]!), 'Nacked-by: Tejun Heo <tj@kernel.org>');
    assert.equal(text(b, segs[6]!), '-- \ntejun');
  });

  it('quote depth counts > markers with or without spaces (>> > is 3), as the labels do', () => {
    assert.equal(quoteDepth('> > > x'), 3);
    assert.equal(quoteDepth('>>> x'), 3);
    assert.equal(quoteDepth('>> > x'), 3);
    assert.equal(quoteDepth('>How does this play'), 1);
    assert.equal(quoteDepth('    > not a quote (indented four)'), 0);
  });
});

describe('offsets', () => {
  it('CRLF bodies and bodies without a final newline give the same segments and texts', () => {
    const b = body('CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com');
    const lf = segmentBody(b).map((s) => [s.kind, s.depth, text(b, s)]);
    const crlf = b.replace(/\n/g, '\r\n');
    assert.deepEqual(
      segmentBody(crlf).map((s) => [s.kind, s.depth, text(crlf, s).replace(/\r\n/g, '\n')]),
      lf,
    );
    const cut = b.replace(/\n+$/, '');
    assert.deepEqual(
      segmentBody(cut).map((s) => [s.kind, s.depth, text(cut, s)]),
      lf,
    );
  });

  it('stores UTF-8 byte offsets: the claims view cuts the same text as the JavaScript string (NBSP in Chen Wandun’s mail)', () => {
    const mid = 'bd926b17-45c2-53bc-3c61-cda3ae442312@huawei.com';
    const b = body(mid);
    assert.ok(Buffer.byteLength(b, 'utf8') > b.length, 'the body has non-ASCII characters');
    const paras = ownParagraphs(b);
    for (const p of paras) {
      const r = row<{ text: string; start: number }>(
        db,
        'SELECT v.text, c.start FROM claims v JOIN claim_rows c ON c.id = v.id WHERE v.key = ?',
        `${mid}#p${p.n}`,
      );
      assert.equal(r.text, p.text);
      assert.equal(r.start, p.byteStart);
      assert.equal(Buffer.byteLength(b.slice(0, p.start), 'utf8'), p.byteStart);
    }
  });
});
