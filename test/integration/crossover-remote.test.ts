// Netns crossover against a node on another kernel: the peer kernel's remote1
// joins a 2-namespace cluster and is `remote`, and the probe sees the counters
// to it move while those to the local peer stay flat. Runs in the lab kernel
// wired to the peer (test/run-all.ts, NEEDS_PEER).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import {
    assertInLab,
    attachRemoteToBridge,
    detachRemoteFromBridge,
    makeCluster,
    tipc,
    tipcx,
    waitFor,
    type Cluster,
} from './lab.js';
import { row, rowsOf } from './crossover.js';

let cluster: Cluster;

before(async () => {
    assertInLab();
    cluster = await makeCluster(2, 'xr');
});

after(() => cluster?.destroy());

test("the peer VM's remote1 is remote; probe: flat counters to a local peer, moving to remote1", async () => {
    attachRemoteToBridge(cluster.bridge);
    try {
        await waitFor(
            'remote1 up in xr1',
            () => /^remote1\s+\S+\s+up$/m.test(tipc(['node', 'list'], 'xr1').stdout),
            60_000,
        );
        const r = await tipcx(['-n', 'xr1', '-j', 'crossover', 'wait', '70', 'probe']);
        assert.equal(r.code, 0, r.stderr);
        const rows = rowsOf(r.stdout);
        const remote = row(rows, 'xr1', 'remote1');
        assert.equal(remote.verdict, 'remote', remote.reason);
        assert.equal(remote.localNetns, null);
        assert.equal(remote.probe?.bypassed, false, JSON.stringify(remote.probe));
        const local = row(rows, 'xr1', 'xr2');
        assert.equal(local.probe?.bypassed, true, JSON.stringify(local.probe));
    } finally {
        detachRemoteFromBridge();
    }
});
