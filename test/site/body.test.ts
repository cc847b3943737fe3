// A message body as the site shows it (src/site/body.ts), on Michal Hocko's first reply to the
// 2020 memory.reclaim patch (reclaim-2020.mbox, 20200921163055.GQ12990@dhcp22.suse.cz): one
// attribution line, 23 quoted lines of the patch's change log, three paragraphs of his own and
// the "-- " signature. Block kinds, paragraph texts and the quote's source were read off the mail.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bodyOf } from '../helpers/mail.ts';
import {
  findSource,
  isProse,
  parseBody,
  renderBlocks,
  type BodyLinks,
  type ParsedBody,
} from '../../src/site/body.ts';
import { RECLAIM_MBOX as MBOX, RECLAIM_ROOT as ROOT, HOCKO_FIRST as HOCKO } from '../helpers/fixture-ids.ts';

let reply: ParsedBody;
let patch: ParsedBody;
before(async () => {
  reply = parseBody(await bodyOf(MBOX, HOCKO));
  patch = parseBody(await bodyOf(MBOX, ROOT));
});

const links = (over: Partial<BodyLinks> = {}): BodyLinks => ({
  source: (mid, para) => `/m/${mid}#p${para}`,
  author: (mid) => (mid === ROOT ? 'Shakeel Butt' : '?'),
  anchor: 'm7',
  quotedBy: () => [],
  ...over,
});

describe('parsing', () => {
  it('splits the reply into attribution, quote, three paragraphs and the signature', () => {
    assert.deepEqual(
      reply.blocks.map((b) => (b.kind === 'para' ? `para ${b.n}` : b.kind)),
      ['attribution', 'quote', 'para 1', 'para 2', 'para 3', 'signature'],
    );
    const q = reply.blocks[1]!;
    assert.ok(q.kind === 'quote');
    assert.equal(q.lineCount, 23);
    const sig = reply.blocks[5]!;
    assert.ok(sig.kind === 'signature');
    // the body ends with a newline, which the signature keeps as an empty last line
    assert.deepEqual(sig.lines.slice(0, 3), ['-- ', 'Michal Hocko', 'SUSE Labs']);
    assert.ok(sig.lines.slice(3).every((l) => l === ''));
  });

  it('numbers the own paragraphs as the claims do, with white space collapsed', () => {
    assert.equal(reply.paragraphs.length, 3);
    assert.ok(
      reply.paragraphs[0]!.startsWith(
        'As those are presumably in the same cgroup what does prevent them to get stuck',
      ),
    );
    assert.ok(reply.paragraphs[1]!.startsWith('I am also more interested in actual numbers here.'));
    assert.ok(reply.paragraphs[2]!.endsWith('and who knows what else.'));
    for (const p of reply.paragraphs) assert.doesNotMatch(p, /\n| {2}/);
  });

  it('breaks the quote into fragments at empty quoted lines, and marks the one the reply answers', () => {
    const q = reply.blocks[1]!;
    assert.ok(q.kind === 'quote');
    assert.equal(
      q.fragments[0]!.text,
      'Introduce an memcg interface to trigger memory reclaim on a memory cgroup.',
    );
    assert.ok(q.fragments.every((f) => f.depth === 1));
    const answered = q.fragments.filter((f) => f.answered);
    assert.equal(answered.length, 1);
    assert.ok(answered[0]!.text.startsWith('Similarly there are cases of single process applications'));
    assert.ok(answered[0]!.text.endsWith('can get stuck in high reclaim.'));
  });

  it('keeps the patch as a patch block after the change log', () => {
    const kinds = patch.blocks.map((b) => b.kind);
    assert.equal(kinds[0], 'para');
    assert.ok(kinds.includes('patch'));
    assert.ok(patch.paragraphs[0]!.startsWith('Introduce an memcg interface'));
  });
});

describe('quote sources', () => {
  it('finds the quoted change-log paragraph in the patch mail', () => {
    const q = reply.blocks[1]!;
    assert.ok(q.kind === 'quote');
    const anc = [{ messageId: ROOT, paragraphs: patch.paragraphs }];
    assert.deepEqual(findSource(q.fragments[0]!, anc), { messageId: ROOT, para: 1 });
    const n = patch.paragraphs.findIndex((p) => p.startsWith('Similarly there are cases')) + 1;
    assert.ok(n > 0);
    assert.deepEqual(
      findSource(
        q.fragments.find((f) => f.answered)!,
        anc,
      ),
      { messageId: ROOT, para: n },
    );
  });

  it('links nothing it cannot find, nor short or attribution fragments', () => {
    const frag = {
      depth: 1,
      lines: [],
      text: 'words nobody wrote in that mail',
      attribution: false,
      answered: false,
    };
    const anc = [{ messageId: ROOT, paragraphs: patch.paragraphs }];
    assert.equal(findSource(frag, anc), undefined);
    assert.equal(findSource({ ...frag, text: 'Use cases:' }, anc), undefined);
    assert.equal(findSource({ ...frag, text: patch.paragraphs[0]!, attribution: true }, anc), undefined);
    assert.equal(findSource({ ...frag, text: patch.paragraphs[0]! }, []), undefined);
  });
});

describe('prose', () => {
  it('reflows wrapped prose only', () => {
    const [p1] = reply.blocks.filter((b) => b.kind === 'para');
    assert.ok(p1 && p1.kind === 'para');
    assert.equal(isProse(p1.lines), true);
    assert.equal(isProse(['Use cases:', '----------']), false);
    assert.equal(
      isProse(['A list of what we need, long enough to wrap in a mail:', '1) per-memcg uswapd']),
      false,
    );
    assert.equal(isProse(['\tindented code']), false);
    assert.equal(isProse(['short', 'lines']), false);
    assert.equal(isProse(['one line']), true);
    assert.equal(isProse([]), true);
  });
});

describe('rendering', () => {
  it('gives each paragraph its anchor, number, stance label and reply count', () => {
    const h = String(
      renderBlocks(
        reply.blocks,
        links({
          claim: (n) =>
            n === 3
              ? { stance: 'objects-to', reason: 'rule x', status: 'open' }
              : n === 1
                ? { stance: 'asks', reason: 'r', status: null, unsureOf: 'objects-to' }
                : undefined,
          quotedBy: (n) =>
            n === 3
              ? [
                  ['/m/a#p1', 'Shakeel Butt'],
                  ['/m/b#p2', 'Johannes Weiner'],
                ]
              : [],
        }),
      ),
    );
    for (const n of [1, 2, 3]) assert.match(h, new RegExp(`<p class="own" id="m7-p${n}"`));
    assert.match(h, /<span class="stance s-objects-to" title="rule x">objects · open<\/span>/);
    assert.match(h, /unsure: asks or objects\?/);
    assert.match(h, /<a href="\/m\/a#p1" title="Shakeel Butt; Johannes Weiner"\s*>2 replies<\/a/);
    assert.match(h, /<pre class="sig">-- \nMichal Hocko\nSUSE Labs\n*<\/pre>/);
  });

  it('folds the quote to one line with its length and source', () => {
    const q = reply.blocks[1]!;
    assert.ok(q.kind === 'quote');
    const anc = [{ messageId: ROOT, paragraphs: patch.paragraphs }];
    for (const f of q.fragments) {
      const s = findSource(f, anc);
      if (s) f.source = s;
    }
    const h = String(renderBlocks([q], links()));
    assert.match(h, /23 lines/);
    assert.match(h, /<span class="qfirst">Similarly there are cases/);
    assert.match(
      h,
      /class="qsrc" href="\/m\/20200909215752\.1725525-1-shakeelb@google\.com#p\d+"\s*>Shakeel Butt ¶\d+/,
    );
  });

  it('escapes the mail text', () => {
    const b = parseBody('I think <b>this</b> & "that" break.\n');
    const h = String(renderBlocks(b.blocks, links()));
    assert.match(h, /I think &lt;b&gt;this&lt;\/b&gt; &amp; &quot;that&quot; break\./);
  });
});
