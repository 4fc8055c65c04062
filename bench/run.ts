// `npm run bench`: every target of issue 14 judged on the ground that measures
// it truly (docs/benchmarks.md explains them):
// - host: the packed, installed tipcx natively, kernel commands on a replay of
//   real kernel bytes in real namespaces (bench/host.ts);
// - lab: a lab kernel, tipcx against iproute2's tipc (bench/inside.ts);
// - in-process: microbenchmarks that print their figures (MICROBENCHMARKS).
// Writes bench/results.json and the verdict table into docs/benchmarks.md.
// - the exporter (issue 17): its own lab kernel (bench/exporter.ts), and
//   prom-client's writing alone in a lab kernel (bench/prom-client.ts --lab).
//   BENCH_RUNS (10), BENCH_LAB_UP_RUNS (3), BENCH_TOP_SECONDS (60), BENCH_SKIP_LAB=1,
//   BENCH_SCRAPES (3600: the exporter's memory run), BENCH_REPLAY_SCRAPES (600)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCommands } from '../src/lab/host.js';
import { runInVm } from '../src/uml/vm.js';
import { labEnv, packAndInstall } from '../test/lab/install.js';
import { hostGround } from './host.js';
import { writeTable } from './table.js';
import { judgeAll, type Measurements } from './targets.js';

/**
 * In-process microbenchmarks: each is run as `node build/bench/FILE ARGS` when
 * it exists, and must print, as its last line, one JSON object of numbers
 * (`--numbers`); each number becomes the value `PREFIX.key` that
 * bench/targets.ts judges.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const TOP_SECONDS = Number(process.env.BENCH_TOP_SECONDS ?? 60);
const MICROBENCHMARKS = [
    // five processes: each is one draw of V8's code and heap placement (bench/decode.ts)
    {
        file: 'decode.js',
        prefix: 'decode',
        args: ['--numbers', '--runs', String(Math.max(RUNS, 10)), '--processes', '5'],
    },
    { file: 'top-replay.js', prefix: 'topReplay', args: ['--numbers', '--seconds', String(TOP_SECONDS)] },
    { file: 'prom-client.js', prefix: 'promClient', args: ['--numbers', '--runs', String(Math.max(RUNS, 10))] },
    {
        file: 'exporter-replay.js',
        prefix: 'exporterReplay',
        args: ['--numbers', '--timed', '30', '--scrapes', process.env.BENCH_REPLAY_SCRAPES ?? '600'],
    },
];
const log = (l: string) => process.stderr.write(`${l}\n`);
const started = Date.now();

ensureCommands(['ip', 'tipc', 'python3', 'tmux', '/usr/bin/time'], (l) => log(`bench: ${l}`));
const outDir = join(root, 'build', 'bench-out');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

log('bench: packing and installing the package (what users run)');
const installed = await packAndInstall(root);
const packageDir = join(installed.prefix, 'lib', 'node_modules', 'tipcx');
const m: Measurements = { host: {}, lab: {}, values: {}, missing: {} };
try {
    // ---- host
    const host = hostGround({
        packageDir,
        tipcx: join(installed.prefix, 'bin', 'tipcx'),
        outDir,
        runs: RUNS,
        topSeconds: TOP_SECONDS,
        log,
    });
    m.host = host.timings;
    Object.assign(m.values, host.values);
    Object.assign(m.missing, host.missing);

    // ---- in-process
    for (const micro of MICROBENCHMARKS) {
        const file = join(root, 'build', 'bench', micro.file);
        if (!existsSync(file)) continue;
        log(`bench: ${micro.file}`);
        const r = spawnSync(process.execPath, [file, ...micro.args], { encoding: 'utf8', maxBuffer: 64 << 20 });
        try {
            if (r.status !== 0) throw new Error(`exited ${r.status}: ${r.stderr.trim().split('\n')[0]}`);
            const figures = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
            for (const [k, v] of Object.entries(figures))
                if (typeof v === 'number') m.values[`${micro.prefix}.${k}`] = v;
        } catch (e) {
            m.missing[`${micro.prefix}.`] = `${micro.file}: ${(e as Error).message}`;
        }
    }

    // ---- lab
    if (process.env.BENCH_SKIP_LAB) m.missing['lab.'] = 'skipped (BENCH_SKIP_LAB)';
    else {
        const labFile = join(outDir, 'lab.json');
        const lab = await runInVm({
            command: [process.execPath, join(root, 'build', 'bench', 'inside.js'), labFile],
            cwd: root,
            writable: [outDir],
            memoryMiB: 4096,
            env: {
                ...labEnv(installed),
                BENCH_RUNS: String(RUNS),
                ...(process.env.BENCH_LAB_UP_RUNS && { BENCH_LAB_UP_RUNS: process.env.BENCH_LAB_UP_RUNS }),
                BENCH_TOP_SECONDS: String(TOP_SECONDS),
            },
            log: (l) => log(`lab: ${l}`),
            onLine: (l) => log(`[lab] ${l}`),
            timeoutMs: 60 * 60 * 1000,
        });
        if (lab.exitCode !== 0 || !existsSync(labFile))
            m.missing['lab.'] = `the lab kernel run failed (exit ${lab.exitCode})`;
        else {
            const inside = JSON.parse(readFileSync(labFile, 'utf8')) as Pick<Measurements, 'values' | 'missing'> & {
                timings?: Measurements['lab'];
            };
            m.lab = inside.timings ?? {};
            Object.assign(m.values, inside.values);
            Object.assign(m.missing, inside.missing);
        }
        // ---- the exporter, in a lab kernel of its own
        try {
            const { exporterLab } = await import('./exporter.js');
            const r = await exporterLab({ log: (l) => log(l), onLine: (l) => log(`[lab] ${l}`) });
            Object.assign(m.values, {
                'exporter.labCpuMs': r.scrape.labCpuMs ?? Number.NaN,
                'exporter.plainLabCpuMs': r.scrape.plainLabCpuMs ?? Number.NaN,
                'exporter.wallMs': r.scrape.wallMedianMs,
                'exporter.collectMs': r.scrape.collectMedianMs,
                'exporter.timed': r.scrape.timed,
                'exporter.series': r.series,
                'exporter.scrapes': r.memory.scrapes,
                'exporter.rssStartMiB': r.memory.startMiB,
                'exporter.rssEndMiB': r.memory.endMiB,
                'exporter.rssMaxMiB': r.memory.maxMiB,
                'exporter.flat': r.memory.flat ? 1 : 0,
            });
        } catch (e) {
            m.missing['exporter.'] = `bench/exporter.ts: ${(e as Error).message}`;
        }
        const promLab = spawnSync(
            process.execPath,
            [join(root, 'build', 'bench', 'prom-client.js'), '--lab', '--numbers'],
            {
                encoding: 'utf8',
                maxBuffer: 64 << 20,
            },
        );
        try {
            if (promLab.status !== 0)
                throw new Error(`exited ${promLab.status}: ${promLab.stderr.trim().split('\n').pop()}`);
            const figures = JSON.parse(promLab.stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
            for (const [k, v] of Object.entries(figures)) if (typeof v === 'number') m.values[`promClientLab.${k}`] = v;
        } catch (e) {
            m.missing['promClientLab.'] = `bench/prom-client.ts --lab: ${(e as Error).message}`;
        }
    }
} finally {
    rmSync(installed.work, { recursive: true, force: true });
}

const verdicts = judgeAll(m);
const machine = {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    kernel: release(),
    node: process.version,
    lab: 'User-Mode Linux (Debian user-mode-linux, one CPU): JavaScript at native speed, system calls and page faults trap to the host; only commands timed in the same run are compared',
};
const results = {
    date: new Date().toISOString(),
    machine,
    runs: RUNS,
    seconds: Math.round((Date.now() - started) / 1000),
    verdicts,
    measurements: m,
};
writeFileSync(join(root, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');

const table = await writeTable(root, results);
process.stdout.write(table);
for (const v of verdicts) process.stdout.write(`${v.id}: ${v.value} (${v.target}) ${v.detail}\n`);
process.stdout.write(`wrote bench/results.json and the table in docs/benchmarks.md\n`);
