/**
 * HTML templating without a dependency: the tagged template `html\`…\`` escapes every
 * interpolated value unless it is a branded {@link SafeHtml} (the output of `html` itself, or of
 * {@link raw} for markup this module's callers built and vouched for). Nothing from mail reaches a
 * page unescaped: subjects, names, bodies, Message-IDs and attachment names are all plain strings.
 */

const SAFE = Symbol('SafeHtml');

/** Markup that may be inserted as is. Only `html`, `raw` and `join` make one. */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly value: string;
  toString(): string;
}

/**
 * One class for every fragment: a thread page is tens of thousands of fragments, and an object
 * literal with its own `toString` closure per fragment made the garbage collector a fifth of a
 * large page's render time.
 */
class Safe implements SafeHtml {
  declare readonly [SAFE]: true;
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}
Object.defineProperty(Safe.prototype, SAFE, { value: true });

function safe(value: string): SafeHtml {
  return new Safe(value);
}

export function isSafe(v: unknown): v is SafeHtml {
  if (v instanceof Safe) return true;
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[SAFE] === true;
}

/**
 * Characters that make text misleading rather than dangerous: bidirectional overrides and
 * isolates (the "Trojan Source" trick), other invisible format characters and C0/C1 controls.
 * They are shown as visible markers such as `⟨U+202E⟩` so a reader sees they are there.
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- control characters are what this matches
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff\ufff9-\ufffb]/g;

function codePoint(ch: string): string {
  return '⟨U+' + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0') + '⟩';
}

/** Any character {@link visible} or {@link escapeHtml} would change (surrogates: any, paired or not). */
const CHANGES =
  // eslint-disable-next-line no-control-regex -- control characters are what this matches
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff\ufff9-\ufffb\ud800-\udfff&<>"']/;

/** Replace invisible control and direction characters with visible markers; keep \t and \n. */
export function visible(s: string): string {
  // Lone surrogates (from broken input) cannot be encoded as UTF-8; show U+FFFD instead.
  return s
    .replace(INVISIBLE, codePoint)
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for element content and for quoted attribute values. */
export function escapeHtml(s: string): string {
  // Most text needs nothing: one scan instead of three replaces.
  if (!CHANGES.test(s)) return s;
  return visible(s).replace(/[&<>"']/g, (c) => ESC[c]!);
}

type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) {
    let out = '';
    for (const x of v as readonly Value[]) out += render(x);
    return out;
  }
  if (isSafe(v)) return v.value;
  return escapeHtml(String(v));
}

/** Tagged template: escapes every interpolation that is not SafeHtml. Arrays are concatenated. */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return safe(out);
}

/** Mark a string as safe markup. Only for markup built by this codebase (never for mail text). */
export function raw(markup: string): SafeHtml {
  return safe(markup);
}

/** Join fragments with a separator (escaped unless SafeHtml). */
export function join(items: readonly Value[], sep: Value = ''): SafeHtml {
  return safe(items.map(render).join(render(sep)));
}

/**
 * An href from a URL the site built, or an external link that survived {@link safeUrl}. Hrefs
 * are escaped like any attribute; this only checks the scheme.
 */
export function safeUrl(url: string): string | null {
  const u = url.trim();
  // Strip what browsers ignore inside a scheme (tabs, newlines) before looking at it.
  // eslint-disable-next-line no-control-regex -- control characters are what this matches
  const probe = u.replace(/[\u0000-\u0020]/g, '').toLowerCase();
  if (/^(https?:|mailto:)/.test(probe)) return u;
  // A relative URL: no scheme before the first / ? or #.
  if (!/^[^/?#]*:/.test(probe)) return u;
  return null;
}
