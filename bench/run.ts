// `npm run bench`: figures as ratios against references measured in the same
// run. Host half here (help, completion: no TIPC needed); kernel half inside
// a lab kernel (bench/inside.ts). Prints a table and writes bench/results.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCommands } from '../src/lab/host.js';
import { runInVm } from '../src/uml/vm.js';
import { formatFigures, ratio, timeCommand, type Figure, type Timing } from './measure.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tipcx = join(root, 'bin', 'tipcx');
const node = process.execPath;

const hostTimings: Timing[] = [];
const hostFigures: Figure[] = [];
const t = (label: string, argv: string[]) => {
    const timing = timeCommand(label, argv, 15);
    hostTimings.push(timing);
    return timing;
};

const floor = t('node -e 0 (host)', [node, '-e', '0']);
const help = t('tipcx --help (host)', [node, tipcx, '--help']);
hostFigures.push({
    name: '--help vs node -e 0 (host)',
    value: ratio(help, floor),
    unit: 'x',
    target: '<= 1.3',
    met: ratio(help, floor) <= 1.3,
    detail: `${help.medianMs.toFixed(0)} ms vs ${floor.medianMs.toFixed(0)} ms`,
});
const complete = t('tipcx completion of "link s" (host)', [node, tipcx, '__complete', 'link', 's']);
if (!complete.error) {
    hostFigures.push({
        name: 'completion vs node -e 0 (host)',
        value: ratio(complete, floor),
        unit: 'x',
        detail: `${complete.medianMs.toFixed(0)} ms per TAB (no TIPC on this host: live values give up at once)`,
    });
}

// the lab kernel shares this host's root: what the benchmark runs inside must be installed here
ensureCommands(['ip', 'tipc', 'python3', '/usr/bin/time'], (l) => process.stderr.write(`lab: ${l}\n`));
const outDir = join(root, 'build', 'bench-out');
mkdirSync(outDir, { recursive: true });
const labFile = join(outDir, 'lab.json');
const started = Date.now();
const lab = await runInVm({
    command: [node, join(root, 'build', 'bench', 'inside.js'), labFile],
    cwd: root,
    writable: [outDir],
    memoryMiB: 4096,
    env: { NO_COLOR: '1', ...(process.env.BENCH_NODES ? { BENCH_NODES: process.env.BENCH_NODES } : {}) },
    log: (l) => process.stderr.write(`lab: ${l}\n`),
    onLine: (l) => process.stderr.write(`[lab] ${l}\n`),
    timeoutMs: 60 * 60 * 1000,
});
if (lab.exitCode !== 0) throw new Error(`the benchmark in the lab kernel failed (exit ${lab.exitCode})`);
const inside = JSON.parse(readFileSync(labFile, 'utf8')) as {
    nodes: number;
    links: number;
    timings: Timing[];
    figures: Figure[];
    notes: string[];
};

const figures = [...inside.figures, ...hostFigures];
const results = {
    date: new Date().toISOString(),
    machine: {
        cpu: cpus()[0]?.model,
        cores: cpus().length,
        kernel: release(),
        node: process.version,
        lab: 'User-Mode Linux (Debian user-mode-linux, one CPU): JavaScript at native speed, system calls and page faults trap to the host; ratios compare like with like',
    },
    labSeconds: Math.round((Date.now() - started) / 1000),
    figures,
    timings: [...inside.timings, ...hostTimings],
    notes: inside.notes,
};
writeFileSync(join(root, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
process.stdout.write(formatFigures(figures));
for (const n of inside.notes) process.stdout.write(`note: ${n}\n`);
process.stdout.write(`wrote bench/results.json (${results.machine.cpu}, ${results.machine.cores} cores)\n`);
