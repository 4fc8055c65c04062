import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    LINK_EVENTS_ACTIVE,
    LINK_EVENTS_INACTIVE,
    Sampler,
    parseLinkName,
    type LinkEventSource,
    type LinkStateChange,
    type SamplerEnvironment,
} from '../../src/top/sampler.js';
import { LINK_SLOT, LINK_WIDTH, LinkTable, linkTableOf, type Link } from '../../src/tipc/link.js';
import { decodeMessage, encodeMessage } from '../../src/netlink/codec.js';
import { tipcSchema } from '../../src/netlink/schema.js';
import { CROSSOVER_NOTE, crossoverVerdicts, type VerdictSource } from '../../src/top/verdicts.js';
import { arrangeLinks, arrangeOrder, parseFilter, totalsOf } from '../../src/top/view.js';
import { prepareUiEnvironment } from '../../src/top/run.js';
import { ndjsonRecord, writeNdjsonLine } from '../../src/top/ndjson.js';
import type { ViewOptions } from '../../src/top/options.js';
import { seededRandom } from './seeded-random.js';
import { sessionReader } from '../../src/top/environment.js';
import { TOP_COUNTERS } from '../../src/top/sampler.js';
import { TipcSession } from '../../src/tipc/session.js';
import { fixture } from './kernel-fixture.js';

/** A machine whose namespaces, links and module state the test edits between samples. */
function fakeMachine() {
    const state = {
        now: 1_000_000,
        module: true,
        namespaces: new Map<string, { inode: number; links: Link[]; fail?: string }>(),
        opened: [] as string[],
        closed: [] as string[],
        /** Per read: the namespace and whether the full statistics were asked for. */
        reads: [] as [string, boolean][],
    };
    const env: SamplerEnvironment = {
        listNamespaces: () => [...state.namespaces.keys()].sort(),
        namespaceInode: (n) => state.namespaces.get(n)?.inode,
        moduleLoaded: () => state.module,
        now: () => state.now,
        async open(ns) {
            if (!state.module) throw new Error('TIPC is not available');
            const key = ns ?? '';
            if (!state.namespaces.has(key)) throw new Error(`no such namespace ${key}`);
            state.opened.push(key);
            return {
                async read(full: boolean) {
                    state.reads.push([key, full]);
                    const n = state.namespaces.get(key);
                    if (!state.module) throw new Error('kernel answers: No such file or directory');
                    if (!n) throw new Error('gone');
                    if (n.fail) throw new Error(n.fail);
                    // the links as the kernel would send them, through the real decoder
                    return linkTableOf(n.links.map((link) => encodeMessage({ link })));
                },
                async resetStats() {},
                close: () => void state.closed.push(key),
            };
        },
    };
    return { state, env };
}

const link = (name: string, rx: number, tx: number, up = true): Link => ({
    name,
    up,
    active: up,
    broadcast: false,
    mtu: 1450,
    rx,
    tx,
    prop: { prio: 10, tol: 1500, win: 50 },
    stats: { retransmitted: 0, rxNacks: 0, txNacks: 0, duplicates: 0, linkCongs: 0, maxQueue: 3, avgQueue: 1 },
});

test('parseLinkName splits own:if-peer:if, also with dashes and colons in identities', () => {
    assert.deepEqual(parseLinkName('demo1:eth0-demo2:eth0'), { bearer: 'eth0', peer: 'demo2' });
    assert.deepEqual(parseLinkName('a-b:eth0-c-d:eth1'), { bearer: 'eth0', peer: 'c-d' });
    assert.deepEqual(parseLinkName('1001001:v0-1001002:v1'), { bearer: 'v0', peer: '1001002' });
    assert.deepEqual(parseLinkName('broadcast-link'), { bearer: '', peer: '' });
});

test('all namespaces: rates, link down, stats reset, namespace gone and new, module gone and back', async () => {
    const { state, env } = fakeMachine();
    state.namespaces.set('a1', { inode: 1, links: [link('a1:eth0-a2:eth0', 100, 100)] });
    state.namespaces.set('a2', { inode: 2, links: [link('a2:eth0-a1:eth0', 100, 100)] });
    const sampler = new Sampler({ scope: { kind: 'all' }, env, intervalMs: 1000 });
    const first = await sampler.sample();
    assert.equal(first.links.length, 2);
    assert.deepEqual(first.events, []);

    state.now += 1000;
    state.namespaces.get('a1')!.links = [link('a1:eth0-a2:eth0', 600, 2100)];
    const second = await sampler.sample();
    const busy = second.links.find((l) => l.namespace === 'a1')!;
    assert.equal(busy.rates.tx.s2, 2000);
    assert.equal(busy.rates.rx.s2, 500);
    assert.equal(busy.peer, 'a2');
    assert.equal(busy.verdict, 'unknown');

    state.now += 1000;
    state.namespaces.get('a1')!.links = [link('a1:eth0-a2:eth0', 5, 5, false)];
    const third = await sampler.sample();
    assert.deepEqual(third.events.map((e) => e.kind).sort(), ['link-down', 'stats-reset']);
    assert.equal(third.links.find((l) => l.namespace === 'a1')!.state, 'down');
    assert.ok(third.links.find((l) => l.namespace === 'a1')!.stateChangedAt);

    state.now += 1000;
    state.namespaces.delete('a2');
    state.namespaces.set('a3', { inode: 3, links: [] });
    const fourth = await sampler.sample();
    assert.deepEqual(fourth.events.map((e) => `${e.kind} ${e.namespace}`).sort(), ['netns-gone a2', 'netns-new a3']);
    assert.ok(state.closed.includes('a2'), 'the session of a deleted namespace is closed at once');
    assert.deepEqual(
        fourth.namespaces.map((n) => n.namespace),
        ['a1', 'a3'],
    );

    state.now += 1000;
    state.module = false;
    const fifth = await sampler.sample();
    assert.ok(fifth.events.some((e) => e.kind === 'module-gone'));
    assert.ok(fifth.events.some((e) => e.kind === 'netns-error' && e.namespace === 'a1'));
    assert.equal(fifth.links.length, 0);
    assert.equal(fifth.moduleLoaded, false);

    state.now += 1000;
    const sixth = await sampler.sample(); // still gone: no repeated events
    assert.deepEqual(sixth.events, []);

    state.now += 1000;
    state.module = true;
    const seventh = await sampler.sample();
    assert.ok(seventh.events.some((e) => e.kind === 'module-back'));
    assert.ok(seventh.events.some((e) => e.kind === 'netns-recovered' && e.namespace === 'a1'));
    assert.equal(seventh.links.length, 1);
    sampler.close();
});

test('one named namespace: deleted, then recreated', async () => {
    const { state, env } = fakeMachine();
    state.namespaces.set('b1', { inode: 7, links: [link('b1:eth0-b2:eth0', 1, 1)] });
    const sampler = new Sampler({ scope: { kind: 'named', name: 'b1' }, env, intervalMs: 1000 });
    await sampler.sample();
    state.namespaces.delete('b1');
    const gone = await sampler.sample();
    assert.deepEqual(
        gone.events.map((e) => e.kind),
        ['netns-gone'],
    );
    assert.deepEqual(gone.namespaces, [{ namespace: 'b1', ok: false, error: 'deleted' }]);
    state.namespaces.set('b1', { inode: 8, links: [link('b1:eth0-b2:eth0', 1, 1)] });
    const back = await sampler.sample();
    assert.equal(back.links.length, 1);
    assert.ok(back.events.some((e) => e.kind === 'netns-recovered'));
});

test('crossover verdicts: rows carry the note, verdict changes are logged', async () => {
    const { state, env } = fakeMachine();
    state.namespaces.set('', { inode: 0, links: [link('c1:eth0-c2:eth0', 1, 1), link('c1:eth0-c3:eth0', 1, 1)] });
    let crossover = true;
    const verdicts: VerdictSource = {
        async verdicts() {
            return new Map([
                ['c2', { verdict: crossover ? 'crossover' : 'link', reason: 'same host', address: 0x42 }],
                ['c3', { verdict: 'link' }],
            ]);
        },
    };
    const sampler = new Sampler({ scope: { kind: 'current' }, env, verdicts, verdictEvery: 1, intervalMs: 1000 });
    await sampler.sample(); // verdicts arrive in the background and show from the next sample
    await new Promise((r) => setTimeout(r, 10));
    const s = await sampler.sample();
    const xover = s.links.find((l) => l.peer === 'c2')!;
    assert.equal(xover.verdict, 'crossover');
    assert.equal(xover.note, CROSSOVER_NOTE);
    assert.equal(xover.peerAddress, 0x42, 'the peer address comes with the verdict');
    assert.match(xover.note, /bypasses the link.*counters stay flat/);
    assert.equal(s.links.find((l) => l.peer === 'c3')!.note, null);
    crossover = false;
    await sampler.sample();
    await new Promise((r) => setTimeout(r, 10));
    const t = await sampler.sample();
    assert.ok(t.events.some((e) => e.kind === 'verdict' && /crossover -> link/.test(e.message)));
    assert.equal(totalsOf(s.links).crossover, 1);
});

test('filter, inverted filter and sort keep peers grouped; totals ignore the filter', async () => {
    const { state, env } = fakeMachine();
    state.namespaces.set('', {
        inode: 0,
        links: [link('x:e0-p:e0', 0, 0), link('x:e1-p:e1', 0, 0), link('x:e0-q:e0', 0, 0)],
    });
    const sampler = new Sampler({ scope: { kind: 'current' }, env, intervalMs: 1000 });
    await sampler.sample();
    state.now += 1000;
    state.namespaces.get('')!.links = [link('x:e0-p:e0', 0, 10), link('x:e1-p:e1', 0, 0), link('x:e0-q:e0', 0, 5)];
    const { links } = await sampler.sample();
    assert.deepEqual(
        arrangeLinks(links, { sort: 'tx', reverse: false }).map((l) => l.name),
        ['x:e0-p:e0', 'x:e1-p:e1', 'x:e0-q:e0'],
    );
    assert.deepEqual(
        arrangeLinks(links, { sort: 'tx', reverse: true }).map((l) => l.name),
        ['x:e1-p:e1', 'x:e0-p:e0', 'x:e0-q:e0'],
    );
    assert.deepEqual(
        arrangeLinks(links, { sort: 'name', reverse: false, filter: parseFilter('q') }).map((l) => l.name),
        ['x:e0-q:e0'],
    );
    assert.deepEqual(arrangeLinks(links, { sort: 'name', reverse: false, filter: parseFilter('!q') }).length, 2);
    assert.equal(totalsOf(links).tx, 15);
    // an uneven interval: rates to the thousandth, and totals summed exactly (not 7.5120000000000005)
    state.now += 997;
    const uneven = (await sampler.sample()).links;
    // s2 covers both steps: 10 packets over 1997 ms, and so on
    assert.deepEqual(
        uneven.map((l) => l.rates.tx.s2),
        [5.008, 0, 2.504],
    );
    assert.equal(totalsOf(uneven).tx, 7.512);
    assert.throws(() => parseFilter('('), /invalid filter "\("/);
});

test('crossover rows become verdicts keyed by peer identity, with the address they name', async () => {
    // TIPC_NLA_LINK_DEST is the node's own cluster address on every link, so
    // the peer must be found by identity: two peers, one own address.
    const rows = [
        { netns: 'x1', peer: 'x2', peerAddress: '78783200', verdict: 'crossover', reason: 'proof' },
        { netns: 'x1', peer: 'far', peerAddress: '06005c6f', verdict: 'remote', reason: 'no such identity here' },
        { netns: 'x2', peer: 'x1', peerAddress: '78783100', verdict: 'local-unproven', reason: 'same identity' },
        { netns: 'x1', peer: '', peerAddress: '01001001', verdict: 'down', reason: 'no identity known' },
    ];
    const asked: string[][] = [];
    const source = crossoverVerdicts(
        {
            CURRENT_NETNS: '(current)',
            async gatherCrossover(o) {
                asked.push(o.all.map((n) => n.netns));
                return rows;
            },
        },
        () => ['x1', 'x2'],
    );
    const x1 = await source.verdicts('x1');
    assert.deepEqual([...x1.keys()], ['x2', 'far']);
    assert.deepEqual(x1.get('x2'), { verdict: 'crossover', reason: 'crossover: proof', address: 0x78783200 });
    assert.equal(x1.get('far')!.verdict, 'link');
    assert.equal((await source.verdicts('x2')).get('x1')!.verdict, 'crossover');
    assert.equal((await source.verdicts(undefined)).size, 0);
    assert.equal(asked.length, 1, 'one gather serves every namespace of a round');
    assert.deepEqual(asked[0], ['(current)', 'x1', 'x2']);
});

test('an NDJSON line written link by link in pieces is exactly JSON.stringify of the whole record', async () => {
    const { state, env } = fakeMachine();
    const rnd = seededRandom(0x1d50);
    const peers = Array.from({ length: 70 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    const counts = () => Math.floor(rnd() * 2 ** 32);
    const linksOf = (ns: string) => [
        { ...link('broadcast-link', 0, 0), broadcast: true },
        // two links to some peers (a group of two), names whose sort order is not the peers' order
        ...peers.flatMap((p, i) =>
            [0, 1]
                .slice(0, i % 3 === 0 ? 2 : 1)
                .map((b) => link(`${ns}:e${b}-${p}:e${b}`, counts(), counts(), rnd() < 0.8)),
        ),
    ];
    // a name JSON escapes, and one that is not ASCII
    for (const ns of ['n1', 'n"2', 'nœ3']) state.namespaces.set(ns, { inode: ns.length, links: linksOf(ns) });
    const verdicts: VerdictSource = {
        async verdicts() {
            return new Map([['p03', { verdict: 'crossover', reason: 'a "quoted" reason\n', address: 0x1002 }]]);
        },
    };
    const views: ViewOptions[] = [
        { sort: 'name', reverse: false },
        { sort: 'tx', reverse: false },
        { sort: 'peer', reverse: true, filter: parseFilter('!e1') },
        { sort: 'queue', reverse: false, broadcast: false },
    ];
    for (const [round, view] of views.entries()) {
        // the full statistics block (its own JSON) in half of the rounds
        const sampler = new Sampler({
            scope: { kind: 'all' },
            env,
            verdicts,
            verdictEvery: 1,
            intervalMs: 1000,
            statistics: round % 2 === 1,
        });
        await sampler.sample();
        await new Promise((r) => setTimeout(r, 10));
        state.now += 1300; // rates with fractions
        for (const n of state.namespaces.values()) for (const l of n.links) [l.rx, l.tx] = [counts(), counts()];
        const lean = await sampler.sampleLinks();
        const { time, seq, intervalMs, moduleLoaded, namespaces, events } = lean;
        const links = Array.from({ length: lean.links.count }, (_, i) => lean.links.link(i));
        const pieces: string[] = [];
        await writeNdjsonLine({ write: (piece: string) => pieces.push(piece) }, lean, view);
        const whole = `${JSON.stringify(ndjsonRecord({ time, seq, intervalMs, moduleLoaded, namespaces, links, events }, view))}\n`;
        assert.ok(pieces.length > 2, `written in ${pieces.length} pieces`);
        assert.equal(pieces.join(''), whole, view.sort);
        assert.ok(whole.includes('"verdict":"crossover"') && whole.includes('"rates":{"rx":{"s2":'));
        assert.equal(whole.includes('"stats":null'), round % 2 === 0);
        assert.match(whole, /"s2":\d+\.\d+/);
        sampler.close();
    }
});

test('a table read again keeps the names of the links read at the same row, and decodes changed and non-ASCII ones', () => {
    const dump = (names: string[]) => names.map((name) => encodeMessage({ link: link(name, 1, 1) }));
    const table = new LinkTable();
    linkTableOf(dump(['a:e0-b:e0', 'a:e0-c:e0', 'nœ:e0-d:e0', 'a:e0-Ã©:e0']), table);
    assert.deepEqual(table.names, ['a:e0-b:e0', 'a:e0-c:e0', 'nœ:e0-d:e0', 'a:e0-Ã©:e0']);
    table.clear();
    // the bytes of 'é' are those of the two characters 'Ã©' read as latin1: never taken for them
    linkTableOf(dump(['a:e0-b:e0', 'a:e0-x:e0', 'nœ:e0-d:e0', 'a:e0-é:e0', 'a:e0-c:e0']), table);
    assert.deepEqual(table.names, ['a:e0-b:e0', 'a:e0-x:e0', 'nœ:e0-d:e0', 'a:e0-é:e0', 'a:e0-c:e0']);
    assert.equal(table.count, 5);
});

test('the UI path sets what react and ink read at import: production React, no CI mode', () => {
    const env: NodeJS.ProcessEnv = { CI: '', CONTINUOUS_INTEGRATION: 'true', TERM: 'xterm' };
    prepareUiEnvironment(env);
    assert.deepEqual(env, { NODE_ENV: 'production', TERM: 'xterm' });
    const dev: NodeJS.ProcessEnv = { NODE_ENV: 'development' };
    prepareUiEnvironment(dev);
    assert.equal(dev.NODE_ENV, 'development', 'an explicit NODE_ENV is kept');
});

test('full statistics: only for the focused namespace, or every one with the statistics option', async () => {
    const { state, env } = fakeMachine();
    state.namespaces.set('a1', { inode: 1, links: [link('a1:eth0-a2:eth0', 1, 1)] });
    state.namespaces.set('a2', { inode: 2, links: [link('a2:eth0-a1:eth0', 1, 1)] });
    const sampler = new Sampler({ scope: { kind: 'all' }, env, intervalMs: 1000 });
    const lean = await sampler.sample();
    assert.deepEqual(state.reads.splice(0), [
        ['a1', false],
        ['a2', false],
    ]);
    assert.ok(lean.links.every((l) => l.stats === null));
    assert.equal(lean.links[0].queue.max, 3, "the table's counters are there all the same");
    sampler.focusStatistics('a2');
    const focused = await sampler.sample();
    assert.deepEqual(state.reads.splice(0), [
        ['a1', false],
        ['a2', true],
    ]);
    assert.deepEqual(
        focused.links.map((l) => [l.namespace, l.stats === null]),
        [
            ['a1', true],
            ['a2', false],
        ],
    );
    sampler.focusStatistics(undefined);
    await sampler.sample();
    assert.deepEqual(state.reads.splice(0), [
        ['a1', false],
        ['a2', false],
    ]);

    const all = new Sampler({ scope: { kind: 'all' }, env, intervalMs: 1000, statistics: true });
    const full = await all.sample();
    assert.deepEqual(state.reads.splice(0), [
        ['a1', true],
        ['a2', true],
    ]);
    assert.ok(full.links.every((l) => l.stats !== null && l.stats.maxQueue === 3));
});

test('the real reader decodes only the counters top shows, all 33 when asked (replayed kernel dump)', async () => {
    const dump = fixture.dumps.LINK_GET.map((h) => Buffer.from(h, 'hex'));
    const transport = {
        familyId: 0x20,
        dump: () => Promise.resolve(dump),
        doit: () => Promise.reject(new Error('not asked')),
        close() {},
    };
    // the session's constructor is private: commands open sessions by namespace
    const Session = TipcSession as unknown as new (t: typeof transport, netns: undefined) => TipcSession;
    const reader = sessionReader(new Session(transport, undefined));
    const lean = await reader.read(false);
    const leanValues = Float64Array.from(lean.values.subarray(0, lean.count * LINK_WIDTH));
    const leanNames = [...lean.names];
    const full = await reader.read(true);
    assert.equal(full, lean, 'one table, filled again at each read');
    assert.equal(full.count, 3);
    assert.deepEqual(leanNames, full.names);
    const counters = Object.keys(tipcSchema.stats) as (keyof typeof tipcSchema.stats)[];
    for (let i = 0; i < full.count; i++) {
        const leanValue = (field: keyof typeof LINK_SLOT) => leanValues[i * LINK_WIDTH + LINK_SLOT[field]];
        const sent = decodeMessage(dump[i]).link?.stats ?? {};
        for (const c of counters) {
            if ((TOP_COUNTERS as readonly string[]).includes(c)) assert.equal(leanValue(c), full.value(i, c), c);
            else assert.ok(Number.isNaN(leanValue(c)), `${c} is not decoded for top`);
            assert.equal(full.value(i, c), sent[c] ?? NaN, `${c}: with the full statistics, what the kernel sent`);
        }
        for (const f of ['up', 'active', 'broadcast', 'mtu', 'rx', 'tx', 'prio', 'tol', 'win'] as const)
            assert.ok(Object.is(leanValue(f), full.value(i, f)), f);
    }
});

test('an arrangement by name is made again only when a link or the view changed, and is then that of the new links', async () => {
    const { state, env } = fakeMachine();
    state.namespaces.set('m1', { inode: 1, links: [link('m1:e0-zz:e0', 0, 0), link('m1:e0-aa:e0', 0, 0)] });
    state.namespaces.set('m2', { inode: 2, links: [link('m2:e0-mm:e0', 0, 0)] });
    const sampler = new Sampler({ scope: { kind: 'all' }, env, intervalMs: 1000 });
    const byName: ViewOptions = { sort: 'name', reverse: false };
    const shown = async (view: ViewOptions) => {
        const { links } = await sampler.sampleLinks();
        const order = arrangeOrder(links, view);
        return { order, names: order.map((i) => links.name(i)) };
    };
    const first = await shown(byName);
    assert.deepEqual(first.names, ['m1:e0-aa:e0', 'm1:e0-zz:e0', 'm2:e0-mm:e0']);
    // the same links again: the same arrangement, not made again
    assert.equal((await shown(byName)).order, first.order);
    // a link more, before the others in its namespace: arranged again, with it
    state.namespaces.get('m1')!.links.unshift(link('m1:e0-bb:e0', 0, 0));
    const grown = await shown(byName);
    assert.notEqual(grown.order, first.order);
    assert.deepEqual(grown.names, ['m1:e0-aa:e0', 'm1:e0-bb:e0', 'm1:e0-zz:e0', 'm2:e0-mm:e0']);
    // another link in the place of one, the count unchanged, sorting elsewhere
    state.namespaces.get('m1')!.links[1] = link('m1:e0-ac:e0', 0, 0);
    state.namespaces.get('m2')!.links = [link('m2:e0-ab:e0', 0, 0)];
    assert.deepEqual((await shown(byName)).names, ['m1:e0-aa:e0', 'm1:e0-ac:e0', 'm1:e0-bb:e0', 'm2:e0-ab:e0']);
    // another view of the same links
    assert.deepEqual((await shown({ sort: 'name', reverse: true })).names, [
        'm2:e0-ab:e0',
        'm1:e0-bb:e0',
        'm1:e0-ac:e0',
        'm1:e0-aa:e0',
    ]);
    assert.deepEqual((await shown({ sort: 'name', reverse: false, filter: parseFilter('bb|ab') })).names, [
        'm1:e0-bb:e0',
        'm2:e0-ab:e0',
    ]);
    sampler.close();
});

test('names and peers sort by code point, as sort does in the C locale (upper case first), not by locale', async () => {
    const { state, env } = fakeMachine();
    state.namespaces.set('', {
        inode: 0,
        links: [link('x:e0-b:e0', 0, 0), link('x:e0-B:e0', 0, 0), link('x:e0-a:e0', 0, 0), link('x:e0-_:e0', 0, 0)],
    });
    const { links } = await new Sampler({ scope: { kind: 'current' }, env, intervalMs: 1000 }).sample();
    const order = (sort: 'name' | 'peer', reverse = false) => arrangeLinks(links, { sort, reverse }).map((l) => l.peer);
    assert.deepEqual(order('name'), ['B', '_', 'a', 'b']);
    assert.deepEqual(order('peer'), ['B', '_', 'a', 'b']);
    assert.deepEqual(order('peer', true), ['b', 'a', '_', 'B']);
    // localeCompare would have put them a, b, B, _ or similar
    assert.notDeepEqual(
        order('name'),
        [...links].sort((p, q) => p.peer.localeCompare(q.peer)).map((l) => l.peer),
    );
});

test('with a link event source, the log has every up and down the kernel reported, at its time, and none from diffs', async () => {
    const { state, env } = fakeMachine();
    state.namespaces.set('e1', { inode: 1, links: [link('e1:eth0-e2:eth0', 1, 1)] });
    let deliver: ((c: LinkStateChange) => void) | undefined;
    let announce: ((active: boolean) => void) | undefined;
    let active = true;
    let closed = false;
    const source: LinkEventSource = {
        subscribe: (on, onActive) => {
            deliver = on;
            announce = onActive;
        },
        active: () => active,
        close: () => (closed = true),
    };
    const sampler = new Sampler({ scope: { kind: 'all' }, env, intervalMs: 1000, linkEvents: source });
    announce!(true);
    assert.deepEqual(
        (await sampler.sample()).events.map((e) => [e.kind, e.message]),
        [['info', LINK_EVENTS_ACTIVE]],
        'the log says where up and down come from',
    );
    // a flap between two samples: both halves logged, though the next sample sees the link up as before
    deliver!({ namespace: 'e1', link: 'e1:eth0-e2:eth0', peer: 'e2', up: false, at: 1_000_100 });
    deliver!({ namespace: 'e1', link: 'e1:eth0-e2:eth0', peer: 'e2', up: true, at: 1_000_200 });
    state.now += 1000;
    const second = await sampler.sample();
    assert.deepEqual(
        second.events.map((e) => [e.kind, e.time, e.link]),
        [
            ['link-down', new Date(1_000_100).toISOString(), 'e1:eth0-e2:eth0'],
            ['link-up', new Date(1_000_200).toISOString(), 'e1:eth0-e2:eth0'],
        ],
    );
    // a change the samples see is not logged a second time while the source is active
    state.now += 1000;
    state.namespaces.get('e1')!.links = [link('e1:eth0-e2:eth0', 1, 1, false)];
    assert.deepEqual((await sampler.sample()).events, []);
    // an inactive source (its one namespace deleted): the samples' diff logs it again
    active = false;
    announce!(false);
    state.now += 1000;
    state.namespaces.get('e1')!.links = [link('e1:eth0-e2:eth0', 1, 1)];
    assert.deepEqual(
        (await sampler.sample()).events.map((e) => [e.kind, e.kind === 'info' ? e.message : e.link]),
        [
            ['info', LINK_EVENTS_INACTIVE],
            ['link-up', 'e1:eth0-e2:eth0'],
        ],
    );
    sampler.close();
    assert.ok(closed, 'closing the sampler closes the source');
});
