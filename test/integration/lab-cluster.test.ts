// tipcx lab up|down|status against the real kernel: what up creates, down
// removes exactly, and nothing it did not create is ever touched.
import { after, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { run, sh, tipc, tipcx } from './lab.js';

const STATE_DIR = '/run/tipcx';
const stateFile = (prefix: string) => `${STATE_DIR}/lab-${prefix}.json`;
const namespaces = () =>
    sh('ip netns list')
        .split('\n')
        .map((l) => l.split(' ')[0])
        .filter(Boolean);
const hostLinks = () => (JSON.parse(sh('ip -j link show')) as { ifname: string }[]).map((l) => l.ifname);
const inode = (ns: string) => Number(sh(`stat -L -c %i /run/netns/${ns}`).trim());

async function tipcxOk(args: string[]): Promise<string> {
    const r = await tipcx(args);
    assert.equal(r.code, 0, `tipcx ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
}

test('lab up nodes 8 brings all links up; lab down leaves no namespace, link, bridge or state file', async () => {
    const records = JSON.parse(await tipcxOk(['-j', 'lab', 'up', 'nodes', '8', 'prefix', 'lcx'])) as {
        namespace: string;
        linksUp: number;
        linksExpected: number;
    }[];
    assert.deepEqual(
        records.map((r) => r.namespace),
        ['lcx1', 'lcx2', 'lcx3', 'lcx4', 'lcx5', 'lcx6', 'lcx7', 'lcx8'],
    );
    assert.ok(
        records.every((r) => r.linksUp === 7 && r.linksExpected === 7),
        JSON.stringify(records),
    );
    // iproute2 agrees: lcx1 has a link up to each of the 7 others
    assert.equal(tipc(['link', 'list'], 'lcx1').stdout.match(/^lcx1:eth0-lcx\d:eth0: up$/gm)?.length, 7);
    assert.match(tipc(['node', 'get', 'identity'], 'lcx5').stdout, /^lcx5 /m);
    assert.ok(existsSync(stateFile('lcx')));
    const status = await tipcxOk(['lab', 'status']);
    assert.match(status, /^lab "lcx": 8 nodes, eth bearers, bridge lcx-br, net id 4711, all 28 links up$/m);

    const down = await tipcxOk(['lab', 'down', 'prefix', 'lcx']);
    assert.match(down, /^lab "lcx" removed: 8 namespaces, 9 interfaces, its state file$/m);
    assert.deepEqual(
        namespaces().filter((n) => n.startsWith('lcx')),
        [],
    );
    assert.deepEqual(
        hostLinks().filter((n) => n.includes('lcx')),
        [],
    );
    assert.equal(existsSync(stateFile('lcx')), false);
});

describe('one 3-node lab (lct) through its life', () => {
    after(async () => {
        await tipcx(['lab', 'down', 'prefix', 'lct']);
        run(['ip', 'netns', 'del', 'lct2']);
        run(['ip', 'netns', 'del', 'lct4']);
    });

    it('lab up twice is harmless: the second run creates nothing and changes nothing', async () => {
        await tipcxOk(['lab', 'up', 'nodes', '3', 'prefix', 'lct', 'netid', '1234']);
        const before = ['lct1', 'lct2', 'lct3'].map(inode);
        const again = await tipcxOk(['lab', 'up', 'nodes', '3', 'prefix', 'lct', 'netid', '1234']);
        assert.match(again, /already up: nothing created/);
        assert.deepEqual(['lct1', 'lct2', 'lct3'].map(inode), before);
        assert.equal(tipc(['node', 'get', 'netid'], 'lct2').stdout, '1234\n');
        // a different spec under the same prefix is refused, not merged
        const other = await tipcx(['lab', 'up', 'nodes', '4', 'prefix', 'lct']);
        assert.equal(other.code, 1);
        assert.match(other.stderr, /lab "lct" is already up with 3 nodes/);
    });

    it('a tampered state file is refused: lab down removes nothing', async () => {
        const original = readFileSync(stateFile('lct'), 'utf8');
        try {
            const state = JSON.parse(original) as { nodes: { namespace: string }[] };
            state.nodes[0].namespace = 'lct-victim';
            writeFileSync(stateFile('lct'), JSON.stringify(state, null, 2));
            const r = await tipcx(['lab', 'down']);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /lab-lct\.json was changed after tipcx wrote it/);
            assert.deepEqual(
                namespaces()
                    .filter((n) => n.startsWith('lct'))
                    .sort(),
                ['lct1', 'lct2', 'lct3'],
            );
        } finally {
            writeFileSync(stateFile('lct'), original);
        }
    });

    it('lab down does not touch a namespace it did not create', async () => {
        // a bystander with a lab-like name, and a lab namespace replaced behind tipcx's back
        sh('ip netns add lct4; ip netns del lct2; ip netns add lct2');
        const replaced = inode('lct2');
        const down = await tipcxOk(['lab', 'down', 'prefix', 'lct']);
        assert.match(down, /namespace lct2: recreated by someone else: left alone/);
        assert.deepEqual(
            namespaces()
                .filter((n) => n.startsWith('lct'))
                .sort(),
            ['lct2', 'lct4'],
        );
        assert.equal(inode('lct2'), replaced);
        assert.equal(existsSync(stateFile('lct')), false);
        assert.deepEqual(
            hostLinks().filter((n) => n.includes('lct')),
            [],
        );
    });
});

test('lab up refuses a name it did not create, before creating anything', async () => {
    sh('ip netns add lcn2');
    try {
        const r = await tipcx(['lab', 'up', 'nodes', '3', 'prefix', 'lcn']);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /namespace lcn2 already exists and was not created by tipcx lab/);
        assert.deepEqual(
            namespaces().filter((n) => n.startsWith('lcn')),
            ['lcn2'],
        );
        assert.equal(hostLinks().includes('lcn-br'), false);
        assert.equal(existsSync(stateFile('lcn')), false);
    } finally {
        run(['ip', 'netns', 'del', 'lcn2']);
    }
});

test('lab up with udp media brings links up over udp bearers', async () => {
    try {
        const records = JSON.parse(
            await tipcxOk(['-j', 'lab', 'up', 'nodes', '3', 'media', 'udp', 'prefix', 'lcu']),
        ) as { bearer: string; ip: string; linksUp: number }[];
        assert.deepEqual(
            records.map((r) => [r.bearer, r.linksUp]),
            [
                ['udp:udp0', 2],
                ['udp:udp0', 2],
                ['udp:udp0', 2],
            ],
        );
        assert.match(tipc(['link', 'list'], 'lcu1').stdout, /^lcu1:udp0-lcu2:udp0: up$/m);
    } finally {
        await tipcx(['lab', 'down', 'prefix', 'lcu']);
    }
});
