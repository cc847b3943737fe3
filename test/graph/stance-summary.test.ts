// The thread outline's stances per message: the most frequent first, ties in reading priority,
// neutral never named. Cases worked by hand.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { leadingStances } from '../../src/graph/stance-summary.ts';

it('names the most frequent stances, ties in reading priority, neutral never', () => {
  assert.deepEqual(leadingStances(['objects-to', 'answers', 'answers', 'neutral', 'neutral', 'neutral']), [
    'answers',
    'objects-to',
  ]);
  // a tie: objections before concessions before answers
  assert.deepEqual(leadingStances(['answers', 'concedes', 'objects-to']), ['objects-to', 'concedes']);
  assert.deepEqual(leadingStances(['supports', 'proposes', 'proposes'], 1), ['proposes']);
  assert.deepEqual(leadingStances(['neutral', 'something-unknown']), []);
  assert.deepEqual(leadingStances([]), []);
});
