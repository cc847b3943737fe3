import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { readMbox, writeMboxrdMessage, isFromLine, type MboxItem } from '../../src/mail/mbox.ts';
import { fixture } from '../helpers/archive.ts';

async function collect(input: Iterable<Buffer> | AsyncIterable<Buffer>, opts = {}): Promise<MboxItem[]> {
  const out: MboxItem[] = [];
  for await (const it of readMbox(input, opts)) out.push(it);
  return out;
}

function messages(items: MboxItem[]): Extract<MboxItem, { kind: 'message' }>[] {
  return items.filter((i): i is Extract<MboxItem, { kind: 'message' }> => i.kind === 'message');
}

/** Split a buffer into chunks at the given cut points (to test chunk-boundary handling). */
function chunked(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

describe('mbox reader', () => {
  const reclaim = readFileSync(fixture('mbox', 'reclaim-2020.mbox'));
  const odd = readFileSync(fixture('mbox', 'oddities.mbox'));

  it('splits the real 2020 memory.reclaim thread into its 28 messages', async () => {
    const ms = messages(await collect([reclaim]));
    assert.equal(ms.length, 28);
    assert.equal(ms[0]!.offset, 0);
    assert.equal(ms[0]!.envelope, 'From mboxrd@z Thu Jan  1 00:00:00 1970');
    assert.match(ms[0]!.raw.toString('latin1', 0, 200), /^Return-Path: <cgroups-owner@vger.kernel.org>/);
    // Every offset points at a From_ line of the file.
    for (const m of ms) assert.equal(reclaim.toString('latin1', m.offset, m.offset + 5), 'From ');
  });

  it('reproduces real mbox files byte for byte when written back as mboxrd', async () => {
    for (const buf of [reclaim, odd]) {
      const ms = messages(await collect([buf]));
      const again = Buffer.concat(ms.map((m) => writeMboxrdMessage(m.raw, m.envelope)));
      assert.ok(again.equals(buf), 'mboxrd round trip must be byte-exact');
    }
  });

  it('undoes mboxrd escaping one level at a time (>From and >>From in real mail)', async () => {
    const ms = messages(await collect([odd]));
    // oddities.mbox #0: "<20200219211735.GD54486@cmpxchg.org>" has a body line that was escaped as ">From ".
    const escapedInFile = odd
      .toString('latin1')
      .split('\n')
      .filter((l) => /^>+From /.test(l));
    assert.ok(escapedInFile.length >= 3, 'fixture holds escaped From lines');
    const unescaped = ms.map((m) => m.raw.toString('latin1')).join('\n');
    assert.ok(/^From /m.test(unescaped), 'a single > was removed from ">From "');
    // oddities #1 quotes a format-patch line that was ">>>From b7195eba…" in the file: ">>From b7195eba…" in the mail.
    assert.ok(odd.includes('>>>From b7195eba'));
    assert.ok(ms[1]!.raw.includes('>>From b7195eba'));
    assert.ok(!ms[1]!.raw.includes('>>>From b7195eba'));
  });

  it('leaves >>From alone in mboxo (only >From was escaped there)', async () => {
    const ms = messages(await collect([odd], { flavour: 'mboxo' }));
    assert.ok(ms[1]!.raw.includes('>>>From b7195eba'));
  });

  it('does not split on body lines that merely start with "From "', () => {
    assert.equal(isFromLine('From the numbers above it looks fine'), false);
    assert.equal(isFromLine('From mboxrd@z Thu Jan  1 00:00:00 1970'), true);
    assert.equal(isFromLine('From 94968384dde15d48263bfc59d280cd71b1259d8c Mon Sep 17 00:00:00 2001'), true);
    assert.equal(isFromLine('From shakeelb@google.com Wed Sep  9 14:57:52 2020'), true);
  });

  it('gives the same messages whatever the chunk boundaries (property)', async () => {
    const whole = messages(await collect([odd])).map((m) => [m.offset, m.raw.toString('latin1')]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 40 }), async (cuts) => {
        const got = messages(await collect(chunked(odd, cuts))).map((m) => [
          m.offset,
          m.raw.toString('latin1'),
        ]);
        assert.deepEqual(got, whole);
      }),
      { numRuns: 60 },
    );
  });

  it('round-trips arbitrary message bodies, including From lines and missing final newlines (property)', async () => {
    const line = fc.oneof(
      fc.constantFrom(
        'From me',
        'From the start',
        '>From quoted',
        '>>From deeper',
        '',
        'From mboxrd@z Thu Jan  1 00:00:00 1970',
      ),
      fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, ' ')),
    );
    const msg = fc
      .array(line, { minLength: 1, maxLength: 12 })
      .map((ls) => Buffer.from(`Subject: x\n\n${ls.join('\n')}\n`, 'latin1'));
    await fc.assert(
      fc.asyncProperty(fc.array(msg, { minLength: 1, maxLength: 6 }), async (msgs) => {
        const file = Buffer.concat(msgs.map((m) => writeMboxrdMessage(m)));
        const back = messages(await collect([file])).map((m) => m.raw.toString('latin1'));
        assert.deepEqual(
          back,
          msgs.map((m) => m.toString('latin1')),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('skips a message over the size limit with its offset and size, and keeps the next one', async () => {
    const ms = messages(await collect([reclaim]));
    const biggest = ms.reduce((a, b) => (b.raw.length > a.raw.length ? b : a));
    const items = await collect([reclaim], { maxMessageBytes: biggest.raw.length - 1 });
    const problems = items.filter((i) => i.kind === 'problem');
    assert.equal(problems.length, 1);
    const p = problems[0]!;
    assert.ok(p.kind === 'problem');
    assert.equal(p.code, 'too-large');
    assert.equal(p.offset, biggest.offset);
    const kept = messages(items);
    assert.equal(kept.length, 27);
    assert.ok(!kept.some((m) => m.offset === biggest.offset));
  });

  it('reports junk before the first From_ line and reads what follows', async () => {
    const items = await collect([Buffer.concat([Buffer.from('garbage\x01\x02 line\n'), reclaim])]);
    assert.equal(items[0]!.kind, 'problem');
    assert.equal(messages(items).length, 28);
  });

  it('reads a truncated mbox up to the cut without failing', async () => {
    const cut = reclaim.subarray(0, Math.floor(reclaim.length * 0.6));
    const ms = messages(await collect([cut]));
    assert.ok(ms.length > 10 && ms.length < 28);
    const last = ms[ms.length - 1]!;
    assert.ok(
      reclaim
        .subarray(last.offset)
        .toString('latin1')
        .startsWith(cut.subarray(last.offset).toString('latin1').slice(0, 100)),
    );
  });
});
