// The host ground of `npm run bench`: the installed tipcx, natively, against
// `node -e 0` in the same run. Kernel commands run on the replay
// (bench/replay/preload.cts: recorded real kernel bytes, only the sockets
// faked) inside real network namespaces made here and always removed.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeCases, timedEnv, type Case, type Timings } from './measure.js';
import { writeReplayFixture } from './replay/fixture.js';

const PRELOAD = fileURLToPath(new URL('./replay/preload.cjs', import.meta.url));
/** Namespaces of the host ground: made by it, removed by it. */
const NS_PREFIX = 'tipcx-bench-';

export interface HostGroundOptions {
    /** The installed package's directory (lib/node_modules/tipcx) and its bin/tipcx. */
    packageDir: string;
    tipcx: string;
    outDir: string;
    runs: number;
    /** Seconds `top` runs for its CPU and RSS figures (one sample a second). */
    topSeconds: number;
    log: (line: string) => void;
}

export interface GroundResult {
    timings: Timings;
    values: Record<string, number>;
    missing: Record<string, string>;
}

function ip(args: string[]): void {
    const r = spawnSync('ip', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
}

function countLines(prefix: string) {
    return (stdout: string) => stdout.split('\n').filter((l) => l.startsWith(prefix)).length;
}

export function hostGround(o: HostGroundOptions): GroundResult {
    const node = process.execPath;
    const stats = writeReplayFixture(join(o.outDir, 'replay-1000-links'), { links: 1000, publications: 10000 });
    // The floor of any command file: a CommonJS script that only prints tipcx's help text.
    const help = spawnSync(node, [o.tipcx, '--help'], { env: timedEnv, encoding: 'utf8' });
    if (help.status !== 0) throw new Error(`tipcx --help exited ${help.status ?? help.signal}: ${help.stderr.trim()}`);
    const helpFile = join(o.outDir, 'help.txt');
    const printHelp = join(o.outDir, 'print-help.cjs');
    writeFileSync(helpFile, help.stdout);
    writeFileSync(
        printHelp,
        `'use strict';\nprocess.stdout.write(require('node:fs').readFileSync(${JSON.stringify(helpFile)}, 'latin1'));\n`,
    );
    const top = writeReplayFixture(join(o.outDir, 'replay-64-links'), { links: 64 });
    const replayEnv = (index: string): NodeJS.ProcessEnv => ({
        ...timedEnv,
        NO_COLOR: '1',
        TIPCX_REPLAY_PACKAGE: o.packageDir,
        TIPCX_REPLAY: index,
    });
    const replay = (index: string, args: string[]) => [node, '--require', PRELOAD, o.tipcx, ...args];
    const ns = `${NS_PREFIX}1`;
    const topNamespaces = Array.from({ length: 64 }, (_, i) => `${NS_PREFIX}t${i + 1}`);
    const made: string[] = [];
    const timings: Timings = {};
    const values: Record<string, number> = { 'replay.links': stats.links, 'replay.publications': stats.publications };
    const missing: Record<string, string> = {};
    try {
        for (const n of [ns, ...topNamespaces]) {
            ip(['netns', 'add', n]);
            made.push(n);
        }
        const env = replayEnv(stats.index);
        const cases: Case[] = [
            { key: 'node -e 0', label: 'node -e 0', argv: [node, '-e', '0'] },
            {
                key: 'preload alone',
                label: 'node --require preload -e 0 (the replay itself)',
                argv: [node, '--require', PRELOAD, '-e', '0'],
                env,
            },
            {
                key: 'script floor',
                label: 'node FILE.cjs: a script that only prints the help text',
                argv: [node, printHelp],
                check: (out) => (out === help.stdout ? undefined : 'not the help text'),
            },
            {
                key: 'tipcx --help',
                label: 'tipcx --help',
                argv: [node, o.tipcx, '--help'],
                check: (out) => (out.includes('Usage') ? undefined : 'no usage text'),
            },
            {
                key: 'tipcx completion',
                label: 'tipcx __complete link s (one TAB)',
                argv: [node, o.tipcx, '__complete', 'link', 's'],
            },
            {
                key: 'tipcx no tipc',
                label: 'tipcx node get identity (no TIPC: exit 3)',
                argv: [node, o.tipcx, 'node', 'get', 'identity'],
                exit: 3,
            },
            {
                key: 'replay identity',
                label: `tipcx -n NS node get identity (replay)`,
                argv: replay(stats.index, ['-n', ns, 'node', 'get', 'identity']),
                env,
                check: (out) => (out.includes('66783100') ? undefined : 'the recorded identity hash is missing'),
            },
            {
                key: 'replay link stats',
                label: `tipcx -n NS link statistics show (replay, ${stats.links} links)`,
                argv: replay(stats.index, ['-n', ns, 'link', 'statistics', 'show']),
                env,
                check: (out) =>
                    countLines('Link <')(out) === stats.links
                        ? undefined
                        : `printed ${countLines('Link <')(out)} links`,
            },
            {
                key: 'replay nametable',
                label: `tipcx -n NS nametable show (replay, ${stats.publications} publications)`,
                argv: replay(stats.index, ['-n', ns, 'nametable', 'show']),
                env,
                check: (out) =>
                    out.trimEnd().split('\n').length === stats.publications + 1
                        ? undefined
                        : `printed ${out.trimEnd().split('\n').length - 1} rows`,
            },
        ];
        o.log(`host: ${cases.length} commands x ${o.runs} runs, interleaved`);
        Object.assign(
            timings,
            timeCases(cases, o.runs, (l) => o.log(`host: ${l}`)),
        );

        // top over 64 namespaces x 63 links (+ the broadcast link each), one sample a second
        o.log(`host: tipcx --all-netns top for ${o.topSeconds} s over ${topNamespaces.length} namespaces`);
        const r = spawnSync(
            '/usr/bin/time',
            [
                '-f',
                '%U %S %e %M',
                ...replay(top.index, ['--all-netns', '-j', 'top', 'interval', '1', 'count', String(o.topSeconds)]),
            ],
            { env: replayEnv(top.index), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 },
        );
        const [user, sys, elapsed, rssKb] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
        if (r.status === 0 && elapsed > 0) {
            values['top.cpuPercent'] = ((user + sys) / elapsed) * 100;
            values['top.rssMB'] = rssKb / 1024;
            values['top.samples'] = r.stdout.split('\n').filter((l) => l.trim()).length;
        } else {
            const reason = `tipcx top on the replay exited ${r.status ?? r.signal}: ${r.stderr.trim().split('\n')[0]}`;
            missing['top.cpuPercent'] = missing['top.rssMB'] = reason;
        }
    } finally {
        for (const n of made) spawnSync('ip', ['netns', 'del', n]);
    }
    return { timings, values, missing };
}
