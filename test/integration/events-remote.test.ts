// `tipcx events` and the remote peer kernel (node remote1): its node and link
// come up when its wire joins the bridge and go down when it leaves.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertInLab, attachRemoteToBridge, detachRemoteFromBridge, makeCluster, type Cluster } from './lab.js';
import { matching, startEvents } from './events.js';

assertInLab();

let cluster: Cluster;
before(async () => {
    cluster = await makeCluster(1, 'evr');
});
after(() => cluster?.destroy());

test("the remote kernel's node and link: up when it joins, down when it leaves, with identity and verdict", async (t) => {
    const s = startEvents(['-n', 'evr1', '-j', 'events', 'node', 'link']);
    const LINK = 'evr1:eth0-remote1:eth0';
    try {
        await s.until('evr1 itself in the snapshot', (rs) => rs.some(matching({ kind: 'node', self: true })));
        assert.ok(!s.records.some(matching({ identity: 'remote1' })), 'remote1 is not there yet');
        const peer = attachRemoteToBridge(cluster.bridge);
        try {
            await s.until(
                'remote1 up',
                (rs) =>
                    rs.some(matching({ kind: 'node', origin: 'new', event: 'up', identity: peer.identity })) &&
                    rs.some(matching({ kind: 'link', origin: 'new', event: 'up', name: LINK })),
                90_000,
            );
            const up = s.records.find(matching({ kind: 'node', event: 'up', identity: peer.identity }))!;
            // no namespace of this kernel has remote1's identity: the crossover module says remote
            assert.equal(up.verdict, 'remote', JSON.stringify(up));
            const link = s.records.find(matching({ kind: 'link', event: 'up', name: LINK }))!;
            assert.equal(link.peerIdentity, peer.identity);
            assert.equal(link.peer, up.address);
        } finally {
            detachRemoteFromBridge();
        }
        await s.until(
            'remote1 down',
            (rs) =>
                rs.some(matching({ kind: 'node', origin: 'new', event: 'down', identity: 'remote1' })) &&
                rs.some(matching({ kind: 'link', origin: 'new', event: 'down', name: LINK })),
            90_000,
        );
        t.diagnostic(s.records.map((r) => `${r.kind} ${r.event} ${String(r.identity ?? r.name)}`).join('; '));
    } finally {
        await s.stop();
    }
    assert.equal(s.stderr(), '');
});
