import { test } from 'node:test';
import { errorLine } from '../../src/errors.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandTree } from '../../src/commands/index.js';
import {
    COMPLETION_FILES,
    SHELLS,
    complete,
    completionScript,
    runCompleteCommand,
    type LiveKind,
} from '../../src/cli/complete.js';
import { main } from '../../src/cli/main.js';
import { SORT_COLUMNS } from '../../src/top/options.js';
import { ensureShells, root, shells, zshRegisters } from './completion-shells.js';

const LIVE: Record<LiveKind, string[]> = {
    links: ['broadcast-link', 'a1:eth0-a2:eth0', 'a1:eth0-a3:eth0'],
    bearers: ['eth:eth0', 'udp:u1'],
    udpBearers: ['u1'],
    devices: ['eth0', 'eth1'],
    media: ['eth', 'udp'],
    peers: ['a2', 'a3'],
    netns: ['red', 'blue'],
};
const asked: Array<[LiveKind, string | undefined]> = [];
const fake = async (kind: LiveKind, netns: string | undefined) => {
    asked.push([kind, netns]);
    return LIVE[kind];
};
const values = async (words: string[]) => (await complete(words, commandTree, { live: fake })).map((c) => c.value);

test('completion offers command words, resolving typed prefixes as the parser does', async () => {
    assert.deepEqual(await values(['l']), ['link', 'lab']);
    assert.deepEqual(await values(['l', '']), ['list', 'get', 'set', 'statistics', 'monitor']);
    assert.deepEqual(await values(['l', 'g', '']), ['priority', 'tolerance', 'window', 'broadcast']);
    assert.deepEqual(await values(['b', 'get', 'm']), ['mtu', 'media']);
    // Hidden words are accepted but not offered.
    assert.ok(!(await values(['node', 'get', ''])).includes('address'));
    // A word the parser would reject ends completion.
    assert.deepEqual(await values(['bogus', '']), []);
    assert.deepEqual(await values(['node', 'set', 'x', '']), []);
});

test('completion offers option keys not given yet, and values for the key before the cursor', async () => {
    assert.deepEqual(await values(['bearer', 'enable', 'med', 'eth', 'd']), ['device', 'domain']);
    assert.deepEqual(await values(['bearer', 'enable', 'm', '']), ['eth', 'udp']);
    assert.deepEqual(await values(['bearer', 'enable', 'media', 'eth', 'dev', '']), ['eth0', 'eth1']);
    assert.deepEqual(await values(['bearer', 'disable', 'media', 'udp', 'name', '']), ['u1']);
    assert.deepEqual(await values(['link', 'get', 'priority', 'link', 'a1:eth0-a2']), ['a1:eth0-a2:eth0']);
    assert.deepEqual(await values(['peer', 'remove', 'identity', '']), ['a2', 'a3']);
    assert.deepEqual(await values(['node', 'set', 'key', 'k', 'rek', 'n']), ['now']);
    assert.deepEqual(await values(['completion', '']), ['bash', 'zsh', 'fish']);
    // bearer add media: the leaf word is also the media key (wordIsOption), so only udp fits.
    assert.deepEqual(await values(['bearer', 'add', 'media', '']), ['udp']);
});

test("completion offers only the keys of the media given, and top's sort columns", async () => {
    const udpKeys = ['localip', 'localport', 'remoteip', 'remoteport'];
    const eth = await values(['bearer', 'enable', 'media', 'eth', '']);
    assert.deepEqual(eth, ['device', 'domain', 'priority']);
    const udp = await values(['bearer', 'enable', 'media', 'udp', '']);
    assert.deepEqual(udp, ['device', 'name', 'domain', 'priority', ...udpKeys]);
    // before the media is known, every key is offered
    const any = await values(['bearer', 'enable', '']);
    assert.ok(udpKeys.every((k) => any.includes(k)) && any.includes('name'), any.join(' '));
    assert.deepEqual(await values(['bearer', 'disable', 'media', 'udp', '']), ['name']);
    assert.deepEqual(await values(['bearer', 'set', 'priority', '5', 'media', 'ib', '']), ['device']);
    assert.deepEqual(await values(['link', 'monitor', 'list', 'media', 'eth', '']), ['device']);
    // mtu exists for udp only
    assert.deepEqual(await values(['media', 'get', 'mtu', 'media', '']), ['udp']);
    assert.deepEqual(await values(['bearer', 'get', 'mtu', 'media', '']), ['udp']);
    assert.deepEqual(await values(['top', 'sort', '']), [...SORT_COLUMNS]);
    assert.deepEqual(await values(['top', 'sort', 'r']), ['rx', 'retrans']);
});

test('completion knows global flags, anywhere, and takes live values from the -n namespace', async () => {
    assert.deepEqual(await values(['--co']), ['--color']);
    assert.deepEqual(await values(['--color=n']), ['--color=never']);
    assert.deepEqual(await values(['-n', '']), ['red', 'blue']);
    assert.deepEqual(await values(['link', '--ne', '']), ['red', 'blue']);
    asked.length = 0;
    assert.deepEqual(await values(['-j', '-n', 'red', 'link', 'get', 'window', 'link', 'b']), ['broadcast-link']);
    assert.deepEqual(asked, [['links', 'red']]);
    asked.length = 0;
    await values(['--netns=blue', 'bearer', 'disable', 'media', 'eth', 'device', '']);
    await values(['-jnred', 'bearer', 'disable', 'media', 'eth', 'device', '']);
    assert.deepEqual(asked, [
        ['devices', 'blue'],
        ['devices', 'red'],
    ]);
    // After --, words starting with "-" are words.
    assert.deepEqual(await values(['--', '-x']), []);
});

test('live values give up quietly within the budget', async () => {
    const never = () => new Promise<readonly string[]>(() => {});
    const failing = async () => {
        throw new Error('no TIPC');
    };
    const started = Date.now();
    const slow = await complete(['link', 'get', 'priority', 'link', ''], commandTree, { live: never, budgetMs: 100 });
    assert.deepEqual(slow, []);
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    assert.deepEqual(await complete(['link', 'get', 'priority', 'link', ''], commandTree, { live: failing }), []);
    // Media falls back to the names tipcx knows.
    const media = await complete(['bearer', 'enable', 'media', ''], commandTree, { live: failing });
    assert.deepEqual(
        media.map((c) => c.value),
        ['eth', 'ib', 'udp'],
    );
});

test('the real kernel source without TIPC answers nothing, fast (this host has no TIPC)', async () => {
    const started = Date.now();
    const out: string[] = [];
    const code = await runCompleteCommand(['link', 'get', 'priority', 'link', ''], commandTree, {
        write: (s: string) => out.push(s),
    });
    assert.equal(code, 0);
    assert.equal(out.join(''), '');
    assert.ok(Date.now() - started < 2000);
});

test('__complete prints candidate<TAB>description lines', async () => {
    const out: string[] = [];
    await runCompleteCommand(['nod'], commandTree, { write: (s: string) => out.push(s) });
    assert.equal(out.join(''), 'node\tShow or modify node parameters\n');
});

test('completion SHELL prints the generated script; completions/ is not stale', async () => {
    for (const shell of SHELLS) {
        const committed = readFileSync(join(root, COMPLETION_FILES[shell]), 'utf8');
        assert.equal(
            committed,
            completionScript(shell),
            `${COMPLETION_FILES[shell]} is stale: run "npm run completions"`,
        );
        const out: string[] = [];
        const code = await main(['completion', shell], {
            stdout: { write: (s: string) => out.push(s) },
            stderr: { write: () => {} },
            env: {},
            isTTY: false,
        });
        assert.equal(code, 0);
        assert.equal(out.join(''), committed);
    }
    const err: string[] = [];
    const code = await main(['completion', 'tcsh'], {
        stdout: { write: () => {} },
        stderr: { write: (s: string) => err.push(s) },
        env: {},
        isTTY: false,
    });
    assert.equal(code, 2);
    assert.equal(
        err.join(''),
        `${errorLine('invalid shell "tcsh" for "completion" (expected one of: bash, zsh, fish)')}\n`,
    );
});

test('bash, zsh and fish complete through the generated scripts', () => {
    ensureShells();
    for (const [name, run] of Object.entries(shells)) {
        const sorted = (line: string) => run(line).sort();
        assert.deepEqual(sorted('tipcx -j node '), ['flush', 'get', 'list', 'set'], name);
        assert.deepEqual(sorted('tipcx link get p'), ['priority'], name);
        assert.deepEqual(sorted('tipcx bearer enable media eth d'), ['device', 'domain'], name);
        // bash replaces only the part after "=", the others the whole word.
        assert.deepEqual(sorted('tipcx --color=al'), name === 'bash' ? ['always'] : ['--color=always'], name);
    }
    assert.ok(zshRegisters(), 'sourcing _tipcx under compinit registers it for tipcx');
});
