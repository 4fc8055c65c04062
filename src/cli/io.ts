/**
 * Where the CLI reads and writes. main() takes these as a parameter so tests
 * run it in-process with buffers; the defaults are the real process.
 */
import { ExitCode, errorLine, systemReason } from '../errors.js';
import type { Writer } from './registry.js';

export interface CliIo {
    readonly stdout: Writer;
    readonly stderr: Writer;
    readonly env: Readonly<Record<string, string | undefined>>;
    /** Whether stdout is a terminal (colour decision). */
    readonly isTTY: boolean;
    /**
     * Aborts the running command as Ctrl-C would (exit 130). Default: the
     * process's SIGINT, listened to only while a command runs.
     */
    readonly interrupt?: AbortSignal;
}

export function withProcessDefaults(io: Partial<CliIo> = {}): CliIo {
    if (io.stdout === undefined) ignoreClosedStdout();
    return {
        stdout: io.stdout ?? process.stdout,
        stderr: io.stderr ?? process.stderr,
        env: io.env ?? process.env,
        isTTY: io.isTTY ?? process.stdout.isTTY === true,
        ...(io.interrupt ? { interrupt: io.interrupt } : {}),
    };
}

let stdoutGuarded = false;

/**
 * Write errors on stdout end the process without a stack trace:
 * - EPIPE (`tipcx nametable show | head -1` closed the pipe early): quietly,
 *   with the exit code so far, as the reader asked for no more;
 * - anything else (ENOSPC for `tipcx -h >/dev/full`, EIO): one error line on
 *   stderr, exit 1, since the output was lost.
 * A failing stderr is ignored: there is nowhere left to say anything.
 */
function ignoreClosedStdout(): void {
    if (stdoutGuarded) return;
    stdoutGuarded = true;
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
        process.stderr.write(`${errorLine(`cannot write to standard output: ${systemReason(err)}`)}\n`);
        process.exit(ExitCode.FAILURE);
    });
    process.stderr.on('error', () => {});
}

/**
 * An AbortSignal that fires on `external` or, without one, on SIGINT. The
 * returned `release` removes the SIGINT listener so Ctrl-C kills the process
 * normally again outside command execution.
 */
export function interruptSignal(external: AbortSignal | undefined): { signal: AbortSignal; release: () => void } {
    if (external) return { signal: external, release: () => {} };
    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once('SIGINT', onSigint);
    return { signal: controller.signal, release: () => process.off('SIGINT', onSigint) };
}
