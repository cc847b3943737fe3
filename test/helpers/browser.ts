/**
 * Launches the Debian Chromium through playwright-core for browser tests. Fails with a message
 * that says how to install Chromium when it is missing (the tests never download a browser).
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';

export function chromiumPath(): string {
  const env = process.env.CHROMIUM_BIN;
  if (env && existsSync(env)) return env;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  try {
    const found = execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'])
      .toString()
      .trim();
    if (found) return found;
  } catch {
    // fall through to the error below
  }
  throw new Error(
    'Chromium not found: browser tests need it. Install it with `apt-get install chromium` ' +
      '(Debian) or set CHROMIUM_BIN to its path. Run `npm run test:unit` to skip browser tests.',
  );
}

/** Start headless Chromium with flags that keep it off the (closed) network. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Directory for screenshots and other artifacts of browser tests. */
export const ARTIFACTS_DIR = join(process.cwd(), 'test-results');
