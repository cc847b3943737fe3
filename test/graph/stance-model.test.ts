/**
 * The stance model's pure parts: which features a paragraph yields, the probabilities a weights
 * file gives (expected values worked out by hand), and the checks that refuse a damaged file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  callStance,
  checkModelFile,
  MAX_FEATURE_CHARS,
  MODEL_FORMAT,
  softmax,
  stanceFeatures,
  stanceProbabilities,
  type StanceExample,
  type StanceModelFile,
} from '../../src/graph/stance-model.ts';
import { STANCES, type StanceInput } from '../../src/graph/stance.ts';

function example(text: string, over: Partial<StanceInput> = {}, rule = 'objects-to' as const): StanceExample {
  return {
    input: {
      text,
      kind: 'para',
      inPosting: false,
      writerIsProposer: false,
      quote: 'Why do we need a new interface for this?',
      directlyUnderQuote: true,
      quoteAnswersWriter: false,
      nextLine: null,
      previous: null,
      quotedStances: ['proposes'],
      ...over,
    },
    rule: { stance: rule, reason: 'obj.cue: "I do not think"', confidence: 0.6 },
    ctx: { n: 1, paras: 3, depth: 2, writerObjectedBefore: true, messageAcks: false, previousCues: [] },
  };
}

function model(weights: StanceModelFile['weights'], over: Partial<StanceModelFile> = {}): StanceModelFile {
  return {
    format: MODEL_FORMAT,
    classes: [...STANCES],
    weights,
    bias: {},
    temperature: 1,
    rulePrior: 0,
    trained: {},
    ...over,
  };
}

describe('stanceFeatures', () => {
  const f = new Set(stanceFeatures(example('I do not think this is needed. Nack?')));

  it("names the rules' verdict, the structure and the words", () => {
    for (const name of [
      'rs:objects-to',
      'rid:obj.cue',
      'post:0',
      'prop:0',
      'underq:1',
      'qasks',
      'qs:proposes',
      'objbefore',
      'first:1',
      'last:0',
      'w:nack?',
      'b:do_not',
      'o2:i_do',
      'q:interface',
      'has?',
      'ends?',
      'cue:object',
      'cue:object@1',
      'cue:nack',
    ])
      assert.ok(f.has(name), name);
  });

  it('gives each feature once', () => {
    const list = stanceFeatures(example('yes yes yes yes'));
    assert.equal(list.length, new Set(list).size);
  });

  it('reads at most MAX_FEATURE_CHARS of a hostile paragraph', () => {
    const huge = 'word'.repeat(10) + ' ' + Array.from({ length: 200_000 }, (_, i) => `w${i}`).join(' ');
    const n = stanceFeatures(example(huge)).length;
    // two features per word at most (unigram, bigram): bounded by the characters read, not the input
    assert.ok(n < MAX_FEATURE_CHARS, `${n} features`);
  });
});

describe('stanceProbabilities', () => {
  it('is a softmax of the summed weights (worked by hand)', () => {
    const m = model({ 'w:nack': { nacks: 2 } });
    const p = stanceProbabilities(m, ['w:nack', 'w:unknown'], 'objects-to');
    // e^2 / (e^2 + 9 e^0) = 7.389 / 16.389
    assert.ok(Math.abs(p[STANCES.indexOf('nacks')]! - 0.4509) < 1e-3);
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  });

  it("flattens with the temperature and adds the rule prior to the rules' class", () => {
    const t2 = stanceProbabilities(model({ 'w:nack': { nacks: 2 } }, { temperature: 2 }), ['w:nack'], 'asks');
    // e^1 / (e^1 + 9) = 2.718 / 11.718
    assert.ok(Math.abs(t2[STANCES.indexOf('nacks')]! - 0.232) < 1e-3);
    const prior = stanceProbabilities(model({}, { rulePrior: 2 }), [], 'asks');
    assert.ok(Math.abs(prior[STANCES.indexOf('asks')]! - 0.4509) < 1e-3);
  });

  it('softmax is stable for large scores', () => {
    const p = softmax([1000, 1000, -1000]);
    assert.deepEqual(
      p.map((x) => Math.round(x * 100) / 100),
      [0.5, 0.5, 0],
    );
  });
});

describe('callStance', () => {
  it('returns the best stance, its probability and the runner-up', () => {
    const m = model({ 'w:nack': { nacks: 3, 'objects-to': 2 } });
    const c = callStance(m, example('Nack'));
    assert.equal(c.stance, 'nacks');
    assert.equal(c.alt, 'objects-to');
    assert.ok(c.p > c.altP && c.altP > 0);
  });
});

describe('checkModelFile', () => {
  const good = model({ 'w:a': { asks: 1 } });

  it('accepts a well-formed file', () => {
    assert.equal(checkModelFile(JSON.parse(JSON.stringify(good))).classes.length, STANCES.length);
  });

  for (const [what, bad, msg] of [
    ['another format', { ...good, format: 99 }, /format 99/],
    ['an unknown class', { ...good, classes: ['asks', 'shouts'] }, /known stances/],
    ['a zero temperature', { ...good, temperature: 0 }, /temperature/],
    [
      'a weight for a class it does not have',
      { ...good, weights: { 'w:a': { shouts: 1 } } },
      /bad weight w:a\/shouts/,
    ],
    ['a non-number weight', { ...good, weights: { 'w:a': { asks: 'x' } } }, /bad weight/],
    ['no rule prior', { ...good, rulePrior: undefined }, /rulePrior/],
    ['not an object', 'hello', /not a JSON object|format/],
  ] as const)
    it(`refuses ${what}`, () => assert.throws(() => checkModelFile(bad), msg));
});
