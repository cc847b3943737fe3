// The graph's text passes (segmenting a body into quotes and own paragraphs, topic matching, word
// shingles, patch-id) on adversarial bodies of 1 MB, the size MAX_BODY_BYTES lets through. Found
// linear by fuzzing (repeated and mixed units of quote markers, attribution lines, Outlook headers,
// diff lines and blank lines: under 300 ms at 1 MB); the worker fails after a minute if a change
// makes one of them backtrack, instead of hanging the suite.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { runHostile, type HostileCall } from '../helpers/hostile.ts';

const SIZE = 1_000_000;
const fill = (prefix: string, unit: string): string => prefix + unit.repeat(Math.ceil(SIZE / unit.length));

it('segmenter, topics, shingles and patch-id on 1 MB hostile bodies', async () => {
  const calls: HostileCall[] = [
    { module: 'src/graph/segment.ts', fn: 'segmentBody', input: fill('', '> \n') },
    { module: 'src/graph/segment.ts', fn: 'segmentBody', input: fill('', '>\n> ') },
    { module: 'src/graph/segment.ts', fn: 'segmentBody', input: fill('', 'On a, b wrote:\n') },
    { module: 'src/graph/segment.ts', fn: 'segmentBody', input: fill('', '-----Original Message-----\n') },
    { module: 'src/graph/segment.ts', fn: 'segmentBody', input: fill('', '---\n') },
    { module: 'src/graph/topics.ts', fn: 'topicsOf', input: fill('', 'memory.') },
    { module: 'src/graph/topics.ts', fn: 'topicsOf', input: fill('', 'memory.high ') },
    { module: 'src/mail/shingle.ts', fn: 'wordHashes', input: fill('[PATCH ', 'v\n') },
    {
      module: 'src/graph/patchid.ts',
      fn: 'patchId',
      input: fill('diff --git a/x b/x\n--- a/x\n+++ b/x\n', '@@ -1 +1 @@\n'),
    },
    { module: 'src/graph/patchid.ts', fn: 'patchId', input: fill('', '-|\n\n') },
  ];
  assert.equal((await runHostile(calls)).length, calls.length);
});
