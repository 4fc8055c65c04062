// link statistics show and media list from real kernel dumps (test/unit/fixtures/kernel/cluster.json):
// the renderer must print what iproute2's tipc printed for the same state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    broadcastSettingText,
    linkStatisticsFrom,
    linkStatisticsText,
    profilePercent,
    type LinkStatistics,
} from '../../src/render/link.js';
import { formatJson } from '../../src/render/json.js';
import { mediaListRecords, mediaListText } from '../../src/render/media.js';
import { broadcastSettingFrom, linkTableOf, linksFrom, type Link, type LinkTable } from '../../src/tipc/link.js';
import { encodeMessage } from '../../src/netlink/codec.js';
import { mediaFrom } from '../../src/tipc/media.js';
import { fixture, messages } from './kernel-fixture.js';
import { seededRandom } from './seeded-random.js';
import { tipcSchema } from '../../src/netlink/schema.js';

// The fixture's dump and tipc's printout were taken seconds apart: only the link
// supervision counters (RX/TX states, probes) moved in between. Those two lines
// are compared with their numbers masked; every other byte must be identical.
const maskSupervision = (text: string) => text.replace(/^( {2}[RT]X states:)\d+ probes:\d+/gm, '$1N probes:N');

/** The rows the text is written from, made by the real decoder from links encoded as the kernel sends them. */
const tableOf = (links: readonly Link[]): LinkTable => linkTableOf(links.map((link) => encodeMessage({ link })));

test('LINK_GET dump -> link statistics show, byte for byte', () => {
    const table = linkTableOf(fixture.dumps.LINK_GET.map((h) => Buffer.from(h, 'hex')));
    assert.equal(table.count, 3);
    const ours = linkStatisticsText(table).toString();
    const theirs = fixture.tipc['link statistics show'].stdout;
    assert.equal(ours.length > 0 && ours.split('\n').length, theirs.split('\n').length);
    assert.equal(maskSupervision(ours), maskSupervision(theirs));
    assert.notEqual(maskSupervision(ours), ours, 'the mask only hides the supervision counters');
});

test('the JSON records carry what tipc -j carries (counters that move with time aside)', () => {
    const ours = linksFrom(messages('LINK_GET')).map(linkStatisticsFrom);
    const theirs = JSON.parse(fixture.tipc['-j link statistics show'].stdout) as Record<string, unknown>[];
    assert.deepEqual(
        ours.map((r) => r.link),
        theirs.map((r) => r.link),
    );
    const [bc, ...unicast] = ours;
    assert.ok(bc.broadcast);
    assert.equal(bc.window, theirs[0].window);
    unicast.forEach((r, i) => {
        const t = theirs[i + 1];
        assert.ok(!r.broadcast);
        if (r.broadcast) return;
        assert.deepEqual([r.state], t.state);
        assert.deepEqual([r.mtu, r.priority, r.tolerance, r.window], [t.mtu, t.priority, t.tolerance, t.window]);
        assert.deepEqual(
            [r.profile.sample, r.profile.average, r.profile.percent.upTo64, r.profile.percent.upTo66000],
            [t['tx profile sample'], t['packets average'], t['0-64'], t['-66000']],
        );
    });
});

test('profile percent is rounded and wraps in 32-bit unsigned arithmetic, as tipc computes it', () => {
    assert.equal(profilePercent(3, 4), 75);
    assert.equal(profilePercent(1, 3), 33);
    assert.equal(profilePercent(2, 3), 67);
    assert.equal(profilePercent(1, 1), 100);
    // 50,000,000 * 100 = 5e9 wraps to 705,032,704; + 25,000,000 = 730,032,704; / 50,000,000 = 14
    assert.equal(profilePercent(50_000_000, 50_000_000), 14);
    assert.equal(profilePercent(5, 0), 0);
});

test('unicast state word: ACTIVE, else STANDBY when up, else DEFUNCT; packets subtract *_INFO unsigned', () => {
    const base: Link = {
        name: 'a:e-b:e',
        up: false,
        active: false,
        broadcast: false,
        mtu: 1500,
        rx: 0,
        tx: 5,
        prop: { prio: 1, tol: 2, win: 3 },
        stats: { msgProfTot: 1, rxInfo: 1 },
    };
    const state = (l: Link) => (linkStatisticsFrom(l) as Extract<LinkStatistics, { broadcast: false }>).state;
    assert.equal(state(base), 'DEFUNCT');
    assert.equal(state({ ...base, up: true }), 'STANDBY');
    assert.equal(state({ ...base, up: true, active: true }), 'ACTIVE');
    const r = linkStatisticsFrom(base);
    assert.equal(r.rx.packets, 0xffff_ffff);
    assert.equal(r.tx.packets, 5);
    assert.match(
        linkStatisticsText(tableOf([base])).toString(),
        /^Link <a:e-b:e>\n {2}DEFUNCT {2}MTU:1500 {2}Priority:1 {2}Tolerance:2 ms {2}Window:3 packets\n/,
    );
});

test('a link name that is not ASCII is printed as the kernel sent it (UTF-8)', () => {
    const name = 'nœud:eth0-пир:eth0';
    const text = linkStatisticsText(tableOf([{ name, up: true, active: true, broadcast: false }])).toString();
    assert.ok(text.startsWith(`Link <${name}>\n  ACTIVE  MTU:0  Priority:0  Tolerance:0 ms  Window:0 packets\n`), text);
});

test('link get broadcast: the four outputs', () => {
    const bc = (broadcast: number, broadcastRatio?: number): Link => ({
        name: 'broadcast-link',
        up: true,
        active: false,
        broadcast: true,
        prop: { win: 50, broadcast, broadcastRatio },
    });
    assert.equal(broadcastSettingText([broadcastSettingFrom(bc(1))]), 'BROADCAST\n');
    assert.equal(broadcastSettingText([broadcastSettingFrom(bc(2))]), 'REPLICAST\n');
    assert.equal(broadcastSettingText([broadcastSettingFrom(bc(4, 30))]), 'AUTOSELECT ratio:30\n');
    assert.deepEqual(broadcastSettingFrom(bc(4, 30)), { mode: 'AUTOSELECT', ratio: 30 });
    assert.equal(broadcastSettingText([broadcastSettingFrom(bc(0))]), 'UNKNOWN\n');
});

test('MEDIA_GET dump -> media list', () => {
    const media = mediaFrom(messages('MEDIA_GET'));
    // what the fixture's kernel (the lab's User-Mode Linux, no InfiniBand) registers, each at the default priority 10
    assert.deepEqual(
        media.map((m) => [m.name, m.prop.prio]),
        [
            ['eth', 10],
            ['udp', 10],
        ],
    );
    const records = mediaListRecords(media);
    assert.equal(mediaListText(records), fixture.tipc['media list'].stdout);
    assert.deepEqual(JSON.parse(formatJson(records, false)), [{ name: 'eth' }, { name: 'udp' }]);
});

test('the text and the -j records of link statistics say the same, for random counters (wraps included)', () => {
    const rnd = seededRandom(0x5747);
    const u = () => (rnd() < 0.2 ? 0 : Math.floor(rnd() * 2 ** 32));
    const names = Object.keys(tipcSchema.stats) as (keyof typeof tipcSchema.stats)[];
    for (let i = 0; i < 200; i++) {
        const stats = Object.fromEntries(names.filter(() => rnd() < 0.9).map((k) => [k, u()]));
        const link: Link = {
            name: `n${i}:eth0-p${i}:eth0`,
            up: rnd() < 0.7,
            active: rnd() < 0.5,
            broadcast: i % 7 === 0,
            mtu: u(),
            rx: u(),
            tx: u(),
            prop: { prio: u(), tol: u(), win: u() },
            stats,
        };
        const r = linkStatisticsFrom(link);
        const text = linkStatisticsText(tableOf([link])).toString();
        const numbers = (re: RegExp) => (re.exec(text) ?? []).slice(1).map(Number);
        const packets = (dir: string) =>
            numbers(new RegExp(`  ${dir} packets:(\\d+) fragments:(\\d+)/(\\d+) bundles:(\\d+)/(\\d+)\\n`));
        assert.deepEqual(packets('RX'), [r.rx.packets, r.rx.fragments, r.rx.fragmented, r.rx.bundles, r.rx.bundled]);
        assert.deepEqual(packets('TX'), [r.tx.packets, r.tx.fragments, r.tx.fragmented, r.tx.bundles, r.tx.bundled]);
        assert.deepEqual(numbers(/ {2}Congestion link:(\d+) {2}Send queue max:(\d+) avg:(\d+)\n\n$/), [
            r.congestion,
            r.sendQueueMax,
            r.sendQueueAvg,
        ]);
        if (r.broadcast) {
            assert.deepEqual(numbers(/^Link <.*>\n {2}Window:(\d+) packets\n/), [r.window]);
            assert.deepEqual(numbers(/ {2}RX naks:(\d+) defs:(\d+) dups:(\d+)\n/), [
                r.rxStates.naks,
                r.rxStates.defs,
                r.rxStates.dups,
            ]);
            continue;
        }
        assert.ok(text.startsWith(`Link <${r.link}>\n  ${r.state}  MTU:${r.mtu}  `), text);
        const p = r.profile;
        assert.deepEqual(numbers(/ {2}TX profile sample:(\d+) packets average:(\d+) octets\n/), [p.sample, p.average]);
        assert.deepEqual(
            numbers(
                / {2}0-64:(\d+)% -256:(\d+)% -1024:(\d+)% -4096:(\d+)% -16384:(\d+)% -32768:(\d+)% -66000:(\d+)%\n/,
            ),
            Object.values(p.percent),
        );
        assert.deepEqual(numbers(/ {2}TX states:(\d+) probes:(\d+) naks:(\d+) acks:(\d+) retrans:(\d+)\n/), [
            r.txStates.states,
            r.txStates.probes,
            r.txStates.naks,
            r.txStates.acks,
            r.txStates.retrans,
        ]);
    }
});
