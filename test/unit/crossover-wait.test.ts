// `crossover wait S` against a scripted host (src/tipc/crossover.ts, CrossoverHost):
// namespaces, peers and discovery frames appear on a virtual clock while the
// command waits, as when a setup script starts watching and then builds the
// cluster. Frames sent in a namespace before the capture tapped it are lost,
// as they would be on a real kernel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRawTipc, type DiscoveryFrame, type PacketDirection } from '../../src/discovery/frame.js';
import type { Sighting } from '../../src/discovery/proofs.js';
import { EnvironmentError } from '../../src/errors.js';
import {
    CrossoverWatch,
    SETTLE_MS,
    TAP_REFRESH_MS,
    gatherCrossover,
    type CrossoverHost,
    type CrossoverRow,
    type NamespaceRef,
    type NamespaceView,
} from '../../src/tipc/crossover.js';

const idOf = (name: string): string => Buffer.from(name).toString('hex').padEnd(32, '0');
const ZERO = '0'.repeat(32);
const ADDRESS: Record<string, number> = { x1: 0x1001, x2: 0x1002, x3: 0x1003, far: 0x2001 };

/** A discovery REQ from `name` carrying `hash` in word 13 (the layout decoded by src/discovery/frame.ts). */
function req(name: string, hash: number): DiscoveryFrame {
    const m = Buffer.alloc(76);
    m.writeUInt32BE(0x5bf0004c, 0); // user 13, 60-byte header, 76 bytes
    m.writeUInt32BE(0x07ffabcd, 4); // REQ, capabilities, signature
    m.writeUInt32BE(ADDRESS[name], 12);
    m.writeUInt32BE(4711, 16);
    m[23] = 1; // eth media
    m.writeUInt32BE(hash, 52);
    Buffer.from(name).copy(m, 60);
    const d = decodeRawTipc(m).tipc;
    assert.equal(d.kind, 'discovery');
    return d;
}

interface FakeNs {
    identity: string;
    bearers: string[];
    /** Peer name -> up. */
    peers: Map<string, boolean>;
}

/**
 * The scripted machine: `at(ms, change)` runs the change once the virtual
 * clock reaches ms; sleep() advances the clock. `send(name, hash)` puts a REQ
 * of `name` on the segment: outgoing in `name`, broadcast in every other
 * namespace with a bearer, each copy kept only where the capture has a tap.
 */
class Scripted implements CrossoverHost {
    clock = 0;
    readonly namespaces = new Map<string, FakeNs>();
    readonly tapped = new Set<string>();
    private onFrame?: (s: Sighting) => void;
    private readonly script: { atMs: number; run: () => void }[] = [];
    lastSleepAfter = 0;

    at(atMs: number, run: () => void): this {
        this.script.push({ atMs, run });
        this.script.sort((a, b) => a.atMs - b.atMs);
        return this;
    }

    addNode(name: string, withBearer = true): void {
        this.namespaces.set(name, { identity: name, bearers: withBearer ? ['eth:eth0'] : [], peers: new Map() });
    }

    link(a: string, b: string, up: boolean): void {
        this.namespaces.get(a)!.peers.set(b, up);
        this.namespaces.get(b)?.peers.set(a, up);
    }

    send(name: string, hash: number): void {
        const frame = req(name, hash);
        const deliver = (netns: string, direction: PacketDirection) => {
            if (this.tapped.has(netns)) this.onFrame?.({ netns, direction, timeMs: this.clock, frame });
        };
        deliver(name, 'outgoing');
        for (const [other, ns] of this.namespaces)
            if (other !== name && ns.bearers.length > 0) deliver(other, 'broadcast');
    }

    listed = (): NamespaceRef[] => [...this.namespaces.keys()].sort().map((n) => ({ netns: n, ref: { name: n } }));

    /** What /proc/kallsyms says: the crossover symbol belongs to the tipc module. */
    moduleLoaded = true;

    supported(): boolean {
        return this.moduleLoaded;
    }

    exists(ns: NamespaceRef): boolean {
        return this.namespaces.has(ns.netns);
    }

    async read(ns: NamespaceRef, what: { peers: boolean; bearers: boolean }): Promise<NamespaceView> {
        const n = this.namespaces.get(ns.netns);
        if (!n) throw new EnvironmentError(`no such network namespace "${ns.netns}" (see ip netns list)`);
        if (!this.moduleLoaded) throw new EnvironmentError('TIPC is not available in this kernel');
        return {
            info: {
                netns: ns.netns,
                ...(ns.ref ? { ref: ns.ref } : {}),
                netId: 4711,
                identity: n.identity,
                nodeId: n.identity ? idOf(n.identity) : ZERO,
            },
            peers: what.peers
                ? [...n.peers].map(([p, up]) => ({
                      identity: p,
                      hash: ADDRESS[p].toString(16).padStart(8, '0'),
                      address: ADDRESS[p],
                      up,
                      nodeId: idOf(p),
                  }))
                : [],
            bearers: what.bearers ? [...n.bearers] : [],
        };
    }

    /** Not root: opening a tap fails. */
    tapsRefused = false;

    capture(onFrame: (s: Sighting) => void) {
        this.onFrame = onFrame;
        return {
            refresh: (namespaces: readonly NamespaceRef[]) => {
                if (this.tapsRefused && namespaces.length > 0)
                    throw new EnvironmentError(
                        'capturing discovery frames on eth0 in namespace "x1" needs root (CAP_NET_RAW)',
                    );
                for (const n of namespaces) if (this.namespaces.has(n.netns)) this.tapped.add(n.netns);
            },
            drain: () => {},
            close: () => {
                this.onFrame = undefined;
                this.tapped.clear();
            },
        };
    }

    now(): number {
        return this.clock;
    }

    async sleep(ms: number): Promise<void> {
        const until = this.clock + ms;
        while (this.script.length > 0 && this.script[0].atMs <= until) {
            const step = this.script.shift()!;
            this.clock = Math.max(this.clock, step.atMs);
            step.run();
        }
        this.clock = until;
    }

    get scriptLeft(): number {
        return this.script.length;
    }
}

const verdictOf = (rows: readonly CrossoverRow[], netns: string, peer: string) => {
    const r = rows.find((x) => x.netns === netns && x.peer === peer);
    assert.ok(r, `no row ${netns} -> ${peer} in ${JSON.stringify(rows.map((x) => [x.netns, x.peer, x.verdict]))}`);
    return r;
};

/**
 * gatherCrossover as `crossover wait S` calls it: waiting for peers, over the
 * namespace `netns` (or every namespace listed, with 'all').
 */
const waitAsCommand = (host: Scripted, waitMs: number, netns = 'x1', more: { signal?: AbortSignal } = {}) =>
    gatherCrossover({
        rows: netns === 'all' ? (all) => all : [{ netns, ref: { name: netns } }],
        all: host.listed,
        waitMs,
        awaitPeers: true,
        host,
        ...more,
    });

/** The lab's order of work: namespaces, identities and bearers one after another, links up, first REQs. */
function buildCluster(host: Scripted, startMs: number): number {
    const H = { x1: 0x11111111, x2: 0x22222222, x3: 0x33333333 };
    host.at(startMs, () => host.addNode('x1'))
        .at(startMs + 700, () => host.addNode('x2'))
        .at(startMs + 900, () => host.link('x1', 'x2', false))
        .at(startMs + 1100, () => host.link('x1', 'x2', true))
        .at(startMs + 1300, () => host.send('x2', H.x2))
        .at(startMs + 1350, () => host.send('x1', H.x1))
        // x1-x2 proven here; x3 comes more than LOOK_EVERY_MS later but within SETTLE_MS
        .at(startMs + 3000, () => host.addNode('x3'))
        .at(startMs + 3300, () => {
            host.link('x1', 'x3', true);
            host.link('x2', 'x3', true);
        })
        // x3's REQ, and the answers of x1 and x2 to it (RESP; as REQs here, the proof is the same word)
        .at(startMs + 4500, () => {
            host.send('x3', H.x3);
            host.send('x1', H.x1);
            host.send('x2', H.x2);
        });
    return startMs + 3300; // the last change of state
}

test('wait started before the cluster exists: returns once every peer that came up is proven and nothing changed for a while', async () => {
    const host = new Scripted();
    const lastChange = buildCluster(host, 2000);
    const waits: string[] = [];
    const rows = await gatherCrossover({
        rows: [{ netns: 'x1', ref: { name: 'x1' } }],
        all: host.listed,
        waitMs: 20_000,
        awaitPeers: true,
        host,
        onWait: (m) => waits.push(m),
    });
    assert.deepEqual(
        rows.map((r) => [r.peer, r.verdict]),
        [
            ['x2', 'crossover'],
            ['x3', 'crossover'],
        ],
    );
    assert.equal(verdictOf(rows, 'x1', 'x3').localHash, '33333333');
    assert.deepEqual(verdictOf(rows, 'x1', 'x2').peerHashes, ['22222222']);
    assert.equal(host.scriptLeft, 0, 'the whole build was watched');
    // not at the first proven pair, not at the deadline: after the last change has settled
    assert.ok(host.clock >= lastChange + SETTLE_MS, `returned at ${host.clock} ms, before the cluster settled`);
    assert.ok(
        host.clock < lastChange + SETTLE_MS + 1500,
        `returned at ${host.clock} ms, long after everything was proven`,
    );
    assert.match(waits[0] ?? '', /^waiting up to 20 s for discovery frames and for peers to come up in x1 /);
});

test('--all-netns: namespaces created during the wait become rows too', async () => {
    const host = new Scripted();
    buildCluster(host, 500);
    const rows = await waitAsCommand(host, 30_000, 'all');
    assert.deepEqual(rows.map((r) => `${r.netns}>${r.peer}:${r.verdict}`).sort(), [
        'x1>x2:crossover',
        'x1>x3:crossover',
        'x2>x1:crossover',
        'x2>x3:crossover',
        'x3>x1:crossover',
        'x3>x2:crossover',
    ]);
    assert.ok(host.clock < 30_000);
});

test('a peer that never proves itself keeps the wait going to the deadline, and stays local-unproven', async () => {
    const host = new Scripted();
    host.at(100, () => {
        host.addNode('x1');
        host.addNode('x2');
        host.link('x1', 'x2', true);
    });
    const waits: string[] = [];
    const rows = await gatherCrossover({
        rows: [{ netns: 'x1', ref: { name: 'x1' } }],
        all: host.listed,
        waitMs: 12_000,
        awaitPeers: true,
        host,
        onWait: (m) => waits.push(m),
    });
    assert.equal(verdictOf(rows, 'x1', 'x2').verdict, 'local-unproven');
    assert.ok(host.clock >= 12_000, `gave up at ${host.clock} ms`);
    assert.ok(
        waits.some((m) =>
            /^still waiting: \d+ s left; x2 in x1: x2 has the same identity and net id; no discovery frame from x2 seen here yet/.test(
                m,
            ),
        ),
        waits.join('\n'),
    );
});

test('nothing comes up: with awaitPeers the whole wait, then an empty table; without, the table at once; a peer that stays down is waited for', async () => {
    const host = new Scripted();
    host.addNode('x1');
    const rows = await waitAsCommand(host, 5000);
    assert.deepEqual(rows, []);
    assert.ok(host.clock >= 5000);

    const alone = new Scripted();
    alone.addNode('x1');
    assert.deepEqual(
        await gatherCrossover({
            rows: [{ netns: 'x1', ref: { name: 'x1' } }],
            all: alone.listed,
            waitMs: 5000,
            host: alone,
        }),
        [],
    );
    assert.equal(alone.clock, 0, 'no peer and none awaited: no waiting');

    const down = new Scripted();
    down.addNode('x1');
    down.namespaces.get('x1')!.peers.set('far', false);
    const r2 = await waitAsCommand(down, 5000);
    assert.equal(verdictOf(r2, 'x1', 'far').verdict, 'down');
    assert.ok(down.clock >= 5000);
});

test('a cluster already up with only remote peers: no waiting at all', async () => {
    const host = new Scripted();
    host.addNode('x1');
    host.namespaces.get('x1')!.peers.set('far', true);
    const rows = await waitAsCommand(host, 65_000);
    assert.equal(verdictOf(rows, 'x1', 'far').verdict, 'remote');
    assert.equal(host.clock, 0);
});

test('a remote peer joining after the local ones were proven is waited for when it comes within the settle time', async () => {
    const host = new Scripted();
    const last = buildCluster(host, 0);
    host.at(last + SETTLE_MS - 500, () => host.link('x1', 'far', false)).at(last + SETTLE_MS + 200, () =>
        host.link('x1', 'far', true),
    );
    const rows = await waitAsCommand(host, 30_000);
    assert.deepEqual(
        rows.map((r) => [r.peer, r.verdict]),
        [
            ['x2', 'crossover'],
            ['x3', 'crossover'],
            ['far', 'remote'],
        ],
    );
});

test('-n NAME that never appears: the error after the wait; with wait 0 at once', async () => {
    const host = new Scripted();
    await assert.rejects(waitAsCommand(host, 3000, 'x9'), /no such network namespace "x9"/);
    assert.ok(host.clock >= 3000);
    const now = new Scripted();
    await assert.rejects(
        gatherCrossover({ rows: [{ netns: 'x9', ref: { name: 'x9' } }], all: now.listed, waitMs: 0, host: now }),
        /no such network namespace "x9"/,
    );
    assert.equal(now.clock, 0);
});

test('a namespace with a bearer but no peer yet keeps the wait going', async () => {
    const host = new Scripted();
    host.addNode('x1');
    host.addNode('x2');
    host.addNode('x3');
    host.link('x1', 'x2', true);
    host.send('x1', 1); // nobody tapped yet: lost
    host.at(200, () => {
        host.send('x1', 1);
        host.send('x2', 2);
    })
        .at(9000, () => host.link('x3', 'x1', true))
        .at(9200, () => host.send('x3', 3));
    const rows = await waitAsCommand(host, 30_000, 'all');
    assert.ok(host.clock >= 9000, `returned at ${host.clock} ms while x3 had no peer`);
    assert.equal(verdictOf(rows, 'x1', 'x3').verdict, 'crossover');
    assert.equal(verdictOf(rows, 'x3', 'x1').verdict, 'crossover');
});

test('an abort ends the wait with what is known', async () => {
    const host = new Scripted();
    host.at(100, () => {
        host.addNode('x1');
        host.addNode('x2');
        host.link('x1', 'x2', true);
    });
    const ac = new AbortController();
    host.at(2000, () => ac.abort());
    const rows = await waitAsCommand(host, 60_000, 'x1', { signal: ac.signal });
    assert.equal(verdictOf(rows, 'x1', 'x2').verdict, 'local-unproven');
    assert.ok(host.clock < 3000);
});

test('started before the tipc module is loaded: the kernel is asked about crossover once TIPC answers', async () => {
    const host = new Scripted();
    host.moduleLoaded = false;
    host.at(1000, () => (host.moduleLoaded = true));
    buildCluster(host, 1500);
    const rows = await waitAsCommand(host, 20_000);
    assert.deepEqual(
        rows.map((r) => [r.peer, r.verdict]),
        [
            ['x2', 'crossover'],
            ['x3', 'crossover'],
        ],
    );
});

test('not root: taps are refused; that fails the command only once a peer needs a proof', async () => {
    const remoteOnly = new Scripted();
    remoteOnly.tapsRefused = true;
    remoteOnly.at(500, () => {
        remoteOnly.addNode('x1');
        remoteOnly.link('x1', 'far', true);
    });
    const rows = await waitAsCommand(remoteOnly, 20_000);
    assert.equal(verdictOf(rows, 'x1', 'far').verdict, 'remote');
    assert.ok(remoteOnly.clock < 20_000);

    const local = new Scripted();
    local.tapsRefused = true;
    buildCluster(local, 500);
    await assert.rejects(waitAsCommand(local, 20_000), /needs root \(CAP_NET_RAW\)/);
    assert.ok(local.clock < 5000, `failed only at ${local.clock} ms`);
});

test("the exporter's watch: a verdict whose evidence did not change is the same row; one whose peer sent a frame is decided anew; taps are refreshed when namespaces change", async () => {
    const host = new Scripted();
    let refreshes = 0;
    const capture = host.capture.bind(host);
    host.capture = (onFrame) => {
        const c = capture(onFrame);
        return { ...c, refresh: (ns) => (refreshes++, c.refresh(ns)) };
    };
    host.addNode('x1');
    host.addNode('x2');
    host.link('x1', 'x2', true);
    const watch = new CrossoverWatch(host);
    const look = async () => {
        const views = await Promise.all(host.listed().map((n) => host.read(n, { peers: true, bearers: true })));
        return watch.decide(['x1', 'x2'], views);
    };
    const first = await look();
    assert.equal(verdictOf(first, 'x1', 'x2').verdict, 'local-unproven');
    assert.equal(refreshes, 1);
    const second = await look();
    assert.equal(verdictOf(second, 'x1', 'x2'), verdictOf(first, 'x1', 'x2'), 'the same row object');
    assert.equal(verdictOf(second, 'x2', 'x1'), verdictOf(first, 'x2', 'x1'));
    assert.equal(refreshes, 1, 'nothing changed: the taps are not refreshed');
    // x2 sends: seen by itself (outgoing) and in x1; x1 sends nothing
    host.send('x2', 0x22222222);
    const third = await look();
    assert.equal(verdictOf(third, 'x1', 'x2').verdict, 'crossover');
    assert.notEqual(verdictOf(third, 'x1', 'x2'), verdictOf(second, 'x1', 'x2'));
    assert.equal(verdictOf(third, 'x2', 'x1'), verdictOf(second, 'x2', 'x1'), "x1's evidence did not change");
    // a namespace comes: the taps are refreshed at once; later, after TAP_REFRESH_MS, again
    host.addNode('x3');
    host.link('x1', 'x3', true);
    await look();
    assert.equal(refreshes, 2);
    assert.ok(host.tapped.has('x3'));
    await look();
    assert.equal(refreshes, 2);
    await host.sleep(TAP_REFRESH_MS);
    await look();
    assert.equal(refreshes, 3);
    watch.close();
});
