/**
 * Runs one resolved leaf: loads its module lazily, builds the context, and
 * prints the result through the single output path (JSON or text).
 */
import { ExitCode, FailureError, UsageError } from '../errors.js';
import { formatJson } from '../render/json.js';
import type { GlobalFlags } from './global-flags.js';
import { interruptSignal, type CliIo } from './io.js';
import type { CommandContext, CommandResult, LeafNode } from './registry.js';

export interface RunRequest {
    readonly leaf: LeafNode;
    readonly path: readonly string[];
    readonly opts: Record<string, string | true>;
    readonly value?: string;
    readonly flags: GlobalFlags;
    /** Colour decision for text output (already false under -j). */
    readonly color: boolean;
}

export async function executeLeaf(request: RunRequest, io: CliIo): Promise<number> {
    const { leaf, path } = request;
    if (!leaf.load) {
        throw new FailureError(`error, "${path.join(' ')}" is not implemented yet`);
    }
    const { signal, release } = interruptSignal(io.interrupt);
    try {
        if (signal.aborted) return ExitCode.INTERRUPTED;
        const command = (await leaf.load()).default;
        const ctx = buildContext(request, io, signal);
        // --all-netns on a read command runs it per namespace (all-netns.ts, loaded only then);
        // commands that span namespaces themselves, and state-changing ones, get the flag as is
        const spansItself = (command as { handlesAllNetns?: boolean }).handlesAllNetns === true;
        if (request.flags.allNetns && !spansItself && CHANGE_VERBS.some((verb) => path.includes(verb))) {
            // acting in the current namespace alone would silently ignore the flag
            throw new UsageError(`error, --all-netns only goes with commands that read; "${path.join(' ')}" changes state: name one namespace with -n NAME`);
        }
        const everyNetns = request.flags.allNetns && !spansItself && READ_VERBS.some((verb) => path.includes(verb));
        const work = everyNetns ? import('./all-netns.js').then((m) => m.runInEveryNetns(command, ctx)) : command.run(ctx);
        const outcome = await untilInterrupted(work, signal);
        if (outcome === INTERRUPTED) return ExitCode.INTERRUPTED;
        if (outcome) printResult(outcome, request.flags, io);
        return ExitCode.OK;
    } finally {
        release();
    }
}

function buildContext(request: RunRequest, io: CliIo, signal: AbortSignal): CommandContext {
    const { flags } = request;
    return {
        path: request.path,
        opts: request.opts,
        ...(request.value === undefined ? {} : { value: request.value }),
        json: flags.json,
        pretty: flags.pretty,
        ...(flags.netns === undefined ? {} : { netns: flags.netns }),
        allNetns: flags.allNetns,
        ...(flags.allNetnsPids ? { allNetnsPids: true } : {}),
        color: request.color,
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        signal,
    };
}

function printResult(result: CommandResult, flags: GlobalFlags, io: CliIo): void {
    if (result.streamed) return;
    io.stdout.write(flags.json ? formatJson(result.records, flags.pretty) : result.text(result.records));
}

const INTERRUPTED = Symbol('interrupted');

/** Command words that only read: --all-netns runs these once per namespace. */
const READ_VERBS = ['list', 'show', 'get', 'summary'];
/** Command words that change kernel state: refused with --all-netns. */
const CHANGE_VERBS = ['set', 'enable', 'disable', 'add', 'remove', 'reset', 'flush'];

/**
 * Resolves with the command's result, or with INTERRUPTED as soon as the
 * signal fires: a command stuck waiting on the kernel must not keep Ctrl-C
 * from returning 130. Commands that notice the abort may also throw
 * InterruptedError, which maps to 130 through the normal error path.
 */
function untilInterrupted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | typeof INTERRUPTED> {
    return new Promise((resolve, reject) => {
        const onAbort = (): void => resolve(INTERRUPTED);
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
}
