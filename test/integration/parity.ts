// Helpers of the parity tests that diff tipcx against iproute2's tipc on the
// same kernel state: batched reference commands (one spawn per namespace for
// many tipc commands), parity assertions, and statistics compared within two
// tipc readings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { errorLine } from '../../src/errors.js';
import type { LinkStatistics } from '../../src/render/link.js';
import { run, sh, tipcx, type Run } from './lab.js';

export type Args = readonly string[];

/** Many tipc commands in one namespace with one spawn. */
function tipcBatch(commands: readonly Args[], netns?: string): Run[] {
    const quote = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
    const dir = sh('mktemp -d').trim();
    const script = commands
        .map((c, i) => `tipc ${c.map(quote).join(' ')} >${dir}/${i}.out 2>${dir}/${i}.err; echo $? >${dir}/${i}.rc`)
        .join('\n');
    run(netns ? ['ip', 'netns', 'exec', netns, 'bash', '-c', script] : ['bash', '-c', script]);
    const runs = commands.map((_, i) => ({
        stdout: readFileSync(`${dir}/${i}.out`, 'utf8'),
        stderr: readFileSync(`${dir}/${i}.err`, 'utf8'),
        code: Number(readFileSync(`${dir}/${i}.rc`, 'utf8')),
    }));
    sh(`rm -rf ${dir}`);
    return runs;
}

/** tipcx prints exactly what tipc prints (JSON: the same data), all succeed. Returns tipcx's outputs. */
export async function sameAsTipc(commands: readonly Args[], netns?: string): Promise<string[]> {
    const references = tipcBatch(commands, netns);
    const outputs: string[] = [];
    for (const [i, args] of commands.entries()) {
        const reference = references[i];
        const ours = await tipcx(netns ? ['-n', netns, ...args] : [...args]);
        assert.equal(reference.code, 0, `tipc ${args.join(' ')} failed: ${reference.stderr}`);
        assert.equal(ours.stderr, '', `tipcx ${args.join(' ')} wrote to stderr`);
        assert.equal(ours.code, 0);
        if (args[0] === '-j')
            assert.deepEqual(JSON.parse(ours.stdout), JSON.parse(reference.stdout), `tipcx ${args.join(' ')}`);
        else assert.equal(ours.stdout, reference.stdout, `tipcx ${args.join(' ')} differs from tipc`);
        outputs.push(ours.stdout);
    }
    return outputs;
}

/** tipc's reading of each command, one batch: the state after a set command. */
export function readBack(commands: readonly Args[], netns: string): string[] {
    return tipcBatch(commands, netns).map((r, i) => {
        assert.equal(r.code, 0, `tipc ${commands[i].join(' ')}: ${r.stderr}`);
        return r.stdout;
    });
}

export async function ok(args: Args): Promise<void> {
    const r = await tipcx([...args]);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', ''], `tipcx ${args.join(' ')}`);
}

export async function fails(args: Args, exitCode: number, message: RegExp): Promise<void> {
    const r = await tipcx([...args]);
    assert.equal(r.code, exitCode, `tipcx ${args.join(' ')}: exit ${r.code}, stderr ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    // the one error style; `message` is matched against what follows the prefix
    const prefix = errorLine('');
    assert.ok(r.stderr.startsWith(prefix), `the error style: ${r.stderr}`);
    assert.match(r.stderr.slice(prefix.length), message);
}

/** Our camelCase statistics record in iproute2's JSON shape (keys with spaces), for comparison. */
function asTipcJson(r: LinkStatistics): object {
    const counters = (first: string, c: LinkStatistics['rx']) => ({
        [first]: c.packets,
        fragments: c.fragments,
        fragmented: c.fragmented,
        bundles: c.bundles,
        bundled: c.bundled,
    });
    const tail = { 'congestion link': r.congestion, 'send queue max': r.sendQueueMax, avg: r.sendQueueAvg };
    if (r.broadcast) {
        return {
            link: r.link,
            window: r.window,
            'rx packets': counters('rx packets', r.rx),
            'tx packets': counters('tx packets', r.tx),
            'rx naks': { 'rx naks': r.rxStates.naks, defs: r.rxStates.defs, dups: r.rxStates.dups },
            'tx naks': { 'tx naks': r.txStates.naks, acks: r.txStates.acks, retrans: r.txStates.retrans },
            ...tail,
        };
    }
    const p = r.profile.percent;
    return {
        link: r.link,
        state: [r.state],
        mtu: r.mtu,
        priority: r.priority,
        tolerance: r.tolerance,
        window: r.window,
        'rx packets': counters('rx packets', r.rx),
        'tx packets': counters('tx packets', r.tx),
        'tx profile sample': r.profile.sample,
        'packets average': r.profile.average,
        '0-64': p.upTo64,
        '-256': p.upTo256,
        '-1024': p.upTo1024,
        '-4096': p.upTo4096,
        '-16384': p.upTo16384,
        '-32768': p.upTo32768,
        '-66000': p.upTo66000,
        'rx states': {
            'rx states': r.rxStates.states,
            probes: r.rxStates.probes,
            naks: r.rxStates.naks,
            defs: r.rxStates.defs,
            dups: r.rxStates.dups,
        },
        'tx states': {
            'tx states': r.txStates.states,
            probes: r.txStates.probes,
            naks: r.txStates.naks,
            acks: r.txStates.acks,
            retrans: r.txStates.retrans,
        },
        ...tail,
    };
}

/**
 * `ours` was printed between `before` and `after` (tipc's readings of the same
 * command). Link supervision keeps counting (a probe every <= 500 ms, and a
 * spawn takes longer than that here), so: every non-digit byte identical and
 * every number within the two tipc readings (the counters only grow). When
 * nothing moved this is plain equality.
 */
function printedBetween(ours: string, before: string, after: string, what: string): void {
    const [o, b, a] = [ours, before, after].map((t) => t.split(/(\d+)/)) as [string[], string[], string[]];
    assert.equal(b.length, a.length, `${what}: tipc's two readings differ in shape`);
    assert.equal(o.length, b.length, `${what}: tipcx differs in shape from tipc\n${ours}\n---\n${before}`);
    o.forEach((part, i) => {
        if (i % 2 === 0) {
            assert.equal(part, b[i], `${what}: text differs at "${part}" vs "${b[i]}"`);
            return;
        }
        const [x, y] = [Number(b[i]), Number(a[i])];
        assert.ok(
            Number(part) >= Math.min(x, y) && Number(part) <= Math.max(x, y),
            `${what}: ${part} not within tipc's ${x}..${y} (after "${o.slice(Math.max(0, i - 4), i).join('')}")`,
        );
    });
}

/** link statistics show ARGS for each ARGS: text and -j, bracketed by two tipc readings. Returns the texts. */
export async function statisticsParity(argSets: readonly Args[], netns: string): Promise<string[]> {
    const commands = argSets.flatMap((args) => [
        ['link', 'statistics', 'show', ...args],
        ['-j', 'link', 'statistics', 'show', ...args],
    ]);
    const before = tipcBatch(commands, netns);
    const ours: string[] = [];
    for (const args of commands) {
        const r = await tipcx(['-n', netns, ...args]);
        assert.deepEqual([r.code, r.stderr], [0, ''], `tipcx ${args.join(' ')}`);
        ours.push(
            args[0] === '-j' ? JSON.stringify((JSON.parse(r.stdout) as LinkStatistics[]).map(asTipcJson)) : r.stdout,
        );
    }
    const afterwards = tipcBatch(commands, netns);
    const texts: string[] = [];
    commands.forEach((args, i) => {
        const json = args[0] === '-j';
        const normal = (t: string) => (json ? JSON.stringify(JSON.parse(t)) : t);
        assert.equal(before[i].code, 0, before[i].stderr);
        printedBetween(ours[i], normal(before[i].stdout), normal(afterwards[i].stdout), args.join(' '));
        if (!json) texts.push(ours[i]);
    });
    return texts;
}
