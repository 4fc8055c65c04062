// What runs inside the sandbox VMs (see sandbox.ts), tipcx in-process:
//   main N M [COMMAND]  this VM: `lab up nodes N prefix node`, eth0 (the NIC to
//                       the peer VM, if M > 0) on its bridge, wait for the M
//                       remote nodes, then COMMAND, a shell, or what node1 sees
//   remote M            the peer VM: `lab up nodes M prefix remote`, eth0 on its
//                       bridge, then ready and up until the host powers it off
import { execFileSync, spawnSync } from 'node:child_process';
import { main } from '../cli/main.js';
import { announceReadyAndStay, PEER_IFACE } from './remote-inside.js';

export const LOCAL_PREFIX = 'node';
export const REMOTE_PREFIX = 'remote';

async function tipcx(args: string[], show: boolean): Promise<string> {
  let out = '';
  let err = '';
  const io = {
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), process.stderr.write(s)) },
    env: { NO_COLOR: '1' },
    isTTY: false,
  };
  const code = await main(args, io);
  if (show) process.stdout.write(`$ tipcx ${args.join(' ')}\n${out}\n`);
  if (code !== 0) throw new Error(`tipcx ${args.join(' ')} failed (exit ${code}): ${err.trim()}`);
  return out;
}

/** `lab up`, then the NIC to the other VM on the lab's bridge. */
async function buildLab(nodes: number, prefix: string, withNic: boolean): Promise<void> {
  await tipcx(['lab', 'up', 'nodes', String(nodes), 'prefix', prefix], false);
  if (withNic) execFileSync('ip', ['link', 'set', PEER_IFACE, 'master', `${prefix}-br`, 'up']);
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

async function showWhatNode1Sees(): Promise<void> {
  const ns = `${LOCAL_PREFIX}1`;
  await tipcx(['-n', ns, 'crossover'], true);
  await tipcx(['-n', ns, 'node', 'list'], true);
  await tipcx(['-n', ns, 'link', 'list'], true);
}

async function runMain(nodes: number, remotes: number, command: string | undefined, interactive: boolean): Promise<number> {
  await buildLab(nodes, LOCAL_PREFIX, remotes > 0);
  if (remotes > 0) await waitForRemotes(remotes);
  const names = (p: string, n: number) => (n === 1 ? `${p}1` : `${p}1..${p}${n}`);
  process.stdout.write(`sandbox: ${nodes} local node${nodes === 1 ? '' : 's'} (${names(LOCAL_PREFIX, nodes)}) on bridge ${LOCAL_PREFIX}-br`
    + (remotes > 0 ? `, ${remotes} remote (${names(REMOTE_PREFIX, remotes)}) in a second VM, reached through eth0` : '') + '\n\n');
  if (command !== undefined) {
    return spawnSync('sh', ['-c', command], { stdio: 'inherit' }).status ?? 1;
  }
  if (interactive) {
    // the monitor over every namespace (the root one has no TIPC node), then a shell
    process.stdout.write(`the live monitor first (q leaves it), then a shell in the sandbox VM: try "tipcx -n ${LOCAL_PREFIX}1 node list"; exit powers the VM off\n`);
    const cmd = 'tipcx --all-netns top; exec bash -i';
    return spawnSync('setsid', ['-c', 'bash', '-c', `stty rows ${process.env.TIPCX_ROWS ?? 24} cols ${process.env.TIPCX_COLS ?? 80} 2>/dev/null; export PS1='sandbox# '; ${cmd}`], { stdio: 'inherit' }).status ?? 0;
  }
  await showWhatNode1Sees();
  return 0;
}

const [role, ...args] = process.argv.slice(2);
try {
  if (role === 'remote') {
    await buildLab(Number(args[0]), REMOTE_PREFIX, true);
    announceReadyAndStay();
  } else if (role === 'main') {
    const [nodes, remotes, mode, command] = args;
    process.exitCode = await runMain(Number(nodes), Number(remotes), mode === 'command' ? command : undefined, mode === 'shell');
  } else {
    throw new Error(`unknown sandbox role "${role}"`);
  }
} catch (err) {
  process.stderr.write(`sandbox: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
