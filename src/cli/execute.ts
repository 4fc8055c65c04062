/**
 * Runs one resolved leaf: checks the global flags against its declared
 * contracts, builds the context, and prints the result through the single
 * output path (JSON or text). Everything here happens before the handler runs,
 * so a usage error never follows a request to the kernel.
 */
import { EnvironmentError, ExitCode, UsageError } from '../errors.js';
import { formatIproute2Json } from '../render/iproute2-json.js';
import { applyColorDecision, decideColor } from '../render/color.js';
import { formatJson } from '../render/json.js';
import type { GlobalFlags } from './global-flags.js';
import { pidFromLabel } from './netns-label.js';
import { interruptSignal, type CliIo } from './io.js';
import { writeText, type CommandContext, type CommandResult, type LeafNode, type ParsedArgs } from './registry.js';

export interface RunRequest {
    readonly leaf: LeafNode;
    readonly path: readonly string[];
    readonly args: ParsedArgs;
    readonly flags: GlobalFlags;
}

export async function executeLeaf(request: RunRequest, io: CliIo): Promise<number> {
    const { leaf, args, flags } = request;
    const everyNetns = runsInEveryNetns(request);
    if (!everyNetns) await refuseIfTipcProvablyAbsent(request, io);
    const color = await colorDecided(flags, io);
    const { signal, release } = interruptSignal(io.interrupt);
    try {
        if (signal.aborted) return ExitCode.INTERRUPTED;
        const ctx = buildContext(request, color, io, signal);
        const work = everyNetns
            ? import('./all-netns.js').then((m) => m.runInEveryNetns((sub) => leaf.run(args, sub), ctx))
            : leaf.run(args, ctx);
        const outcome = leaf.endsOnInterrupt ? await work : await untilInterrupted(work, signal);
        if (outcome === INTERRUPTED) return ExitCode.INTERRUPTED;
        if (outcome) printResult(outcome, flags, io);
        return ExitCode.OK;
    } finally {
        release();
    }
}

/**
 * Whether --all-netns fans the leaf out over every namespace (all-netns.ts),
 * from its contracts; throws the usage error when -n or --all-netns cannot be
 * honoured by it.
 */
function runsInEveryNetns({ leaf, path, args, flags }: RunRequest): boolean {
    const namespaces = leaf.namespacesFor(args);
    if (typeof namespaces === 'object') {
        if (flags.netns !== undefined || flags.allNetns) {
            throw new UsageError(`"tipcx ${path[0]}" ${namespaces.none} and does not take -n/--all-netns`);
        }
        return false;
    }
    if (namespaces === 'own' || !flags.allNetns) return false;
    if (flags.iproute2Json) {
        throw new UsageError(
            '--json=iproute2 prints what "tipc -j" prints for one namespace and does not go with --all-netns (-j does)',
        );
    }
    if (leaf.kernelFor(args) === 'changes') {
        // acting in the current namespace alone would silently ignore the flag
        throw new UsageError(
            `--all-netns only goes with commands that read; "${path.join(' ')}" changes state: name one namespace with -n NAME`,
        );
    }
    return true;
}

/**
 * A command that acts on TIPC in the current namespace, on a kernel that
 * provably has no TIPC: the family lookup's own answer (exit 3), before the
 * handler loads netlink, koffi and its own code (the lazy bundle file,
 * src/cli/bundle.ts). A named namespace is opened first as usual: its
 * absence is the error to report then.
 */
async function refuseIfTipcProvablyAbsent({ leaf, args, flags }: RunRequest, io: CliIo): Promise<void> {
    if (flags.netns !== undefined || io.whyNoTipc === undefined) return;
    if (leaf.namespacesFor(args) !== 'each' || leaf.kernelFor(args) === 'none') return;
    const why = await io.whyNoTipc();
    if (why !== undefined) throw new EnvironmentError(why, { errno: 2 });
}

/**
 * Only commands colour their output (help and version never load chalk), and
 * JSON never, whatever the terminal. Decided after the checks above, so that
 * a command refused before it runs asks nothing of the terminal and loads no chalk.
 */
async function colorDecided(flags: GlobalFlags, io: CliIo): Promise<boolean> {
    const decision = flags.json
        ? NO_COLOR
        : decideColor({
              mode: flags.color,
              env: io.env,
              // whether stdout is a terminal is asked only when flags and environment leave it open
              get isTTY() {
                  return io.isTTY;
              },
          });
    await applyColorDecision(decision);
    return decision.enabled;
}

const NO_COLOR = { enabled: false, level: 0 } as const;

function buildContext(request: RunRequest, color: boolean, io: CliIo, signal: AbortSignal): CommandContext {
    const { flags } = request;
    const pid = flags.netns === undefined ? undefined : pidFromLabel(flags.netns);
    return {
        json: flags.json,
        pretty: flags.pretty,
        ...(flags.netns === undefined ? {} : { netns: flags.netns }),
        // `-n pid:N`, as --all-netns=pids labels a namespace without a name
        ...(pid === undefined ? {} : { netnsRef: { pid } }),
        allNetns: flags.allNetns,
        ...(flags.allNetnsPids ? { allNetnsPids: true } : {}),
        color,
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        signal,
    };
}

function printResult(result: CommandResult, flags: GlobalFlags, io: CliIo): void {
    if (result.streamed) return;
    if (flags.iproute2Json) {
        // what `tipc -j` prints: its JSON where it has one, its text elsewhere
        writeText(
            io.stdout,
            result.iproute2
                ? formatIproute2Json(result.iproute2(result.records), flags.pretty)
                : result.text(result.records),
        );
        return;
    }
    writeText(io.stdout, flags.json ? formatJson(result.records, flags.pretty) : result.text(result.records));
}

const INTERRUPTED = Symbol('interrupted');

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
