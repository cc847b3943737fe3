// The graph's text passes (segmenting a body into quotes and own paragraphs, topic matching, word
// shingles, patch-id) on adversarial bodies of 1 MB, the size MAX_BODY_BYTES lets through. Found
// linear by fuzzing (repeated and mixed units of quote markers, attribution lines, Outlook headers,
// diff lines and blank lines: under 300 ms at 1 MB); the worker fails after a minute if a change
// makes one of them backtrack, instead of hanging the suite.
import { it } from 'node:test';
import { assertAllReturn, callsOf, fill, type HostileCall } from '../helpers/hostile.ts';

it('segmenter, topics, shingles and patch-id on 1 MB hostile bodies', async () => {
  const calls: HostileCall[] = [
    ...callsOf('src/graph/segment.ts', 'segmentBody', [
      fill('', '> \n'),
      fill('', '>\n> '),
      fill('', 'On a, b wrote:\n'),
      fill('', '-----Original Message-----\n'),
      fill('', '---\n'),
    ]),
    ...callsOf('src/graph/topics.ts', 'topicsOf', [fill('', 'memory.'), fill('', 'memory.high ')]),
    ...callsOf('src/mail/shingle.ts', 'wordHashes', [fill('[PATCH ', 'v\n')]),
    ...callsOf('src/graph/patchid.ts', 'patchId', [
      fill('diff --git a/x b/x\n--- a/x\n+++ b/x\n', '@@ -1 +1 @@\n'),
      fill('', '-|\n\n'),
    ]),
  ];
  await assertAllReturn(calls);
});
