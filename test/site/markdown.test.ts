// Decision-record Markdown: raw HTML is escaped, only http(s), mailto and in-site links survive,
// images never load, citations are rendered by the caller.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown, type CitationToken } from '../../src/site/markdown.ts';

const seen: CitationToken[] = [];
const opts = {
  cite: (c: CitationToken) => {
    seen.push(c);
    return `<cite-${c.kind}>`;
  },
  relativeLink: (u: string) =>
    /^[a-z-]+\.md$/.test(u) ? u.replace(/\.md$/, '.html') : u.startsWith('#') ? u : null,
};

function render(md: string): string {
  return renderMarkdown(md, opts);
}

describe('renderMarkdown', () => {
  it('escapes raw HTML, block and inline', () => {
    const out = render(
      '<script>alert(1)</script>\n\nText <img src=x onerror=alert(2)> and <b onclick="x()">b</b>.\n\n<iframe src="https://evil.example"></iframe>',
    );
    assert.doesNotMatch(out, /<script|<img|<iframe|<b /i);
    assert.match(out, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(out, /&lt;img src=x onerror=alert\(2\)&gt;/);
  });

  it('drops HTML comments (the model-result markers)', () => {
    const out = render('The run is expected to show it. <!-- model-result: S2 -->');
    assert.doesNotMatch(out, /model-result|&lt;!--/);
  });

  it('keeps http(s) and mailto links and marks them external', () => {
    const out = render('[lore](https://lore.kernel.org/x) [mail](mailto:a@b.example)');
    assert.match(
      out,
      /<a href="https:\/\/lore.kernel.org\/x" rel="noopener noreferrer nofollow" class="ext">lore<\/a>/,
    );
    assert.match(out, /<a href="mailto:a@b.example"/);
  });

  it('drops javascript:, data: and protocol-relative links, keeping their text', () => {
    for (const href of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      '//evil.example/x',
      'vbscript:x',
      '&#106;avascript:alert(1)',
    ]) {
      const out = render(`[click](${href})`);
      assert.doesNotMatch(out, /<a /, href);
      assert.match(out, /click/);
    }
    assert.doesNotMatch(render('<javascript:alert(1)>'), /href="javascript/i);
  });

  it('rewrites links between records and keeps in-page anchors', () => {
    assert.match(render('[nodes](memory-reclaim-nodes.md)'), /href="memory-reclaim-nodes.html"/);
    assert.match(render('[O1](#o1)'), /href="#o1"/);
  });

  it('never loads an image: it becomes a link or plain text', () => {
    const out = render('![chart](https://evil.example/track.png) ![x](javascript:alert(1))');
    assert.doesNotMatch(out, /<img/);
    assert.match(out, /\[image: chart\]/);
  });

  it('hands every citation kind to the caller, with its paragraph', () => {
    seen.length = 0;
    const out = render(
      'A [msg:abc@x.example#p3] B [msg:def@y] C [commit:94968384dde1] D [model:S2] E [claim:q@z#p1]',
    );
    assert.deepEqual(
      seen.map((c) => [c.kind, c.target, c.paragraph]),
      [
        ['msg', 'abc@x.example', 3],
        ['msg', 'def@y', null],
        ['commit', '94968384dde1', null],
        ['model', 'S2', null],
        ['claim', 'q@z', 1],
      ],
    );
    assert.match(out, /<cite-msg>.*<cite-commit>.*<cite-model>/s);
  });

  it('gives objection headings stable anchors and status lines a badge', () => {
    const out = render(
      '### O1. The first one\n\n- **Status:** addressed in v2\n\n### O2. Another\n\n## Summary\n\n## Summary',
    );
    assert.match(out, /<h3 id="o1">/);
    assert.match(out, /<h3 id="o2">/);
    assert.match(out, /<span class="status st-addressed">addressed in v2<\/span>/);
    assert.match(out, /id="summary".*id="summary-2"/s);
  });
});
