// Run inside the lab VM (see README): records what the real kernel answers to
// every TIPC dump, and what iproute2's `tipc` prints for the same state, as
// test/unit/fixtures/kernel/cluster.json. The unit tests decode these bytes and
// must print what `tipc` printed.
//   node build/test/lab/run.js --writable $PWD/test/unit/fixtures/kernel -- node build/test/lab/capture-fixtures.js
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TipcCmd } from '../../src/netlink/schema.js';
import { TipcSocket } from '../../src/netlink/tipc-socket.js';
import { openTipc } from '../../src/netlink/transport.js';
import { decodeMessage, encodeMessage } from '../../src/netlink/codec.js';
import { makeCluster, sh, tipc } from '../integration/lab.js';

const out = process.argv[2] ?? 'test/unit/fixtures/kernel';
const cluster = await makeCluster(3, 'fx');
const ns = cluster.namespaces[0];
// some traffic and publications so that statistics and the name table are not trivial
sh(`ip netns exec ${ns} python3 -c "
import socket
s = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
s.bind((socket.TIPC_ADDR_NAMESEQ, 1000, 1, 10, socket.TIPC_CLUSTER_SCOPE))
for i in range(50):
    s.sendto(b'x' * 100, (socket.TIPC_ADDR_NAME, 1000, 5, 0))
"`);

const transport = await openTipc({ netns: { name: ns } });
const dumps: Record<string, string[]> = {};
for (const cmd of [
    'NODE_GET',
    'NET_GET',
    'BEARER_GET',
    'LINK_GET',
    'MEDIA_GET',
    'NAME_TABLE_GET',
    'SOCK_GET',
    'MON_GET',
] as const) {
    dumps[cmd] = (await transport.dump(TipcCmd[cmd])).map((b) => b.toString('hex'));
}
// what socket list asks next: each socket's own publications, as 'PUBL_GET <ref>'
for (const hex of dumps.SOCK_GET) {
    const sock = decodeMessage(Buffer.from(hex, 'hex')).sock;
    if (sock?.ref === undefined || !sock.hasPubl) continue;
    const replies = await transport.dump(TipcCmd.PUBL_GET, encodeMessage({ sock: { ref: sock.ref } }));
    dumps[`PUBL_GET ${sock.ref}`] = replies.map((b) => b.toString('hex'));
}

const socket = TipcSocket.open({ name: ns });
const nodeIds: Record<string, string | null> = {};
for (const hex of dumps.NODE_GET) {
    const addr = decodeMessage(Buffer.from(hex, 'hex')).node?.addr;
    if (addr !== undefined) nodeIds[addr] = socket.nodeId(addr)?.toString('hex') ?? null;
}
const ownAddress = socket.ownAddress();
socket.close();

const commands = [
    'node list',
    'node get identity',
    'node get netid',
    'node get address',
    'bearer list',
    'link list',
    '-j link list',
    'link statistics show',
    '-j link statistics show',
    'nametable show',
    '-j nametable show',
    'media list',
    'link monitor summary',
    'socket list',
];
const printed: Record<string, { stdout: string; code: number }> = {};
for (const c of commands) {
    // the counters move with every link probe: the dump the statistics are compared
    // with is taken again right before tipc prints them
    if (c === 'link statistics show')
        dumps.LINK_GET = (await transport.dump(TipcCmd.LINK_GET)).map((b) => b.toString('hex'));
    const r = tipc(c.split(' '), ns);
    printed[c] = { stdout: r.stdout, code: r.code };
}
transport.close();
cluster.destroy();

writeFileSync(
    join(out, 'cluster.json'),
    JSON.stringify(
        {
            about: 'captured by test/lab/capture-fixtures.ts in the lab VM: 3 namespaces on a bridge, seen from the first',
            kernel: sh('uname -r').trim(),
            namespace: ns,
            dumps,
            nodeIds,
            ownAddress,
            tipc: printed,
        },
        null,
        1,
    ) + '\n',
);
console.log(`wrote ${join(out, 'cluster.json')}`);
