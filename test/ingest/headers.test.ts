// src/ingest/headers.ts: the threading-header reader used for thread extraction, and the
// union-find over Message-IDs. The oracle for the real thread is test/fixtures/INDEX.tsv (the
// corpus index, written independently of argmap), and for the odd headers the messages of
// test/fixtures/mbox/oddities.mbox as read by eye (the values are quoted in the cases).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { IdComponents, readThreadingHeaders, type ThreadingHeaders } from '../../src/ingest/headers.ts';
import { readMbox } from '../../src/mail/mbox.ts';
import { fixture } from '../helpers/archive.ts';

async function messages(file: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const it of readMbox([readFileSync(file)])) if (it.kind === 'message') out.push(it.raw);
  return out;
}

/** message_id -> in_reply_to ('' for none), from the corpus index. */
function corpusIndex(): Map<string, string> {
  const lines = readFileSync(fixture('INDEX.tsv'), 'utf8').trim().split('\n');
  const cols = lines[0]!.split('\t');
  const mi = cols.indexOf('message_id');
  const ri = cols.indexOf('in_reply_to');
  const m = new Map<string, string>();
  for (const l of lines.slice(1)) {
    const c = l.split('\t');
    if (c[mi]) m.set(c[mi]!.replace(/^<|>$/g, ''), (c[ri] ?? '').replace(/^<|>$/g, ''));
  }
  return m;
}

const raw = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('readThreadingHeaders', () => {
  it('on the 28 messages of the 2020 memory.reclaim thread: the ids the corpus index gives', async () => {
    const index = corpusIndex();
    const msgs = await messages(fixture('mbox', 'reclaim-2020.mbox'));
    assert.equal(msgs.length, 28);
    for (const m of msgs) {
      const h = readThreadingHeaders(m);
      assert.ok(h.messageId && index.has(h.messageId), `${h.messageId} is in INDEX.tsv`);
      const parent = index.get(h.messageId)!;
      assert.deepEqual(h.inReplyTo, parent ? [parent] : [], h.messageId);
      // References, when the sender wrote them (SeongJae Park's git send-email reply has none),
      // end with the parent; the root has none.
      if (parent && h.references.length) assert.equal(h.references.at(-1), parent, h.messageId);
      if (!parent) assert.deepEqual(h.references, [], h.messageId);
    }
  });

  it('an In-Reply-To id folded inside its brackets is rejoined (oddities #4)', async () => {
    const h = readThreadingHeaders((await messages(fixture('mbox', 'oddities.mbox')))[3]!);
    assert.equal(h.messageId, 'C11FZ3TMTIH1.2KP5NIUPPQBWT@dlxu-fedora-R90QNFJV');
    assert.deepEqual(h.inReplyTo, ['CALvZod5m3otRRqcLBebbgiZbhoYWAMbMg+ESkacJuj64OP=H4Q@mail.gmail.com']);
  });

  it('a subject pasted as an id names no parent (oddities #5)', async () => {
    const h = readThreadingHeaders((await messages(fixture('mbox', 'oddities.mbox')))[4]!);
    assert.deepEqual(h, {
      messageId: '20220301122143.1521823-1-bigeasy@linutronix.de',
      inReplyTo: [],
      references: [],
    });
  });

  it('a folded References and an In-Reply-To with trailing comment text (oddities #6)', async () => {
    const h = readThreadingHeaders((await messages(fixture('mbox', 'oddities.mbox')))[5]!);
    assert.deepEqual(h, {
      messageId: 'xm26blzlyr9d.fsf@bsegall-linux.svl.corp.google.com',
      inReplyTo: ['1559156926-31336-2-git-send-email-chiluk+linux@indeed.com'],
      references: [
        '1558121424-2914-1-git-send-email-chiluk+linux@indeed.com',
        '1559156926-31336-1-git-send-email-chiluk+linux@indeed.com',
        '1559156926-31336-2-git-send-email-chiluk+linux@indeed.com',
      ],
    });
  });

  it('a Message-ID followed by "(raw)" (oddities #7)', async () => {
    const h = readThreadingHeaders((await messages(fixture('mbox', 'oddities.mbox')))[6]!);
    assert.equal(h.messageId, '20241024065712.1274481-4-shakeel.butt@linux.dev');
    assert.deepEqual(h.inReplyTo, ['20241024065712.1274481-1-shakeel.butt@linux.dev']);
    assert.deepEqual(h.references, ['20241025012304.2473312-1-shakeel.butt@linux.dev']);
  });

  it('reads only the header block: ids quoted in the body are not headers', () => {
    const h = readThreadingHeaders(
      raw('Message-ID: <a@x>\nSubject: s\n\nMessage-ID: <b@x>\nIn-Reply-To: <c@x>\nReferences: <d@x>\n'),
    );
    assert.deepEqual(h, { messageId: 'a@x', inReplyTo: [], references: [] });
  });

  it('CRLF header blocks, any header-name case, and References split over two headers', () => {
    const h = readThreadingHeaders(
      raw(
        'message-id: <a@x>\r\nIN-REPLY-TO: <c@x>\r\nReferences: <b@x>\r\n\t<c@x>\r\nreferences: <e@x>\r\n\r\nbody\n\nIn-Reply-To: <z@x>\n',
      ),
    );
    assert.deepEqual(h, { messageId: 'a@x', inReplyTo: ['c@x'], references: ['b@x', 'c@x', 'e@x'] });
  });

  it('a message that is all header (no blank line) is read to its end; no ids give nulls', () => {
    assert.deepEqual(readThreadingHeaders(raw('Subject: s\nIn-Reply-To: <p@x>')), {
      messageId: null,
      inReplyTo: ['p@x'],
      references: [],
    });
    assert.deepEqual(readThreadingHeaders(raw('')), { messageId: null, inReplyTo: [], references: [] });
  });

  it('headers like X-Original-Message-ID or Resent-Message-ID are not the Message-ID', () => {
    const h = readThreadingHeaders(
      raw('X-Original-Message-ID: <orig@x>\nResent-Message-ID: <resent@x>\nMessage-ID: <real@x>\n\n'),
    );
    assert.equal(h.messageId, 'real@x');
  });
});

/** The naive oracle: components by breadth-first search over the undirected id graph. */
function bfsClosure(hs: ThreadingHeaders[], roots: string[]): Set<string> {
  const adj = new Map<string, Set<string>>();
  const link = (a: string, b: string): void => {
    if (!adj.has(a)) adj.set(a, new Set());
    adj.get(a)!.add(b);
  };
  for (const h of hs) {
    const ids = [h.messageId, ...h.inReplyTo, ...h.references].filter((x): x is string => !!x);
    for (const a of ids) for (const b of ids) link(a, b);
  }
  const out = new Set<string>(roots);
  const queue = roots.filter((r) => adj.has(r));
  while (queue.length) {
    const x = queue.pop()!;
    for (const y of adj.get(x) ?? [])
      if (!out.has(y)) {
        out.add(y);
        queue.push(y);
      }
  }
  return out;
}

describe('IdComponents', () => {
  it('joins a message with every id it names; unknown roots come back as themselves', () => {
    const c = new IdComponents();
    c.add({ messageId: 'a', inReplyTo: [], references: [] });
    c.add({ messageId: 'b', inReplyTo: ['a'], references: ['a'] });
    c.add({ messageId: 'd', inReplyTo: ['c'], references: [] }); // c is a ghost, never seen itself
    c.add({ messageId: 'e', inReplyTo: [], references: [] });
    c.add({ messageId: null, inReplyTo: ['e'], references: ['c'] }); // joins e's and d's threads
    c.add({ messageId: null, inReplyTo: [], references: [] }); // names nothing: ignored
    assert.deepEqual([...c.closure(['a'])].sort(), ['a', 'b']);
    assert.deepEqual([...c.closure(['e'])].sort(), ['c', 'd', 'e']);
    assert.deepEqual([...c.closure(['c', 'b'])].sort(), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual([...c.closure(['zzz'])], ['zzz']);
    assert.equal(c.has('c'), true);
    assert.equal(c.has('zzz'), false);
  });

  it('the reclaim-2020 thread is one component, and the throttle-2019 messages are not in it', async () => {
    const c = new IdComponents();
    const reclaim = (await messages(fixture('mbox', 'reclaim-2020.mbox'))).map(readThreadingHeaders);
    const throttle = (await messages(fixture('mbox', 'throttle-2019.mbox'))).map(readThreadingHeaders);
    for (const h of [...throttle, ...reclaim]) c.add(h);
    const index = corpusIndex();
    // The root of the reclaim thread per the index: the message whose in_reply_to is empty.
    const roots = reclaim.map((h) => h.messageId!).filter((id) => index.get(id) === '');
    assert.equal(roots.length, 1);
    const closure = c.closure(roots);
    for (const h of reclaim) assert.ok(closure.has(h.messageId!), h.messageId!);
    for (const h of throttle) assert.ok(!closure.has(h.messageId!), h.messageId!);
  });

  it('property: closure equals breadth-first search over the same headers, in any order of adding', () => {
    const id = fc.constantFrom(...'abcdefghijklmnop'.split(''));
    const header = fc.record({
      messageId: fc.option(id, { nil: null }),
      inReplyTo: fc.array(id, { maxLength: 2 }),
      references: fc.array(id, { maxLength: 4 }),
    });
    fc.assert(
      fc.property(
        fc.array(header, { maxLength: 25 }),
        fc.array(id, { minLength: 1, maxLength: 3 }),
        (hs, roots) => {
          const c = new IdComponents();
          for (const h of hs) c.add(h);
          assert.deepEqual([...c.closure(roots)].sort(), [...bfsClosure(hs, roots)].sort());
          const r = new IdComponents();
          for (const h of [...hs].reverse()) r.add(h);
          assert.deepEqual([...r.closure(roots)].sort(), [...bfsClosure(hs, roots)].sort());
        },
      ),
      { numRuns: 500 },
    );
  });
});
