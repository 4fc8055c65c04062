// `tipcx lab up|down|status`: a TIPC cluster of N network namespaces on this
// kernel, joined by a bridge (eth bearers, or udp bearers over the same veths).
// Namespaces, veths and the bridge are made with iproute2's `ip` (in two batches;
// the interfaces inside are set up in-process with rtnetlink); identities,
// net id and bearers with tipcx's own operations, in-process, one session per
// namespace. What was created is recorded in a state file so that `down`
// removes exactly that: each object is recorded with its kernel identity
// (namespace inode, interface index), so an object of the same name made by
// someone else later is never touched, and a state file changed by hand is
// refused (its digest no longer matches).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapConcurrently, NAMESPACES_AT_ONCE } from '../concurrent.js';
import { EnvironmentError, FailureError, UsageError, quoted } from '../errors.js';
import { parseNodeId } from '../netlink/identity.js';
import { setLinksUp } from '../netlink/link-up.js';
import { NETNS_RUN_DIR, netnsInode } from '../netlink/netns.js';
import { enableBearer, listBearers, parseIpAddress, udpEndpoints } from '../tipc/bearer.js';
import { BROADCAST_LINK, listLinks } from '../tipc/link.js';
import { getOwnAddress, getOwnNet, NETID_RANGE, setOwnNet } from '../tipc/node.js';
import { TipcSession } from '../tipc/session.js';

export type LabMedia = 'eth' | 'udp';

export interface LabSpec {
    nodes: number;
    media: LabMedia;
    prefix: string;
    /** Undefined: leave the kernel's default (4711). */
    netid?: number;
    bridge: string;
}

export const LAB_DEFAULTS = { nodes: 3, media: 'eth' as LabMedia, prefix: 'lab' };
export const MAX_NODES = 250;
const IFNAMSIZ = 15;
/** The namespace side of every veth. */
const NS_IFACE = 'eth0';
const UDP_BEARER = 'udp0';
const STATE_FORMAT = 'tipcx-lab/1';

export interface LabNodeState {
    namespace: string;
    identity: string;
    netnsInode: number;
    hostVeth: string;
    hostVethIfindex: number;
    /** udp media: the namespace's address on eth0. */
    ip?: string;
}

export interface LabState {
    format: typeof STATE_FORMAT;
    spec: LabSpec;
    createdAt: string;
    bridgeIfindex: number;
    nodes: LabNodeState[];
}

/** One row of `lab up` / `lab status`: a namespace and what TIPC made of it. */
export interface LabNodeRecord {
    lab: string;
    namespace: string;
    identity: string;
    media: LabMedia;
    bearer: string;
    /** The node's 32-bit address (hash) as 8 hex digits; empty if it is gone. */
    address: string;
    ip?: string;
    bridge: string;
    netid: number;
    linksUp: number;
    linksExpected: number;
    present: boolean;
}

export type Progress = (line: string) => void;

// ---------------------------------------------------------------- names and validation

export function hostVethName(namespace: string): string {
    return `v-${namespace}`;
}

export function namespaceNames(spec: Pick<LabSpec, 'nodes' | 'prefix'>): string[] {
    return Array.from({ length: spec.nodes }, (_, i) => `${spec.prefix}${i + 1}`);
}

/** The udp address of node i (1-based), inside 10.211.0.0/16, never .0 or .255. */
export function udpAddress(i: number): string {
    return `10.211.${Math.floor(i / 250)}.${(i % 250) + 1}`;
}

export function validateSpec(spec: LabSpec): void {
    if (!Number.isInteger(spec.nodes) || spec.nodes < 1 || spec.nodes > MAX_NODES) {
        throw new UsageError(`invalid nodes ${quoted(String(spec.nodes))} (expected an integer 1..${MAX_NODES})`);
    }
    if (!/^[a-z][a-z0-9-]*$/.test(spec.prefix)) {
        throw new UsageError(
            `invalid prefix ${quoted(spec.prefix)} (expected a lowercase letter, then letters, digits or -)`,
        );
    }
    const longest = hostVethName(`${spec.prefix}${spec.nodes}`);
    if (longest.length > IFNAMSIZ) {
        throw new UsageError(
            `invalid prefix ${quoted(spec.prefix)} (too long for ${spec.nodes} nodes: interface "${longest}" would exceed ${IFNAMSIZ} characters)`,
        );
    }
    if (Buffer.byteLength(`${spec.prefix}${spec.nodes}`) > 16) {
        throw new UsageError(`invalid prefix ${quoted(spec.prefix)} (node identities are at most 16 characters)`);
    }
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(spec.bridge) || spec.bridge.length > IFNAMSIZ) {
        throw new UsageError(
            `invalid bridge ${quoted(spec.bridge)} (expected an interface name of 1..${IFNAMSIZ} letters, digits, _ . -)`,
        );
    }
    if (
        spec.netid !== undefined &&
        (!Number.isInteger(spec.netid) || spec.netid < NETID_RANGE.min || spec.netid > NETID_RANGE.max)
    ) {
        throw new UsageError(
            `invalid netid ${quoted(String(spec.netid))} (expected an integer ${NETID_RANGE.min}..${NETID_RANGE.max})`,
        );
    }
}

// ---------------------------------------------------------------- state file

export function stateDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
    return env.TIPCX_STATE_DIR || '/run/tipcx';
}

function statePath(dir: string, prefix: string): string {
    return join(dir, `lab-${prefix}.json`);
}

function digestOf(state: LabState): string {
    return createHash('sha256').update(JSON.stringify(state)).digest('hex');
}

function writeState(dir: string, state: LabState): void {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    const path = statePath(dir, state.spec.prefix);
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, JSON.stringify({ ...state, digest: digestOf(state) }, null, 2) + '\n', { mode: 0o644 });
    renameSync(tmp, path);
}

/** Reads and verifies one state file; a file changed by hand is refused, never half-trusted. */
export function readState(path: string): LabState {
    let parsed: LabState & { digest?: string };
    try {
        parsed = JSON.parse(readFileSync(path, 'utf8')) as LabState & { digest?: string };
    } catch (err) {
        throw new FailureError(
            `the lab state file ${path} is not readable JSON (${(err as Error).message}): tipcx lab will not act on it; remove the lab by hand and delete the file`,
        );
    }
    const { digest, ...state } = parsed ?? {};
    if (state.format !== STATE_FORMAT || typeof digest !== 'string' || digest !== digestOf(state)) {
        throw new FailureError(
            `the lab state file ${path} was changed after tipcx wrote it (its digest does not match): tipcx lab will not act on it; remove the lab by hand and delete the file`,
        );
    }
    return state;
}

/** Every recorded lab in the state directory, verified. */
export function readAllStates(dir: string): { path: string; state: LabState }[] {
    let names: string[];
    try {
        names = readdirSync(dir)
            .filter((n) => /^lab-.*\.json$/.test(n))
            .sort();
    } catch {
        return [];
    }
    return names.map((n) => ({ path: join(dir, n), state: readState(join(dir, n)) }));
}

// ---------------------------------------------------------------- the host

function requireRoot(): void {
    if (process.getuid?.() !== 0) {
        throw new EnvironmentError(
            'tipcx lab needs root: it creates network namespaces, veths and a bridge (run it with sudo)',
        );
    }
}

async function requireTipc(): Promise<void> {
    // opening a session resolves the TIPCv2 family: it fails clearly without TIPC
    const s = await TipcSession.open();
    s.close();
}

function ip(args: string[], input?: string): void {
    const r = spawnSync('ip', args, { input, encoding: 'utf8', stdio: ['pipe', 'ignore', 'pipe'] });
    if (r.error) throw new EnvironmentError(`cannot run ip (iproute2): ${r.error.message}`);
    if (r.status !== 0) throw new FailureError(`ip ${args.join(' ')} failed: ${r.stderr.trim().split('\n').pop()}`);
}

interface HostLink {
    ifindex: number;
    /** For a veth: the id (as seen from here) of the namespace its peer is in. */
    linkNetnsid?: number;
}

/**
 * The root namespace's interfaces and the ids of the named namespaces, in two
 * `ip` runs. Inodes of namespaces are reused once one is gone, so "is this
 * still the namespace tipcx made" is answered by the veth tipcx made for it
 * (interface indexes are not reused soon): it must still exist and have its
 * peer in that namespace.
 */
interface HostView {
    links: Map<string, HostLink>;
    nsids: Map<string, number | undefined>;
}

function hostView(): HostView {
    const links = JSON.parse(execFileSync('ip', ['-j', '-d', 'link', 'show'], { encoding: 'utf8' })) as {
        ifname: string;
        ifindex: number;
        link_netnsid?: number;
    }[];
    const out = execFileSync('ip', ['-j', 'netns', 'list'], { encoding: 'utf8' }).trim();
    const nsids = out ? (JSON.parse(out) as { name: string; id?: number }[]) : [];
    return {
        links: new Map(
            links.map((l) => [
                l.ifname,
                { ifindex: l.ifindex, ...(l.link_netnsid !== undefined && { linkNetnsid: l.link_netnsid }) },
            ]),
        ),
        nsids: new Map(nsids.map((n) => [n.name, n.id])),
    };
}

function isOurNamespace(node: LabNodeState, view: HostView): boolean {
    const veth = view.links.get(node.hostVeth);
    return (
        namespaceInode(node.namespace) === node.netnsInode &&
        veth?.ifindex === node.hostVethIfindex &&
        veth.linkNetnsid !== undefined &&
        view.nsids.get(node.namespace) === veth.linkNetnsid
    );
}

function namespaceInode(name: string): number | undefined {
    const path = join(NETNS_RUN_DIR, name);
    if (!existsSync(path)) return undefined;
    try {
        return netnsInode(path);
    } catch {
        return undefined;
    }
}

function ipBatch(lines: string[], netns?: string): void {
    if (lines.length) ip([...(netns ? ['-n', netns] : []), '-batch', '-'], lines.join('\n') + '\n');
}

// ---------------------------------------------------------------- up

export interface UpResult {
    records: LabNodeRecord[];
    created: number;
    elapsedMs: number;
}

/**
 * Creates what is missing of the lab `spec`, configures TIPC in every
 * namespace, and waits until every namespace has a link up to every other.
 * Running it again with the same spec only checks and reports.
 */
export async function labUp(
    spec: LabSpec,
    opts: { stateDir: string; progress?: Progress; signal?: AbortSignal; timeoutMs?: number },
): Promise<UpResult> {
    validateSpec(spec);
    requireRoot();
    await requireTipc();
    const started = Date.now();
    const path = statePath(opts.stateDir, spec.prefix);
    const previous = existsSync(path) ? readState(path) : undefined;
    if (previous && !sameSpec(previous.spec, spec)) {
        throw new FailureError(
            `lab ${quoted(spec.prefix)} is already up with ${describeSpec(previous.spec)}: run "tipcx lab down prefix ${spec.prefix}" first`,
        );
    }
    const names = namespaceNames(spec);
    const view = hostView();

    // Refuse before changing anything: a name that exists but is not provably ours stays untouched.
    const recorded = new Map(previous?.nodes.map((n) => [n.namespace, n]));
    const taken: string[] = [];
    if (view.links.has(spec.bridge) && view.links.get(spec.bridge)!.ifindex !== previous?.bridgeIfindex)
        taken.push(`interface ${spec.bridge}`);
    for (const ns of names) {
        const mine = recorded.get(ns);
        const ours = mine !== undefined && isOurNamespace(mine, view);
        if (namespaceInode(ns) !== undefined && !ours) taken.push(`namespace ${ns}`);
        const veth = view.links.get(hostVethName(ns));
        if (veth && !ours) taken.push(`interface ${hostVethName(ns)}`);
    }
    if (taken.length) {
        const shown = taken.slice(0, 3).join(', ') + (taken.length > 3 ? ` and ${taken.length - 3} more` : '');
        throw new FailureError(
            `${shown} already exist${taken.length === 1 ? 's' : ''} and ${taken.length === 1 ? 'was' : 'were'} not created by tipcx lab: choose another prefix or bridge, or remove ${taken.length === 1 ? 'it' : 'them'}`,
        );
    }

    // Create what is missing, then record whatever exists afterwards (even if a step failed half-way).
    const missing = names.filter((ns) => namespaceInode(ns) === undefined);
    const needBridge = !view.links.has(spec.bridge);
    const record = () => {
        const now = hostView();
        const state: LabState = {
            format: STATE_FORMAT,
            spec,
            createdAt: previous?.createdAt ?? new Date().toISOString(),
            bridgeIfindex: now.links.get(spec.bridge)?.ifindex ?? 0,
            nodes: names.flatMap((ns, i) => {
                const inode = namespaceInode(ns);
                const veth = hostVethName(ns);
                if (inode === undefined) return [];
                return [
                    {
                        namespace: ns,
                        identity: ns,
                        netnsInode: inode,
                        hostVeth: veth,
                        hostVethIfindex: now.links.get(veth)?.ifindex ?? 0,
                        ...(spec.media === 'udp' && { ip: udpAddress(i + 1) }),
                    },
                ];
            }),
        };
        writeState(opts.stateDir, state);
    };
    try {
        // `netns add` leaves ip's netlink socket unusable for the rest of a batch: two batches
        ipBatch(missing.map((ns) => `netns add ${ns}`));
        ipBatch([
            // flood multicast (udp discovery) to every port whether or not anyone sent IGMP joins
            ...(needBridge
                ? [`link add ${spec.bridge} type bridge mcast_snooping 0`, `link set ${spec.bridge} up`]
                : []),
            ...missing.map(
                (ns) =>
                    `link add ${hostVethName(ns)} master ${spec.bridge} up type veth peer name ${NS_IFACE} netns ${ns}`,
            ),
        ]);
        // in-process (setns + rtnetlink), several namespaces at once: an `ip -n NS` per
        // namespace was most of lab up's time (bench/ times lab up against iproute2)
        const created = counter(missing.length, 'created', opts.progress);
        await mapConcurrently(
            missing,
            NAMESPACES_AT_ONCE,
            async (ns) => {
                await setLinksUp({ name: ns }, ['lo', NS_IFACE]);
                if (spec.media === 'udp') {
                    const i = names.indexOf(ns) + 1;
                    ipBatch(
                        [`address add ${udpAddress(i)}/16 dev ${NS_IFACE}`, `route add 224.0.0.0/4 dev ${NS_IFACE}`],
                        ns,
                    );
                }
                created();
            },
            () => opts.signal?.aborted === true,
        );
        checkAborted(opts.signal);
    } finally {
        if (needBridge || missing.length) record();
    }
    const state = readState(path);

    const configured = counter(names.length, 'configured TIPC in', opts.progress);
    await mapConcurrently(
        names,
        NAMESPACES_AT_ONCE,
        async (ns, k) => {
            await configureTipc(ns, k + 1, spec);
            configured();
        },
        () => opts.signal?.aborted === true,
    );
    checkAborted(opts.signal);
    const timeoutMs = opts.timeoutMs ?? Math.max(60_000, spec.nodes * 5_000);
    await waitForLinks(names, timeoutMs, opts.progress, opts.signal);
    return { records: await describeLab(state), created: missing.length, elapsedMs: Date.now() - started };
}

/** Counts finished namespaces, saying so every 16 (for labs of 16 or more). */
function counter(total: number, what: string, progress?: Progress): () => void {
    let done = 0;
    return () => {
        done++;
        if (total >= 16 && (done % 16 === 0 || done === total)) progress?.(`${what} ${done}/${total} namespaces`);
    };
}

function sameSpec(a: LabSpec, b: LabSpec): boolean {
    return (
        a.nodes === b.nodes &&
        a.media === b.media &&
        a.prefix === b.prefix &&
        a.netid === b.netid &&
        a.bridge === b.bridge
    );
}

function describeSpec(spec: LabSpec): string {
    return `${spec.nodes} node${spec.nodes === 1 ? '' : 's'}, ${spec.media} media, bridge ${spec.bridge}${spec.netid !== undefined ? `, net id ${spec.netid}` : ''}`;
}

function checkAborted(signal?: AbortSignal): void {
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('interrupted');
}

/** Net id, identity and bearer, each only if not already so (idempotent). */
async function configureTipc(ns: string, i: number, spec: LabSpec): Promise<void> {
    const s = await TipcSession.open({ netns: { name: ns } });
    try {
        const own = await getOwnNet(s);
        if (own.identity !== ns) {
            if (spec.netid !== undefined && own.netid !== spec.netid) await setOwnNet(s, { netid: spec.netid });
            await setOwnNet(s, { identity: parseNodeId(ns)! });
        }
        const bearer = spec.media === 'eth' ? `eth:${NS_IFACE}` : `udp:${UDP_BEARER}`;
        if (!(await listBearers(s)).some((b) => b.name === bearer)) {
            await enableBearer(s, {
                name: bearer,
                ...(spec.media === 'udp' && {
                    udp: udpEndpoints({
                        localip: parseIpAddress(udpAddress(i), 'localip'),
                        netid: () => spec.netid ?? own.netid,
                    }),
                }),
            });
        }
    } finally {
        s.close();
    }
}

async function linksUpIn(ns: string): Promise<number> {
    const s = await TipcSession.open({ netns: { name: ns } });
    try {
        return (await listLinks(s, { statistics: false })).filter((l) => l.name !== BROADCAST_LINK && l.up).length;
    } catch {
        return 0;
    } finally {
        s.close();
    }
}

async function waitForLinks(
    names: string[],
    timeoutMs: number,
    progress: Progress | undefined,
    signal?: AbortSignal,
): Promise<void> {
    const expected = names.length - 1;
    const started = Date.now();
    let lastReport = started;
    const pending = new Set(names);
    for (;;) {
        const checked = [...pending];
        const up = await mapConcurrently(checked, NAMESPACES_AT_ONCE, linksUpIn);
        checked.forEach((ns, i) => (up[i] ?? 0) >= expected && pending.delete(ns));
        if (pending.size === 0) return;
        checkAborted(signal);
        const now = Date.now();
        if (now - started > timeoutMs) {
            const some = [...pending].slice(0, 5).join(', ');
            throw new FailureError(
                `links did not all come up within ${Math.round(timeoutMs / 1000)} s: ${pending.size} namespace${pending.size === 1 ? '' : 's'} (${some}${pending.size > 5 ? ', …' : ''}) lack links to some peers`,
            );
        }
        if (now - lastReport >= 3_000) {
            progress?.(
                `all links up in ${names.length - pending.size}/${names.length} namespaces (${Math.round((now - started) / 1000)} s)`,
            );
            lastReport = now;
        }
        await new Promise((r) => setTimeout(r, 300));
    }
}

// ---------------------------------------------------------------- status

/** What the kernel says now about each recorded namespace. */
export async function describeLab(state: LabState): Promise<LabNodeRecord[]> {
    const { spec } = state;
    const records: LabNodeRecord[] = [];
    for (const node of state.nodes) {
        const present = namespaceInode(node.namespace) === node.netnsInode;
        let address = '';
        let netid = spec.netid ?? 0;
        let linksUp = 0;
        if (present) {
            const s = await TipcSession.open({ netns: { name: node.namespace } });
            try {
                address = getOwnAddress(s).toString(16).padStart(8, '0');
                netid = (await getOwnNet(s)).netid;
                linksUp = (await listLinks(s, { statistics: false })).filter(
                    (l) => l.name !== BROADCAST_LINK && l.up,
                ).length;
            } finally {
                s.close();
            }
        }
        records.push({
            lab: spec.prefix,
            namespace: node.namespace,
            identity: node.identity,
            media: spec.media,
            bearer: spec.media === 'eth' ? `eth:${NS_IFACE}` : `udp:${UDP_BEARER}`,
            address,
            ...(node.ip !== undefined && { ip: node.ip }),
            bridge: spec.bridge,
            netid,
            linksUp,
            linksExpected: spec.nodes - 1,
            present,
        });
    }
    return records;
}

export async function labStatus(opts: { stateDir: string }): Promise<LabNodeRecord[]> {
    const all = readAllStates(opts.stateDir);
    if (all.length) await requireTipc();
    const records: LabNodeRecord[] = [];
    for (const { state } of all) records.push(...(await describeLab(state)));
    return records;
}

// ---------------------------------------------------------------- down

export interface RemovedRecord {
    lab: string;
    kind: 'namespace' | 'interface' | 'state file';
    name: string;
    /** false: recorded but already gone, or now someone else's (left alone). */
    removed: boolean;
    note?: string;
}

/**
 * Removes exactly what the state files record (all labs, or the one with
 * `prefix`), each object only if it is still the one tipcx created, then the
 * state file. Every state file is verified before anything is removed.
 */
export function labDown(opts: { stateDir: string; prefix?: string }): RemovedRecord[] {
    requireRoot();
    const all =
        opts.prefix !== undefined
            ? existsSync(statePath(opts.stateDir, opts.prefix))
                ? [
                      {
                          path: statePath(opts.stateDir, opts.prefix),
                          state: readState(statePath(opts.stateDir, opts.prefix)),
                      },
                  ]
                : []
            : readAllStates(opts.stateDir);
    const removed: RemovedRecord[] = [];
    for (const { path, state } of all) {
        const lab = state.spec.prefix;
        const view = hostView();
        const ours = state.nodes.filter((n) => isOurNamespace(n, view));
        for (const node of state.nodes.filter((n) => !ours.includes(n))) {
            const gone = namespaceInode(node.namespace) === undefined;
            removed.push({
                lab,
                kind: 'namespace',
                name: node.namespace,
                removed: false,
                note: gone ? 'already gone' : 'recreated by someone else: left alone',
            });
        }
        // host veth ends first: deleting one deletes its pair at once, whereas a
        // deleted namespace takes its interfaces with it only later, asynchronously
        ipBatch(ours.map((n) => `link del ${n.hostVeth}`));
        ipBatch(ours.map((n) => `netns del ${n.namespace}`));
        for (const n of ours) {
            removed.push({ lab, kind: 'interface', name: n.hostVeth, removed: true });
            removed.push({ lab, kind: 'namespace', name: n.namespace, removed: true });
        }
        const bridgeNow = view.links.get(state.spec.bridge)?.ifindex;
        if (bridgeNow === undefined) {
            removed.push({ lab, kind: 'interface', name: state.spec.bridge, removed: false, note: 'already gone' });
        } else if (bridgeNow !== state.bridgeIfindex) {
            removed.push({
                lab,
                kind: 'interface',
                name: state.spec.bridge,
                removed: false,
                note: 'recreated by someone else: left alone',
            });
        } else {
            ip(['link', 'del', state.spec.bridge]);
            removed.push({ lab, kind: 'interface', name: state.spec.bridge, removed: true });
        }
        rmSync(path, { force: true });
        removed.push({ lab, kind: 'state file', name: path, removed: true });
    }
    return removed;
}
