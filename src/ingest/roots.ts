/** The list of thread roots that drives the bundled data selection (data/threads.tsv). */
import { readFileSync } from 'node:fs';
import { UserError } from '../util/errors.ts';
import { normaliseMsgId } from '../mail/msgid.ts';

export interface RootRow {
  messageId: string;
  label: string | null;
  line: number;
}

/** Read a TSV whose first column is a Message-ID; `#` lines and a header line are ignored. */
export function readRoots(file: string): RootRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const out: RootRow[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim() || line.startsWith('#')) return;
    const cols = line.split('\t');
    if (/^message[_-]?id$/i.test(cols[0]!.trim())) return; // the header line
    const id = normaliseMsgId(cols[0]!);
    if (!id || !id.includes('@'))
      throw new UserError(`${file}:${i + 1}: not a Message-ID: ${JSON.stringify(cols[0])}`);
    out.push({ messageId: id, label: cols[1]?.trim() || null, line: i + 1 });
  });
  return out;
}
