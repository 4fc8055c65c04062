// Warm, in-process A/B of this checkout's decode + text against another
// build of tipcx (a checkout of another commit, after `npm run build`): both
// loaded into one process and called in turn, round after round, so that a
// busy spell of the machine falls on both alike. The figure is the median of
// the per-round ratios (this / other), which moved a few percent between runs
// on a machine whose absolute timings moved 2x (docs/benchmarks.md, "Text as
// bytes, and what did not pay").
//   git worktree add /tmp/base BASE && (cd /tmp/base && npm ci && npm run build)
//   node build/bench/ab-warm.js /tmp/base [--rounds N]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as here from './decode.js';
import * as hereReplay from './replay.js';
import { median } from './measure.js';

type Decode = typeof here;
type Replay = typeof hereReplay;

interface Case {
    name: string;
    make: (decode: Decode, replay: Replay) => () => Promise<unknown>;
}

const CASES: Case[] = [
    {
        name: 'link statistics show, 1,000 links',
        make: (d, r) => {
            const s = r.replaySession(r.replayTransport({ LINK_GET: r.linkDump(1000) }, { fresh: false }));
            return () => d.linkStatisticsShow(s);
        },
    },
    {
        name: 'nametable show, 10,000 rows',
        make: (d, r) => {
            const s = r.replaySession(r.replayTransport({ NAME_TABLE_GET: r.nameTableDump(10_000) }, { fresh: false }));
            return () => d.nameTableShow(s);
        },
    },
];

async function timeOnce(fn: () => Promise<unknown>): Promise<number> {
    const t0 = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - t0) / 1e3;
}

async function main(argv: string[]): Promise<number> {
    const other = argv[0];
    const roundsAt = argv.indexOf('--rounds');
    const rounds = roundsAt > 0 ? Number(argv[roundsAt + 1]) : 300;
    if (!other || !(rounds > 0)) {
        process.stderr.write('usage: node build/bench/ab-warm.js OTHER_CHECKOUT [--rounds N]\n');
        return 2;
    }
    const load = (file: string) => import(pathToFileURL(resolve(other, 'build/bench', file)).href);
    const [thereDecode, thereReplay] = (await Promise.all([load('decode.js'), load('replay.js')])) as [Decode, Replay];
    for (const c of CASES) {
        const a = c.make(here, hereReplay);
        const b = c.make(thereDecode, thereReplay);
        // warm: both through every tier of the JIT before anything is timed
        for (let i = 0; i < 50; i++) {
            await a();
            await b();
        }
        const ratios: number[] = [];
        const ours: number[] = [];
        const theirs: number[] = [];
        for (let i = 0; i < rounds; i++) {
            // who goes first alternates, so that neither always runs just after the other's garbage
            let v: number;
            let w: number;
            if (i % 2 === 0) {
                v = await timeOnce(a);
                w = await timeOnce(b);
            } else {
                w = await timeOnce(b);
                v = await timeOnce(a);
            }
            ours.push(v);
            theirs.push(w);
            ratios.push(v / w);
        }
        const sorted = [...ratios].sort((p, q) => p - q);
        const at = (q: number) => sorted[Math.floor(q * (sorted.length - 1))].toFixed(3);
        process.stdout.write(
            `${c.name}: this / other ${median(ratios).toFixed(3)} (quartiles ${at(0.25)}-${at(0.75)}, ${rounds} rounds); ` +
                `median ${median(ours).toFixed(0)} us against ${median(theirs).toFixed(0)} us\n`,
        );
    }
    return 0;
}

process.exitCode = await main(process.argv.slice(2));
