/** Real fixture mail as the ingester sees it: each mbox message's bytes, offset and prepared form. */
import { readFileSync } from 'node:fs';
import { readMbox } from '../../src/mail/mbox.ts';
import { prepareMessage } from '../../src/ingest/prepare.ts';
import type { PreparedMessage } from '../../src/store/types.ts';

/** One message of an mbox: its raw bytes, the offset of its From_ line, and the real parser's result. */
export interface FixtureMessage {
  raw: Buffer;
  offset: number;
  p: PreparedMessage;
}

/** Every message of an mbox file, in file order, prepared as `argmap ingest` prepares it. */
export async function preparedMessages(file: string): Promise<FixtureMessage[]> {
  const out: FixtureMessage[] = [];
  for await (const it of readMbox([readFileSync(file)]))
    if (it.kind === 'message')
      out.push({ raw: it.raw, offset: it.offset, p: await prepareMessage(it.raw, 'rfc822') });
  return out;
}

/** The decoded body of the message with this Message-ID in an mbox file. */
export async function bodyOf(file: string, messageId: string): Promise<string> {
  const m = (await preparedMessages(file)).find((x) => x.p.parsed.messageId === messageId);
  if (!m) throw new Error(`${messageId} is not in ${file}`);
  return m.p.parsed.body;
}
