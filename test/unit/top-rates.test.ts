import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CounterHistory, U32, counterDelta, type CounterValues } from '../../src/top/rates.js';
import { seededRandom } from './seeded-random.js';

const counters = (rx: number, tx = 0): CounterValues => ({
    rx,
    tx,
    retransmitted: 0,
    nacks: 0,
    duplicates: 0,
    congestion: 0,
});

test('counterDelta: forward, u32 wrap, reset', () => {
    assert.deepEqual(counterDelta(10, 25), { delta: 15, kind: 'normal' });
    assert.deepEqual(counterDelta(U32 - 5, 10), { delta: 15, kind: 'wrapped' });
    assert.deepEqual(counterDelta(5000, 12), { delta: 12, kind: 'reset' });
    // a counter in the upper half that drops to a large value was reset, not wrapped
    assert.deepEqual(counterDelta(U32 - 5, U32 / 2 + 7), { delta: U32 / 2 + 7, kind: 'reset' });
});

test('CounterHistory: rates over 2/10/40 samples with uneven steps', () => {
    const h = new CounterHistory();
    assert.equal(h.push(counters(0), 0), undefined);
    for (let i = 1; i <= 10; i++) h.push(counters(i * 100), i * 1000); // 100/s for 10 s
    h.push(counters(1000 + 1000), 11_000); // then 1000/s
    h.push(counters(2000 + 1000), 12_000);
    const r = h.rates();
    assert.equal(r.rx.s2, 1000);
    assert.equal(r.rx.s10, (8 * 100 + 2 * 1000) / 10);
    assert.equal(r.rx.s40, (10 * 100 + 2 * 1000) / 12); // fewer than 40 samples: all of them
    assert.equal(r.tx.s2, 0);
    assert.deepEqual(h.series('rx').slice(-3), [100, 1000, 1000]);
});

test('CounterHistory: wrap keeps the rate, reset is reported and counted from zero', () => {
    const h = new CounterHistory();
    h.push(counters(U32 - 100), 0);
    assert.equal(h.push(counters(100), 1000), 'wrapped');
    assert.equal(h.rates().rx.s2, 200);
    assert.equal(h.push(counters(30), 2000), 'reset');
    assert.deepEqual(h.series('rx'), [200, 30]);
});

test('CounterHistory keeps 40 steps', () => {
    const h = new CounterHistory();
    for (let i = 0; i <= 50; i++) h.push(counters(i), i * 1000);
    assert.equal(h.samples, 40);
    assert.equal(h.series('rx').length, 40);
});

test('CounterHistory: running sums agree with summing the kept steps, over hundreds of uneven steps, wraps and resets', () => {
    const rnd = seededRandom(0x40);
    const h = new CounterHistory();
    let now = 0;
    const values = counters(0);
    h.push(values, now);
    /** Every step as the history should have it: [duration ms, rx delta]. */
    const steps: [number, number][] = [];
    for (let i = 0; i < 500; i++) {
        const ms = 500 + Math.floor(rnd() * 1500);
        now += ms;
        let delta = Math.floor(rnd() * 5000);
        let next = (values.rx + delta) % U32;
        if (i % 97 === 50) {
            next = Math.floor(rnd() * 10); // a reset: counts from zero
            delta = next;
        }
        if (i === 300) {
            const before = values.rx;
            values.rx = U32 - 10; // about to wrap
            h.push(values, now);
            now += ms;
            steps.push([ms, U32 - 10 - before]);
            next = 20;
            delta = 30;
        }
        values.rx = next;
        h.push(values, now);
        steps.push([ms, delta]);
        for (const w of [2, 10, 40] as const) {
            const kept = steps.slice(-w);
            const expected = (kept.reduce((a, [, d]) => a + d, 0) * 1000) / kept.reduce((a, [m]) => a + m, 0);
            // to the nearest thousandth (perSecond)
            const rate = h.rates().rx[`s${w}`];
            assert.ok(Math.abs(rate - expected) <= 0.0005 + 1e-9, `step ${i}, window ${w}: ${rate} for ${expected}`);
            assert.equal(Math.round(rate * 1000) / 1000, rate);
        }
    }
    assert.equal(h.samples, 40);
    assert.deepEqual(
        h.series('rx'),
        steps.slice(-40).map(([ms, d]) => (d * 1000) / ms),
    );
});
