// Renderers of nametable show, socket list and link monitor, fed with dumps the
// real kernel sent (test/unit/fixtures/kernel/cluster.json) and compared with
// what iproute2's tipc printed for the same state; plus the key and identity
// helpers behind node set key and peer remove.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMessage, decodeMessage } from '../../src/netlink/codec.js';
import { OperationError } from '../../src/errors.js';
import { nodeIdToString } from '../../src/netlink/identity.js';
import { formatJson } from '../../src/render/json.js';
import {
    monitorListRecords,
    monitorListText,
    monitorSummaryRecords,
    monitorSummaryText,
    thresholdRecords,
    thresholdText,
} from '../../src/render/monitor.js';
import { nameTableRecords, nameTableText } from '../../src/render/nametable.js';
import { socketListText, socketRecords } from '../../src/render/socket.js';
import { encodeAeadKey, parseKeyText } from '../../src/tipc/key.js';
import { summariesFrom, upMapBit, type MonitorBearer } from '../../src/tipc/monitor.js';
import { identityResolver, publicationTableOf, publicationsFrom, type Publication } from '../../src/tipc/nametable.js';
import { ownNetFrom } from '../../src/tipc/node.js';
import { printedHexIdentity } from '../../src/tipc/peer.js';
import { socketsFrom, withBindings, type TipcSocketInfo } from '../../src/tipc/socket.js';
import { fixture, messages, printed } from './kernel-fixture.js';

/** SIOCGETNODEID as the kernel answered it in the fixture namespace, own node included. */
function lookup(address: number): Buffer | null {
    if (address === fixture.ownAddress) return ownNetFrom(messages('NET_GET')).identityBytes;
    const hex = fixture.nodeIds[address];
    return hex ? Buffer.from(hex, 'hex') : null;
}

/** The rows the text is written from, made by the real decoder from bindings encoded as the kernel sends them. */
const tableOf = (publications: readonly Publication[]) =>
    publicationTableOf(
        publications.map(({ port, ...p }) => encodeMessage({ nameTable: { publ: { ...p, ref: port } } })),
    );

test('NAME_TABLE_GET -> nametable show, byte for byte (header with its trailing spaces)', () => {
    const table = publicationTableOf(fixture.dumps.NAME_TABLE_GET.map((h) => Buffer.from(h, 'hex')));
    assert.equal(table.count, 6);
    const text = nameTableText(table, identityResolver(lookup)).toString();
    assert.equal(text, printed('nametable show'));
    assert.match(text.split('\n')[0], /Node {29}$/);
});

test('NAME_TABLE_GET -> the same records tipc -j nametable show prints', () => {
    const records = nameTableRecords(publicationsFrom(messages('NAME_TABLE_GET')), identityResolver(lookup));
    assert.deepEqual(records, JSON.parse(printed('-j nametable show')));
});

test('an empty name table prints nothing at all, not even the header', () => {
    assert.equal(nameTableText(tableOf([]), () => 'never asked').toString(), '');
});

test('nametable show pads every column as %-10u/%-8s does, also past the width, and scopes beyond the table', () => {
    const publications = [
        { type: 4294967295, lower: 0, upper: 12345678901 % 2 ** 32, scope: 7, node: 1, port: 1, key: 0 },
        { type: 1, lower: 1, upper: 1, scope: 2, node: 2, port: 4294967295, key: 0 },
    ];
    const text = nameTableText(tableOf(publications), (a) => (a === 1 ? 'n1' : '')).toString();
    const rows = text.split('\n').slice(1, 3);
    assert.deepEqual(rows, [
        `${'4294967295'} ${'0'.padEnd(10)} ${String(12345678901 % 2 ** 32).padEnd(10)} ${'7'.padEnd(8)} ${'1'.padEnd(10)} n1`,
        `${'1'.padEnd(10)} ${'1'.padEnd(10)} ${'1'.padEnd(10)} ${'cluster'.padEnd(8)} 4294967295 `,
    ]);
    // the same words as the -j records, field by field
    const records = nameTableRecords(publications, (a) => (a === 1 ? 'n1' : ''));
    assert.deepEqual(
        rows.map((r) => r.split(/ +/).slice(0, 5)),
        records.map((r) => [r.type, r.lower, r.upper, r.scope, r.port].map(String)),
    );
});

test('a binding whose kernel record lacks fields prints them as 0 and scope 0 as a blank word, as the -j record', () => {
    const table = publicationTableOf([encodeMessage({ nameTable: { publ: { type: 77 } } })]);
    const [row] = nameTableText(table, (a) => (a === 0 ? 'self' : '?'))
        .toString()
        .split('\n')
        .slice(1);
    assert.equal(row, `${'77'.padEnd(10)} ${'0'.padEnd(10)} ${'0'.padEnd(10)} ${''.padEnd(8)} ${'0'.padEnd(10)} self`);
    const decoded = publicationsFrom([decodeMessage(encodeMessage({ nameTable: { publ: { type: 77 } } }))]);
    assert.deepEqual(
        nameTableRecords(decoded, () => 'self'),
        [{ type: 77, lower: 0, upper: 0, scope: '', port: 0, node: 'self' }],
    );
    // a reply without a service type is no binding, in the rows as in publicationOf
    assert.equal(publicationTableOf([encodeMessage({ nameTable: { publ: { lower: 1 } } })]).count, 0);
});

test('identityResolver asks the kernel once per node, and unknown nodes are blank', () => {
    let asked = 0;
    const identityOf = identityResolver((a) => (asked++, a === 1 ? Buffer.from('node1') : null));
    assert.deepEqual([identityOf(1), identityOf(1), identityOf(2), identityOf(2)], ['node1', 'node1', '', '']);
    assert.equal(asked, 2);
});

test("SOCK_GET + each bound socket's PUBL_GET -> socket list, byte for byte", async () => {
    const asked: number[] = [];
    const sockets = await withBindings(
        socketsFrom(messages('SOCK_GET')),
        async (ref) => (asked.push(ref), messages(`PUBL_GET ${ref}`)),
    );
    // the fixture namespace's one socket is the kernel's topology server: service {1,1,1}, at
    // the port nametable show lists for type 1
    const topologyPort = (JSON.parse(printed('-j nametable show')) as { type: number; port: number }[]).find(
        (p) => p.type === 1,
    )!.port;
    assert.deepEqual(asked, [topologyPort]);
    assert.deepEqual(
        sockets.map((k) => [k.ref, k.bindings]),
        [[topologyPort, [{ type: 1, lower: 1, upper: 1 }]]],
    );
    assert.equal(socketListText(socketRecords(sockets)), printed('socket list'));
});

test('socket list: connections print the node in %x, with the service only when connected by name', () => {
    const text = socketListText(
        socketRecords([
            {
                ref: 4071367628,
                hasPublications: true,
                bindings: [
                    { type: 1, lower: 1, upper: 1 },
                    { type: 1000, lower: 5, upper: 10 },
                ],
            },
            {
                ref: 22,
                connection: { node: 0x1001002, identity: 'n2', port: 77, service: { type: 1000, instance: 5 } },
                hasPublications: false,
                bindings: [],
            },
            {
                ref: 23,
                connection: { node: 0x1001002, identity: 'n2', port: 78 },
                hasPublications: false,
                bindings: [],
            },
            { ref: 24, hasPublications: false, bindings: [] },
        ]),
    );
    assert.equal(
        text,
        'socket 4071367628\n  bound to {1,1,1}\n  bound to {1000,5,10}\nsocket 22\n' +
            '  connected to 1001002:77 via {1000,5}\nsocket 23\n  connected to 1001002:78\nsocket 24\n',
    );
});

test('socket list asks PUBL_GET only for unconnected sockets with publications; one closed meanwhile lists unbound', async () => {
    const sockets: TipcSocketInfo[] = [
        { ref: 10, hasPublications: true, bindings: [] },
        { ref: 11, connection: { node: 1, identity: '', port: 5 }, hasPublications: true, bindings: [] },
        { ref: 12, hasPublications: false, bindings: [] },
        { ref: 13, hasPublications: true, bindings: [] },
    ];
    const asked: number[] = [];
    // PUBL_GET replies as the kernel encodes them: one publication per message
    const publ = (type: number, lower: number, upper: number) =>
        decodeMessage(encodeMessage({ publ: { type, lower, upper } }));
    const listed = await withBindings(sockets, async (ref) => {
        asked.push(ref);
        if (ref === 13) throw new OperationError(22); // EINVAL: the socket is gone
        return [publ(1000, 5, 10), publ(18888, 0, 0)];
    });
    assert.deepEqual(asked, [10, 13]);
    assert.deepEqual(
        listed.map((k) => [k.ref, k.bindings]),
        [
            [
                10,
                [
                    { type: 1000, lower: 5, upper: 10 },
                    { type: 18888, lower: 0, upper: 0 },
                ],
            ],
            [11, []],
            [12, []],
            [13, []],
        ],
    );
    await assert.rejects(
        withBindings([{ ref: 1, hasPublications: true, bindings: [] }], async () => {
            throw new OperationError(1);
        }),
        { code: 'EPERM' },
        'only a vanished socket is tolerated',
    );
});

test('MON_GET dump -> link monitor summary, byte for byte', () => {
    const records = monitorSummaryRecords(summariesFrom(messages('MON_GET')));
    assert.equal(monitorSummaryText(records), printed('link monitor summary'));
    assert.deepEqual(records, [{ bearer: 'eth:eth0', tableGeneration: 2, clusterSize: 3, algorithm: 'full-mesh' }]);
});

test('link monitor list: columns, applied states with a comma every five, non-applied members', () => {
    const bearer: MonitorBearer = {
        ref: 0,
        bearer: 'eth:eth0',
        tableGeneration: 1,
        clusterSize: 4,
        active: true,
        peers: [
            {
                address: 0x1001001,
                identity: 'n1',
                up: true,
                direct: true,
                generation: 0,
                applied: 0,
                upMap: 0n,
                members: [],
            },
            {
                address: 0x1001002,
                identity: 'n2',
                up: true,
                direct: true,
                generation: 16,
                applied: 6,
                upMap: 0b1011111n,
                members: [1, 2, 3, 4, 5, 6, 0x1001008],
            },
            {
                address: 0x1001003,
                identity: '',
                up: false,
                direct: false,
                generation: 0,
                applied: 0,
                upMap: 0n,
                members: [],
            },
        ],
    };
    assert.equal(
        monitorListText(monitorListRecords([bearer])),
        [
            '',
            'bearer eth:eth0',
            'node          status monitored generation applied_node_status [non_applied_node:status]',
            '1.1.1         up     direct    0          ',
            '1.1.2         up     direct    16         UUUUU,D [1001008:U]',
            '1.1.3         down   indirect  0          ',
            '',
        ].join('\n'),
    );
    const [record] = monitorListRecords([bearer]);
    assert.deepEqual(record.peers[1].appliedNodeStatus, ['U', 'U', 'U', 'U', 'U', 'D']);
    assert.deepEqual(record.peers[1].nonAppliedNodes, [{ address: 0x1001008, hash: '01001008', up: true }]);
});

test('upMapBit reads bits as iproute2 does (32-bit shift, bit 31 sign-extended)', () => {
    assert.equal(upMapBit(0b100n, 2), true);
    assert.equal(upMapBit(0b100n, 1), false);
    assert.equal(upMapBit(1n << 31n, 31), true);
});

test('link monitor get threshold: a number per line, valid JSON record', () => {
    const records = thresholdRecords(32);
    assert.equal(thresholdText(records), '32\n');
    assert.equal(thresholdText([]), '', 'no header: --all-netns merges bare values (src/cli/all-netns.ts)');
    for (const pretty of [false, true]) assert.deepEqual(JSON.parse(formatJson(records, pretty)), [{ threshold: 32 }]);
});

test('node set key: KEY as ASCII or 0x-hex, struct tipc_aead_key as iproute2 sends it', () => {
    assert.deepEqual(parseKeyText('this_is_a_key16_salt'), Buffer.from('this_is_a_key16_salt'));
    assert.deepEqual(parseKeyText('0x746869735F69735F615F6B657931365F73616C74'), Buffer.from('this_is_a_key16_salt'));
    assert.deepEqual(parseKeyText('0xabc'), Buffer.from([0x0a, 0xbc]));
    assert.deepEqual(parseKeyText('0xnothex'), Buffer.from('0xnothex'));
    // Appendix C: `tipc node set key this_is_a_key16_salt nodeid 1001002`
    const wire = encodeMessage({
        node: {
            key: encodeAeadKey('gcm(aes)', Buffer.from('this_is_a_key16_salt')),
            id: Buffer.from('1001002\0\0\0\0\0\0\0\0\0', 'latin1'),
        },
    }).toString('hex');
    assert.equal(
        wire.replace(/^5400068?0/, ''),
        '3c00040067636d28616573290000000000000000000000000000000000000000000000001400000074686973' +
            '5f69735f615f6b657931365f73616c741400030031303031303032000000000000000000',
    );
});

test('peer remove: a short hex identity as node list prints it reads back as those hex bytes', () => {
    const id = Buffer.from('d6babc1c1c6d00000000000000000000', 'hex');
    assert.equal(nodeIdToString(id), 'd6babc1c1c6d');
    assert.deepEqual(printedHexIdentity('d6babc1c1c6d'), id);
    // a trailing 0 nibble is cut by the printer: the odd digit is the high nibble
    assert.deepEqual(printedHexIdentity('abcde'), Buffer.from('abcde000000000000000000000000000', 'hex'));
    assert.equal(printedHexIdentity('node-2'), null);
    assert.equal(printedHexIdentity('0123456789abcdef0'), null);
});
