/** Running the real git in a test's temporary repository, as a fixed test identity. */
import { execFileSync } from 'node:child_process';

/** Run `git ARGS…` in `cwd` and return what it printed (throws with git's message when it fails). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=argmap test', '-c', 'user.email=test@argmap.invalid', ...args],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  ).toString();
}
