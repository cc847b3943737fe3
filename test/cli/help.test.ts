// The help texts (src/cli/help.ts) of a command written for the test: the expected text was
// written by hand (usage lines prefixed, options aligned two past the longest, the common --json
// and --help last, examples indented with their explanation below).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commandHelp, overallHelp } from '../../src/cli/help.ts';
import type { Command } from '../../src/cli/command.ts';

const demo: Command = {
  name: 'demo',
  summary: 'show a demo',
  usage: 'demo [--db FILE] ID\ndemo --all',
  description: 'Line one.\nLine two.',
  examples: [['argmap demo 7', 'the seventh demo']],
  options: {
    db: { type: 'string', arg: 'FILE', help: 'archive' },
    tag: { type: 'string', multiple: true, help: 'a tag' },
    all: { type: 'boolean', short: 'a', help: 'every demo' },
  },
  run: () => Promise.resolve(0),
};

describe('commandHelp', () => {
  it('renders usage, description, aligned options and examples', () => {
    assert.equal(
      commandHelp(demo),
      [
        'argmap demo: show a demo',
        '',
        'Usage:',
        '  argmap demo [--db FILE] ID',
        '  argmap demo --all',
        '',
        'Line one.',
        'Line two.',
        '',
        'Options:',
        '      --db FILE    archive',
        '      --tag VALUE  a tag (repeatable)',
        '  -a, --all        every demo',
        '      --json       print one JSON document on stdout instead of text',
        '  -h, --help       show this help',
        '',
        'Examples:',
        '  argmap demo 7',
        '      the seventh demo',
        '',
      ].join('\n'),
    );
  });

  it('leaves out the description and examples when there are none', () => {
    const h = commandHelp({ ...demo, description: undefined, examples: [] });
    assert.doesNotMatch(h, /Line one|Examples:/);
    assert.ok(h.endsWith('  -h, --help       show this help\n'));
  });
});

describe('overallHelp', () => {
  it('lists the commands with their summaries, aligned', () => {
    const h = overallHelp([demo, { ...demo, name: 'longer-name', summary: 'another' }]);
    assert.match(h, /\nCommands:\n {2}demo {9}show a demo\n {2}longer-name {2}another\n\n/);
    assert.match(h, /Every command takes --json for scripts and --help for examples\./);
  });
});
