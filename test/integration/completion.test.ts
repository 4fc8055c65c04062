// Completion against the real kernel: live link names, peers, bearers, media
// and namespaces, through the real bash, zsh and fish (shared from the host root).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { shells } from '../unit/completion-shells.js';
import { assertInLab, makeCluster, tipc, tipcx, type Cluster } from './lab.js';

let cluster: Cluster;
// The default budget (300 ms) is for a warm machine; a process start in the
// lab kernel alone can take half of it, and this test is about the values.
const BUDGET_MS = 60_000;
before(async () => {
    assertInLab();
    process.env.TIPCX_COMPLETE_BUDGET_MS = String(BUDGET_MS);
    cluster = await makeCluster(2, 'cmpl');
});
after(() => cluster?.destroy());

/** What the installed tipcx offers for `words` (the shells call `tipcx __complete WORDS...`). */
const values = async (words: string[]) => {
    const r = await tipcx(['__complete', ...words]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t', 1)[0]);
};

test('live values come from the kernel of the -n namespace', async () => {
    assert.deepEqual(await values(['-n', 'cmpl1', 'link', 'get', 'priority', 'link', '']), [
        'broadcast-link',
        'cmpl1:eth0-cmpl2:eth0',
    ]);
    assert.deepEqual(await values(['-n', 'cmpl2', 'link', 'get', 'tolerance', 'link', 'c']), ['cmpl2:eth0-cmpl1:eth0']);
    assert.deepEqual(await values(['-n', 'cmpl1', 'peer', 'remove', 'identity', '']), ['cmpl2']);
    assert.deepEqual(await values(['-n', 'cmpl1', 'bearer', 'disable', 'media', 'eth', 'device', '']), ['eth0']);
    // the media this kernel has (User-Mode Linux has no InfiniBand, so no ib), as iproute2 lists them
    const media = tipc(['media', 'list'], 'cmpl1').stdout.split('\n').filter(Boolean).sort();
    assert.ok(media.includes('eth') && media.includes('udp'), `tipc media list: ${media.join(' ')}`);
    assert.deepEqual((await values(['-n', 'cmpl1', 'bearer', 'enable', 'media', ''])).sort(), media);
    assert.deepEqual((await values(['-n', 'cmpl'])).filter((n) => n.startsWith('cmpl')).sort(), ['cmpl1', 'cmpl2']);
});

test('bash, zsh and fish offer live link names', { timeout: 300_000 }, () => {
    for (const [name, run] of Object.entries(shells)) {
        assert.deepEqual(run('tipcx -n cmpl1 link get window link cm'), ['cmpl1:eth0-cmpl2:eth0'], name);
    }
});
