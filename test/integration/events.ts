// A running `tipcx -j events …` (the installed one) whose NDJSON records the
// tests wait on: shared by events.test.ts and events-remote.test.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { installedTipcx, waitFor } from './lab.js';

export interface EventRecord {
    time: string;
    netns: string | null;
    kind: string;
    origin?: string;
    event: string;
    [key: string]: unknown;
}

export interface EventStream {
    readonly records: EventRecord[];
    stderr(): string;
    /** Waits until `check` holds on the records so far; returns the first record that matched `pick` if given. */
    until(what: string, check: (records: EventRecord[]) => boolean, timeoutMs?: number): Promise<void>;
    exited(): Promise<number | null>;
    stop(): Promise<number | null>;
    readonly child: ChildProcess;
}

export function startEvents(args: string[]): EventStream {
    const child = spawn(installedTipcx, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
    });
    const records: EventRecord[] = [];
    let buffered = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const l of lines) if (l) records.push(JSON.parse(l) as EventRecord);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return {
        records,
        child,
        stderr: () => stderr,
        until: (what, check, timeoutMs = 60_000) =>
            waitFor(
                what,
                () => {
                    if (child.exitCode !== null) throw new Error(`tipcx events exited ${child.exitCode}: ${stderr}`);
                    return check(records);
                },
                timeoutMs,
            ).catch((e: Error) => {
                const seen = records.map((r) => JSON.stringify(r)).join('\n');
                throw new Error(`${e.message}; stderr: ${stderr}; records so far:\n${seen}`);
            }),
        exited: () => exit,
        stop: () => {
            if (child.exitCode === null) child.kill('SIGINT');
            return exit;
        },
    };
}

export const matching =
    (want: Partial<EventRecord>) =>
    (r: EventRecord): boolean =>
        Object.entries(want).every(([k, v]) => r[k] === v);
