/**
 * A reliability diagram as a small standalone SVG (docs/images/stance-calibration.svg): for each
 * bin of the model's top probability, the share of paragraphs it got right, against the diagonal
 * a perfectly calibrated model would follow. No dependency: a few rectangles and a line.
 */
import type { ReliabilityBin } from './train.ts';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Render the bins (from `calibration`) with a title line, e.g. the ECE before and after. */
export function reliabilitySvg(bins: ReliabilityBin[], title: string): string {
  const W = 420;
  const H = 420;
  const L = 50;
  const T = 40;
  const S = 320; // plot side
  const x = (p: number): number => L + p * S;
  const y = (p: number): number => T + S - p * S;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${L}" y="22" font-size="13">${esc(title)}</text>`,
    `<rect x="${L}" y="${T}" width="${S}" height="${S}" fill="none" stroke="#999"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 3"/>`,
  ];
  for (let i = 0; i <= 10; i += 2) {
    const v = (i / 10).toFixed(1);
    parts.push(`<text x="${x(i / 10)}" y="${T + S + 16}" text-anchor="middle">${v}</text>`);
    parts.push(`<text x="${L - 6}" y="${y(i / 10) + 4}" text-anchor="end">${v}</text>`);
  }
  parts.push(
    `<text x="${L + S / 2}" y="${T + S + 34}" text-anchor="middle">model's probability of its stance</text>`,
  );
  parts.push(
    `<text transform="translate(14 ${T + S / 2}) rotate(-90)" text-anchor="middle">share correct (held-out folds)</text>`,
  );
  for (const b of bins) {
    if (!b.n) continue;
    const w = S / 10 - 4;
    parts.push(
      `<rect x="${x(b.lo) + 2}" y="${y(b.accuracy)}" width="${w}" height="${y(0) - y(b.accuracy)}" fill="#4a7bb7" opacity="0.75"/>`,
    );
    parts.push(`<circle cx="${x(b.meanP)}" cy="${y(b.meanP)}" r="2.5" fill="#c33"/>`);
    parts.push(
      `<text x="${x(b.lo) + 2 + w / 2}" y="${y(b.accuracy) - 4}" text-anchor="middle" font-size="10">${b.n}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
