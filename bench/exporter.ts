// tipcx exporter's speed and memory (issue 17's targets: a scrape at 64
// namespaces x 63 links in at most 300 ms, flat memory over an hour's worth
// of scrapes). Standalone, after `npm run build`:
//   node build/bench/exporter.js            boots a lab kernel and runs itself inside
//   node build/bench/exporter.js --inside   inside a kernel with TIPC (the lab, or a TIPC host as root)
// BENCH_NODES (default 64) sets the cluster size, BENCH_SCRAPES (default 3600)
// the back-to-back scrapes of the memory run. Prints the figures and writes
// build/bench-out/exporter.json.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './measure.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tipcx = join(root, 'bin', 'tipcx');
const outDir = join(root, 'build', 'bench-out');
const outFile = join(outDir, 'exporter.json');
const NODES = Number(process.env.BENCH_NODES ?? 64);
const SCRAPES = Number(process.env.BENCH_SCRAPES ?? 3600);
const TIMED = Number(process.env.BENCH_TIMED ?? 30);
/** BENCH_PROFILE=1: the exporter runs under `node --cpu-prof`, its profile written to build/bench-out/ when it stops. */
const PROFILE = process.env.BENCH_PROFILE === '1';
const PORT = 16190;
const PREFIX = 'bx';

function get(path: string): Promise<{ ms: number; body: string }> {
    const started = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: PORT, path, agent: false }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (d: Buffer) => chunks.push(d));
            res.on('end', () => {
                if (res.statusCode !== 200) return reject(new Error(`GET ${path}: ${res.statusCode}`));
                resolve({
                    ms: Number(process.hrtime.bigint() - started) / 1e6,
                    body: Buffer.concat(chunks).toString(),
                });
            });
        });
        req.on('error', reject);
        req.end();
    });
}

const value = (body: string, series: string): number =>
    Number(
        body
            .split('\n')
            .find((l) => l.startsWith(`${series} `))
            ?.slice(series.length + 1) ?? Number.NaN,
    );

const rssMiB = (pid: number): number =>
    Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN) / 1024;

const percentile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)];

async function inside(): Promise<void> {
    const up = spawnSync(process.execPath, [tipcx, 'lab', 'up', 'nodes', String(NODES), 'prefix', PREFIX], {
        encoding: 'utf8',
    });
    if (up.status !== 0) throw new Error(`tipcx lab up nodes ${NODES} failed: ${up.stderr.trim()}`);
    process.stdout.write(`lab up: ${NODES} namespaces\n`);
    const exporter = spawn(
        process.execPath,
        [
            ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${outDir}`] : []),
            tipcx,
            '--all-netns',
            'exporter',
            'listen',
            `127.0.0.1:${PORT}`,
            'timeout',
            '60',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    exporter.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    try {
        const deadline = Date.now() + 300_000;
        while (!/serving http/.test(stderr)) {
            if (exporter.exitCode !== null || Date.now() > deadline)
                throw new Error(`the exporter did not start: ${stderr}`);
            await new Promise((r) => setTimeout(r, 200));
        }
        process.stdout.write('exporter serving\n');
        // warm-up: JIT, sessions, buffers
        for (let i = 0; i < 3; i++) {
            const r = await get('/metrics');
            const collectMs = value(r.body, 'tipc_exporter_collect_duration_seconds') * 1000;
            process.stdout.write(
                `warm-up scrape: ${r.ms.toFixed(0)} ms, reading the kernel ${collectMs.toFixed(0)} ms\n`,
            );
        }
        const first = await get('/metrics');
        const links = first.body.split('\n').filter((l) => l.startsWith('tipc_link_up{')).length;
        const series = first.body.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
        const wall: number[] = [];
        const collect: number[] = [];
        // CPU time the exporter spent per scrape: on a busy machine wall time measures the neighbours too
        let cpuBefore = value(first.body, 'process_cpu_seconds_total');
        const cpu: number[] = [];
        for (let i = 0; i < TIMED; i++) {
            const r = await get('/metrics');
            wall.push(r.ms);
            collect.push(value(r.body, 'tipc_exporter_collect_duration_seconds') * 1000);
            const cpuNow = value(r.body, 'process_cpu_seconds_total');
            cpu.push((cpuNow - cpuBefore) * 1000);
            cpuBefore = cpuNow;
            process.stdout.write(
                `scrape ${i + 1}: ${r.ms.toFixed(0)} ms, reading the kernel ${collect.at(-1)!.toFixed(0)} ms, exporter CPU ${cpu.at(-1)!.toFixed(0)} ms\n`,
            );
        }
        const pid = exporter.pid!;
        const rss: { scrapes: number; mib: number }[] = [{ scrapes: 0, mib: rssMiB(pid) }];
        const soakStarted = Date.now();
        for (let i = 1; i <= SCRAPES; i++) {
            await get('/metrics');
            if (i % 100 === 0 || i === SCRAPES) {
                rss.push({ scrapes: i, mib: rssMiB(pid) });
                process.stdout.write(`${i} scrapes, RSS ${rss.at(-1)!.mib.toFixed(1)} MiB\n`);
            }
        }
        const soakSeconds = (Date.now() - soakStarted) / 1000;
        // flat: the last quarter of the run no higher than the second quarter plus 10 %
        const q = (f: number) => rss[Math.min(rss.length - 1, Math.round((rss.length - 1) * f))].mib;
        const results = {
            date: new Date().toISOString(),
            nodes: NODES,
            links,
            series,
            bytes: first.body.length,
            scrape: {
                wallMedianMs: median(wall),
                wallP90Ms: percentile(wall, 0.9),
                collectMedianMs: median(collect),
                cpuMedianMs: median(cpu),
                target: '<= 300 ms',
                met: median(wall) <= 300,
            },
            memory: {
                scrapes: SCRAPES,
                seconds: soakSeconds,
                rssMiB: rss,
                startMiB: rss[0].mib,
                endMiB: rss.at(-1)!.mib,
                maxMiB: Math.max(...rss.map((r) => r.mib)),
                target: 'flat',
                flat: q(1) <= q(0.5) * 1.1,
            },
        };
        mkdirSync(outDir, { recursive: true });
        writeFileSync(outFile, JSON.stringify(results, null, 2) + '\n');
        process.stdout.write(
            `exporter at ${NODES} namespaces, ${links} links, ${series} series (${(first.body.length / 1e6).toFixed(1)} MB):\n` +
                `  scrape: median ${median(wall).toFixed(0)} ms (p90 ${percentile(wall, 0.9).toFixed(0)} ms; reading the kernel ${median(collect).toFixed(0)} ms of it; exporter CPU ${median(cpu).toFixed(0)} ms per scrape), target <= 300 ms\n` +
                `  RSS over ${SCRAPES} back-to-back scrapes (${soakSeconds.toFixed(0)} s): ${rss[0].mib.toFixed(1)} -> ${rss.at(-1)!.mib.toFixed(1)} MiB (max ${results.memory.maxMiB.toFixed(1)}), ${results.memory.flat ? 'flat' : 'GROWING'}\n`,
        );
    } finally {
        if (PROFILE && exporter.exitCode === null) {
            // SIGINT stops it as Ctrl-C does, so that node writes the profile
            const exited = new Promise((r) => exporter.once('exit', r));
            exporter.kill('SIGINT');
            await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
        }
        exporter.kill('SIGKILL');
        spawnSync(process.execPath, [tipcx, 'lab', 'down'], { encoding: 'utf8' });
    }
}

async function host(): Promise<void> {
    const { runInVm } = await import('../src/uml/vm.js');
    const { ensureCommands } = await import('../src/lab/host.js');
    ensureCommands(['ip', 'tipc'], (l) => process.stderr.write(`lab: ${l}\n`));
    mkdirSync(outDir, { recursive: true });
    const lab = await runInVm({
        command: [process.execPath, fileURLToPath(import.meta.url), '--inside'],
        cwd: root,
        writable: [outDir],
        memoryMiB: 4096,
        env: {
            NO_COLOR: '1',
            BENCH_NODES: String(NODES),
            BENCH_SCRAPES: String(SCRAPES),
            BENCH_TIMED: String(TIMED),
            BENCH_PROFILE: PROFILE ? '1' : '0',
        },
        log: (l) => process.stderr.write(`lab: ${l}\n`),
        onLine: (l) => process.stdout.write(`[lab] ${l}\n`),
        timeoutMs: 6 * 60 * 60 * 1000,
    });
    if (lab.exitCode !== 0) throw new Error(`the exporter benchmark in the lab kernel failed (exit ${lab.exitCode})`);
    process.stdout.write(`wrote ${outFile}\n`);
}

await (process.argv.includes('--inside') ? inside() : host());
