/**
 * Where the CLI reads and writes. main() takes these as a parameter so tests
 * run it in-process with buffers; the defaults are the real process.
 */
import { fstatSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
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
    /**
     * Told which command the line named, once parsed (commandKey): bin/tipcx
     * grows its code cache with the code of each command that runs.
     */
    readonly commandParsed?: (key: string) => void;
    /**
     * Why TIPC certainly cannot be used in the current namespace (the family
     * lookup's own sentence), or undefined when only the kernel can tell:
     * asked before a command that acts on TIPC there loads its code
     * (execute.ts). The process default reads /proc
     * (src/netlink/availability.ts); without it nothing is asked, as for
     * tests' command trees, whose commands are not TIPC's.
     */
    readonly whyNoTipc?: () => Promise<string | undefined>;
}

export function withProcessDefaults(io: Partial<CliIo> = {}): CliIo {
    const stdout = io.stdout ?? standardOutput();
    return {
        stdout,
        stderr: io.stderr ?? standardError(),
        env: io.env ?? process.env,
        // asked only when a decision needs it (colour under "auto", top's screen)
        get isTTY() {
            return io.isTTY ?? (stdout as { isTTY?: boolean }).isTTY === true;
        },
        ...(io.interrupt ? { interrupt: io.interrupt } : {}),
        ...(io.commandParsed ? { commandParsed: io.commandParsed } : {}),
        whyNoTipc: io.whyNoTipc ?? whyNoTipcHere,
    };
}

async function whyNoTipcHere(): Promise<string | undefined> {
    const { TIPC_NOT_AVAILABLE, tipcProvablyAbsent } = await import('../netlink/availability.js');
    return tipcProvablyAbsent() ? TIPC_NOT_AVAILABLE : undefined;
}

/**
 * Standard output or error written with fs.writeSync, as `node -e 0` would:
 * process.stdout and process.stderr are Node streams whose first use loads
 * the stream modules and, for a pipe, node:net, about twenty-five modules
 * that cost more than some whole commands (docs/design.md, "A bundle and a
 * code cache for start-up"). A write is complete when it returns, as
 * process.stdout's are on Linux for files, pipes and terminals.
 *
 * A descriptor left non-blocking by another process (EAGAIN when the reader
 * is slow) is handed to the Node stream, which waits for it: from then on
 * every write goes through the stream, so the order stays.
 */
export class DescriptorWriter implements Writer {
    private stream?: NodeJS.WriteStream;

    constructor(
        readonly fd: 1 | 2,
        private readonly failed: (err: NodeJS.ErrnoException) => void,
    ) {}

    /**
     * Whether the descriptor is a terminal. Files, pipes and /dev/null are
     * told apart with fstat, so that they never load node:tty (and node:net
     * with it); only another character device asks isatty.
     */
    get isTTY(): boolean {
        try {
            const stat = fstatSync(this.fd);
            if (!stat.isCharacterDevice() || stat.rdev === statSync('/dev/null').rdev) return false;
        } catch {
            return false;
        }
        const tty = createRequire(import.meta.filename)('node:tty') as typeof import('node:tty');
        return tty.isatty(this.fd);
    }

    writeBytes(bytes: Uint8Array): boolean {
        return this.write(bytes);
    }

    write(chunk: string | Uint8Array): boolean {
        if (this.stream) return this.stream.write(chunk);
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        let offset = 0;
        while (offset < bytes.length) {
            try {
                offset += writeSync(this.fd, bytes, offset);
            } catch (err) {
                if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
                    this.stream = this.fd === 1 ? process.stdout : process.stderr;
                    return this.stream.write(bytes.subarray(offset));
                }
                this.failed(err as NodeJS.ErrnoException);
                return false;
            }
        }
        return true;
    }
}

let stdoutWriter: DescriptorWriter | undefined;
let stderrWriter: DescriptorWriter | undefined;

/**
 * The process's standard output. Write errors end the process without a
 * stack trace:
 * - EPIPE (`tipcx nametable show | head -1` closed the pipe early): quietly,
 *   with the exit code so far, as the reader asked for no more;
 * - anything else (ENOSPC for `tipcx -h >/dev/full`, EIO): one error line on
 *   stderr, exit 1, since the output was lost.
 */
export function standardOutput(): DescriptorWriter {
    stdoutWriter ??= new DescriptorWriter(1, (err) => {
        if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
        standardError().write(`${errorLine(`cannot write to standard output: ${systemReason(err)}`)}\n`);
        process.exit(ExitCode.FAILURE);
    });
    return stdoutWriter;
}

/** The process's standard error; a failing one is ignored: there is nowhere left to say anything. */
export function standardError(): DescriptorWriter {
    stderrWriter ??= new DescriptorWriter(2, () => {});
    return stderrWriter;
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
