// What runs inside the sandbox kernels (see sandbox.ts), tipcx in-process:
//   main N M [COMMAND]  this kernel: `lab up nodes N prefix node`, eth0 (the NIC to
//                       the peer kernel, if M > 0) on its bridge, wait for the M
//                       remote nodes, then COMMAND, a shell, or what node1 sees
//                       (its `crossover` started before `lab up`: see runMain)
//   remote M            the peer kernel: `lab up nodes M prefix remote`, eth0 on its
//                       bridge, then ready and up until the host powers it off
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { main } from '../cli/main.js';
import { announceReadyAndStay, PEER_IFACE } from './remote-inside.js';

export const LOCAL_PREFIX = 'node';
export const REMOTE_PREFIX = 'remote';

interface Ran {
    args: string[];
    out: string;
    err: string;
}

/** tipcx in this process; stderr shown as it comes unless `holdStderr` (then it is in `err`). */
async function run(args: string[], holdStderr = false, interrupt?: AbortSignal): Promise<Ran> {
    let out = '';
    let err = '';
    const io = {
        stdout: { write: (s: string) => ((out += s), true) },
        stderr: { write: (s: string) => ((err += s), holdStderr || process.stderr.write(s)) },
        env: { NO_COLOR: '1' },
        isTTY: false,
        ...(interrupt ? { interrupt } : {}),
    };
    const code = await main(args, io);
    if (code !== 0) throw new Error(`tipcx ${args.join(' ')} failed (exit ${code}): ${err.trim()}`);
    return { args, out, err };
}

function show(r: Ran): void {
    process.stdout.write(`$ tipcx ${r.args.join(' ')}\n${r.out}\n`);
}

async function tipcx(args: string[], shown: boolean): Promise<string> {
    const r = await run(args);
    if (shown) show(r);
    return r.out;
}

/**
 * `lab up`, and the NIC to the other kernel on the lab's bridge as soon as `lab up`
 * has made the bridge: the remote nodes then come up while the local ones are
 * configured, not seconds after them, and the `crossover` started before
 * (runMain) sees the whole cluster appear at once (it returns 3 s after the
 * last change, docs/crossover.md).
 */
async function buildLab(nodes: number, prefix: string, withNic: boolean): Promise<void> {
    let done = false;
    const up = run(['lab', 'up', 'nodes', String(nodes), 'prefix', prefix]).finally(() => (done = true));
    if (withNic) {
        const bridge = `/sys/class/net/${prefix}-br`;
        while (!done && !existsSync(bridge)) await new Promise((r) => setTimeout(r, 50));
        if (existsSync(bridge)) execFileSync('ip', ['link', 'set', PEER_IFACE, 'master', `${prefix}-br`, 'up']);
    }
    await up;
}

async function waitForRemotes(remotes: number): Promise<void> {
    const until = Date.now() + 60_000;
    for (;;) {
        const list = await tipcx(['-n', `${LOCAL_PREFIX}1`, 'node', 'list'], false);
        const up = list.split('\n').filter((l) => new RegExp(`^${REMOTE_PREFIX}\\d+\\s+\\S+\\s+up$`).test(l)).length;
        if (up >= remotes) return;
        if (Date.now() > until) throw new Error(`only ${up} of ${remotes} remote nodes came up within 60 s`);
        await new Promise((r) => setTimeout(r, 300));
    }
}

async function showWhatNode1Sees(crossover: Promise<Ran>): Promise<void> {
    const ns = `${LOCAL_PREFIX}1`;
    const verdicts = await crossover;
    process.stderr.write(verdicts.err);
    show(verdicts);
    await tipcx(['-n', ns, 'node', 'list'], true);
    await tipcx(['-n', ns, 'link', 'list'], true);
}

async function runMain(
    nodes: number,
    remotes: number,
    command: string | undefined,
    interactive: boolean,
): Promise<number> {
    // Summary: node1's crossover verdicts, watched from before the cluster exists,
    // so that the discovery frames sent while bearers come up prove the local
    // peers (once links are up the kernel repeats discovery only every 60 s).
    // Its stderr is held and shown with its table.
    const stop = new AbortController();
    const crossover =
        command === undefined && !interactive
            ? run(['-n', `${LOCAL_PREFIX}1`, 'crossover', 'wait', '65'], true, stop.signal)
            : undefined;
    crossover?.catch(() => {}); // awaited by showWhatNode1Sees; not if the build fails
    try {
        await buildLab(nodes, LOCAL_PREFIX, remotes > 0);
        if (remotes > 0) await waitForRemotes(remotes);
    } catch (err) {
        stop.abort(); // its wait would keep the kernel up for another minute
        throw err;
    }
    const names = (p: string, n: number) => (n === 1 ? `${p}1` : `${p}1..${p}${n}`);
    process.stdout.write(
        `sandbox: ${nodes} local node${nodes === 1 ? '' : 's'} (${names(LOCAL_PREFIX, nodes)}) on bridge ${LOCAL_PREFIX}-br` +
            (remotes > 0
                ? `, ${remotes} remote (${names(REMOTE_PREFIX, remotes)}) in a second kernel, reached through eth0`
                : '') +
            '\n\n',
    );
    if (command !== undefined) {
        return spawnSync('sh', ['-c', command], { stdio: 'inherit' }).status ?? 1;
    }
    if (interactive) {
        // the monitor over every namespace (the root one has no TIPC node), then a shell
        process.stdout.write(
            `the live monitor first (q leaves it), then a shell in the sandbox kernel: try "tipcx -n ${LOCAL_PREFIX}1 node list"; exit powers it off\n`,
        );
        const cmd = 'tipcx --all-netns top; exec bash -i';
        return (
            spawnSync(
                'setsid',
                [
                    '-c',
                    'bash',
                    '-c',
                    `stty rows ${process.env.TIPCX_ROWS ?? 24} cols ${process.env.TIPCX_COLS ?? 80} 2>/dev/null; export PS1='sandbox# '; ${cmd}`,
                ],
                { stdio: 'inherit' },
            ).status ?? 0
        );
    }
    await showWhatNode1Sees(crossover!);
    return 0;
}

/** The payload's command line (`node sandbox-inside.cjs ROLE ARGS`, src/cli/bundle.ts); sets the exit code. */
export async function runSandboxInside(argv: readonly string[]): Promise<void> {
    const [role, ...args] = argv;
    try {
        if (role === 'remote') {
            await buildLab(Number(args[0]), REMOTE_PREFIX, true);
            announceReadyAndStay();
        } else if (role === 'main') {
            const [nodes, remotes, mode, command] = args;
            process.exitCode = await runMain(
                Number(nodes),
                Number(remotes),
                mode === 'command' ? command : undefined,
                mode === 'shell',
            );
        } else {
            throw new Error(`unknown sandbox role "${role}"`);
        }
    } catch (err) {
        process.stderr.write(`sandbox: ${(err as Error).message}\n`);
        process.exitCode = 1;
    }
}
