// --json=iproute2 on the host: the flag, and the writer's layout. The lab test
// (test/integration/parity-json.test.ts) holds every shape against real `tipc -j`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanGlobalFlags } from '../../src/cli/global-flags.js';
import { UsageError } from '../../src/errors.js';
import {
    broadcastShape,
    formatIproute2Json,
    linkListShape,
    monitorListShape,
    thresholdShape,
} from '../../src/render/iproute2-json.js';

test('--json=iproute2 sets JSON in iproute2 shape; -j and --json keep tipcx JSON; other values are refused', () => {
    const shape = (...argv: string[]) => {
        const { flags } = scanGlobalFlags(argv);
        return [flags.json, flags.iproute2Json];
    };
    assert.deepEqual(shape('--json=iproute2', 'link', 'list'), [true, true]);
    assert.deepEqual(shape('link', 'list', '--js=iproute2'), [true, true]);
    assert.deepEqual(shape('-j', 'link', 'list'), [true, false]);
    assert.deepEqual(shape('--json', 'link', 'list'), [true, false]);
    // an optional argument binds only with "=": the next word stays a word
    assert.deepEqual(scanGlobalFlags(['--json', 'iproute2']).words, ['iproute2']);
    for (const bad of ['--json=ip', '--json=', '--json=IPROUTE2'])
        assert.throws(
            () => scanGlobalFlags([bad, 'link', 'list']),
            (err: unknown) => err instanceof UsageError && /invalid value .* for "--json"/.test(err.message),
            bad,
        );
});

test('compact: no blanks at all; pretty: json_writer layout', () => {
    const records = linkListShape([
        { name: 'broadcast-link', up: true },
        { name: 'a:eth0-b:eth0', up: false },
    ]);
    assert.equal(formatIproute2Json(records, false), '[{"broadcast-link":"up","a:eth0-b:eth0":"down"}]\n');
    assert.equal(
        formatIproute2Json(records, true),
        '[ {\n        "broadcast-link": "up",\n        "a:eth0-b:eth0": "down"\n    } ]\n',
    );
    // no links at all: iproute2 still opens its one object
    assert.equal(formatIproute2Json(linkListShape([]), false), '[{}]\n');
    assert.equal(formatIproute2Json([], true), '[ ]\n');
    const nested = formatIproute2Json([{ state: ['ACTIVE'], 'rx packets': { 'rx packets': 1 } }], true);
    assert.equal(
        nested,
        '[ {\n        "state": [ "ACTIVE" ],\n        "rx packets": {\n            "rx packets": 1\n        }\n    } ]\n',
    );
    assert.equal(formatIproute2Json([{ a: '"\\\t\u0001' }], false), '[{"a":"\\"\\\\\\t\\u0001"}]\n');
    for (const pretty of [false, true]) assert.deepEqual(JSON.parse(formatIproute2Json(records, pretty)), records);
});

test('shapes iproute2 prints oddly: AUTOSELECT in two objects, threshold as an object, monitor keyed by bearer', () => {
    assert.deepEqual(broadcastShape([{ mode: 'AUTOSELECT', ratio: 30 }]), [{ method: 'AUTOSELECT' }, { ratio: 30 }]);
    assert.deepEqual(broadcastShape([{ mode: 'UNKNOWN' }]), [{ method: 'UNKNOWN' }]);
    assert.deepEqual(thresholdShape([{ threshold: 32 }]), [{ threshold: 32 }]);
    const peer = {
        node: '1.1.2',
        address: 0x01001002,
        hash: '01001002',
        identity: 'n2',
        status: 'up' as const,
        monitored: 'direct' as const,
        generation: 16,
        appliedNodeStatus: [],
        nonAppliedNodes: [],
    };
    assert.deepEqual(
        monitorListShape([
            {
                bearer: 'eth:eth0',
                peers: [
                    peer,
                    {
                        ...peer,
                        appliedNodeStatus: ['U', 'D'],
                        nonAppliedNodes: [{ address: 0x1001008, hash: '01001008', up: true }],
                    },
                ],
            },
        ]),
        [
            {
                bearer: 'eth:eth0',
                'eth:eth0': [
                    { node: '1.1.2', status: 'up', monitored: 'direct', generation: 16 },
                    {
                        node: '1.1.2',
                        status: 'up',
                        monitored: 'direct',
                        generation: 16,
                        applied_node_status: ['U', 'D'],
                        '[non_applied_node:status]': ['1001008:U'],
                    },
                ],
            },
        ],
    );
});
