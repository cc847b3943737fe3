// What a reply's body says about its parent, on the shapes real replies have (Gmail's wrapped
// attribution, Gnus inside a quote, nested quotes), checked by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { containment, ownShingles, quoteShingles, replyEvidence } from '../../src/thread/evidence.ts';

describe('replyEvidence', () => {
  it('finds the parent’s attribution (wrapped over two lines) and the grandparent’s inside the quote', () => {
    const body = [
      'On Thu, Mar 31, 2022 at 10:25 AM Roman Gushchin',
      '<roman.gushchin@linux.dev> wrote:',
      '>',
      '> On Thu, Mar 31, 2022 at 08:41:51AM +0000, Yosry Ahmed wrote:',
      '> > From: Shakeel Butt <shakeelb@google.com>',
      '>',
      "> I'm totally up for the proposed feature!",
      '',
      'Thanks for taking a look!',
    ].join('\n');
    const ev = replyEvidence(body);
    assert.deepEqual(
      ev.attributions.map((a) => [a.depth, a.parsed.name, a.parsed.when?.hour, a.parsed.when?.minute]),
      [
        [0, 'Roman Gushchin', 10, 25],
        [1, 'Yosry Ahmed', 8, 41],
      ],
    );
    assert.equal(ev.quoted.trim(), "I'm totally up for the proposed feature!");
  });
  it('reads a Gnus "X writes:" line, which names no time', () => {
    const ev = replyEvidence('Wei Xu <weixugc@google.com> writes:\n\n> some text\n\nmy answer');
    assert.equal(ev.attributions[0]!.parsed.name, 'Wei Xu');
    assert.equal(ev.attributions[0]!.parsed.when, null);
  });
  it('finds nothing in a message that quotes nothing', () => {
    assert.deepEqual(replyEvidence('Just a posting.\n\nThanks'), { attributions: [], quoted: '' });
  });
});

describe('containment', () => {
  const parent = 'Is it optimal to do the MAX_RECLAIM_RETRIES loop in the kernel? It seems odd to me.';
  const sibling = `> ${parent}\n\nI think it is fine to loop in the kernel here.`;
  it('is high for the message whose own text was quoted, low for a sibling that quoted it too', () => {
    const q = quoteShingles(parent);
    assert.equal(containment(q, ownShingles(parent)), 1);
    assert.ok(containment(q, ownShingles(sibling)) < 0.2);
  });
  it('is 0 for an empty quote', () => {
    assert.equal(containment(new Set(), ownShingles(parent)), 0);
  });
});
