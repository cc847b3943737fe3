// The precedence of a paragraph's three readings (override > record > rules) and what a decision
// record's classification implies for a stance and an objection status (src/graph/records.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { finalStance, graphStatus, recordStance, settlement } from '../../src/graph/records.ts';

describe('precedence: override > record > rules', () => {
  it('the rules stand alone', () => {
    assert.deepEqual(finalStance({ rules: 'asks' }), { stance: 'asks', source: 'rules' });
    assert.deepEqual(finalStance({ rules: 'asks', record: null, override: null }), {
      stance: 'asks',
      source: 'rules',
    });
  });
  it('a record wins over the rules', () => {
    assert.deepEqual(finalStance({ rules: 'asks', record: 'objects-to' }), {
      stance: 'objects-to',
      source: 'record',
    });
  });
  it('an override wins over a record and the rules', () => {
    assert.deepEqual(finalStance({ rules: 'objects-to', record: 'concedes', override: 'supports' }), {
      stance: 'supports',
      source: 'override',
    });
    assert.deepEqual(finalStance({ rules: 'objects-to', override: 'proposes-alternative' }), {
      stance: 'proposes-alternative',
      source: 'override',
    });
  });
});

describe('what a record implies for a cited paragraph', () => {
  it('Raised by: any objection stance agrees; anything else becomes objects-to', () => {
    for (const s of ['objects-to', 'nacks', 'proposes-alternative'] as const)
      assert.equal(recordStance('raised', s, 'open', 'objector'), null);
    // memory.reclaim O1: Michal's "… as well, right?" (the rules: asks)
    assert.equal(recordStance('raised', 'asks', 'conceded', 'objector'), 'objects-to');
    assert.equal(recordStance('raised', 'proposes', 'accepted', 'objector'), 'objects-to');
    assert.equal(recordStance('raised', 'neutral', 'open', 'objector'), 'objects-to');
  });
  it('Settled by a concession or withdrawal: the objector no longer objects', () => {
    // Michal's acked reply YkcEMdsi9G5y8mX4 p3 under memory.reclaim O1 (the rules: objects-to)
    assert.equal(recordStance('settles', 'objects-to', 'conceded', 'objector'), 'concedes');
    assert.equal(recordStance('settles', 'proposes-alternative', 'withdrawn', 'objector'), 'concedes');
    assert.equal(recordStance('settles', 'supports', 'conceded', 'objector'), null);
    assert.equal(recordStance('settles', 'neutral', 'conceded', 'objector'), null);
    // someone else's argument that persuaded the objector may argue either way
    assert.equal(recordStance('settles', 'objects-to', 'conceded', 'party'), null);
    assert.equal(recordStance('settles', 'objects-to', 'withdrawn', 'other'), null);
  });
  it('Settled by a rebuttal: the rebutter does not concede', () => {
    assert.equal(recordStance('settles', 'concedes', 'rebutted', 'party'), 'answers');
    assert.equal(recordStance('settles', 'concedes', 'rebutted', 'other'), 'answers');
    assert.equal(recordStance('settles', 'objects-to', 'rebutted', 'party'), null);
    assert.equal(recordStance('settles', 'concedes', 'rebutted', 'objector'), null);
  });
  it('Settled by accepting or addressing it: the party objected to does not dispute it', () => {
    assert.equal(recordStance('settles', 'objects-to', 'accepted', 'party'), 'concedes');
    assert.equal(recordStance('settles', 'nacks', 'addressed in v2', 'party'), 'concedes');
    assert.equal(recordStance('settles', 'proposes', 'addressed in v2', 'party'), null);
    assert.equal(recordStance('settles', 'objects-to', 'accepted', 'objector'), null);
    assert.equal(recordStance('settles', 'objects-to', 'accepted', 'other'), null);
  });
  it('an open objection settles nothing', () => {
    assert.equal(settlement('open', 'objector'), null);
    assert.equal(settlement('open', 'party'), null);
  });
});

describe("a record's status in the graph's words", () => {
  it('maps each status by who gave way', () => {
    assert.equal(graphStatus('open'), 'open');
    assert.equal(graphStatus('rebutted'), 'rebutted');
    assert.equal(graphStatus('conceded'), 'withdrawn'); // the objector accepted the proposal
    assert.equal(graphStatus('withdrawn'), 'withdrawn');
    assert.equal(graphStatus('accepted'), 'conceded'); // the proposal's side accepted the objection
    assert.equal(graphStatus('addressed in v2'), 'addressed');
    assert.equal(graphStatus('addressed in v12'), 'addressed');
  });
});
