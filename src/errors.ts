/**
 * Typed errors for the whole project. Every error a user can see is a
 * TipcxError carrying its process exit code, so the CLI's top level
 * (reportError below) only has to print `message` (always one line) and exit
 * with `exitCode`. Kept out of src/netlink/ because every layer throws these:
 * the parser, the operations, top and the lab alike.
 *
 * Exit codes: 0 ok, 1 the operation failed (the kernel said no, an object is
 * missing, no answer in time), 2 usage, 3 environment (no TIPC in the kernel,
 * no permission, no such namespace), 130 interrupted (SIGINT).
 */
import { createRequire } from 'node:module';

export const ExitCode = {
    OK: 0,
    FAILURE: 1,
    USAGE: 2,
    ENVIRONMENT: 3,
    INTERRUPTED: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

// A second line in an error would break the "one line per error" output contract.
const oneLine = (s: string): string => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

export class TipcxError extends Error {
    readonly exitCode: number;
    constructor(message: string, exitCode: number = ExitCode.FAILURE, options?: ErrorOptions) {
        super(oneLine(message), options);
        this.name = new.target.name;
        this.exitCode = exitCode;
    }
}

export class UsageError extends TipcxError {
    constructor(message: string, options?: ErrorOptions) {
        super(message, ExitCode.USAGE, options);
    }
}

/** The kernel refused a request. The command layer rewrites `message` per operation. */
export class OperationError extends TipcxError {
    /** Positive errno, e.g. 1. */
    readonly errno: number;
    /** Symbolic name, e.g. 'EPERM'. */
    readonly code: string;
    constructor(errno: number, message?: string, options?: ErrorOptions) {
        const n = Math.abs(errno);
        // Callers branch on `code`: a refusal without an errno is a FailureError.
        if (!(n > 0)) throw new RangeError(`OperationError needs an errno, got ${errno}`);
        super(message ?? `kernel answers: ${strerror(n)}`, ExitCode.FAILURE, options);
        this.errno = n;
        this.code = errnoName(n);
    }
}

/**
 * The operation failed for a reason other than a kernel refusal: the kernel
 * answered without the record asked for, a state file was tampered with, a
 * helper program such as `ip` failed, a wait ran out. Exit 1, like a refusal.
 */
export class FailureError extends TipcxError {
    constructor(message: string, options?: ErrorOptions) {
        super(message, ExitCode.FAILURE, options);
    }
}

export class EnvironmentError extends TipcxError {
    /** Positive errno when the cause was a failed system call. */
    readonly errno?: number;
    constructor(message: string, options?: ErrorOptions & { errno?: number }) {
        super(message, ExitCode.ENVIRONMENT, options);
        if (options?.errno !== undefined) this.errno = Math.abs(options.errno);
    }
}

/**
 * No answer in time. Exit 1, not 3: the environment was good enough to send the
 * request, and a retry may well succeed, so this is a failed operation.
 */
export class TimeoutError extends TipcxError {
    readonly timeoutMs: number;
    constructor(what: string, timeoutMs: number, options?: ErrorOptions) {
        super(`the kernel did not answer within ${timeoutMs} ms (${what})`, ExitCode.FAILURE, options);
        this.timeoutMs = timeoutMs;
    }
}

/**
 * The lab (User-Mode Linux kernels, Debian's package, host tools) cannot be prepared; the
 * message says what to do. An environment problem for the command that needed
 * the lab, such as `tipcx sandbox`.
 */
export class LabError extends EnvironmentError {}

export class InterruptedError extends TipcxError {
    constructor(message = 'interrupted', options?: ErrorOptions) {
        super(message, ExitCode.INTERRUPTED, options);
    }
}

/**
 * Kernel-internal or key errnos that Node's os.constants.errno lacks but a
 * TIPC reply can carry (524 leaks out of TIPC_NL_* handlers; 129 from KEY_SET).
 */
const EXTRA_ERRNO: Record<string, number> = {
    ENOKEY: 126,
    EKEYEXPIRED: 127,
    EKEYREVOKED: 128,
    EKEYREJECTED: 129,
    ENOTSUPP: 524,
};

// Aliases sharing a number: the left name is the one iproute2 and the kernel use.
const PREFERRED = ['EOPNOTSUPP', 'EAGAIN', 'EDEADLK'];

/** Names to numbers and back, built on first use: most runs never name an errno. */
let errnoTables: { toErrno: ReadonlyMap<string, number>; toName: ReadonlyMap<number, string> } | undefined;

function tables(): NonNullable<typeof errnoTables> {
    if (errnoTables) return errnoTables;
    // node:os only here: loading it costs every start about 0.5 ms, and most never name an errno
    const { constants } = createRequire(import.meta.filename)('node:os') as typeof import('node:os');
    const toErrno = new Map(Object.entries({ ...(constants.errno as Record<string, number>), ...EXTRA_ERRNO }));
    const toName = new Map<number, string>();
    for (const [name, n] of toErrno) if (!toName.has(n)) toName.set(n, name);
    for (const name of PREFERRED) {
        const n = toErrno.get(name);
        if (n !== undefined) toName.set(n, name);
    }
    errnoTables = { toErrno, toName };
    return errnoTables;
}

/** 'EPERM' for 1 or -1; 'ERRNO_n' for numbers nobody named. */
export function errnoName(errno: number): string {
    const n = Math.abs(errno);
    return tables().toName.get(n) ?? `ERRNO_${n}`;
}

/** 1 for 'EPERM' (aliases such as 'ENOTSUP' accepted); undefined if unknown. */
export function errnoFromName(name: string): number | undefined {
    return tables().toErrno.get(name.toUpperCase());
}

// glibc's strerror() wording, so our "kernel answers:" lines match iproute2's.
const STRERROR: Record<number, string> = {
    1: 'Operation not permitted',
    2: 'No such file or directory',
    3: 'No such process',
    4: 'Interrupted system call',
    5: 'Input/output error',
    6: 'No such device or address',
    7: 'Argument list too long',
    9: 'Bad file descriptor',
    11: 'Resource temporarily unavailable',
    12: 'Cannot allocate memory',
    13: 'Permission denied',
    14: 'Bad address',
    16: 'Device or resource busy',
    17: 'File exists',
    19: 'No such device',
    20: 'Not a directory',
    21: 'Is a directory',
    22: 'Invalid argument',
    24: 'Too many open files',
    25: 'Inappropriate ioctl for device',
    28: 'No space left on device',
    30: 'Read-only file system',
    32: 'Broken pipe',
    34: 'Numerical result out of range',
    36: 'File name too long',
    38: 'Function not implemented',
    40: 'Too many levels of symbolic links',
    61: 'No data available',
    71: 'Protocol error',
    75: 'Value too large for defined data type',
    90: 'Message too long',
    92: 'Protocol not available',
    93: 'Protocol not supported',
    95: 'Operation not supported',
    97: 'Address family not supported by protocol',
    98: 'Address already in use',
    99: 'Cannot assign requested address',
    100: 'Network is down',
    101: 'Network is unreachable',
    105: 'No buffer space available',
    107: 'Transport endpoint is not connected',
    110: 'Connection timed out',
    111: 'Connection refused',
    112: 'Host is down',
    113: 'No route to host',
    114: 'Operation already in progress',
    126: 'Required key not available',
    127: 'Key has expired',
    128: 'Key has been revoked',
    129: 'Key was rejected by service',
};

/** strerror(3) text; 'Unknown error 524' for numbers glibc does not name. */
export function strerror(errno: number): string {
    const n = Math.abs(errno);
    return STRERROR[n] ?? `Unknown error ${n}`;
}

/**
 * Why a system call on a file failed, as a person reads it: `No such file or
 * directory` for Node's `ENOENT: no such file or directory, open '/x'`
 * (the path is named by the caller, once).
 */
export function systemReason(err: unknown): string {
    const code = (err as NodeJS.ErrnoException | null)?.code;
    const errno = code === undefined ? undefined : errnoFromName(code);
    if (errno !== undefined) return strerror(errno);
    return err instanceof Error ? err.message : String(err);
}

/** The stderr and environment reportError needs. */
export interface ErrorSink {
    readonly stderr: { write(chunk: string): unknown };
    readonly env: Readonly<Record<string, string | undefined>>;
}

/** Longest echoed value, in characters, before it is shortened with an ellipsis. */
export const MAX_SHOWN_VALUE = 80;

/**
 * Control characters (C0, DEL, C1) as escapes, so an echoed value cannot
 * move the cursor, change colours or end the line: `\t`, `\n`, `\r`, `\xHH`.
 */
export function escapeControl(text: string): string {
    // eslint-disable-next-line no-control-regex
    return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
        const named: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };
        return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    });
}

/**
 * A value the user typed, as messages echo it: in double quotes, control
 * characters escaped, and cut to MAX_SHOWN_VALUE characters with an ellipsis.
 */
export function quoted(value: string): string {
    return `"${shortened(value)}"`;
}

/** The same without the quotes, for values that read as they are (a file's path). */
export function shortened(value: string): string {
    const escaped = escapeControl(value);
    return escaped.length > MAX_SHOWN_VALUE ? `${escaped.slice(0, MAX_SHOWN_VALUE - 1)}…` : escaped;
}

/**
 * The one style of an error line: `tipcx: <what>: <why>` (e.g.
 * `tipcx: invalid value "abc" for "priority" (expected an integer 0..31)`).
 * No trailing newline. Control characters that reached a message unquoted are
 * escaped here too.
 */
export function errorLine(message: string): string {
    return `tipcx: ${escapeControl(message)}`;
}

/** The one place errors become output; returns the exit code. Every line has the errorLine() form. */
export function reportError(err: unknown, sink: ErrorSink): number {
    const debug = sink.env.TIPCX_DEBUG === '1';
    if (err instanceof TipcxError) {
        sink.stderr.write(`${errorLine(err.message)}\n`);
        if (debug && err.stack) sink.stderr.write(`${err.stack}\n`);
        return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    const hint = debug ? '' : ' (TIPCX_DEBUG=1 shows the stack)';
    sink.stderr.write(`${errorLine(`unexpected failure: ${oneLine(message)}${hint}`)}\n`);
    if (debug && err instanceof Error && err.stack) sink.stderr.write(`${err.stack}\n`);
    return ExitCode.FAILURE;
}
