import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readMbox } from '../../src/mail/mbox.ts';
import { parseMessage, parseRecipients, type ParsedMessage } from '../../src/mail/parse.ts';
import { fixture } from '../helpers/archive.ts';

// oddities.mbox holds real archive messages; oddities.tsv says which is which (same order).
let odd: ParsedMessage[] = [];
const raws: Buffer[] = [];

before(async () => {
  for await (const it of readMbox([readFileSync(fixture('mbox', 'oddities.mbox'))]))
    if (it.kind === 'message') raws.push(it.raw);
  odd = await Promise.all(raws.map((r) => parseMessage(r)));
});

describe('message parsing on real damaged mail', () => {
  it('decodes a story message and its threading headers', () => {
    const m = odd[0]!;
    assert.equal(m.messageId, '20200219211735.GD54486@cmpxchg.org');
    assert.equal(m.fromName, 'Johannes Weiner');
    assert.equal(m.fromAddr, 'hannes@cmpxchg.org');
    assert.equal(m.date, '2020-02-19T21:17:35Z');
    assert.deepEqual(m.inReplyTo, ['20200219195332.GE11847@dhcp22.suse.cz']);
    assert.match(m.subject, /asynchronous reclaim for memory\.high/);
  });
  it('rejoins a folded In-Reply-To and survives a 5 KB encoded header', () => {
    const m = odd[3]!;
    assert.deepEqual(m.inReplyTo, ['CALvZod5m3otRRqcLBebbgiZbhoYWAMbMg+ESkacJuj64OP=H4Q@mail.gmail.com']);
  });
  it('drops a subject used as an id and keeps an empty Subject empty', () => {
    const m = odd[4]!;
    assert.deepEqual(m.inReplyTo, []);
    assert.deepEqual(m.references, []);
    assert.equal(m.subject, '');
  });
  it('reads a Message-ID followed by "(raw)"', () => {
    assert.equal(odd[6]!.messageId, '20241024065712.1274481-4-shakeel.butt@linux.dev');
  });
  it('flags a bogus charset ("y") and still decodes the text', () => {
    const m = odd[11]!;
    assert.ok(m.problems.some((p) => p.code === 'unknown-charset'));
    assert.ok(m.body.length > 100);
  });
  it('decodes raw UTF-8 headers without MIME headers (Michal Koutný in Cc)', () => {
    const m = odd[12]!;
    assert.equal(m.fromName, 'Tejun Heo');
    assert.ok(raws[12]!.includes(Buffer.from('Koutný', 'utf8')));
    assert.ok(m.body.length > 0);
  });
  it('decodes To and Cc, raw UTF-8 names included, and reads the same from the header alone', async () => {
    const m = odd[12]!;
    assert.equal(m.to, 'Linus Torvalds <torvalds@linux-foundation.org>');
    assert.equal(
      m.cc,
      'linux-kernel@vger.kernel.org, Johannes Weiner <hannes@cmpxchg.org>, Michal Koutný <mkoutny@suse.com>, ' +
        'Waiman Long <longman@redhat.com>, cgroups@vger.kernel.org',
    );
    assert.equal(odd[0]!.to, 'Michal Hocko <mhocko@kernel.org>', 'a folded header is one list');
    assert.equal(
      odd[0]!.cc,
      'Andrew Morton <akpm@linux-foundation.org>, Tejun Heo <tj@kernel.org>, Roman Gushchin <guro@fb.com>, ' +
        'linux-mm@kvack.org, cgroups@vger.kernel.org, linux-kernel@vger.kernel.org, kernel-team@fb.com',
    );
    // The recipients backfill reads the header section only and must agree with ingest.
    for (let i = 0; i < raws.length; i++)
      assert.deepEqual(await parseRecipients(raws[i]!), { to: odd[i]!.to, cc: odd[i]!.cc }, String(i));
    // RFC 2047 words and a group's members; an empty group is no recipient.
    const hand = await parseMessage(
      Buffer.from(
        'From: a@b.c\nTo: unlisted-recipients:; (no To-header on input)\n' +
          'Cc: =?UTF-8?Q?Michal_Koutn=C3=BD?= <mkoutny@suse.com>, friends: x@y.z, "Z Z" <z@w.v>;\n' +
          'Message-ID: <h@a>\nSubject: s\n\nbody\n',
      ),
    );
    assert.deepEqual([hand.to, hand.cc], ['', 'Michal Koutný <mkoutny@suse.com>, x@y.z, Z Z <z@w.v>']);
  });
  it('decodes gbk text', () => {
    const m = odd[13]!;
    assert.ok(!m.body.includes('\uFFFD'.repeat(5)), 'no long runs of replacement characters');
  });
  it('parses a two-digit year', () => {
    assert.equal(odd[14]!.date?.slice(0, 4), '2019');
  });
  it('survives a multipart whose boundary never occurs', () => {
    assert.equal(typeof odd[15]!.body, 'string');
  });
  it('decodes base64 text/plain patch mail (an AMD cover letter sent through Outlook)', () => {
    assert.match(raws[16]!.toString('latin1'), /Content-Transfer-Encoding: base64/i);
    assert.match(odd[16]!.body, /^amdkfd \(part of amdgpu\) driver supports the AMD GPU compute stack\./);
  });
});

describe('message parsing on hostile input', () => {
  it('cuts a 10,000-part multipart to the part limit and says so', async () => {
    const parts = Array.from(
      { length: 10_000 },
      (_, i) => `--b\nContent-Type: text/plain\n\npart ${i}\n`,
    ).join('');
    const raw = Buffer.from(
      `Message-ID: <many@x>\nFrom: a@b.c\nSubject: parts\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n${parts}--b--\n`,
    );
    const t0 = performance.now();
    const m = await parseMessage(raw);
    assert.ok(m.problems.some((p) => p.code === 'too-many-parts'));
    assert.equal(m.messageId, 'many@x');
    assert.ok(performance.now() - t0 < 60_000);
  });
  it('keeps the raw Date header when it cannot be parsed', async () => {
    const m = await parseMessage(
      Buffer.from('Message-ID: <d@x>\nFrom: a@b.c\nDate: the day after tomorrow\nSubject: s\n\nbody\n'),
    );
    assert.equal(m.date, null);
    assert.equal(m.dateRaw, 'the day after tomorrow');
    assert.ok(m.problems.some((p) => p.code === 'bad-date'));
  });
  it('turns binary garbage into an empty but valid result', async () => {
    const buf = Buffer.alloc(4096);
    for (let i = 0; i < buf.length; i++) buf[i] = (i * 7919) % 256;
    const m = await parseMessage(buf);
    assert.equal(typeof m.body, 'string');
    assert.equal(m.messageId, null);
  });
  it('renders an HTML-only message as text and flags it', async () => {
    const m = await parseMessage(
      Buffer.from(
        'Message-ID: <h@x>\nFrom: a@b.c\nSubject: html\nMIME-Version: 1.0\nContent-Type: text/html\n\n<p>Hello <b>there</b></p><script>alert(1)</script>\n',
      ),
    );
    assert.equal(m.htmlOnly, true);
    assert.match(m.body, /Hello there/);
  });
  it('handles CRLF mail', async () => {
    const m = await parseMessage(
      Buffer.from('Message-ID: <c@x>\r\nFrom: A <a@b.c>\r\nSubject: crlf\r\n\r\nline one\r\nline two\r\n'),
    );
    assert.equal(m.messageId, 'c@x');
    assert.match(m.body, /line one\r?\nline two/);
  });
});
