// The demo's payload, run inside the lab VM: three namespaces on a bridge, each
// given an identity and an eth bearer by tipcx itself, then what tipcx sees.
// tipcx runs in this one process (node starts slowly under emulation).
import { execFileSync } from 'node:child_process';
import { main } from '../cli/main.js';

const NODES = ['demo1', 'demo2', 'demo3'];

function ip(script: string): void {
  execFileSync('sh', ['-ec', script], { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function tipcx(args: string[], show = true): Promise<string> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, isTTY: false });
  if (show) process.stdout.write(`$ tipcx ${args.join(' ')}\n${out}${err}\n`);
  if (code !== 0) throw new Error(`tipcx ${args.join(' ')} failed (exit ${code}): ${err.trim()}`);
  return out;
}

ip('ip link add demo-br type bridge && ip link set demo-br up');
for (const [i, ns] of NODES.entries()) {
  ip(`ip netns add ${ns}
    ip link add v-${ns} type veth peer name eth0 netns ${ns}
    ip link set v-${ns} master demo-br up
    ip -n ${ns} link set lo up
    ip -n ${ns} link set eth0 address 02:00:00:00:00:0${i + 1} up`);
  await tipcx(['-n', ns, 'node', 'set', 'identity', ns], false);
  await tipcx(['-n', ns, 'bearer', 'enable', 'media', 'eth', 'device', 'eth0'], false);
}
process.stdout.write(`3 namespaces (${NODES.join(', ')}) on bridge demo-br, identities and eth bearers set by tipcx\n\n`);

const until = Date.now() + 30_000;
while ((await tipcx(['-n', 'demo1', 'link', 'list'], false)).match(/: up$/gm)?.length !== NODES.length) {
  if (Date.now() > until) throw new Error('links did not come up within 30 s');
  await new Promise((r) => setTimeout(r, 250));
}
await tipcx(['-n', 'demo1', 'node', 'get', 'identity']);
await tipcx(['-n', 'demo1', 'node', 'list']);
await tipcx(['-n', 'demo1', 'link', 'list']);
await tipcx(['-n', 'demo1', '-j', '-p', 'node', 'list']);
