// Completion against the real kernel: live link names, peers, bearers, media
// and namespaces, through the real bash, zsh and fish (shared from the host root).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { complete } from '../../src/cli/complete.js';
import { commandTree } from '../../src/commands/index.js';
import { shells } from '../unit/completion-shells.js';
import { assertInLab, makeCluster, type Cluster } from './lab.js';

let cluster: Cluster;
// Software-emulated, the VM needs seconds just to load the netlink code: the
// 300 ms default budget is for real machines.
const BUDGET_MS = 60_000;
before(async () => {
    assertInLab();
    process.env.TIPCX_COMPLETE_BUDGET_MS = String(BUDGET_MS);
    cluster = await makeCluster(2, 'cmpl');
});
after(() => cluster?.destroy());

const values = async (words: string[]) => (await complete(words, commandTree, { budgetMs: BUDGET_MS })).map((c) => c.value);

test('live values come from the kernel of the -n namespace', async () => {
    assert.deepEqual(await values(['-n', 'cmpl1', 'link', 'get', 'priority', 'link', '']), ['broadcast-link', 'cmpl1:eth0-cmpl2:eth0']);
    assert.deepEqual(await values(['-n', 'cmpl2', 'link', 'get', 'tolerance', 'link', 'c']), ['cmpl2:eth0-cmpl1:eth0']);
    assert.deepEqual(await values(['-n', 'cmpl1', 'peer', 'remove', 'identity', '']), ['cmpl2']);
    assert.deepEqual(await values(['-n', 'cmpl1', 'bearer', 'disable', 'media', 'eth', 'device', '']), ['eth0']);
    assert.deepEqual((await values(['-n', 'cmpl1', 'bearer', 'enable', 'media', ''])).sort(), ['eth', 'ib', 'udp']);
    assert.deepEqual((await values(['-n', 'cmpl'])).filter((n) => n.startsWith('cmpl')).sort(), ['cmpl1', 'cmpl2']);
});

test('bash, zsh and fish offer live link names', { timeout: 300_000 }, () => {
    for (const [name, run] of Object.entries(shells)) {
        assert.deepEqual(run('tipcx -n cmpl1 link get window link cm'), ['cmpl1:eth0-cmpl2:eth0'], name);
    }
    // Namespace names after -n are checked in-process above: node starts slowly in the VM.
});
