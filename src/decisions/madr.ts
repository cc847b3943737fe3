/**
 * Export of decision records as MADR 4.0 files (https://adr.github.io/madr/), so the records can
 * be used outside argmap: citations become links to lore.kernel.org and git.kernel.org.
 */
import type { DecisionRecord } from './record.ts';
import { CITATION_RE } from './record.ts';

/** MADR's status vocabulary is smaller than ours. */
function madrStatus(r: DecisionRecord): string {
  const s = String(r.meta.status ?? 'proposed');
  if (s === 'merged' || s === 'accepted') return 'accepted';
  if (s === 'reverted') return 'deprecated';
  if (s === 'withdrawn') return 'rejected';
  if (s === 'superseded') return `superseded by ${String(r.meta.superseded_by ?? '?')}`;
  return s;
}

/** Replace argmap citations with Markdown links to public archives. */
export function citationsToLinks(text: string): string {
  return text.replace(CITATION_RE, (_all, kind: string, target: string, para: string | undefined) => {
    if (kind === 'msg' || kind === 'claim') {
      const href = `https://lore.kernel.org/r/${encodeURIComponent(target).replace(/%40/g, '@')}`;
      return `[[${para ? `msg, ¶${para}` : 'msg'}]](${href})`;
    }
    if (kind === 'commit')
      return `[[commit ${target.slice(0, 12)}]](https://git.kernel.org/torvalds/c/${target})`;
    return `(reference-model scenario ${target})`;
  });
}

function section(r: DecisionRecord, title: string): string {
  const lines = r.body.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${title}`);
  if (start < 0) return '';
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  // Nested headings move down one level under MADR's own ## headings.
  return lines
    .slice(start + 1, end)
    .map((l) => (/^#{3,} /.test(l) ? '#' + l : l))
    .join('\n')
    .replace(/<!--[^>]*-->/g, '')
    .trim();
}

/** One record as MADR Markdown. */
export function toMadr(r: DecisionRecord): string {
  const people = (Array.isArray(r.meta.people) ? r.meta.people : []).map((p) => p.split(':')[0]!.trim());
  const date = String(r.meta.decided ?? r.meta.proposed ?? '');
  const fm = [
    '---',
    `status: ${madrStatus(r)}`,
    date ? `date: ${date}` : null,
    people.length ? `decision-makers: ${people.join(', ')}` : null,
    '---',
  ].filter(Boolean);
  const parts = [
    fm.join('\n'),
    `# ${String(r.meta.title ?? r.slug)}`,
    '## Context and Problem Statement',
    section(r, 'Summary'),
    section(r, 'Problem'),
    '## Decision Drivers',
    section(r, 'Goals and non-goals'),
    '## Considered Options',
    section(r, 'Proposal'),
    section(r, 'Alternatives considered'),
    '## Decision Outcome',
    section(r, 'Decision'),
    '### Consequences',
    section(r, 'Consequences and drawbacks'),
    '### Confirmation',
    section(r, 'Implementation'),
    '## More Information',
    '### Objections and how each ended',
    section(r, 'Objections').replace(/^### /gm, '#### '),
    '### Open questions',
    section(r, 'Open questions'),
    '### Later history',
    section(r, 'Later history'),
    '### Who took part',
    section(r, 'Who took part'),
    `---\nExported from argmap's decision record \`${r.slug}\`; every link points at the message or commit the statement rests on.`,
  ];
  return citationsToLinks(parts.filter((p) => p !== '').join('\n\n')) + '\n';
}
