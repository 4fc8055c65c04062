import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainMismatch, resolveWord } from '../../src/cli/resolve.js';

const words = [{ name: 'set' }, { name: 'setup' }, { name: 'statistics' }, { name: 'list' }];

test('a unique prefix resolves to its word', () => {
    assert.deepEqual(resolveWord('l', words), { kind: 'match', item: { name: 'list' } });
    assert.deepEqual(resolveWord('st', words), { kind: 'match', item: { name: 'statistics' } });
});

test('an exact match wins over being a prefix of a longer word', () => {
    assert.deepEqual(resolveWord('set', words), { kind: 'match', item: { name: 'set' } });
});

test('a prefix of several words is ambiguous and names them', () => {
    const resolution = resolveWord('s', words);
    assert.equal(resolution.kind, 'ambiguous');
    assert.equal(explainMismatch(resolution, words, ''), 'ambiguous: set, setup, statistics');
});

test('the empty word matches everything, so it is ambiguous (as in iproute2)', () => {
    assert.equal(resolveWord('', words).kind, 'ambiguous');
});

test('matching is case-sensitive', () => {
    assert.equal(resolveWord('L', words).kind, 'unknown');
});

test('an unknown word lists the advertised words, not the hidden ones', () => {
    const candidates = [{ name: 'identity' }, { name: 'address', hidden: true }];
    const resolution = resolveWord('x', candidates);
    assert.equal(resolution.kind, 'unknown');
    assert.equal(explainMismatch(resolution, candidates, 'none'), 'expected one of: identity');
    assert.equal(explainMismatch(resolution, [], 'none accepted'), 'none accepted');
});

test('hidden words still resolve', () => {
    const candidates = [{ name: 'identity' }, { name: 'address', hidden: true }];
    assert.deepEqual(resolveWord('a', candidates), { kind: 'match', item: candidates[1] });
});

test('iproute2 words win a prefix over tipcx-only words', () => {
    const top = [
        { name: 'link' },
        { name: 'lab', extension: true },
        { name: 'peer' },
        { name: 'proof', extension: true },
    ];
    assert.equal((resolveWord('l', top) as { item: { name: string } }).item.name, 'link');
    assert.equal((resolveWord('p', top) as { item: { name: string } }).item.name, 'peer');
    // Only when no iproute2 word matches do the extensions compete.
    assert.equal((resolveWord('la', top) as { item: { name: string } }).item.name, 'lab');
    assert.equal((resolveWord('pr', top) as { item: { name: string } }).item.name, 'proof');
});

test('extensions are ambiguous among themselves', () => {
    const top = [
        { name: 'crossover', extension: true },
        { name: 'completion', extension: true },
    ];
    assert.equal(resolveWord('c', top).kind, 'ambiguous');
    assert.equal(resolveWord('cr', top).kind, 'match');
});
