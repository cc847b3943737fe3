// The command registry (src/cli/registry.ts): every module under src/cli/commands/ is registered,
// names are unique, and each command's help has examples and --json. The first test moved here
// from test/cli/commands.test.ts, unchanged.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { commands } from '../../src/cli/registry.ts';
import { runCli as run } from '../helpers/cli.ts';

describe('the command registry', () => {
  it('lists every command, and each has help with examples and --json', async () => {
    const top = await run(['--help']);
    assert.equal(top.code, 0);
    for (const c of commands) {
      assert.ok(top.out.includes(c.name), c.name);
      const h = await run([c.name, '--help']);
      assert.equal(h.code, 0);
      assert.match(h.out, /Examples:\n {2}argmap /, `${c.name} --help shows examples`);
      assert.match(h.out, /--json/);
    }
  });

  it('registers one command per module under src/cli/commands/, each name once', async () => {
    const names = commands.map((c) => c.name);
    assert.equal(new Set(names).size, names.length);
    const dir = join(import.meta.dirname, '..', '..', 'src', 'cli', 'commands');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const mod = (await import(join(dir, f))) as Record<string, unknown>;
      const exported = Object.values(mod).filter(
        (v): v is { name: string; run: unknown } =>
          typeof v === 'object' && v !== null && 'run' in v && 'name' in v && 'examples' in v,
      );
      assert.ok(exported.length > 0, `${f} exports a command`);
      for (const c of exported)
        assert.ok(commands.includes(c as (typeof commands)[number]), `${c.name} (${f}) is registered`);
    }
    // `argmap --help` lists them in registry order, start first
    assert.equal(names[0], 'start');
  });
});
