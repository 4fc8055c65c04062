// tipcx exporter without a kernel: listen addresses, the metrics written from
// a scrape (series replaced at each scrape, counters that drop are resets, the
// error counter keeps counting), scrapes that share one collection, and
// docs/metrics.md naming every metric.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { UsageError } from '../../src/errors.js';
import type { Scrape } from '../../src/exporter/collect.js';
import { DEFAULT_LISTEN, isLoopback, parseListenAddress, requirePublicWord } from '../../src/exporter/listen.js';
import { EXPORTED_LINK_COUNTERS, ExporterMetrics, METRICS } from '../../src/exporter/metrics.js';
import { scrapeSource } from '../../src/exporter/run.js';
import { acceptsGzip, startServer } from '../../src/exporter/server.js';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { linkStatisticsFrom } from '../../src/render/link.js';
import { listLinks, type Link } from '../../src/tipc/link.js';
import { countPublications, publicationsFrom } from '../../src/tipc/nametable.js';
import { TipcSession } from '../../src/tipc/session.js';
import { countSockets, socketsFrom } from '../../src/tipc/socket.js';
import { TipcCmd } from '../../src/netlink/schema.js';
import { fixture } from './kernel-fixture.js';

const root = new URL('../../../', import.meta.url);

test('listen: IPv4 and bracketed IPv6 literals with a port 1..65535; anything else is a usage error naming it', () => {
    assert.deepEqual(parseListenAddress('127.0.0.1:16118', 'listen'), {
        host: '127.0.0.1',
        port: 16118,
        loopback: true,
    });
    assert.deepEqual(parseListenAddress('[::1]:9', 'listen'), { host: '::1', port: 9, loopback: true });
    assert.deepEqual(parseListenAddress('0.0.0.0:80', 'listen'), { host: '0.0.0.0', port: 80, loopback: false });
    for (const bad of [
        '1.2.3:80',
        '127.0.0.1',
        '127.0.0.1:0',
        '127.0.0.1:65536',
        'localhost:80',
        '::1:80',
        '[127.0.0.1]:80',
        '[::1]',
        ':80',
        '',
    ]) {
        assert.throws(
            () => parseListenAddress(bad, 'listen'),
            (e: unknown) => e instanceof UsageError && e.message.includes(`"${bad}"`),
            bad,
        );
    }
    assert.equal(DEFAULT_LISTEN.loopback, true);
    assert.equal(isLoopback('127.8.9.10'), true);
    assert.equal(isLoopback('::ffff:127.0.0.1'), true);
    assert.equal(isLoopback('0:0:0:0:0:0:0:1'), true);
    assert.equal(isLoopback('10.0.0.1'), false);
    assert.equal(isLoopback('::'), false);
    assert.throws(() => requirePublicWord(parseListenAddress('[::]:16118', 'listen')), /"listen \[::\]:16118".*public/);
    requirePublicWord(DEFAULT_LISTEN);
});

const link = (name: string, txFragments: number): Link => ({
    name,
    up: true,
    active: true,
    broadcast: false,
    mtu: 1500,
    rx: 100,
    tx: 200,
    prop: { prio: 10, tol: 1500, win: 50 },
    stats: {
        txFragments,
        retransmitted: 3,
        duplicates: 2,
        linkCongs: 1,
        maxQueue: 7,
        avgQueue: 1,
        rxNacks: 4,
        txNacks: 5,
    },
});

const scrape = (links: Link[], complete = true): Scrape => ({
    namespaces: [
        {
            label: 'ns1',
            complete,
            errors: complete ? [] : ['links: no answer within the scrape time budget'],
            durationMs: 12,
            links,
            bearers: [{ name: 'eth:eth0', prop: { prio: 10 } }],
            publications: 9,
            sockets: 4,
        },
    ],
    verdicts: [
        {
            netns: 'ns1',
            peer: 'ns2',
            peerNodeId: '6e73320000000000000000000000000000'.slice(0, 32),
            peerAddress: '5c6f6465',
            up: true,
            verdict: 'crossover',
            reason: 'r',
            localNetns: 'ns2',
            netId: 4711,
            peerHashes: ['f4a581df'],
            localHash: 'f4a581df',
            lastProven: '2026-12-02T07:08:32.000Z',
        },
    ],
    moduleLoaded: true,
    durationMs: 20,
});

/** The exposition's text, as it is sent. */
const render = async (m: ExporterMetrics): Promise<string> => Buffer.concat((await m.exposition()).chunks).toString();

const value = (text: string, series: string): string | undefined =>
    text
        .split('\n')
        .find((l) => l.startsWith(`${series} `))
        ?.slice(series.length + 1);

test('metrics: the kernel values under their labels; a counter that drops is a reset; gone links and bearers leave', async () => {
    const m = new ExporterMetrics();
    const L = 'link="ns1:eth0-ns2:eth0",netns="ns1",peer="ns2",bearer="eth0"';
    m.update(scrape([link('ns1:eth0-ns2:eth0', 40)]));
    let text = await render(m);
    const labelled = (name: string) =>
        text
            .split('\n')
            .find((l) => l.startsWith(`${name}{`) && l.includes('link="ns1:eth0-ns2:eth0"'))
            ?.split(' ')
            .pop();
    assert.ok(text.includes(`tipc_link_up{`), text);
    assert.equal(labelled('tipc_link_tx_fragments_total'), '40');
    assert.equal(labelled('tipc_link_tx_packets_total'), '200');
    assert.equal(labelled('tipc_link_retransmissions_total'), '3');
    assert.equal(labelled('tipc_link_duplicates_total'), '2');
    assert.equal(labelled('tipc_link_tolerance_seconds'), '1.5');
    assert.equal(labelled('tipc_link_mtu_bytes'), '1500');
    assert.ok(text.includes('peer="ns2"') && text.includes('bearer="eth0"'), L);
    assert.equal(value(text, 'tipc_bearer_enabled{netns="ns1",bearer="eth:eth0"}'), '1');
    assert.equal(value(text, 'tipc_name_table_publications{netns="ns1"}'), '9');
    assert.equal(value(text, 'tipc_sockets{netns="ns1"}'), '4');
    assert.match(
        text,
        /^tipc_crossover_verdict_info\{netns="ns1",peer="ns2",.*verdict="crossover",local_netns="ns2",net_id="4711",peer_hashes="f4a581df",local_hash="f4a581df"\} 1$/m,
    );
    assert.equal(
        value(text, 'tipc_crossover_last_proven_timestamp_seconds{netns="ns1",peer="ns2"}'),
        String(Date.parse('2026-12-02T07:08:32.000Z') / 1000),
    );
    // link statistics reset: the kernel's value drops, and so does the counter
    m.update(scrape([link('ns1:eth0-ns2:eth0', 2)]));
    text = await render(m);
    assert.equal(labelled('tipc_link_tx_fragments_total'), '2');
    // the link and the bearer gone, a failed read: the link's series leave, the bearer shows 0, the error counts
    const failed = scrape([], false);
    m.update({ ...failed, namespaces: [{ ...failed.namespaces[0], bearers: [] }] });
    text = await render(m);
    assert.equal(labelled('tipc_link_up'), undefined);
    assert.equal(value(text, 'tipc_bearer_enabled{netns="ns1",bearer="eth:eth0"}'), '0');
    assert.equal(value(text, 'tipc_exporter_scrape_success{netns="ns1"}'), '0');
    assert.equal(value(text, 'tipc_exporter_scrape_errors_total{netns="ns1"}'), '1');
    m.update(scrape([]));
    assert.equal(value(await render(m), 'tipc_exporter_scrape_errors_total{netns="ns1"}'), '1');
    assert.equal(value(await render(m), 'tipc_exporter_scrape_success{netns="ns1"}'), '1');
});

test('metrics: no gauge is named _total (promtool rejects it), counters all are', async () => {
    const m = new ExporterMetrics();
    m.update(scrape([link('ns1:eth0-ns2:eth0', 1)]));
    const text = await render(m);
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => ({ name, type }));
    assert.ok(types.length > 30, `${types.length} metrics`);
    for (const { name, type } of types)
        assert.equal(name.endsWith('_total'), type === 'counter', `${name} is a ${type}`);
    assert.ok(types.some((t) => t.name === 'process_resident_memory_bytes'));
});

test("the exposition is prom-client's own text, in pieces, with its length in bytes", async () => {
    const m = new ExporterMetrics();
    m.update(scrape([link('ns1:eth0-ns2:eth0', 1), link('ns1:eth0-ns3:eth0', 2)]));
    const { chunks, bytes } = await m.exposition();
    const sent = Buffer.concat(chunks).toString();
    // process metrics move between two writes: their values aside, the text is the same
    const steady = (text: string) => text.replace(/^((?:process|nodejs)_\S*) \S+$/gm, '$1 V');
    assert.equal(steady(sent), steady(await m.registry.metrics()));
    assert.equal(bytes, Buffer.byteLength(sent));
    assert.ok(bytes > 5000);
});

test("an exposition's bytes are reused only once nothing holds them: not while a response still sends them", async () => {
    const m = new ExporterMetrics();
    const next = async (fragments: number) => {
        m.update(scrape([link('ns1:eth0-ns2:eth0', fragments)]));
        return m.exposition();
    };
    const same = (x: { chunks: readonly Buffer[] }, y: { chunks: readonly Buffer[] }) =>
        x.chunks[0].buffer === y.chunks[0].buffer;
    const a = await next(1);
    const aText = Buffer.concat(a.chunks).toString();
    a.hold(); // a response still sending it
    const b = await next(2);
    const c = await next(3); // replaces b: b is free from now on, a is not
    assert.ok(!same(c, a) && !same(b, a));
    const d = await next(4);
    assert.ok(same(d, b), "d takes the replaced scrape's buffer");
    assert.equal(Buffer.concat(a.chunks).toString(), aText, 'a is intact while held');
    assert.match(Buffer.concat(d.chunks).toString(), /^tipc_link_tx_fragments_total\{.*\} 4$/m);
    a.release();
    const e = await next(5);
    const f = await next(6);
    assert.ok(same(e, a) || same(f, a), 'a is reused once released');
});

test('scrapes that arrive while one is collected share it', async () => {
    let collections = 0;
    let release: () => void = () => undefined;
    const collector = {
        collect: () => {
            collections++;
            return new Promise<Scrape>((resolve) => (release = () => resolve(scrape([]))));
        },
    };
    const source = scrapeSource(collector, new ExporterMetrics());
    const answers = Array.from({ length: 50 }, () => source.scrape(1000));
    release();
    const texts = await Promise.all(answers);
    assert.equal(collections, 1);
    assert.ok(texts.every((t) => t === texts[0]));
    assert.ok(Buffer.concat(texts[0].chunks).toString().includes('tipc_exporter_module_loaded 1'));
    const next = source.scrape(1000);
    release();
    await next;
    assert.equal(collections, 2, 'a scrape after the shared one collects again');
});

test('docs/metrics.md names every metric with its labels', () => {
    const doc = readFileSync(new URL('docs/metrics.md', root), 'utf8');
    for (const spec of Object.values(METRICS)) {
        const cells = doc
            .split('\n')
            .map((l) => l.split('|').map((c) => c.trim()))
            .find((c) => c[1] === `\`${spec.name}\``);
        assert.ok(cells, `${spec.name} is not in docs/metrics.md`);
        assert.equal(cells[2], spec.type, `${spec.name}: type`);
        const row = cells.join('|');
        for (const label of spec.labels) assert.ok(row.includes(label), `${spec.name}: label ${label}`);
    }
});

test('the Grafana dashboard and the Prometheus rules in contrib/ use only metrics the exporter defines', () => {
    const known = new Set<string>(Object.values(METRICS).map((s) => s.name));
    const dashboard = JSON.parse(readFileSync(new URL('contrib/grafana/tipcx.json', root), 'utf8')) as {
        panels: { title: string; targets: { expr: string }[] }[];
        templating: { list: { definition: string }[] };
    };
    const rules = readFileSync(new URL('contrib/prometheus/tipcx-rules.yml', root), 'utf8');
    const exprs = [
        ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
        ...dashboard.templating.list.map((v) => v.definition),
        rules,
    ];
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\btipc_[a-z_]+\b(?!:)/g)].map((m) => m[0])));
    assert.ok(used.size >= 10, `${[...used].join(', ')}`);
    for (const name of used) assert.ok(known.has(name), `${name} is not an exporter metric`);
    const titles = dashboard.panels.map((p) => p.title);
    for (const wanted of ['Link states', 'TX packets per second', 'Retransmission ratio', 'Crossover verdicts'])
        assert.ok(titles.includes(wanted), wanted);
});

/** Every number the link metrics take from a link. */
function exportedNumbers(l: Link): unknown[] {
    const st = linkStatisticsFrom(l);
    return [
        st.rx,
        st.tx,
        st.rxStates.naks,
        st.rxStates.dups,
        st.txStates.naks,
        st.txStates.retrans,
        st.congestion,
        st.sendQueueMax,
        st.sendQueueAvg,
    ];
}

test("a scrape's lean reads give what the full decode gives: every exported number, the name table and socket counts (real kernel dumps)", async () => {
    const dumps = new Map(
        (['LINK_GET', 'NAME_TABLE_GET', 'SOCK_GET'] as const).map((cmd) => [
            TipcCmd[cmd] as number,
            fixture.dumps[cmd].map((h) => Buffer.from(h, 'hex')),
        ]),
    );
    const transport = {
        familyId: 0x20,
        dump: (cmd: number) => Promise.resolve(dumps.get(cmd) ?? []),
        doit: () => Promise.reject(new Error('not asked')),
        close() {},
    };
    // the session's constructor is private: commands open sessions by namespace
    const Session = TipcSession as unknown as new (t: typeof transport, netns: undefined) => TipcSession;
    const s = new Session(transport, undefined);
    const lean = await listLinks(s, { statistics: EXPORTED_LINK_COUNTERS });
    const full = await listLinks(s);
    assert.equal(lean.length, 3);
    for (const [i, l] of lean.entries()) {
        assert.ok(Object.keys(l.stats ?? {}).length < Object.keys(full[i].stats ?? {}).length);
        assert.deepEqual(exportedNumbers(l), exportedNumbers(full[i]), l.name);
    }
    assert.equal(await countPublications(s), publicationsFrom(await s.dump(TipcCmd.NAME_TABLE_GET)).length);
    assert.equal(await countSockets(s), socketsFrom(await s.dump(TipcCmd.SOCK_GET)).length);
    assert.ok((await countPublications(s)) > 0);
});

test('gzip when the scraper asks for it (Prometheus does): the same text, compressed', async () => {
    assert.equal(acceptsGzip('gzip'), true);
    assert.equal(acceptsGzip('deflate, gzip;q=0.5'), true);
    assert.equal(acceptsGzip('gzip;q=0'), false);
    assert.equal(acceptsGzip('identity'), false);
    assert.equal(acceptsGzip(undefined), false);
    const m = new ExporterMetrics();
    const source = scrapeSource({ collect: () => Promise.resolve(scrape([link('ns1:eth0-ns2:eth0', 7)])) }, m);
    const server = await startServer({
        address: { host: '127.0.0.1', port: 0, loopback: true },
        source,
        budgetMs: 1000,
        onError: (e) => assert.fail(e),
    });
    try {
        const { port } = server.address() as AddressInfo;
        const get = (headers: Record<string, string>) =>
            new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
                const req = request({ host: '127.0.0.1', port, path: '/metrics', headers, agent: false }, (res) => {
                    const chunks: Buffer[] = [];
                    res.on('data', (d: Buffer) => chunks.push(d));
                    res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
                });
                req.on('error', reject);
                req.end();
            });
        const [plainText, zipped] = await Promise.all([get({}), get({ 'Accept-Encoding': 'gzip' })]);
        assert.equal(plainText.headers['content-encoding'], undefined);
        assert.equal(zipped.headers['content-encoding'], 'gzip');
        assert.equal(Number(zipped.headers['content-length']), zipped.body.length);
        const text = plainText.body.toString();
        assert.match(text, /^tipc_link_tx_fragments_total\{.*\} 7$/m);
        // two scrapes: the process metrics differ, the TIPC ones are the same, gzipped
        const unzipped = gunzipSync(zipped.body).toString();
        const tipc = (t: string) => t.split('\n').filter((l) => /^(# (HELP|TYPE) )?tipc_/.test(l));
        assert.ok(tipc(text).length > 30);
        assert.deepEqual(tipc(unzipped), tipc(text));
        assert.ok(zipped.body.length < text.length / 3, `${zipped.body.length} of ${text.length} bytes`);
    } finally {
        server.close();
    }
});
