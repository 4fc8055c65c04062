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
import { broadcastSettingFrom, linksFrom, type Link } from '../../src/tipc/link.js';
import { mediaFrom } from '../../src/tipc/media.js';
import { fixture, messages } from './kernel-fixture.js';

// The fixture's dump and tipc's printout were taken seconds apart: only the link
// supervision counters (RX/TX states, probes) moved in between. Those two lines
// are compared with their numbers masked; every other byte must be identical.
const maskSupervision = (text: string) => text.replace(/^( {2}[RT]X states:)\d+ probes:\d+/gm, '$1N probes:N');

test('LINK_GET dump -> link statistics show, byte for byte', () => {
    const records = linksFrom(messages('LINK_GET')).map(linkStatisticsFrom);
    assert.equal(records.length, 3);
    const ours = linkStatisticsText(records);
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
        linkStatisticsText([r]),
        /^Link <a:e-b:e>\n {2}DEFUNCT {2}MTU:1500 {2}Priority:1 {2}Tolerance:2 ms {2}Window:3 packets\n/,
    );
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
