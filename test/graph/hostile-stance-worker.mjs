// Worker for test/graph/stance.test.ts: decides the stance of hostile paragraphs in a thread the
// test can terminate, because a backtracking regular expression cannot be interrupted in-thread.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { decideStance } = await import('../../src/graph/stance.ts');
const reasons = [];
for (const text of workerData.texts)
  for (const inPosting of [false, true])
    reasons.push(
      decideStance({
        text,
        kind: 'para',
        inPosting,
        writerIsProposer: !inPosting,
        quote: text,
        directlyUnderQuote: true,
        quoteAnswersWriter: false,
        nextLine: null,
        previous: null,
        quotedStances: ['objects-to'],
      }).reason,
    );
parentPort.postMessage(reasons);
