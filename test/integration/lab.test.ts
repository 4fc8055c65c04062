// The lab itself: a real TIPC kernel, iproute2's tipc, and a cluster whose links come up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertInLab, makeCluster, tipc } from './lab.js';

test('the lab kernel has TIPC loaded and iproute2 tipc talks to it', () => {
    assertInLab();
    const r = tipc(['bearer', 'list']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(tipc(['node', 'get', 'netid']).stdout, '4711\n');
});

test('a 3-namespace cluster on a bridge brings all 6 unicast links up', async () => {
    const cluster = await makeCluster(3, 'lab');
    try {
        const links = tipc(['link', 'list'], 'lab1').stdout;
        assert.match(links, /^broadcast-link: up$/m);
        assert.match(links, /^lab1:eth0-lab2:eth0: up$/m);
        assert.match(links, /^lab1:eth0-lab3:eth0: up$/m);
    } finally {
        cluster.destroy();
    }
});
