// The colour policy end to end through main(): a leaf rendering with the real
// link/node renderers, run piped, with NO_COLOR, with -j, on a TTY and with
// --color=always / FORCE_COLOR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../src/cli/main.js';
import { commandResult, defineCommand, defineGroup } from '../../src/cli/command.js';
import { buildCommandTree, type GroupNode } from '../../src/cli/registry.js';
import { stateWord } from '../../src/render/color.js';
import { linkListText } from '../../src/render/link.js';
import { nodeListText } from '../../src/render/node.js';
import { renderTable } from '../../src/render/table.js';

const ANSI = /\u001b\[/;
const LINKS = [
    { name: 'broadcast-link', up: true },
    { name: 'a:eth0-b:eth0', up: false },
];
const PLAIN = 'broadcast-link: up\na:eth0-b:eth0: down\n';

const tree: GroupNode = buildCommandTree(
    { name: 'tipcx', summary: 'test', help: 'Usage: tipcx\n\nExamples:\n  tipcx link list\n' },
    [
        defineGroup({
            path: 'link',
            summary: 'links',
            help: 'Usage: tipcx link list\n\nExamples:\n  tipcx link list\n',
        }),
        defineCommand({
            path: 'link list',
            summary: 'list',
            help: 'Usage: tipcx link list\n\nExamples:\n  tipcx link list\n',
            namespaces: 'each',
            kernel: 'reads',
            async run(_args, ctx) {
                return commandResult(LINKS, (rs) => linkListText(rs, ctx.color));
            },
        }),
    ],
);

async function run(argv: string[], env: Record<string, string> = {}, isTTY = false): Promise<string> {
    let out = '';
    const code = await runCli(
        argv,
        { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => {} }, env, isTTY },
        tree,
    );
    assert.equal(code, 0);
    return out;
}

test('piped output, NO_COLOR, --color=never and JSON carry no escape codes', async () => {
    assert.equal(await run(['link', 'list']), PLAIN);
    assert.equal(await run(['link', 'list'], { NO_COLOR: '1' }, true), PLAIN);
    assert.equal(await run(['--color=never', 'link', 'list'], { FORCE_COLOR: '1' }, true), PLAIN);
    assert.equal(await run(['--color=auto', 'link', 'list'], { TERM: 'dumb' }, true), PLAIN);
    for (const argv of [
        ['-j', 'link', 'list'],
        ['-j', '-p', '--color=always', 'link', 'list'],
    ]) {
        const json = await run(argv, { FORCE_COLOR: '3' }, true);
        assert.doesNotMatch(json, ANSI);
        assert.deepEqual(JSON.parse(json), LINKS);
    }
});

test('the state words are coloured on a terminal, with --color=always and FORCE_COLOR', async () => {
    for (const [argv, env, isTTY] of [
        [['link', 'list'], {}, true],
        [['--color=always', 'link', 'list'], { NO_COLOR: '1' }, false],
        [['--color', 'link', 'list'], {}, false],
        [['link', 'list'], { FORCE_COLOR: '1' }, false],
    ] as const) {
        const text = await run([...argv], { ...env }, isTTY);
        assert.equal(
            text,
            'broadcast-link: \u001b[32mup\u001b[39m\na:eth0-b:eth0: \u001b[31mdown\u001b[39m\n',
            JSON.stringify(argv),
        );
        // Only the state word is painted: without the codes it is iproute2's text.
        assert.equal(text.replace(/\u001b\[\d+m/g, ''), PLAIN);
    }
});

test('renderers are byte-identical to iproute2 with colour off, the default', () => {
    assert.equal(linkListText(LINKS), PLAIN);
    assert.equal(linkListText(LINKS, false), PLAIN);
    const nodes = [{ identity: 'b', hash: '00000062', address: 0x62, up: true }];
    const plain = 'Node Identity                    Hash     State\nb                                00000062 up\n';
    assert.equal(nodeListText(nodes), plain);
    assert.equal(nodeListText(nodes, true).replace(/\u001b\[\d+m/g, ''), plain);
    assert.match(nodeListText(nodes, true), /\u001b\[32mup\u001b\[39m/);
    assert.equal(stateWord(false, false), 'down');
});

test('cli-table3 tables are plain when colour is off, even though cli-table3 colours by default', () => {
    const spec = { head: ['Link', 'State'], rows: [['a-b', 'up']] };
    assert.doesNotMatch(renderTable({ ...spec, color: false }), ANSI);
    assert.doesNotMatch(renderTable({ ...spec, color: false, borderless: true }), ANSI);
});
