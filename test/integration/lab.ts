// Shared fixtures for the integration tests that run inside the lab kernel: shell
// helpers, the reference iproute2 `tipc`, and namespace clusters on a bridge.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface Run {
    stdout: string;
    stderr: string;
    code: number;
}

export function sh(script: string): string {
    // stdin not a socket (node's default pipe is one): bash would read /etc/bash.bashrc as if run by sshd
    return execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
    });
}

export function run(argv: string[]): Run {
    const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
    return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', code: r.status ?? 128 };
}

/** iproute2's `tipc`, the reference every command is diffed against. */
export function tipc(args: string[], netns?: string): Run {
    return run(netns ? ['ip', 'netns', 'exec', netns, 'tipc', ...args] : ['tipc', ...args]);
}

export function assertInLab(): void {
    if (!existsSync('/sys/module/tipc')) {
        throw new Error(
            'integration tests need the TIPC kernel module: run them with `npm test`, which starts the lab kernel',
        );
    }
}

export async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!check()) {
        if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 200));
    }
}

export interface Cluster {
    namespaces: string[];
    bridge: string;
    destroy(): void;
}

/**
 * N namespaces joined by a bridge, each with an eth bearer on its veth and a
 * named identity (`<prefix>1`, …), configured with iproute2 so that tipcx is
 * only ever read against a state it did not make. Resolves once every unicast
 * link is up.
 */
export async function makeCluster(
    n: number,
    prefix = 'ns',
    opts: { netid?: number; remote?: boolean } = {},
): Promise<Cluster> {
    const bridge = `br-${prefix}`;
    const namespaces = Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
    sh(`ip link add ${bridge} type bridge && ip link set ${bridge} up`);
    // the remote peer on the bridge before any bearer: its links come up with the others
    if (opts.remote) attachRemoteToBridge(bridge);
    namespaces.forEach((ns, i) => {
        sh(`ip netns add ${ns}
      ip link add v-${ns} type veth peer name eth0 netns ${ns}
      ip link set v-${ns} master ${bridge} up
      ip -n ${ns} link set lo up
      ip -n ${ns} link set eth0 address 02:00:00:00:${(0x10 + prefix.length).toString(16)}:${(i + 1).toString(16).padStart(2, '0')} up`);
        if (opts.netid) tipcOk(['node', 'set', 'netid', String(opts.netid)], ns);
        tipcOk(['node', 'set', 'identity', ns], ns);
        tipcOk(['bearer', 'enable', 'media', 'eth', 'device', 'eth0'], ns);
    });
    const cluster = {
        namespaces,
        bridge,
        destroy() {
            if (opts.remote) detachRemoteFromBridge();
            for (const ns of namespaces) run(['ip', 'netns', 'del', ns]);
            for (const ns of namespaces) run(['ip', 'link', 'del', `v-${ns}`]);
            run(['ip', 'link', 'del', bridge]);
        },
    };
    // every namespace lists broadcast-link plus one unicast link per peer (and one to the remote), all up
    const links = opts.remote ? n + 1 : n;
    await waitFor(
        `all links up in ${prefix}*`,
        () => namespaces.every((ns) => (tipc(['link', 'list'], ns).stdout.match(/: up$/gm)?.length ?? 0) === links),
        60_000,
    );
    return cluster;
}

export function tipcOk(args: string[], netns?: string): string {
    const r = tipc(args, netns);
    if (r.code !== 0)
        throw new Error(`tipc ${args.join(' ')}${netns ? ` (in ${netns})` : ''} failed: ${r.stderr.trim()}`);
    return r.stdout;
}

/**
 * The installed `tipcx` (test/run-all.ts packs the project and installs it
 * into an empty prefix, first on PATH): resolved once, and refused when it is
 * not that package, so that no test runs a checkout's build by mistake.
 */
export const installedTipcx: string = (() => {
    const prefix = process.env.TIPCX_INSTALLED_PREFIX;
    if (!prefix)
        throw new Error(
            'TIPCX_INSTALLED_PREFIX is not set: run the integration tests with `npm test`, which installs the packed package',
        );
    const found = spawnSync('sh', ['-c', 'command -v tipcx'], { encoding: 'utf8' }).stdout.trim();
    if (found !== join(prefix, 'bin', 'tipcx'))
        throw new Error(`tipcx on PATH is ${found || 'missing'}, not the installed package in ${prefix}`);
    return found;
})();

/** The installed tipcx, spawned as a user would run it (no colour: NO_COLOR=1). */
export function tipcx(args: string[], env: Record<string, string> = {}): Promise<Run> {
    return new Promise((resolve, reject) => {
        const child = spawn(installedTipcx, args, {
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, NO_COLOR: '1', ...env },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code, signal) => resolve({ stdout, stderr, code: code ?? (signal ? 128 : 1) }));
    });
}

/** A namespace with a veth pair to the root namespace (eth0 inside), for commands that change state. */
export function makeBareNamespace(name: string): { name: string; destroy(): void } {
    sh(`ip netns add ${name}
    ip link add v-${name} type veth peer name eth0 netns ${name}
    ip link set v-${name} up
    ip -n ${name} link set lo up
    ip -n ${name} link set eth0 up`);
    return {
        name,
        destroy() {
            run(['ip', 'netns', 'del', name]);
            run(['ip', 'link', 'del', `v-${name}`]);
        },
    };
}

// ---- the remote peer: a second kernel booted by test/run-all.ts ----

export interface RemotePeer {
    /** The peer kernel's TIPC identity (set by test/lab/remote-peer.ts). */
    identity: 'remote1';
    /** This VM's root-namespace interface that reaches the peer kernel; left unconfigured until a test enslaves it. */
    iface: 'eth0';
}

/**
 * The remote peer, after checking it is wired in: eth0 must exist in this
 * kernel's root namespace (it does under `npm test`, and under
 * `node build/test/lab/run.js --remote-peer -- ...`).
 */
export function remotePeer(): RemotePeer {
    const peer: RemotePeer = { identity: 'remote1', iface: 'eth0' };
    if (!existsSync(`/sys/class/net/${peer.iface}`)) {
        throw new Error(
            `no ${peer.iface} in the root namespace, so no remote peer kernel: run with \`npm test\` or \`node build/test/lab/run.js --remote-peer -- ...\``,
        );
    }
    return peer;
}

/**
 * Enslaves the NIC to the peer kernel to `bridge` (in the root namespace) and sets
 * it up: every namespace with an eth bearer on that bridge then discovers
 * `remote1`. Only one bridge can hold it at a time; detach in `finally`.
 */
export function attachRemoteToBridge(bridge: string): RemotePeer {
    const peer = remotePeer();
    sh(`ip link set ${peer.iface} master ${bridge} && ip link set ${peer.iface} up`);
    return peer;
}

/** Undoes attachRemoteToBridge: the NIC back to unconfigured (no master, down). */
export function detachRemoteFromBridge(): void {
    const { iface } = remotePeer();
    run(['ip', 'link', 'set', iface, 'nomaster']);
    run(['ip', 'link', 'set', iface, 'down']);
}
