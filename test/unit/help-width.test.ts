// Every help screen fits an 80-column terminal, and a man page rendered 80
// columns wide (help blocks are set HELP_INDENT columns in there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandTree } from '../../src/commands/index.js';
import { renderHelp } from '../../src/cli/help.js';
import { MAX_HELP_WIDTH } from '../../src/cli/man.js';
import { isGroup, type CommandNode } from '../../src/cli/registry.js';

function helpScreens(node: CommandNode, path: string[]): { path: string; text: string }[] {
    const own = { path: `tipcx ${path.join(' ')}`.trim(), text: renderHelp(node, path) };
    return isGroup(node) ? [own, ...node.children.flatMap((c) => helpScreens(c, [...path, c.name]))] : [own];
}

test(`every help line is at most ${MAX_HELP_WIDTH} columns (80 on the man page)`, () => {
    const screens = helpScreens(commandTree, []);
    assert.ok(screens.length > 60, `${screens.length} help screens`);
    const wide = screens.flatMap(({ path, text }) =>
        text
            .split('\n')
            .filter((line) => [...line].length > MAX_HELP_WIDTH)
            .map((line) => `${path}: ${line}`),
    );
    assert.deepEqual(wide, []);
});
