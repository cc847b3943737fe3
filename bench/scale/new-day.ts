/**
 * A day of new mail for a replayed archive (docs/benchmarks.md, "Appending new mail", at 10×):
 *
 *   node --import tsx bench/scale/new-day.ts DAY.mbox OUT.mbox [--copy K]
 *
 * Every message of DAY.mbox gets `=rK=` in its Message-ID (as bench/scale/replay.ts does for copy
 * K, default 10, a copy the replay never made), and so do the In-Reply-To/References ids that name
 * another message of the day; ids of older mail are kept, so the day's replies land in the
 * archive's existing threads, as a real day's mail does. Bytes are read and written as latin1, so
 * bodies pass through unchanged.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const at = args.indexOf('--copy');
const copy = at >= 0 ? Number(args.splice(at, 2)[1]) : 10;
const [input, output] = args;
if (!input || !output || !Number.isInteger(copy)) {
  console.error('usage: node --import tsx bench/scale/new-day.ts DAY.mbox OUT.mbox [--copy K]');
  process.exit(2);
}
const msgs = readFileSync(input, 'latin1')
  .split(/(?=^From mboxrd@z )/m)
  .filter((m) => m.startsWith('From '));
const own = new Set<string>();
for (const m of msgs) {
  const id = /^Message-ID:\s*<([^>]+)>/im.exec(m.slice(0, m.indexOf('\n\n')))?.[1];
  if (id) own.add(id);
}
const rewrite = (id: string): string => id.replace(/@(?=[^@]*$)/, `=r${copy}=@`);
const out = msgs.map((m) => {
  const cut = m.indexOf('\n\n');
  const head = m
    .slice(0, cut)
    .replace(
      /^(Message-ID|In-Reply-To|References):(.*(?:\n[ \t].*)*)/gim,
      (_all, name: string, value: string) => {
        const isId = name.toLowerCase() === 'message-id';
        return `${name}:${value.replace(/<([^>]+)>/g, (x, id: string) => (isId || own.has(id) ? `<${rewrite(id)}>` : x))}`;
      },
    );
  return head + m.slice(cut);
});
writeFileSync(output, out.join(''), 'latin1');
console.log(`${msgs.length} messages, ${own.size} own ids rewritten with =r${copy}= into ${output}`);
