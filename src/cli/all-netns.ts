/**
 * --all-netns, implemented once for every read command: run the leaf in the
 * current namespace and in each /run/netns namespace, several at a time, from
 * this process (each run opens its sockets inside its namespace with setns;
 * nothing is forked), and merge what they return: a `netns` key on every JSON
 * record, a namespace column in front of every text line, and a table header
 * (what the renderer prints for no records) shown once.
 *
 * Only commands whose contract is to act in `each` namespace and only read
 * come here (execute.ts); those that span namespaces themselves (crossover,
 * proof, top) get the flag unchanged.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
    NETNS_RUN_DIR,
    currentNetnsInode,
    listNamedNetns,
    netnsExists,
    netnsInode,
    type NetnsRef,
} from '../netlink/netns.js';
import { mapConcurrently, NAMESPACES_AT_ONCE } from '../concurrent.js';
import { FailureError, TipcxError, errorLine } from '../errors.js';
import { formatJson } from '../render/json.js';
import { pidFromLabel, pidLabel } from './netns-label.js';
import { textString, type CommandContext, type CommandResult } from './registry.js';

/** How the current namespace is labelled when it has no /run/netns name. */
export const CURRENT_NETNS_LABEL = '(current)';

export interface NamespaceTarget {
    /** The /run/netns name, or CURRENT_NETNS_LABEL. */
    label: string;
    /** undefined: the current namespace (no switch). */
    ref?: NetnsRef;
    /** The name for CommandContext.netns (undefined for the current namespace). */
    name?: string;
    /** The namespace's inode when it was listed (named namespaces). */
    inode?: number;
}

/**
 * The current namespace and every named one, deduplicated by inode: when the
 * current namespace is also named, it appears once under its name.
 */
export function hostNamespaces(opts: { processes?: boolean } = {}): NamespaceTarget[] {
    const current = currentNetnsInode();
    const named = listNamedNetns().flatMap((name) => {
        try {
            // listNamedNetns has just checked that it is a namespace: its path is stat-ed, not checked again
            return [{ name, inode: netnsInode(join(NETNS_RUN_DIR, name)) }];
        } catch {
            return []; // vanished between listing and stat
        }
    });
    const seen = new Set<number>();
    const out: NamespaceTarget[] = [];
    if (!named.some((n) => n.inode === current)) out.push({ label: CURRENT_NETNS_LABEL });
    seen.add(current);
    for (const n of named) {
        if (seen.has(n.inode) && n.inode !== current) continue;
        seen.add(n.inode);
        out.push(
            n.inode === current
                ? { label: n.name }
                : { label: n.name, ref: { name: n.name }, name: n.name, inode: n.inode },
        );
    }
    if (opts.processes) {
        for (const pid of processIds()) {
            let inode: number;
            try {
                inode = netnsInode({ pid });
            } catch {
                continue; // exited, or not ours to see
            }
            if (seen.has(inode)) continue;
            seen.add(inode);
            out.push({ label: pidLabel(pid), ref: { pid } });
        }
    }
    return out;
}

/** The namespaces a command that spans namespaces itself looks at: -n, --all-netns, or the current one. */
export function selectedNamespaces(ctx: CommandContext, all: readonly NamespaceTarget[]): NamespaceTarget[] {
    if (ctx.netns !== undefined) {
        const pid = pidFromLabel(ctx.netns);
        const named = { label: ctx.netns, ref: { name: ctx.netns }, name: ctx.netns };
        return [
            all.find((t) => t.label === ctx.netns) ?? (pid === undefined ? named : { label: ctx.netns, ref: { pid } }),
        ];
    }
    if (ctx.allNetns) return [...all];
    return [all.find((t) => t.ref === undefined)!];
}

/** Running processes, lowest pid first: a namespace is labelled by its oldest process. */
function processIds(): number[] {
    return readdirSync('/proc')
        .filter((e) => /^\d+$/.test(e))
        .map(Number)
        .sort((a, b) => a - b);
}

const merge = (label: string, record: object): object => ({ netns: label, ...record });

type Outcome =
    | { kind: 'done'; label: string; result: CommandResult | void }
    | { kind: 'failed'; label: string; error: TipcxError }
    | { kind: 'gone'; label: string };

/**
 * Runs the command in every namespace (NAMESPACES_AT_ONCE at a time, see
 * src/concurrent.ts) and prints the merged result in namespace order. Failures
 * in one namespace are reported on stderr, in the same order, and do not stop
 * the others; if any failed, a final TipcxError (exit 1) says how many. When
 * every namespace failed for the same reason (no TIPC in the kernel they all
 * share), that reason is the one error, with its own exit code (3).
 */
export async function runInEveryNetns(
    run: (ctx: CommandContext) => Promise<CommandResult | void>,
    ctx: CommandContext,
): Promise<CommandResult> {
    const targets = hostNamespaces({ processes: ctx.allNetnsPids === true });
    const runOne = async (t: NamespaceTarget): Promise<Outcome> => {
        const sub: CommandContext = {
            ...ctx,
            allNetns: false,
            ...(t.name !== undefined ? { netns: t.name } : {}),
            ...(t.name === undefined && t.ref ? { netnsRef: t.ref } : {}),
        };
        if (t.name === undefined) delete (sub as { netns?: string }).netns;
        try {
            return { kind: 'done', label: t.label, result: await run(sub) };
        } catch (e) {
            if (!(e instanceof TipcxError)) throw e;
            // Deleted (or its last process gone) after the listing: not a failure,
            // the namespace simply is no more. Said, so that a missing row is explained.
            if (t.ref && !netnsExists(t.ref)) return { kind: 'gone', label: t.label };
            return { kind: 'failed', label: t.label, error: e };
        }
    };
    // The first namespace alone: it resolves the generic netlink family, which the
    // rest then find cached (src/netlink/transport.ts) instead of each asking at once.
    const first = targets.length ? [await runOne(targets[0])] : [];
    const rest = await mapConcurrently(targets.slice(1), NAMESPACES_AT_ONCE, runOne, () => ctx.signal.aborted);
    const outcomes = [...first, ...rest];

    const parts: { label: string; result: CommandResult }[] = [];
    const failures: { label: string; error: TipcxError }[] = [];
    const gone: string[] = [];
    for (const o of outcomes) {
        if (o === undefined) continue; // not started: interrupted
        if (o.kind === 'gone') gone.push(o.label);
        else if (o.kind === 'failed') failures.push(o);
        else if (o.result && !o.result.streamed) parts.push({ label: o.label, result: o.result });
    }
    const firstError = failures[0]?.error;
    if (firstError && parts.length === 0 && failures.every((f) => f.error.message === firstError.message))
        throw firstError;
    for (const label of gone) ctx.stderr.write(`netns ${label}: gone while tipcx read the namespaces; left out\n`);
    for (const f of failures) ctx.stderr.write(`${errorLine(`netns ${f.label}: ${f.error.message}`)}\n`);
    const records = parts.flatMap((p) => p.result.records.map((r) => merge(p.label, r)));
    if (ctx.json) ctx.stdout.write(formatJson(records, ctx.pretty));
    else ctx.stdout.write(mergeText(parts));
    if (failures.length > 0)
        throw new FailureError(`failed in ${failures.length} of ${targets.length} network namespaces`);
    return { records, text: () => '', streamed: true };
}

/** One table: the header once (prefixed "Namespace"), every line prefixed with its namespace. */
export function mergeText(parts: readonly { label: string; result: CommandResult }[]): string {
    if (parts.length === 0) return '';
    const header = textString(parts[0].result.text([]));
    const headerLines = header === '' ? [] : header.replace(/\n$/, '').split('\n');
    const width = Math.max(headerLines.length ? 'Namespace'.length : 0, ...parts.map((p) => p.label.length));
    const out: string[] = headerLines.map((l, i) => `${(i === 0 ? 'Namespace' : '').padEnd(width)}  ${l}`);
    for (const p of parts) {
        let lines = textString(p.result.text(p.result.records)).replace(/\n$/, '').split('\n');
        if (lines.length === 1 && lines[0] === '') continue;
        if (headerLines.length && headerLines.every((h, i) => lines[i] === h)) lines = lines.slice(headerLines.length);
        for (const l of lines) out.push(`${p.label.padEnd(width)}  ${l}`);
    }
    return out.length ? `${out.join('\n')}\n` : '';
}
