// src/ingest/prepare.ts: what is derived from one raw message before it is written (hashes,
// subject parts, the message's own trailers, its first attribution line). Inputs are real mail:
// Shakeel Butt's memory.reclaim patch (the root of reclaim-2020.mbox, whose trailer block and
// diff are quoted below), Johannes Weiner's 2019 reply (the .eml fixture) and the seed pages.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extractTrailers, firstAttribution, prepareMessage } from '../../src/ingest/prepare.ts';
import { readMbox } from '../../src/mail/mbox.ts';
import { fixture } from '../helpers/archive.ts';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

async function reclaimRoot(): Promise<Buffer> {
  for await (const it of readMbox([readFileSync(fixture('mbox', 'reclaim-2020.mbox'))]))
    if (
      it.kind === 'message' &&
      it.raw.includes('Message-Id: <20200909215752.1725525-1-shakeelb@google.com>')
    )
      return it.raw;
  throw new Error('root not found');
}

const SHAKEEL = {
  name: 'Signed-off-by',
  value: 'Shakeel Butt <shakeelb@google.com>',
  personName: 'Shakeel Butt',
  addr: 'shakeelb@google.com',
};

describe('extractTrailers', () => {
  it("the patch's own Signed-off-by, not the diff's or signature's lines", async () => {
    const p = await prepareMessage(await reclaimRoot(), 'rfc822');
    // Line 161 of the mbox: "Signed-off-by: Shakeel Butt <shakeelb@google.com>", then "---" and the diff.
    assert.deepEqual(p.trailers, [SHAKEEL]);
  });

  it('stops at "---", "diff --git" and the "-- " signature; skips quoted and indented lines', () => {
    const body = [
      'Acked-by: Michal Hocko <mhocko@suse.com>',
      '> Reviewed-by: Quoted Person <quoted@example.invalid>',
      '  > Tested-by: Indented Quote <iq@example.invalid>',
      '    Reviewed-by: Indented <indented@example.invalid>',
      'Fixes: 12a5d3955227 ("mm: add nodes= arg to memory.reclaim")\r',
      '-- ',
      'Signed-off-by: In Signature <sig@example.invalid>',
    ].join('\n');
    assert.deepEqual(extractTrailers(body), [
      {
        name: 'Acked-by',
        value: 'Michal Hocko <mhocko@suse.com>',
        personName: 'Michal Hocko',
        addr: 'mhocko@suse.com',
      },
      {
        name: 'Fixes',
        value: '12a5d3955227 ("mm: add nodes= arg to memory.reclaim")',
        personName: null,
        addr: null,
      },
    ]);
    assert.deepEqual(
      extractTrailers('Acked-by: A <a@x.invalid>\n---\nAcked-by: B <b@x.invalid>\n').length,
      1,
    );
    assert.deepEqual(extractTrailers('text\ndiff --git a/x b/x\nAcked-by: B <b@x.invalid>\n'), []);
    assert.deepEqual(extractTrailers('Not-a-trailer: x\nAcked-by nobody\n'), []);
  });
});

describe('firstAttribution', () => {
  it('the first unquoted attribution line of a reply (the .eml fixture)', async () => {
    const p = await prepareMessage(
      readFileSync(fixture('eml', 'throttle-2019-johannes-weiner.eml')),
      'rfc822',
    );
    assert.equal(p.attribution, 'On Fri, Feb 01, 2019 at 08:17:57AM +0100, Michal Hocko wrote:');
  });

  it('joins an "On …" line wrapped before "wrote:"; quoted attributions are not the message’s own', () => {
    assert.equal(
      firstAttribution(
        '> On Mon, Kim wrote:\n\nOn Tue, Sep 22, 2020 at 9:55 AM Michal Hocko\n<mhocko@suse.com> wrote:\n> text\n',
      ),
      'On Tue, Sep 22, 2020 at 9:55 AM Michal Hocko <mhocko@suse.com> wrote:',
    );
    // A wrapped line whose continuation is quoted is not joined.
    assert.equal(
      firstAttribution('On Tue, Sep 22, 2020 at 9:55 AM Michal Hocko\n> <mhocko@suse.com> wrote:\n'),
      null,
    );
    assert.equal(firstAttribution('No attribution here.\n'), null);
  });
});

describe('prepareMessage', () => {
  it('a patch mail: hashes of the raw bytes and of the whitespace-free body, subject parts', async () => {
    const raw = await reclaimRoot();
    const p = await prepareMessage(raw, 'rfc822');
    assert.equal(p.format, 'rfc822');
    assert.equal(p.rawSha, sha(raw));
    assert.equal(p.rawSize, raw.length);
    assert.equal(p.contentSha, sha(p.parsed.body.replace(/\s+/g, '')));
    assert.equal(p.parsed.messageId, '20200909215752.1725525-1-shakeelb@google.com');
    assert.equal(p.subject.title, 'memcg: introduce per-memcg reclaim interface');
    assert.equal(p.subject.isPatch, true);
    assert.equal(p.subject.isReply, false);
    assert.equal(p.attribution, null, 'a patch attributes nothing');
    assert.equal(p.dateApprox, false);
  });

  it('the same body with other headers has another raw hash but the same content hash', async () => {
    const raw = await reclaimRoot();
    const resent = Buffer.concat([Buffer.from('X-Resent-By: archive copier\n'), raw]);
    const [a, b] = await Promise.all([prepareMessage(raw, 'rfc822'), prepareMessage(resent, 'rfc822')]);
    assert.notEqual(a.rawSha, b.rawSha);
    assert.equal(a.contentSha, b.contentSha);
  });

  it('hypermail pages: parsed by their own reader; text dates are approximate, HTML sent= dates are not', async () => {
    const txt = await prepareMessage(readFileSync(fixture('pages', 'seed-hypermail.txt')), 'hypermail-text');
    assert.equal(txt.format, 'hypermail-text');
    assert.equal(txt.dateApprox, true);
    assert.equal(txt.parsed.messageId, null);
    assert.equal(txt.subject.title, 'memcg: introduce per-memcg reclaim interface');
    assert.equal(txt.subject.isReply, true);
    assert.equal(txt.attribution, 'On Tue, Sep 22, 2020 at 9:55 AM Michal Hocko <mhocko@xxxxxxxx> wrote:');
    const html = await prepareMessage(
      readFileSync(fixture('pages', 'seed-hypermail.html')),
      'hypermail-html',
    );
    assert.equal(html.dateApprox, false);
    assert.equal(html.parsed.messageId, 'CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com');
  });

  it('a view into a larger buffer is hashed as its own bytes only', async () => {
    const raw = await reclaimRoot();
    const big = Buffer.concat([Buffer.from('garbage before'), raw, Buffer.from('garbage after')]);
    const view = new Uint8Array(big.buffer, big.byteOffset + 14, raw.length);
    const p = await prepareMessage(view, 'rfc822');
    assert.equal(p.rawSha, sha(raw));
    assert.equal(p.rawSize, raw.length);
  });
});
