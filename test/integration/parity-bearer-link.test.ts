// bearer / media / link (except monitor) against iproute2's tipc on the same kernel
// state: identical text, equivalent JSON, and what set commands changed read back
// with tipc. Namespaces here are prefixed "bl" (eth cluster) and "blu" (udp).
//
// Spawning is slow in the emulated VM (about a second per `ip netns exec tipc`),
// so the reference commands of a step run as one batch per namespace.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import type { LinkStatistics } from '../../src/render/link.js';
import { assertInLab, makeBareNamespace, makeCluster, run, sh, tipc, tipcOk, tipcx, waitFor, type Cluster, type Run } from './lab.js';

assertInLab();

type Args = readonly string[];

/** Many tipc commands in one namespace with one spawn. */
function tipcBatch(commands: readonly Args[], netns?: string): Run[] {
  const quote = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
  const dir = sh('mktemp -d').trim();
  const script = commands
    .map((c, i) => `tipc ${c.map(quote).join(' ')} >${dir}/${i}.out 2>${dir}/${i}.err; echo $? >${dir}/${i}.rc`)
    .join('\n');
  run(netns ? ['ip', 'netns', 'exec', netns, 'bash', '-c', script] : ['bash', '-c', script]);
  const runs = commands.map((_, i) => ({
    stdout: readFileSync(`${dir}/${i}.out`, 'utf8'),
    stderr: readFileSync(`${dir}/${i}.err`, 'utf8'),
    code: Number(readFileSync(`${dir}/${i}.rc`, 'utf8')),
  }));
  sh(`rm -rf ${dir}`);
  return runs;
}

/** tipcx prints exactly what tipc prints (JSON: the same data), all succeed. Returns tipcx's outputs. */
async function sameAsTipc(commands: readonly Args[], netns?: string): Promise<string[]> {
  const references = tipcBatch(commands, netns);
  const outputs: string[] = [];
  for (const [i, args] of commands.entries()) {
    const reference = references[i]!;
    const ours = await tipcx(netns ? ['-n', netns, ...args] : [...args]);
    assert.equal(reference.code, 0, `tipc ${args.join(' ')} failed: ${reference.stderr}`);
    assert.equal(ours.stderr, '', `tipcx ${args.join(' ')} wrote to stderr`);
    assert.equal(ours.code, 0);
    if (args[0] === '-j') assert.deepEqual(JSON.parse(ours.stdout), JSON.parse(reference.stdout), `tipcx ${args.join(' ')}`);
    else assert.equal(ours.stdout, reference.stdout, `tipcx ${args.join(' ')} differs from tipc`);
    outputs.push(ours.stdout);
  }
  return outputs;
}

/** tipc's reading of each command, one batch: the state after a set command. */
function readBack(commands: readonly Args[], netns: string): string[] {
  return tipcBatch(commands, netns).map((r, i) => {
    assert.equal(r.code, 0, `tipc ${commands[i]!.join(' ')}: ${r.stderr}`);
    return r.stdout;
  });
}

async function ok(args: Args): Promise<void> {
  const r = await tipcx([...args]);
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', ''], `tipcx ${args.join(' ')}`);
}

async function fails(args: Args, exitCode: number, message: RegExp): Promise<void> {
  const r = await tipcx([...args]);
  assert.equal(r.code, exitCode, `tipcx ${args.join(' ')}: exit ${r.code}, stderr ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, message);
  assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
}

/** Our camelCase statistics record in iproute2's JSON shape (keys with spaces), for comparison. */
function asTipcJson(r: LinkStatistics): object {
  const counters = (first: string, c: LinkStatistics['rx']) =>
    ({ [first]: c.packets, fragments: c.fragments, fragmented: c.fragmented, bundles: c.bundles, bundled: c.bundled });
  const tail = { 'congestion link': r.congestion, 'send queue max': r.sendQueueMax, avg: r.sendQueueAvg };
  if (r.broadcast) {
    return {
      link: r.link, window: r.window, 'rx packets': counters('rx packets', r.rx), 'tx packets': counters('tx packets', r.tx),
      'rx naks': { 'rx naks': r.rxStates.naks, defs: r.rxStates.defs, dups: r.rxStates.dups },
      'tx naks': { 'tx naks': r.txStates.naks, acks: r.txStates.acks, retrans: r.txStates.retrans },
      ...tail,
    };
  }
  const p = r.profile.percent;
  return {
    link: r.link, state: [r.state], mtu: r.mtu, priority: r.priority, tolerance: r.tolerance, window: r.window,
    'rx packets': counters('rx packets', r.rx), 'tx packets': counters('tx packets', r.tx),
    'tx profile sample': r.profile.sample, 'packets average': r.profile.average,
    '0-64': p.upTo64, '-256': p.upTo256, '-1024': p.upTo1024, '-4096': p.upTo4096,
    '-16384': p.upTo16384, '-32768': p.upTo32768, '-66000': p.upTo66000,
    'rx states': { 'rx states': r.rxStates.states, probes: r.rxStates.probes, naks: r.rxStates.naks, defs: r.rxStates.defs, dups: r.rxStates.dups },
    'tx states': { 'tx states': r.txStates.states, probes: r.txStates.probes, naks: r.txStates.naks, acks: r.txStates.acks, retrans: r.txStates.retrans },
    ...tail,
  };
}

/**
 * `ours` was printed between `before` and `after` (tipc's readings of the same
 * command). Link supervision keeps counting (a probe every <= 500 ms, and a
 * spawn takes longer than that here), so: every non-digit byte identical and
 * every number within the two tipc readings (the counters only grow). When
 * nothing moved this is plain equality.
 */
function printedBetween(ours: string, before: string, after: string, what: string): void {
  const [o, b, a] = [ours, before, after].map((t) => t.split(/(\d+)/)) as [string[], string[], string[]];
  assert.equal(b.length, a.length, `${what}: tipc's two readings differ in shape`);
  assert.equal(o.length, b.length, `${what}: tipcx differs in shape from tipc\n${ours}\n---\n${before}`);
  o.forEach((part, i) => {
    if (i % 2 === 0) {
      assert.equal(part, b[i], `${what}: text differs at "${part}" vs "${b[i]}"`);
      return;
    }
    const [x, y] = [Number(b[i]), Number(a[i])];
    assert.ok(Number(part) >= Math.min(x, y) && Number(part) <= Math.max(x, y),
      `${what}: ${part} not within tipc's ${x}..${y} (after "${o.slice(Math.max(0, i - 4), i).join('')}")`);
  });
}

/** link statistics show ARGS for each ARGS: text and -j, bracketed by two tipc readings. Returns the texts. */
async function statisticsParity(argSets: readonly Args[], netns: string): Promise<string[]> {
  const commands = argSets.flatMap((args) => [['link', 'statistics', 'show', ...args], ['-j', 'link', 'statistics', 'show', ...args]]);
  const before = tipcBatch(commands, netns);
  const ours: string[] = [];
  for (const args of commands) {
    const r = await tipcx(['-n', netns, ...args]);
    assert.deepEqual([r.code, r.stderr], [0, ''], `tipcx ${args.join(' ')}`);
    ours.push(args[0] === '-j' ? JSON.stringify((JSON.parse(r.stdout) as LinkStatistics[]).map(asTipcJson)) : r.stdout);
  }
  const afterwards = tipcBatch(commands, netns);
  const texts: string[] = [];
  commands.forEach((args, i) => {
    const json = args[0] === '-j';
    const normal = (t: string) => (json ? JSON.stringify(JSON.parse(t)) : t);
    assert.equal(before[i]!.code, 0, before[i]!.stderr);
    printedBetween(ours[i]!, normal(before[i]!.stdout), normal(afterwards[i]!.stdout), args.join(' '));
    if (!json) texts.push(ours[i]!);
  });
  return texts;
}

// Namespaces on one host talk through the kernel's netns crossover, which skips
// the link (and its counters) for named and direct unicast. Group unicast
// (GRP_UCAST) and broadcast-link multicast still take the link and the bearer,
// so that is the traffic used here (the kernel's tipc_lxc_xmit in net/tipc/node.c
// takes no GRP_UCAST messages and never sees broadcast-link sends).
const SERVER = `import socket, struct, threading
def drain(s):
    while True:
        s.recv(70000)
group = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
group.setsockopt(271, 135, struct.pack('4I', 1001, 1, 2, 0))  # SOL_TIPC, TIPC_GROUP_JOIN {type, instance, cluster scope}
mcast = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
mcast.bind((socket.TIPC_ADDR_NAMESEQ, 1000, 1, 10))
threading.Thread(target=drain, args=(mcast,), daemon=True).start()
drain(group)
`;
const CLIENT = `import socket, struct
group = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
group.setsockopt(271, 135, struct.pack('4I', 1001, 2, 2, 0))
sizes = [10, 100, 500, 1000, 1400]
for i in range(200):
    group.sendto(b'u' * sizes[i % len(sizes)], (socket.TIPC_ADDR_NAME, 1001, 1, 0))
mcast = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
for i in range(60):
    mcast.sendto(b'm' * [100, 3000, 20000][i % 3], (socket.TIPC_ADDR_NAMESEQ, 1000, 1, 10))
`;

describe('links carrying traffic on a 3-namespace eth cluster', () => {
  let cluster: Cluster;
  let server = '';
  const link12 = 'bl1:eth0-bl2:eth0';
  before(async () => {
    cluster = await makeCluster(3, 'bl');
    writeFileSync('/tmp/bl-server.py', SERVER);
    writeFileSync('/tmp/bl-client.py', CLIENT);
    server = sh('ip netns exec bl2 python3 /tmp/bl-server.py >/dev/null 2>&1 & echo $!').trim();
    tipcOk(['link', 'set', 'broadcast', 'BROADCAST'], 'bl1');
    await waitFor('services 1000 and 1001 seen from bl1', () => {
      const table = tipc(['nametable', 'show'], 'bl1').stdout;
      return /^1000 /m.test(table) && /^1001 /m.test(table);
    });
    sh('ip netns exec bl1 timeout 120 python3 /tmp/bl-client.py');
  });
  after(() => {
    if (server) sh(`kill ${server} || true`);
    cluster.destroy();
  });

  test('link statistics show [link all|SUBSTRING|NAME|none]: text and JSON as tipc, after traffic', async () => {
    const [plain, all, some] = await statisticsParity([[], ['link', 'all'], ['link', 'bl3'], ['link', link12], ['link', 'nothing-like-this']], 'bl1');
    const block = plain!.split('\n\n').find((b) => b.startsWith(`Link <${link12}>`))!;
    assert.match(block, /TX packets:[1-9]\d\d+ /, 'the group messages went over the link');
    assert.match(plain!, /^Link <broadcast-link>\n {2}Window:\d+ packets\n.*\n {2}TX packets:[1-9]/m,
      'the multicast went over the broadcast link');
    assert.doesNotMatch(plain!, /broadcast-link:/, 'receiver links only with "link"');
    assert.match(all!, /^Link <broadcast-link:bl2>$/m, 'broadcast receiver links are asked for');
    assert.deepEqual(some!.match(/^Link <.*>$/gm)?.sort(), ['Link <bl1:eth0-bl3:eth0>', 'Link <broadcast-link:bl3>']);
    await statisticsParity([['link', 'broadcast-link']], 'bl2');
  });

  test('link statistics reset link NAME zeroes the counters tipc shows', async () => {
    await ok(['-n', 'bl1', 'link', 'statistics', 'reset', 'link', link12]);
    await ok(['-n', 'bl1', 'l', 'stat', 'r', 'l', 'broadcast-link']);
    const [unicast, broadcast] = readBack([['link', 'statistics', 'show', 'link', link12], ['link', 'statistics', 'show', 'link', 'broadcast-link']], 'bl1');
    assert.match(unicast!, /TX packets:\d+ fragments:0\/0 bundles:0\/0/);
    assert.match(unicast!, /TX profile sample:0 /);
    assert.match(broadcast!, /^Link <broadcast-link>\n {2}Window:\d+ packets\n {2}RX packets:0 fragments:0\/0/);
    await statisticsParity([['link', link12]], 'bl1');
  });

  test('link get priority|tolerance|window link NAME, text and -j; window of the broadcast link', async () => {
    await sameAsTipc(['priority', 'tolerance', 'window'].flatMap((p) => [
      ['link', 'get', p, 'link', link12], ['-j', 'link', 'get', p, 'link', link12],
    ]).concat([['link', 'get', 'window', 'link', 'broadcast-link']]), 'bl1');
  });

  test('link set priority|tolerance|window, read back with tipc', async () => {
    await ok(['-n', 'bl1', 'link', 'set', 'priority', '20', 'link', link12]);
    await ok(['-n', 'bl1', 'link', 'set', 'window', '100', 'link', link12]);
    await ok(['-n', 'bl1', 'l', 'set', 't', '2500', 'l', link12]); // abbreviations as tipc takes them
    const [priority, tolerance] = readBack([['link', 'get', 'priority', 'link', link12], ['link', 'get', 'tolerance', 'link', link12]], 'bl1');
    assert.deepEqual([priority, tolerance], ['20\n', '2500\n']);
    await sameAsTipc([['link', 'get', 'window', 'link', link12], ['link', 'get', 'priority', 'link', link12]], 'bl1');
  });

  test('link get/set broadcast: every mode, read back with tipc', async () => {
    for (const [args, expected] of [
      [['REPLICAST'], 'REPLICAST\n'],
      [['BROADCAST'], 'BROADCAST\n'],
      [['AUTOSELECT', 'ratio', '25'], 'AUTOSELECT ratio:25\n'],
      [['ratio', '30'], 'AUTOSELECT ratio:30\n'],
    ] as const) {
      await ok(['-n', 'bl1', 'link', 'set', 'broadcast', ...args]);
      const [ours] = await sameAsTipc([['link', 'get', 'broadcast']], 'bl1');
      assert.equal(ours, expected);
    }
    assert.deepEqual(JSON.parse((await tipcx(['-n', 'bl1', '-j', 'link', 'get', 'broadcast'])).stdout), [{ mode: 'AUTOSELECT', ratio: 30 }]);
    await ok(['-n', 'bl1', 'link', 'set', 'broadcast', 'BROAD']);
    assert.deepEqual(JSON.parse((await tipcx(['-n', 'bl1', '-j', 'link', 'get', 'broadcast'])).stdout), [{ mode: 'BROADCAST' }]);
    assert.deepEqual(JSON.parse(tipc(['-j', 'link', 'get', 'broadcast'], 'bl1').stdout), [{ method: 'BROADCAST' }]);
  });

  test('bearer get|set priority|tolerance|window on an eth bearer, read back with tipc', async () => {
    const bearer = ['media', 'eth', 'device', 'eth0'];
    const properties = ['priority', 'tolerance', 'window'];
    const outputs = await sameAsTipc(properties.map((p) => ['bearer', 'get', p, ...bearer]), 'bl3');
    for (const [i, p] of properties.entries()) {
      const json = JSON.parse((await tipcx(['-n', 'bl3', '-j', 'bearer', 'get', p, ...bearer])).stdout) as unknown;
      assert.deepEqual(json, [{ [p]: Number(outputs[i]) }]);
    }
    const values = ['12', '2000', '120'];
    for (const [i, p] of properties.entries()) await ok(['-n', 'bl3', 'bearer', 'set', p, values[i]!, ...bearer]);
    assert.deepEqual(readBack(properties.map((p) => ['bearer', 'get', p, ...bearer]), 'bl3'), values.map((v) => `${v}\n`));
  });

  test('media list, media get and set (eth, ib, udp with mtu), read back with tipc', async () => {
    const [list] = await sameAsTipc([['media', 'list'], ['media', 'get', 'priority', 'media', 'eth'], ['media', 'get', 'tolerance', 'media', 'eth'],
      ['media', 'get', 'window', 'media', 'ib'], ['media', 'get', 'mtu', 'media', 'udp'], ['media', 'get', 'window', 'media', 'udp']], 'bl3');
    assert.deepEqual(JSON.parse((await tipcx(['-n', 'bl3', '-j', 'media', 'list'])).stdout), list!.trim().split('\n').map((name) => ({ name })));
    const sets = [['tolerance', '1800', 'eth'], ['priority', '9', 'udp'], ['mtu', '1400', 'udp'], ['window', '200', 'eth']] as const;
    for (const [p, v, m] of sets) await ok(['-n', 'bl3', 'media', 'set', p, v, 'media', m]);
    assert.deepEqual(readBack(sets.map(([p, , m]) => ['media', 'get', p, 'media', m]), 'bl3'), sets.map(([, v]) => `${v}\n`));
    assert.deepEqual(JSON.parse((await tipcx(['-n', 'bl3', '-j', 'media', 'get', 'mtu', 'media', 'udp'])).stdout), [{ mtu: 1400 }]);
  });

  test('refusals: sentences from the kernel (exit 1), bad values before sending (exit 2), state unchanged', async () => {
    const state = () => readBack([['link', 'get', 'tolerance', 'link', link12], ['link', 'get', 'broadcast'], ['media', 'get', 'tolerance', 'media', 'eth']], 'bl1');
    const before = state();
    await fails(['-n', 'bl1', 'link', 'get', 'priority', 'link', 'no-such-link'], 1, /^no link named "no-such-link"$/m);
    await fails(['-n', 'bl1', 'link', 'set', 'priority', '5', 'link', 'no-such-link'], 1, /^no link named "no-such-link"$/m);
    await fails(['-n', 'bl1', 'link', 'statistics', 'reset', 'link', 'no-such-link'], 1, /^no link named "no-such-link"$/m);
    await fails(['-n', 'bl1', 'link', 'get', 'priority', 'link', 'broadcast-link'], 1, /broadcast link has only a window/);
    await fails(['-n', 'bl1', 'link', 'set', 'priority', '5', 'link', 'broadcast-link'], 1, /broadcast link has only a window/);
    await fails(['-n', 'bl1', 'link', 'set', 'window', '20', 'link', link12], 1, /refused window 20 .*50\.\.8191/);
    await fails(['-n', 'bl1', 'bearer', 'get', 'priority', 'media', 'eth', 'device', 'nope0'], 1, /no bearer "eth:nope0" is enabled/);
    await fails(['-n', 'bl1', 'bearer', 'set', 'priority', '3', 'media', 'eth', 'device', 'nope0'], 1, /no bearer "eth:nope0" is enabled/);
    await fails(['-n', 'bl1', 'link', 'set', 'tolerance', '10', 'link', link12], 2, /"10".*50\.\.30000/);
    await fails(['-n', 'bl1', 'link', 'set', 'priority', '32', 'link', link12], 2, /"32".*0\.\.31/);
    await fails(['-n', 'bl1', 'link', 'set', 'priority', 'abc', 'link', link12], 2, /"abc"/);
    await fails(['-n', 'bl1', 'link', 'set', 'window', '9000', 'link', link12], 2, /"9000"/);
    await fails(['-n', 'bl1', 'link', 'set', 'broadcast', 'AUTOSELECT', 'ratio', '101'], 2, /"101".*1\.\.100/);
    await fails(['-n', 'bl1', 'link', 'set', 'broadcast', 'BROADCAST', 'REPLICAST'], 2, /one broadcast mode/);
    await fails(['-n', 'bl1', 'link', 'set', 'broadcast'], 2, /missing broadcast mode/);
    await fails(['-n', 'bl1', 'link', 'get', 'priority'], 2, /missing link/);
    await fails(['-n', 'bl1', 'bearer', 'get', 'mtu', 'media', 'eth', 'device', 'eth0'], 2, /not supported for media eth/);
    await fails(['-n', 'bl1', 'bearer', 'set', 'mtu', '1400', 'media', 'eth', 'device', 'eth0'], 2, /not supported for media eth/);
    await fails(['-n', 'bl1', 'media', 'get', 'mtu', 'media', 'eth'], 2, /not supported for media eth/);
    await fails(['-n', 'bl1', 'media', 'set', 'tolerance', '40000', 'media', 'eth'], 2, /"40000"/);
    await fails(['-n', 'bl1', 'media', 'get', 'priority', 'media', 'ethernet'], 2, /invalid media type "ethernet"/);
    await fails(['-n', 'bl1', 'bearer', 'get', 'media', 'eth', 'name', 'eth0', 'localip'], 2, /no "eth" media specific options/);
    await fails(['-n', 'bl1', 'bearer', 'add', 'media', 'eth', 'name', 'x', 'remoteip', '10.0.0.1'], 2, /no "eth" media specific options/);
    assert.deepEqual(state(), before, 'nothing was changed');
  });
});

describe('udp bearers: IPv4 and IPv6, explicit remote ips, multicast default, replicast peers', () => {
  let ns1: { name: string; destroy(): void };
  let ns2: { name: string; destroy(): void };
  before(() => {
    ns1 = makeBareNamespace('blu1');
    ns2 = makeBareNamespace('blu2');
    sh(`ip -n blu1 addr add 10.77.0.1/24 dev eth0
      ip -n blu1 addr add fd77::1/64 dev eth0 nodad
      ip -n blu2 addr add 10.78.0.1/24 dev eth0
      ip -n blu2 addr add fd78::1/64 dev eth0 nodad`);
    // made by tipc: the state tipcx reads
    readBack([
      ['bearer', 'enable', 'media', 'udp', 'name', 'v4mc', 'localip', '10.77.0.1'],
      ['bearer', 'enable', 'media', 'udp', 'name', 'v4rc', 'localip', '10.77.0.1', 'localport', '6200', 'remoteip', '10.77.0.254', 'remoteport', '6300'],
      ['bearer', 'enable', 'media', 'udp', 'name', 'v6rc', 'localip', 'fd77::1', 'localport', '6400', 'remoteip', 'fd77::254'],
    ], 'blu1');
  });
  after(() => {
    ns1.destroy();
    ns2.destroy();
  });

  test('bearer get media udp … localip|localport|remoteip|remoteport and priority|tolerance|window|mtu, IPv4 and IPv6', async () => {
    const udp = (name: string, option: string) => ['bearer', 'get', 'media', 'udp', 'name', name, option];
    const outputs = await sameAsTipc([
      ...['v4mc', 'v4rc', 'v6rc'].flatMap((name) => ['localip', 'localport', 'remoteip', 'remoteport'].map((o) => udp(name, o))),
      ...['v4mc', 'v6rc'].flatMap((name) => ['priority', 'tolerance', 'window', 'mtu'].map((p) => ['bearer', 'get', p, 'media', 'udp', 'name', name])),
    ], 'blu1');
    assert.equal(outputs[2], '228.0.18.103\n', 'the multicast default from cluster id 4711');
    assert.equal(outputs[10], 'fd77::254\n');
    assert.deepEqual(JSON.parse((await tipcx(['-n', 'blu1', '-j', ...udp('v4rc', 'localport')])).stdout), [{ localPort: 6200 }]);
    assert.deepEqual(JSON.parse((await tipcx(['-n', 'blu1', '-j', ...udp('v6rc', 'localip')])).stdout), [{ localIp: 'fd77::1' }]);
  });

  test('bearer set mtu on a udp bearer, read back with tipc; the kernel minimum as a sentence', async () => {
    await ok(['-n', 'blu1', 'bearer', 'set', 'mtu', '1300', 'media', 'udp', 'name', 'v4rc']);
    assert.deepEqual(readBack([['bearer', 'get', 'mtu', 'media', 'udp', 'name', 'v4rc']], 'blu1'), ['1300\n']);
    await fails(['-n', 'blu1', 'bearer', 'set', 'mtu', '100', 'media', 'udp', 'name', 'v4rc'], 1, /refused mtu 100/);
  });

  test('bearer add: replicast peers (IPv4 and IPv6) all listed by remoteip, as tipc lists them', async () => {
    await ok(['-n', 'blu1', 'bearer', 'add', 'media', 'udp', 'name', 'v4rc', 'remoteip', '10.77.0.9']);
    await ok(['-n', 'blu1', 'bearer', 'add', 'media', 'udp', 'name', 'v4rc', 'remoteip', '10.77.0.10', 'remoteport', '6300']);
    await ok(['-n', 'blu1', 'bearer', 'add', 'media', 'udp', 'name', 'v4rc', 'remoteip', '10.77.0.9']); // known: silent success
    await ok(['-n', 'blu1', 'b', 'a', 'm', 'udp', 'n', 'v6rc', 'remoteip', 'fd77::9']);
    const [v4, v6] = await sameAsTipc([
      ['bearer', 'get', 'media', 'udp', 'name', 'v4rc', 'remoteip'],
      ['bearer', 'get', 'media', 'udp', 'name', 'v6rc', 'remoteip'],
    ], 'blu1');
    assert.deepEqual(v4!.trim().split('\n').sort(), ['10.77.0.10', '10.77.0.254', '10.77.0.9']);
    assert.deepEqual(v6!.trim().split('\n').sort(), ['fd77::254', 'fd77::9']);
    const json = JSON.parse((await tipcx(['-n', 'blu1', '-j', 'bearer', 'get', 'media', 'udp', 'name', 'v4rc', 'remoteip'])).stdout) as unknown;
    assert.deepEqual(json, v4!.trim().split('\n').map((remoteIp) => ({ remoteIp })));
    await fails(['-n', 'blu1', 'bearer', 'add', 'media', 'udp', 'name', 'v4mc', 'remoteip', '10.77.0.11'], 1, /multicast/);
    await fails(['-n', 'blu1', 'bearer', 'add', 'media', 'udp', 'name', 'v4rc', 'remoteip', 'not-an-ip'], 2, /"not-an-ip"/);
    await fails(['-n', 'blu1', 'bearer', 'get', 'media', 'udp', 'name', 'nope', 'remoteip'], 1, /no bearer "udp:nope" is enabled/);
  });

  test('bearers enabled by tipcx (IPv6 multicast default, udp by device) read back with tipc', async () => {
    await ok(['-n', 'blu2', 'bearer', 'enable', 'media', 'udp', 'name', 'v6mc', 'localip', 'fd78::1']);
    await ok(['-n', 'blu2', 'bearer', 'enable', 'media', 'udp', 'name', 'dev', 'device', 'eth0', 'localport', '6500']);
    const [group, local] = await sameAsTipc([
      ['bearer', 'get', 'media', 'udp', 'name', 'v6mc', 'remoteip'],
      ['bearer', 'get', 'media', 'udp', 'name', 'dev', 'localip'],
      ['bearer', 'get', 'media', 'udp', 'name', 'dev', 'localport'],
      ['bearer', 'list'],
    ], 'blu2');
    assert.equal(group, 'ff02::4711\n');
    assert.equal(local, '10.78.0.1\n');
  });
});
