// Helpers of the parity tests that diff tipcx against iproute2's tipc on the
// same kernel state: batched reference commands (one spawn per namespace for
// many tipc commands), parity assertions, and statistics compared within two
// tipc readings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { errorLine } from '../../src/errors.js';
import { formatIproute2Json, linkStatisticsShape } from '../../src/render/iproute2-json.js';
import type { LinkStatistics } from '../../src/render/link.js';
import { run, sh, tipc, tipcx, type Run } from './lab.js';

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

/**
 * link statistics show ARGS for each ARGS, bracketed by two tipc readings: the
 * text, `--json=iproute2` against `tipc -j` (byte for byte, counters within the
 * readings), and tipcx's own `-j` records, which carry the same data (put into
 * iproute2's shape, they read the same). Returns the texts.
 */
export async function statisticsParity(argSets: readonly Args[], netns: string): Promise<string[]> {
    const commands = argSets.flatMap((args) => [
        ['link', 'statistics', 'show', ...args],
        ['-j', 'link', 'statistics', 'show', ...args],
    ]);
    const before = tipcBatch(commands, netns);
    const ours: string[] = [];
    const ownSchema: string[] = [];
    for (const args of commands) {
        const json = args[0] === '-j';
        const r = await tipcx(['-n', netns, ...(json ? ['--json=iproute2', ...args.slice(1)] : args)]);
        assert.deepEqual([r.code, r.stderr], [0, ''], `tipcx ${args.join(' ')}`);
        ours.push(r.stdout);
        if (!json) continue;
        const own = await tipcx(['-n', netns, ...args]);
        assert.deepEqual([own.code, own.stderr], [0, ''], `tipcx ${args.join(' ')}`);
        ownSchema.push(formatIproute2Json(linkStatisticsShape(JSON.parse(own.stdout) as LinkStatistics[]), false));
    }
    const afterwards = tipcBatch(commands, netns);
    const texts: string[] = [];
    commands.forEach((args, i) => {
        assert.equal(before[i].code, 0, before[i].stderr);
        const what = args[0] === '-j' ? `--json=iproute2 ${args.slice(1).join(' ')}` : args.join(' ');
        printedBetween(ours[i], before[i].stdout, afterwards[i].stdout, what);
        if (args[0] === '-j') {
            assert.ok(JSON.parse(ours[i]), 'valid JSON');
            printedBetween(
                ownSchema.shift()!,
                before[i].stdout,
                afterwards[i].stdout,
                `${args.join(' ')} (own schema)`,
            );
        } else texts.push(ours[i]);
    });
    return texts;
}

/**
 * `tipcx --json=iproute2 [-p] ARGS` prints what `tipc -j [-p] ARGS` prints: the
 * same bytes, and so the same parsed value. State the kernel changes on its
 * own (monitor generations) is read again a few times, tipcx between two
 * tipc readings. Returns the parsed value.
 */
export async function sameJsonAsTipc(args: Args, netns: string, pretty = false): Promise<unknown> {
    const flags = pretty ? ['-p'] : [];
    let last = '';
    for (let attempt = 0; attempt < 10; attempt++) {
        const before = tipc(['-j', ...flags, ...args], netns);
        const ours = await tipcx(['-n', netns, '--json=iproute2', ...flags, ...args]);
        const after = tipc(['-j', ...flags, ...args], netns);
        assert.equal(before.code, 0, `tipc -j ${args.join(' ')}: ${before.stderr}`);
        assert.deepEqual([ours.code, ours.stderr], [0, ''], `tipcx --json=iproute2 ${args.join(' ')}`);
        const parsed = JSON.parse(ours.stdout) as unknown;
        for (const reference of [before.stdout, after.stdout]) {
            if (ours.stdout !== reference) continue;
            assert.deepEqual(parsed, JSON.parse(reference));
            return parsed;
        }
        // not the same bytes: say how the data differ, if they do
        last = `tipc -j:\n${before.stdout}tipcx --json=iproute2:\n${ours.stdout}`;
        await new Promise((r) => setTimeout(r, 300));
    }
    assert.fail(
        `tipcx --json=iproute2 ${[...flags, ...args].join(' ')} never printed what tipc -j printed in ${netns}:\n${last}`,
    );
}
