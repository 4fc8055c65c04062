// The peer VM booted by test/run-all.ts: a second kernel whose root namespace
// is TIPC node remote1, reachable through this VM's eth0 once a test bridges it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attachRemoteToBridge, detachRemoteFromBridge, makeCluster, remotePeer, sh, tipc, waitFor } from './lab.js';

test('eth0 (the NIC to the peer VM) is left unconfigured until a test takes it', () => {
    const { iface } = remotePeer();
    const link = sh(`ip -o link show ${iface}`);
    assert.doesNotMatch(link, /master /, 'eth0 must not be enslaved by default');
    assert.match(link, /state DOWN/, 'eth0 must be down by default');
    assert.equal(tipc(['bearer', 'list']).stdout, '', 'no bearer in the root namespace by default');
});

test('a namespace on a bridge with eth0 enslaved sees remote1 up and a link to it', async () => {
    const cluster = await makeCluster(1, 'rpeer');
    try {
        const peer = attachRemoteToBridge(cluster.bridge);
        await waitFor(
            'remote1 up in rpeer1',
            () => /^remote1\s+[0-9a-f]{8} up$/m.test(tipc(['node', 'list'], 'rpeer1').stdout),
            30_000,
        );
        const links = tipc(['link', 'list'], 'rpeer1').stdout;
        assert.match(links, new RegExp(`^rpeer1:eth0-${peer.identity}:eth0: up$`, 'm'));
    } finally {
        detachRemoteFromBridge();
        cluster.destroy();
    }
});
