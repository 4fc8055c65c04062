// watchTopology's life cycle on any host: what it leaves behind when it ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { watchTopology } from '../../src/tipc/events.js';

test('a topology watch that ends takes its listener off the signal (top starts one again on the same signal)', async () => {
    const controller = new AbortController();
    // a namespace that does not exist: the watch fails as it starts, on any host, TIPC or not
    const scope = { kind: 'named', name: `tipcx-absent-${process.pid}` } as const;
    for (let round = 0; round < 12; round++) {
        const watch = watchTopology({
            kinds: { node: true, link: true, services: [] },
            scope,
            signal: controller.signal,
        });
        await assert.rejects(watch.next(), /tipcx-absent-/);
    }
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
});
