// The index's text processing (src/search/lunr-setup.ts), shared by the Node build and the browser:
// words, their parts, stems and positions as the module's comment promises for kernel mail, and
// the pipeline functions lunr loads the index with. Expected terms are lunr's Porter stems,
// written out by hand ("throttling" → "throttl", "memory" → "memori").
// The 'index terms' block was moved here from test/search/index-build.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  indexTerms,
  lunr,
  MAX_WORD,
  phraseTerms,
  PIPELINE_LABELS,
  processWord,
  queryTerm,
  registerLunr,
  STOP_WORDS,
  tokenSpan,
} from '../../src/search/lunr-setup.ts';

describe('index terms', () => {
  it('index identifiers whole and by parts; stem words but not code', () => {
    assert.deepEqual(indexTerms('memory.high throttling shrink_node per-memcg'), [
      'memory.high',
      'memori',
      'high',
      'throttl',
      'shrink_node',
      'shrink',
      'node',
      'per-memcg',
      'per',
      'memcg',
    ]);
    assert.deepEqual(indexTerms('über Straße'), ['über', 'straße']);
    assert.deepEqual(indexTerms('not the no'), ['not', 'no']);
  });

  it('gives each term its position as FTS5 counts words (stop words keep their place)', () => {
    const at: number[] = [];
    const terms = indexTerms('The memory.high of mm/lru_gen.c', at);
    assert.deepEqual(
      terms.map((t, i) => `${t}@${at[i]}`),
      ['memory.high@1', 'memori@1', 'high@2', 'mm/lru_gen.c@4', 'mm@4', 'lru_gen@5', 'lru@5', 'gen@6'],
    );
    assert.deepEqual(indexTerms('The memory.high of mm/lru_gen.c'), terms);
    assert.deepEqual(phraseTerms(['memory.high', 'of', 'mm/lru_gen.c']), [
      { term: 'memori', offset: 0, word: 'memory' },
      { term: 'high', offset: 1, word: 'high' },
      { term: 'mm', offset: 3, word: 'mm' },
      { term: 'lru', offset: 4, word: 'lru' },
      { term: 'gen', offset: 5, word: 'gen' },
    ]);
    assert.deepEqual(
      [tokenSpan('mm/lru_gen.c'), tokenSpan('zswap'), tokenSpan('__'), tokenSpan('x86_64')],
      [4, 1, 0, 2],
    );
  });
});

describe('words and query terms', () => {
  it('drops stop words but keeps not and no', () => {
    for (const w of ['the', 'of', 'and', 'is']) {
      assert.ok(STOP_WORDS.has(w), w);
      assert.equal(processWord(w), null);
    }
    assert.ok(!STOP_WORDS.has('not') && !STOP_WORDS.has('no'));
    assert.equal(processWord('not'), 'not');
  });

  it('stems plain words, never code-like ones', () => {
    assert.equal(processWord('reclaiming'), 'reclaim');
    for (const w of ['shrink_node', 'x86', 'mm/vmscan.c', 'per-memcg', 'memory.high', 'c++'])
      assert.equal(processWord(w), w, w);
  });

  it('lower-cases and cuts query words at MAX_WORD, as the index does', () => {
    assert.equal(queryTerm('Throttling'), 'throttl');
    assert.equal(queryTerm('The'), null);
    const long = 'a1'.repeat(MAX_WORD);
    assert.equal(queryTerm(long), long.slice(0, MAX_WORD));
    assert.deepEqual(indexTerms(long), [long.slice(0, MAX_WORD)]);
  });
});

describe('phrases', () => {
  it('keeps the place of a stop word inside a phrase, and drops those at its ends', () => {
    assert.deepEqual(phraseTerms(['the', 'memory', 'of', 'cgroups', 'the']), [
      { term: 'memori', offset: 1, word: 'memory' },
      { term: 'cgroup', offset: 3, word: 'cgroups' },
    ]);
  });

  it('looks a compound up by its parts of two letters or more, or whole when it has none', () => {
    assert.deepEqual(phraseTerms(['Memory_High']), [
      { term: 'memori', offset: 0, word: 'memory' },
      { term: 'high', offset: 1, word: 'high' },
    ]);
    assert.deepEqual(phraseTerms(['a.b', 'limit']), [
      { term: 'a.b', offset: 0, word: 'a.b' },
      { term: 'limit', offset: 2, word: 'limit' },
    ]);
  });
});

describe('registerLunr', () => {
  it('registers the stop-word and stemmer functions under the labels the index stores, once', () => {
    registerLunr();
    registerLunr();
    const [stopLabel, stemLabel] = PIPELINE_LABELS;
    const fns = (lunr.Pipeline as unknown as { registeredFunctions: Record<string, lunr.PipelineFunction> })
      .registeredFunctions;
    const stop = fns[stopLabel!]!;
    const stem = fns[stemLabel!]!;
    const tok = (s: string): lunr.Token => new lunr.Token(s, {});
    assert.equal(stop(tok('the'), 0, []), undefined);
    assert.equal(String(stop(tok('not'), 0, [])), 'not');
    assert.equal(String(stem(tok('throttling'), 0, [])), 'throttl');
    assert.equal(String(stem(tok('shrink_node'), 0, [])), 'shrink_node');
    const p = lunr.Pipeline.load([stopLabel!, stemLabel!]);
    assert.deepEqual(p.run([tok('the'), tok('reclaiming')]).map(String), ['reclaim']);
  });
});
