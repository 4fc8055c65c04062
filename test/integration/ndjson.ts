// A running `tipcx -j …` (the installed one) whose NDJSON lines the tests wait
// on as they come: `tipcx events` (events.ts) and `tipcx top`.
import { spawn, type ChildProcess } from 'node:child_process';
import { installedTipcx, waitFor } from './lab.js';

export interface NdjsonStream<T> {
    /** Every line so far, parsed, in order. */
    readonly records: T[];
    stderr(): string;
    /** Waits until `check` holds on the records so far; fails at once when tipcx exits first. */
    until(what: string, check: (records: T[]) => boolean, timeoutMs?: number): Promise<void>;
    exited(): Promise<number | null>;
    /** SIGINT (as Ctrl-C) unless it has exited; resolves to its exit code. */
    stop(): Promise<number | null>;
    readonly child: ChildProcess;
}

export function startNdjson<T>(args: string[]): NdjsonStream<T> {
    const child = spawn(installedTipcx, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
    });
    const records: T[] = [];
    let buffered = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const l of lines) if (l) records.push(JSON.parse(l) as T);
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
                    if (child.exitCode !== null)
                        throw new Error(`tipcx ${args.join(' ')} exited ${child.exitCode}: ${stderr}`);
                    return check(records);
                },
                timeoutMs,
            ).catch((e: Error) => {
                const seen = records.map((r) => JSON.stringify(r)).join('\n');
                throw new Error(`${e.message}; stderr: ${stderr}; lines so far:\n${seen}`);
            }),
        exited: () => exit,
        stop: () => {
            if (child.exitCode === null) child.kill('SIGINT');
            return exit;
        },
    };
}
