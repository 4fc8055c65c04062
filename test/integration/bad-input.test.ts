// Hostile input on a TIPC kernel: every invocation of the matrix
// (bad-input.ts) is wrong in one way. Each must exit 2 (usage, nothing sent),
// 1 (the kernel refused) or 3 (no such namespace), print exactly one line that
// names the bad word, and leave the kernel state exactly as it was (read back
// with iproute2's tipc before and after).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { reportCount } from '../suite-count.js';
import { LINK, NS, argvIn, assertRefusal, caseTitle, cases } from './bad-input.js';
import { assertInLab, makeCluster, sh, tipc, tipcx, type Cluster } from './lab.js';

assertInLab();

/**
 * The kernel's refusals, the namespace cases, and one usage error in
 * USAGE_SAMPLE: every usage error runs on the host (test/host/usage.test.ts),
 * where a check made after entering the namespace would show as exit 3; here
 * a sample shows that the installed package refuses them the same way on a
 * TIPC kernel and leaves its state alone.
 */
const USAGE_SAMPLE = 6;
const labCases = cases.filter((c, i) => c[1] !== 2 || c[0].includes('-n') || i % USAGE_SAMPLE === 0);

/** Everything a wrong command could have changed, as iproute2 reads it. */
function stateDump(): string {
    const read = (args: string[]) => {
        const r = tipc(args, NS);
        return `$ tipc ${args.join(' ')}\n${r.stdout}${r.code}\n`;
    };
    return (
        [
            ['bearer', 'list'],
            ['link', 'list'],
            ['node', 'list'],
            ['node', 'get', 'identity'],
            ['node', 'get', 'netid'],
            ['nametable', 'show'],
            ['socket', 'list'],
            ['link', 'monitor', 'get', 'threshold'],
            ['link', 'get', 'broadcast'],
            ...['priority', 'tolerance', 'window'].flatMap((p) => [
                ['link', 'get', p, 'link', LINK],
                ['media', 'get', p, 'media', 'eth'],
                ['media', 'get', p, 'media', 'udp'],
                ['bearer', 'get', p, 'media', 'eth', 'device', 'eth0'],
                ['bearer', 'get', p, 'media', 'udp', 'name', 'u1'],
            ]),
            ['media', 'get', 'mtu', 'media', 'udp'],
            ['bearer', 'get', 'media', 'udp', 'name', 'u1', 'remoteip'],
        ]
            .map(read)
            .join('') + sh('ip netns list | sort')
    );
}

describe(`bad input on a TIPC kernel: ${labCases.length} of the ${cases.length} invocations`, () => {
    let cluster: Cluster;
    let before_: string;
    before(async () => {
        cluster = await makeCluster(2, 'bi');
        sh(`ip -n ${NS} addr add 10.77.0.1/24 dev eth0`);
        const r = tipc(
            ['bearer', 'enable', 'media', 'udp', 'name', 'u1', 'localip', '10.77.0.1', 'remoteip', '10.77.0.2'],
            NS,
        );
        assert.equal(r.code, 0, r.stderr);
        before_ = stateDump();
    });
    after(() => cluster.destroy());

    test('the sample holds every kernel refusal and some usage errors', (t) => {
        // the usage errors are counted where all of them run (test/host/usage.test.ts)
        reportCount(t, 'bad inputs', labCases.filter((c) => c[1] !== 2).length);
        assert.ok(labCases.some((c) => c[1] === 1) && labCases.filter((c) => c[1] === 2).length >= 10);
    });

    for (const c of labCases) {
        test(caseTitle(c), async () => assertRefusal(await tipcx(argvIn(NS, c[0])), c));
    }

    test('the kernel state is exactly as before the matrix', () => {
        assert.equal(stateDump(), before_);
    });
});
