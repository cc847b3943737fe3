/**
 * Markdown (decision records) to HTML with marked, made safe: marked passes raw HTML and any URL
 * through, so raw HTML is rendered as escaped text (HTML comments, which records use for
 * `<!-- model-result: S2 -->` markers, are dropped), link targets must be http(s), mailto or a
 * relative in-site path, and images never load (they become links: nothing leaves the machine).
 * Citations (`[msg:ID#pN]`, `[claim:…]`, `[commit:HASH]`, `[model:S2]`) are an inline extension
 * whose rendering the caller supplies.
 */
import { Marked, type Tokens } from 'marked';
import { escapeHtml, safeUrl } from './html.ts';
import { slugify } from './urls.ts';

export interface CitationToken {
  kind: 'msg' | 'claim' | 'commit' | 'model';
  target: string;
  paragraph: number | null;
  raw: string;
}

export interface MarkdownOptions {
  /** HTML for one citation (already escaped by the caller). */
  cite(c: CitationToken): string;
  /** Rewrite a relative link (e.g. `other-record.md` → `other-record.html`); null drops the link. */
  relativeLink?(href: string): string | null;
}

/** Same pattern as src/decisions/record.ts CITATION_RE, anchored for the tokenizer. */
const CITATION_AT_START = /^\[(msg|claim|commit|model):([^\]\s#]+)(?:#p(\d+))?\]/;

/** The link target to use, or null if the URL is not allowed. */
export function allowedHref(href: string, opts: MarkdownOptions): string | null {
  const u = safeUrl(href);
  if (u === null) return null;
  // eslint-disable-next-line no-control-regex -- control characters are what this matches
  if (/^(https?:|mailto:)/i.test(u.replace(/[\u0000-\u0020]/g, ''))) return u;
  if (u.startsWith('//')) return null; // protocol-relative: leaves the site
  return opts.relativeLink ? opts.relativeLink(u) : u;
}

/** Render Markdown to an HTML string that is safe to insert. */
export function renderMarkdown(md: string, opts: MarkdownOptions): string {
  const usedIds = new Map<string, number>();
  const marked = new Marked({
    gfm: true,
    async: false,
    extensions: [
      {
        name: 'citation',
        level: 'inline',
        start(src: string) {
          const i = src.search(/\[(msg|claim|commit|model):/);
          return i < 0 ? undefined : i;
        },
        tokenizer(src: string) {
          const m = CITATION_AT_START.exec(src);
          if (!m) return undefined;
          return {
            type: 'citation',
            raw: m[0],
            kind: m[1],
            target: m[2],
            paragraph: m[3] ? Number(m[3]) : null,
          };
        },
        renderer(token: Tokens.Generic) {
          return opts.cite({
            kind: token.kind as CitationToken['kind'],
            target: token.target as string,
            paragraph: token.paragraph as number | null,
            raw: token.raw,
          });
        },
      },
    ],
    renderer: {
      html({ text }: Tokens.HTML | Tokens.Tag) {
        if (/^\s*<!--[\s\S]*?-->\s*$/.test(text)) return '';
        return escapeHtml(text);
      },
      link({ href, title, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        const h = allowedHref(href, opts);
        if (h === null) return `<span class="dropped-link">${inner}</span>`;
        const ext = /^(https?:|mailto:)/i.test(h);
        return `<a href="${escapeHtml(h)}"${title ? ` title="${escapeHtml(title)}"` : ''}${ext ? ' rel="noopener noreferrer nofollow" class="ext"' : ''}>${inner}</a>`;
      },
      image({ href, text }: Tokens.Image) {
        const h = allowedHref(href, opts);
        const label = `[image: ${escapeHtml(text || 'untitled')}]`;
        return h === null
          ? label
          : `<a href="${escapeHtml(h)}" rel="noopener noreferrer nofollow">${label}</a>`;
      },
      heading({ tokens, depth }: Tokens.Heading) {
        const inner = this.parser.parseInline(tokens);
        const plain = tokens.map((t) => ('text' in t ? String(t.text) : '')).join('');
        const o = /^O(\d+)\.\s/.exec(plain);
        let id = o ? `o${o[1]}` : slugify(plain) || 'section';
        const n = (usedIds.get(id) ?? 0) + 1;
        usedIds.set(id, n);
        if (n > 1) id += `-${n}`;
        return `<h${depth} id="${escapeHtml(id)}"><a class="hanchor" href="#${escapeHtml(id)}">${inner}</a></h${depth}>\n`;
      },
      listitem(item: Tokens.ListItem) {
        const inner = this.parser.parse(item.tokens);
        const st = /^\*\*Status:\*\*\s*(.+)$/.exec(item.text.trim());
        if (st) return `<li class="status-line"><b>Status:</b> ${statusBadge(st[1]!.trim())}</li>\n`;
        return `<li>${inner}</li>\n`;
      },
    },
  });
  return marked.parse(md) as string;
}

/** A coloured badge for an objection or decision status (text escaped). */
export function statusBadge(status: string): string {
  const cls = status.startsWith('addressed') ? 'addressed' : slugify(status) || 'unknown';
  return `<span class="status st-${escapeHtml(cls)}">${escapeHtml(status)}</span>`;
}
