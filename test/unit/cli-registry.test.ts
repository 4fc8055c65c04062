import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { commandTree } from '../../src/commands/index.js';
import { isGroup, type CommandNode } from '../../src/cli/registry.js';

function* walk(node: CommandNode, path: string[] = []): Generator<[CommandNode, string[]]> {
    yield [node, path];
    if (isGroup(node)) for (const child of node.children) yield* walk(child, [...path, child.name]);
}

const allNodes = [...walk(commandTree)].slice(1); // the root's help is assembled by the framework

// Every command of iproute2 6.1's tipc (its command tables in tipc/*.c), as full words.
const IPROUTE2_COMMANDS = [
    'bearer add media',
    'bearer enable',
    'bearer disable',
    'bearer set priority',
    'bearer set tolerance',
    'bearer set window',
    'bearer set mtu',
    'bearer get priority',
    'bearer get tolerance',
    'bearer get window',
    'bearer get mtu',
    'bearer get media',
    'bearer list',
    'link list',
    'link get priority',
    'link get tolerance',
    'link get window',
    'link get broadcast',
    'link set priority',
    'link set tolerance',
    'link set window',
    'link set broadcast',
    'link statistics show',
    'link statistics reset',
    'link monitor set threshold',
    'link monitor get threshold',
    'link monitor list',
    'link monitor summary',
    'media list',
    'media get priority',
    'media get tolerance',
    'media get window',
    'media get mtu',
    'media set priority',
    'media set tolerance',
    'media set window',
    'media set mtu',
    'nametable show',
    'node list',
    'node get address',
    'node get identity',
    'node get netid',
    'node get clusterid',
    'node set address',
    'node set identity',
    'node set netid',
    'node set clusterid',
    'node set key',
    'node flush key',
    'peer remove address',
    'peer remove identity',
    'socket list',
];

test('the tree has a leaf for every iproute2 tipc command', () => {
    const leaves = new Set(allNodes.filter(([node]) => !isGroup(node)).map(([, path]) => path.join(' ')));
    for (const command of IPROUTE2_COMMANDS) assert.ok(leaves.has(command), `missing leaf: ${command}`);
});

test('iproute2 hides the same words tipcx hides', () => {
    const hidden = allNodes
        .filter(([node]) => node.hidden)
        .map(([, path]) => path.join(' '))
        .sort();
    assert.deepEqual(hidden, [
        'node get address',
        'node get netid',
        'node set address',
        'node set netid',
        'peer remove address',
    ]);
});

test('top-level iproute2 objects come first; tipcx additions are marked extension', () => {
    const names = commandTree.children.map((child) => child.name);
    assert.deepEqual(names.slice(0, 7), ['bearer', 'link', 'media', 'nametable', 'node', 'peer', 'socket']);
    for (const child of commandTree.children.slice(7)) assert.equal(child.extension, true, child.name);
});

test('every help text starts with its usage line and ends with examples', () => {
    for (const [node, path] of allNodes) {
        const where = path.join(' ');
        assert.ok(node.help.startsWith(`Usage: tipcx ${path[0]}`), `${where}: usage line`);
        assert.match(node.help, /\nExamples:\n {2}tipcx /, `${where}: examples`);
        assert.ok(node.help.endsWith('\n'), `${where}: trailing newline`);
        assert.ok(node.summary.length > 0 && !node.summary.endsWith('.'), `${where}: summary`);
    }
});

test('every example in the help parses', async () => {
    const { parseCommandLine } = await import('../../src/cli/parse.js');
    for (const [node, path] of allNodes) {
        const examples = node.help
            .split('\nExamples:\n')[1]
            .split('\n')
            .filter((line) => line.startsWith('  tipcx '));
        for (const example of examples) {
            // Only the tipcx part of a pipeline or redirection is ours to parse.
            const line = example
                .split(/ [|>] /)[0]
                .trim()
                .split(/\s+/)
                .slice(1);
            assert.doesNotThrow(() => parseCommandLine(line, commandTree), `${path.join(' ')}: ${example}`);
        }
    }
});

test("a group's help names each of its visible children", () => {
    for (const [node, path] of allNodes) {
        if (!isGroup(node)) continue;
        for (const child of node.children.filter((c) => !c.hidden)) {
            assert.match(node.help, new RegExp(`\\b${child.name}\\b`), `${path.join(' ')} help lacks ${child.name}`);
        }
    }
});

test("a leaf's help mentions each of its visible option keys", () => {
    for (const [node, path] of allNodes) {
        if (isGroup(node)) continue;
        for (const option of node.options ?? []) {
            if (option.hidden) continue;
            assert.match(node.help, new RegExp(`\\b${option.key}\\b`), `${path.join(' ')} help lacks ${option.key}`);
        }
    }
});

test('names are unique per level and option keys per leaf', () => {
    for (const [node, path] of allNodes) {
        const names = isGroup(node) ? node.children.map((c) => c.name) : (node.options ?? []).map((o) => o.key);
        assert.equal(new Set(names).size, names.length, path.join(' '));
    }
});

test('every command declares contracts that fit together', () => {
    for (const [node, path] of allNodes) {
        if (isGroup(node)) continue;
        const where = path.join(' ');
        const kernel = node.kernelFor({});
        assert.ok(['reads', 'changes', 'none'].includes(kernel), `${where}: kernel contract`);
        // Acting in each namespace only means something for a command that talks to the kernel.
        const namespaces = node.namespacesFor({});
        if (namespaces === 'each') assert.notEqual(kernel, 'none', `${where}: each namespace, yet no kernel`);
        if (typeof namespaces === 'object')
            assert.match(namespaces.none, /^[a-z]/, `${where}: why it takes no namespace`);
    }
});

test('command modules load netlink, operations and renderers only inside their handlers', () => {
    // index.ts imports every command module, so their static imports are on the path of help and completion.
    const heavy =
        /\/src\/((netlink|render|lab|discovery)\/|tipc\/(?!udp-address\.js)|top\/(?!options\.js|view\.js)|cli\/all-netns\.js)/;
    const dir = new URL('../../../src/commands/', import.meta.url);
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    assert.ok(files.length > 20, 'the walk found the command modules');
    for (const file of files) {
        const source = readFileSync(new URL(file, dir), 'utf8');
        for (const [, specifier] of source.matchAll(/^import (?!type )[^;]*? from '([^']+)';/gms)) {
            // A package (netlink, koffi, ink…) or a heavy module of this repository.
            const target = specifier.startsWith('.') ? new URL(specifier, new URL(file, dir)).pathname : specifier;
            assert.ok(target.startsWith('/') || target.startsWith('node:'), `${file} imports ${specifier} statically`);
            assert.doesNotMatch(target, heavy, `${file} imports ${specifier} statically`);
        }
    }
});
