// The HTML template escapes every interpolation; only markup the site built passes through.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html, join, raw, safeUrl, visible } from '../../src/site/html.ts';

describe('html``', () => {
  it('escapes interpolated text, attributes included', () => {
    const evil = `"><script>alert(1)</script><img src=x onerror='alert(2)'>`;
    const out = html`<a title="${evil}">${evil}</a>`.value;
    assert.equal(out.includes('<script>'), false);
    assert.equal(out.includes('<img'), false);
    assert.equal(out.includes(`"><`), false);
    assert.equal(
      out,
      `<a title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&#39;alert(2)&#39;&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&#39;alert(2)&#39;&gt;</a>`,
    );
  });

  it('nests SafeHtml without double escaping, and joins arrays', () => {
    const inner = html`<b>${'a&b'}</b>`;
    assert.equal(
      html`<p>${inner}${[html`<i>1</i>`, '<2>']}</p>`.value,
      '<p><b>a&amp;b</b><i>1</i>&lt;2&gt;</p>',
    );
    assert.equal(join(['<a>', raw('<br>')], ', ').value, '&lt;a&gt;, <br>');
  });

  it('does not take a look-alike object for SafeHtml', () => {
    const fake = { value: '<script>x</script>', toString: () => '<script>x</script>' };
    assert.equal(html`${fake as unknown as string}`.value, '&lt;script&gt;x&lt;/script&gt;');
  });

  it('shows bidi overrides and control characters instead of obeying them', () => {
    assert.equal(visible('abc\u202Etxt.exe'), 'abc⟨U+202E⟩txt.exe');
    assert.equal(escapeHtml('a\u0000b\u2066c\nd\te'), 'a⟨U+0000⟩b⟨U+2066⟩c\nd\te');
    assert.equal(visible('x\ud800y'), 'x\ufffdy');
  });

  it('escapes like a naive three-pass oracle on random text (the fast path skips nothing)', () => {
    // The oracle: every invisible character marked, lone surrogates replaced, then the five
    // HTML characters escaped, each pass over the whole string.
    const oracle = (s: string): string => {
      let out = '';
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        const hiPair =
          c >= 0xd800 &&
          c <= 0xdbff &&
          i + 1 < s.length &&
          s.charCodeAt(i + 1) >= 0xdc00 &&
          s.charCodeAt(i + 1) <= 0xdfff;
        if (hiPair) {
          out += s[i]! + s[i + 1]!;
          i++;
        } else if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd';
        else if (
          (c <= 0x1f && c !== 0x09 && c !== 0x0a && c !== 0x0d) ||
          (c >= 0x7f && c <= 0x9f) ||
          (c >= 0x200b && c <= 0x200f) ||
          (c >= 0x202a && c <= 0x202e) ||
          (c >= 0x2060 && c <= 0x2064) ||
          (c >= 0x2066 && c <= 0x2069) ||
          c === 0x061c ||
          c === 0xfeff ||
          (c >= 0xfff9 && c <= 0xfffb)
        )
          out += `⟨U+${c.toString(16).toUpperCase().padStart(4, '0')}⟩`;
        else
          out +=
            (
              { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' } as Record<
                string,
                string
              >
            )[s[i]!] ?? s[i]!;
      }
      return out;
    };
    const alphabet = [
      'a',
      ' ',
      '\n',
      '\t',
      '\r',
      '&',
      '<',
      '>',
      '"',
      "'",
      '\u0000',
      '\u001b',
      '\u0085',
      '\u200b',
      '\u202e',
      '\u2067',
      '\ufeff',
      '\ud83d',
      '\ude00',
      'é',
      '\u061c',
      '\ufffa',
    ];
    let seed = 7;
    const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let k = 0; k < 2000; k++) {
      let s = '';
      const len = rnd(12);
      for (let i = 0; i < len; i++) s += alphabet[rnd(alphabet.length)]!;
      assert.equal(escapeHtml(s), oracle(s), JSON.stringify(s));
    }
    assert.equal(escapeHtml('plain text 😀'), 'plain text 😀');
  });
});

describe('safeUrl', () => {
  it('keeps http(s), mailto and relative links', () => {
    for (const u of [
      'https://lore.kernel.org/x',
      'http://a.example',
      'mailto:a@b.example',
      'other.html#o1',
      '#p3',
      '../t/x.html',
    ])
      assert.equal(safeUrl(u), u);
  });
  it('drops javascript:, data: and disguised schemes', () => {
    for (const u of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:x',
      'java\tscript:x',
      'java\nscript:x',
      'data:text/html,<script>',
      'vbscript:x',
      'file:///etc/passwd',
    ])
      assert.equal(safeUrl(u), null, u);
  });
});
