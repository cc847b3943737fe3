// The page chrome (src/site/layout.ts): the Content-Security-Policy every page carries (and the
// search page's one exception), links relative to the page's depth so the site works from
// file://, breadcrumbs, and dates as the pages print them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertGolden } from '../helpers/golden.ts';
import { CSP, fmtDate, layout, SEARCH_CSP } from '../../src/site/layout.ts';
import { html } from '../../src/site/html.ts';

/** The page's policy as the browser reads the attribute (entities decoded). */
const csp = (page: string): string =>
  /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page)![1]!.replace(/&#39;/g, "'");

describe('layout', () => {
  it('puts the strict policy on every page and lets only the search page connect to its origin', () => {
    const plain = layout({ path: 't/x.html', title: 'T' }, html`<p>x</p>`);
    assert.equal(csp(plain), CSP);
    assert.match(CSP, /connect-src 'none'/);
    assert.match(CSP, /script-src 'self'(;|$)/, 'no inline scripts');
    assert.equal(csp(layout({ path: 'search.html', title: 'S', connectSelf: true }, html``)), SEARCH_CSP);
    assert.equal(SEARCH_CSP, CSP.replace("connect-src 'none'", "connect-src 'self'"));
  });

  it('links assets, scripts and the JSON twin relative to the page', () => {
    const deep = layout(
      { path: 'map/t/x.html', title: 'T', json: true, scripts: ['assets/model.js'] },
      html``,
    );
    assert.match(deep, /href="\.\.\/\.\.\/assets\/favicon\.svg"/);
    assert.match(deep, /<script[^>]+src="\.\.\/\.\.\/assets\/model\.js"/);
    assert.match(deep, /<a href="\.\.\/\.\.\/map\/t\/x\.json">This page as JSON<\/a>/);
    const top = layout({ path: 'index.html', title: 'T' }, html``);
    assert.match(top, /href="assets\/favicon\.svg"/);
    assert.doesNotMatch(top, /This page as JSON/);
  });

  it('escapes the title and marks the last crumb as the current page', () => {
    const p = layout(
      {
        path: 't/x.html',
        title: '<b>Re: [PATCH]</b>',
        crumbs: [
          ['Threads', 't/index.html'],
          ['<i>x</i>', null],
        ],
      },
      html``,
    );
    assert.match(p, /<title>&lt;b&gt;Re: \[PATCH\]&lt;\/b&gt; · argmap<\/title>/);
    assert.match(
      p,
      /<a href="\.\.\/t\/index\.html">Threads<\/a><span class="sep">\/<\/span><span aria-current="page">&lt;i&gt;x&lt;\/i&gt;<\/span>/,
    );
  });

  it('has no inline script or event handler', () => {
    const p = layout(
      { path: 'index.html', title: 'T', json: true, scripts: ['assets/search.js'] },
      html`<p>x</p>`,
    );
    assert.doesNotMatch(p, /<script(?![^>]*\bsrc=)[^>]*>/);
    assert.doesNotMatch(p, /\son[a-z]+=/i);
  });
});

describe('fmtDate', () => {
  it('prints the day, or the day and UTC time', () => {
    const cases: [[string | null | undefined, boolean], string][] = [
      [['2020-09-21T16:30:55Z', false], '2020-09-21'],
      [['2020-09-21T16:30:55Z', true], '2020-09-21 16:30 UTC'],
      [['2020-09-21', true], '2020-09-21'],
      [['2020-09', false], '2020-09'],
      [['', false], 'undated'],
      [[null, false], 'undated'],
      [[undefined, true], 'undated'],
    ];
    assertGolden(cases, ([iso, withTime]) => fmtDate(iso, withTime));
  });
});
