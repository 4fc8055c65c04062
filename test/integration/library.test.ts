// The library API of the installed package, resolved by package name as a
// dependent installed beside it would: set identities and enable bearers in
// two namespaces, then read links, link statistics and nodes, and compare with
// iproute2. Also the CLI's colour on the same links.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertInLab, run, sh, tipc, tipcx } from './lab.js';

type Library = typeof import('tipcx');
const dependent = createRequire(
    join(process.env.TIPCX_INSTALLED_PREFIX ?? '/nonexistent', 'lib', 'node_modules', 'dependent.js'),
);
const library = (await import(pathToFileURL(dependent.resolve('tipcx')).href)) as Library;
const {
    OperationError,
    disableBearer,
    enableBearer,
    getLink,
    listBearers,
    listLinks,
    listPeerNodes,
    parseNodeId,
    setOwnNet,
    withSession,
} = library;

const NAMESPACES = ['libx1', 'libx2'];
const BRIDGE = 'br-libx';
const LINK = 'libx1:eth0-libx2:eth0';

before(() => {
    assertInLab();
    sh(`ip link add ${BRIDGE} type bridge && ip link set ${BRIDGE} up`);
    NAMESPACES.forEach((ns, i) =>
        sh(`ip netns add ${ns}
        ip link add v-${ns} type veth peer name eth0 netns ${ns}
        ip link set v-${ns} master ${BRIDGE} up
        ip -n ${ns} link set eth0 address 02:00:00:00:3c:0${i + 1} up`),
    );
});
after(() => {
    for (const ns of NAMESPACES) run(['ip', 'netns', 'del', ns]);
    for (const ns of NAMESPACES) run(['ip', 'link', 'del', `v-${ns}`]);
    run(['ip', 'link', 'del', BRIDGE]);
});

const inNs = <T>(ns: string, fn: Parameters<typeof withSession<T>>[1]) => withSession({ netns: { name: ns } }, fn);

test('enable bearers through the library and read the links it brings up', async () => {
    for (const ns of NAMESPACES) {
        await inNs(ns, async (s) => {
            await setOwnNet(s, { identity: parseNodeId(ns)! });
            await enableBearer(s, { name: 'eth:eth0' });
            assert.deepEqual(await listBearers(s), [{ name: 'eth:eth0' }]);
        });
        assert.equal(tipc(['bearer', 'list'], ns).stdout, 'eth:eth0\n');
    }

    const links = await until(`${LINK} up`, async () => {
        const now = await inNs('libx1', listLinks);
        return now.some((l) => l.name === LINK && l.up) ? now : undefined;
    });
    assert.deepEqual(
        links.map((l) => `${l.name}: ${l.up ? 'up' : 'down'}\n`).join(''),
        tipc(['link', 'list'], 'libx1').stdout,
    );
    const broadcast = links.find((l) => l.broadcast);
    assert.equal(broadcast?.name, 'broadcast-link');

    // One link's record carries its properties and statistics as numbers.
    const link = await inNs('libx1', (s) => getLink(s, LINK));
    assert.equal(typeof link.stats?.txStates, 'number');
    assert.equal(link.prop?.prio, Number(tipc(['link', 'get', 'priority', 'link', LINK], 'libx1').stdout.trim()));
    assert.deepEqual(
        (await inNs('libx1', listPeerNodes)).map((n) => [n.identity, n.up]),
        [['libx2', true]],
    );
});

test('kernel refusals arrive as OperationError sentences', async () => {
    await inNs('libx1', async (s) => {
        await assert.rejects(
            enableBearer(s, { name: 'eth:nosuchdev' }),
            (err: unknown) => err instanceof OperationError && err.exitCode === 1 && /nosuchdev/.test(err.message),
        );
    });
});

test('link list is coloured only when asked, and iproute2 text otherwise', async () => {
    const cli = async (args: string[], env: Record<string, string>) => {
        const r = await tipcx(args, { NO_COLOR: '', ...env });
        assert.equal(r.code, 0, r.stderr);
        return r.stdout;
    };
    const plain = tipc(['link', 'list'], 'libx1').stdout;
    assert.equal(await cli(['-n', 'libx1', 'link', 'list'], {}), plain);
    assert.equal(await cli(['-n', 'libx1', 'link', 'list'], { NO_COLOR: '1', FORCE_COLOR: '1' }), plain);
    const coloured = await cli(['-n', 'libx1', '--color=always', 'link', 'list'], {});
    assert.match(coloured, /: \u001b\[32mup\u001b\[39m\n/);
    assert.equal(coloured.replace(/\u001b\[\d+m/g, ''), plain);
    assert.doesNotMatch(await cli(['-n', 'libx1', '-j', '--color=always', 'link', 'list'], {}), /\u001b/);
});

test('disable the bearers through the library', async () => {
    for (const ns of NAMESPACES) {
        await inNs(ns, (s) => disableBearer(s, 'eth:eth0'));
        assert.equal(tipc(['bearer', 'list'], ns).stdout, '');
    }
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 300));
    }
}
