import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { main, runCli } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { commandResult, defineCommand, defineGroup, option, value } from '../../src/cli/command.js';
import { anyText, integerIn } from '../../src/cli/parsers.js';
import {
    buildCommandTree,
    isGroup,
    visibleChildren,
    type CommandContext,
    type GroupNode,
} from '../../src/cli/registry.js';
import { commandTree } from '../../src/commands/index.js';
import { EnvironmentError, OperationError, errorLine } from '../../src/errors.js';

interface Captured {
    code: number;
    stdout: string;
    stderr: string;
}

function bufferIo(extra: Partial<CliIo> = {}): CliIo & { out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    return {
        stdout: { write: (s: string) => out.push(s) },
        stderr: { write: (s: string) => err.push(s) },
        env: {},
        isTTY: false,
        ...extra,
        out,
        err,
    };
}

async function tipcx(line: string, extra: Partial<CliIo> = {}): Promise<Captured> {
    const io = bufferIo(extra);
    const code = await main(line === '' ? [] : line.split(' '), io);
    return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

async function fake(tree: GroupNode, line: string, extra: Partial<CliIo> = {}): Promise<Captured> {
    const io = bufferIo(extra);
    const code = await runCli(line === '' ? [] : line.split(' '), io, tree);
    return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

const packageVersion = (
    JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
        version: string;
    }
).version;

test('--help prints the top-level help on stdout and exits 0', async () => {
    const r = await tipcx('--help');
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Usage: tipcx \[OPTIONS\] OBJECT COMMAND/);
    for (const object of ['bearer', 'link', 'media', 'nametable', 'node', 'peer', 'socket']) {
        assert.match(r.stdout, new RegExp(`^  ${object} `, 'm'));
    }
    assert.match(r.stdout, /Exit status:/);
    assert.match(r.stdout, /--netns NAME/);
    assert.match(r.stdout, /Examples:/);
});

test('bare tipcx and every incomplete command say in two lines what may follow, exit 2', async () => {
    const groups: { path: string[]; node: GroupNode }[] = [];
    const walk = (node: GroupNode, path: string[]): void => {
        groups.push({ path, node });
        for (const child of node.children) if (isGroup(child)) walk(child, [...path, child.name]);
    };
    walk(commandTree, []);
    assert.ok(groups.length > 20, `${groups.length} groups`);
    for (const { path, node } of groups) {
        const r = await tipcx(path.join(' '));
        const line = `tipcx ${path.join(' ')}`;
        assert.equal(r.code, 2, line);
        assert.equal(r.stdout, '', line);
        const lines = r.stderr.trimEnd().split('\n');
        assert.equal(lines.length, 2, `${line}: ${r.stderr}`);
        assert.ok(lines[0].startsWith(errorLine('missing ')), lines[0]);
        for (const child of visibleChildren(node)) assert.ok(lines[0].includes(child.name), `${line}: ${child.name}`);
        assert.ok(lines[1].includes(`"${['tipcx', ...path].join(' ')} help"`), lines[1]);
    }
});

test('-h anywhere: help of the last resolved level on stdout, exit 0', async () => {
    for (const [line, usage] of [
        ['link -h', 'Usage: tipcx link COMMAND'],
        ['l st -h sh', 'Usage: tipcx link statistics show'],
        ['bearer enable media udp -h', 'Usage: tipcx bearer enable'],
        ['node set key --help', 'Usage: tipcx node set key KEY'],
    ] as const) {
        const r = await tipcx(line);
        assert.equal(r.code, 0, line);
        assert.equal(r.stderr, '', line);
        assert.ok(r.stdout.startsWith(usage), `${line}: ${r.stdout.split('\n')[0]}`);
    }
});

test('-V and --version print "tipcx VERSION" from package.json', async () => {
    for (const line of ['-V', '--version', '--vers', 'link list -V']) {
        const r = await tipcx(line);
        assert.equal(r.code, 0);
        assert.equal(r.stdout, `tipcx ${packageVersion}\n`);
    }
});

test('usage errors are one line on stderr, exit 2', async () => {
    const r = await tipcx('link foo');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
        r.stderr,
        `${errorLine('invalid command "foo" (expected one of: list, get, set, statistics, monitor)')}\n`,
    );
    const flag = await tipcx('--bogus');
    assert.equal(flag.code, 2);
    assert.equal(flag.stderr.split('\n').length, 2);
});

test('the tree is checked when it is built: a path twice, a missing group, an empty group', () => {
    const root = { name: 'tipcx', summary: 'fake', help: '' };
    const leaf = (path: string) =>
        defineCommand({ path, summary: '', help: '', namespaces: 'each', kernel: 'none', async run() {} });
    assert.throws(() => buildCommandTree(root, [leaf('a'), leaf('a')]), /"a" is registered twice/);
    assert.throws(() => buildCommandTree(root, [leaf('thing list')]), /"thing list" has no registered group "thing"/);
    assert.throws(
        () => buildCommandTree(root, [defineGroup({ path: 'thing', summary: '', help: '' })]),
        /group "thing" has no commands/,
    );
});

test('a group whose commands a module of their own registers: asked for when its children are first read, and checked then', () => {
    const root = { name: 'tipcx', summary: 'fake', help: '' };
    const words = { path: 'thing', summary: '', help: '' };
    const leaf = (path: string) =>
        defineCommand({ path, summary: '', help: '', namespaces: 'each', kernel: 'none', async run() {} });
    let asked = 0;
    const tree = buildCommandTree(root, [
        defineGroup(words, () => {
            asked++;
            return [leaf('thing list'), leaf('thing show')];
        }),
    ]);
    const thing = tree.children[0];
    assert.ok(isGroup(thing));
    assert.equal(asked, 0, 'neither building the tree nor isGroup asks for them');
    assert.deepEqual(
        thing.children.map((c) => c.name),
        ['list', 'show'],
    );
    assert.equal(thing.children.length, 2);
    assert.equal(asked, 1, 'asked once');
    const misplaced = buildCommandTree(root, [defineGroup(words, () => [leaf('other list')])]);
    assert.throws(() => (misplaced.children[0] as GroupNode).children, /"other list" has no registered group "other"/);
    const empty = buildCommandTree(root, [defineGroup(words, () => [])]);
    assert.throws(() => (empty.children[0] as GroupNode).children, /group "thing" has no commands/);
});

// ------------------------------------------------------------ with a fake tree

let lastContext: CommandContext | undefined;
let lastArgs: unknown;
// Read through a call: after `lastContext = undefined` TypeScript would keep the variable narrowed.
const contextSeen = (): CommandContext | undefined => lastContext;
const records = [
    { name: 'a', up: true },
    { name: 'b', up: false },
];

const fakeTree: GroupNode = buildCommandTree({ name: 'tipcx', summary: 'fake', help: '' }, [
    defineGroup({ path: 'thing', summary: 'things', help: 'Usage: tipcx thing\n' }),
    defineCommand({
        path: 'thing list',
        summary: 'list',
        help: 'Usage: tipcx thing list\n',
        options: { filter: option(anyText, { description: 'x' }) },
        namespaces: 'each',
        kernel: 'reads',
        async run(args, ctx) {
            lastContext = ctx;
            lastArgs = args;
            return commandResult(records, (rs) => rs.map((r) => `${r.name}: ${r.up ? 'up' : 'down'}\n`).join(''));
        },
    }),
    defineCommand({
        path: 'thing set',
        summary: 'set',
        help: '',
        value: value(integerIn(0, 100), { placeholder: 'V', description: 'v' }),
        namespaces: 'each',
        kernel: 'changes',
        async run(args, ctx) {
            lastContext = ctx;
            lastArgs = args;
        },
    }),
    defineCommand({
        path: 'thing stream',
        summary: 'stream',
        help: '',
        namespaces: 'each',
        kernel: 'reads',
        async run(_args, ctx) {
            ctx.stdout.write('line 1\n');
            return { records: [{ ignored: true }], text: () => 'never printed\n', streamed: true };
        },
    }),
    defineCommand({
        path: 'thing files',
        summary: 'no namespaces',
        help: '',
        namespaces: { none: 'works on files only' },
        kernel: 'none',
        async run(_args, ctx) {
            lastContext = ctx;
        },
    }),
    defineCommand({
        path: 'thing span',
        summary: 'spans namespaces',
        help: '',
        namespaces: 'own',
        kernel: 'changes',
        async run(_args, ctx) {
            lastContext = ctx;
        },
    }),
    defineCommand({
        path: 'thing refused',
        summary: '',
        help: '',
        namespaces: 'each',
        kernel: 'reads',
        async run() {
            throw new OperationError(1, 'kernel answers: Operation not permitted');
        },
    }),
    defineCommand({
        path: 'thing nokernel',
        summary: '',
        help: '',
        namespaces: 'each',
        kernel: 'reads',
        async run() {
            throw new EnvironmentError('TIPC is not available in this kernel');
        },
    }),
    defineCommand({
        path: 'thing crash',
        summary: '',
        help: '',
        namespaces: 'each',
        kernel: 'reads',
        async run() {
            throw new TypeError('boom');
        },
    }),
    defineCommand({
        path: 'thing hang',
        summary: '',
        help: '',
        namespaces: 'each',
        kernel: 'reads',
        async run(_args, ctx) {
            lastContext = ctx;
            await new Promise(() => {});
        },
    }),
    defineCommand({
        path: 'thing capture',
        summary: '',
        help: '',
        namespaces: 'each',
        kernel: 'reads',
        endsOnInterrupt: true,
        async run(_args, ctx) {
            await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
            return commandResult([{ frames: 3 }], () => 'captured 3 frames\n');
        },
    }),
    defineCommand({
        path: 'thing bytes',
        summary: '',
        help: '',
        namespaces: 'each',
        kernel: 'reads',
        async run() {
            return commandResult([{ bytes: true }], () => BYTES_TEXT);
        },
    }),
]);
/** A text made as UTF-8 bytes (as src/render/text-buffer.ts makes thousands of records), not all ASCII. */
const BYTES_TEXT = Buffer.from('nœud-é 1\n');

test('a text made as bytes goes to a writer that takes bytes as it is, and to any other writer decoded', async () => {
    const chunks: Uint8Array[] = [];
    const io = bufferIo({ stdout: { write: () => assert.fail('made a string'), writeBytes: (b) => chunks.push(b) } });
    assert.equal(await runCli(['thing', 'bytes'], io, fakeTree), 0);
    assert.deepEqual(chunks, [BYTES_TEXT]);
    assert.equal(chunks[0], BYTES_TEXT);
    const r = await fake(fakeTree, 'thing bytes');
    assert.equal(r.stdout, 'nœud-é 1\n');
});

test('text output is the command text renderer, verbatim', async () => {
    const r = await fake(fakeTree, 'thing list');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'a: up\nb: down\n');
});

test('-j prints the records as one compact JSON array; -p indents it', async () => {
    const compact = await fake(fakeTree, 'thing -j list');
    assert.equal(compact.stdout, '[{"name":"a","up":true},{"name":"b","up":false}]\n');
    const pretty = await fake(fakeTree, 'thing list -jp');
    assert.deepEqual(JSON.parse(pretty.stdout), records);
    assert.match(pretty.stdout, /^\[\n {4}\{\n {8}"name": "a"/);
});

test('JSON is never coloured, even with --color=always', async () => {
    const r = await fake(fakeTree, 'thing list -j --color=always', { isTTY: true });
    assert.doesNotMatch(r.stdout, /\u001b\[/);
    assert.equal(lastContext?.color, false);
});

test('the handler gets its parsed arguments, the context the global flags', async () => {
    await fake(fakeTree, 't l f x -n ns1 f y', { isTTY: true });
    assert.deepEqual(lastArgs, { filter: 'y' });
    assert.equal(lastContext?.netns, 'ns1');
    assert.equal(lastContext?.json, false);
    assert.equal(lastContext?.allNetns, false);
    assert.equal(lastContext?.color, true);
    assert.ok(lastContext?.signal instanceof AbortSignal);

    await fake(fakeTree, 'thing set 42 --color=never', { isTTY: true });
    assert.deepEqual(lastArgs, { value: 42 });
    assert.equal(lastContext?.color, false);
});

test('--all-netns on a command that changes state is a usage error, nothing runs', async () => {
    lastContext = undefined;
    const r = await fake(fakeTree, 'thing set 42 --all-netns');
    assert.equal(r.code, 2);
    assert.equal(lastContext, undefined);
    assert.match(r.stderr, /^tipcx: --all-netns only goes with commands that read; "thing set" changes state/);
});

test('-n or --all-netns on a command without namespaces is a usage error, nothing runs', async () => {
    for (const line of ['thing files -n ns1', 'thing files --all-netns']) {
        lastContext = undefined;
        const r = await fake(fakeTree, line);
        assert.equal(r.code, 2, line);
        assert.equal(lastContext, undefined, line);
        assert.equal(
            r.stderr,
            `${errorLine('"tipcx thing" works on files only and does not take -n/--all-netns')}\n`,
            line,
        );
    }
});

test('sandbox, completion and proof pcap refuse -n and --all-netns before doing anything', async () => {
    for (const [line, subject] of [
        ['--all-netns sandbox', 'sandbox'],
        ['-n x completion bash', 'completion'],
        ['--all-netns proof pcap /nonexistent.pcap', 'proof'],
        ['-n x lab status', 'lab'],
    ] as const) {
        const r = await tipcx(line);
        assert.equal(r.code, 2, line);
        assert.equal(r.stdout, '', line);
        assert.match(r.stderr, new RegExp(`^tipcx: "tipcx ${subject}" [^\n]* does not take -n/--all-netns\n$`), line);
    }
});

test('a command that spans namespaces itself gets --all-netns as it is', async () => {
    lastContext = undefined;
    const r = await fake(fakeTree, 'thing span --all-netns');
    assert.equal(r.code, 0);
    assert.equal(contextSeen()?.allNetns, true);
});

test('streamed commands print their own output; void results print nothing', async () => {
    const streamed = await fake(fakeTree, 'thing stream -j');
    assert.equal(streamed.stdout, 'line 1\n');
    const silent = await fake(fakeTree, 'thing set 1');
    assert.equal(silent.code, 0);
    assert.equal(silent.stdout, '');
});

test('TipcxError subclasses map to their exit code, the message in the one error style', async () => {
    const refused = await fake(fakeTree, 'thing refused');
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, 'tipcx: kernel answers: Operation not permitted\n');
    const env = await fake(fakeTree, 'thing nokernel');
    assert.equal(env.code, 3);
    assert.equal(env.stderr, `${errorLine('TIPC is not available in this kernel')}\n`);
});

test('unexpected errors exit 1 with one line; TIPCX_DEBUG=1 adds the stack', async () => {
    const plain = await fake(fakeTree, 'thing crash');
    assert.equal(plain.code, 1);
    assert.equal(plain.stderr, 'tipcx: unexpected failure: boom (TIPCX_DEBUG=1 shows the stack)\n');
    const debug = await fake(fakeTree, 'thing crash', { env: { TIPCX_DEBUG: '1' } });
    assert.equal(debug.code, 1);
    assert.match(debug.stderr, /^tipcx: unexpected failure: boom\nTypeError: boom\n\s+at /);
});

test('an interrupt while a command runs returns 130', async () => {
    const interrupt = new AbortController();
    const pending = fake(fakeTree, 'thing hang', { interrupt: interrupt.signal });
    await new Promise((resolve) => setImmediate(resolve));
    interrupt.abort();
    const r = await pending;
    assert.equal(r.code, 130);
    assert.equal(lastContext?.signal.aborted, true);
});

test('a command that ends on Ctrl-C (a capture) prints what it has and returns 0', async () => {
    const interrupt = new AbortController();
    const pending = fake(fakeTree, 'thing capture', { interrupt: interrupt.signal });
    await new Promise((resolve) => setImmediate(resolve));
    interrupt.abort();
    const r = await pending;
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'captured 3 frames\n');
});

test('SIGINT while a command runs returns 130; the listener is gone afterwards', async () => {
    const before = process.listenerCount('SIGINT');
    const io = bufferIo();
    const pending = runCli(['thing', 'hang'], io, fakeTree);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(process.listenerCount('SIGINT'), before + 1);
    process.emit('SIGINT');
    assert.equal(await pending, 130);
    assert.equal(process.listenerCount('SIGINT'), before);
});
