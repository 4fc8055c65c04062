import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyColorDecision, decideColor, paint, stateWord, type ColorMode } from '../../src/render/color.js';
import { formatJson } from '../../src/render/json.js';
import { renderTable } from '../../src/render/table.js';

const ANSI = /\u001b\[/;

test('colour decision: --color flag > NO_COLOR > FORCE_COLOR > TTY', () => {
    const cases: Array<[ColorMode | undefined, Record<string, string>, boolean, boolean]> = [
        // mode, env, isTTY, expected
        [undefined, {}, true, true],
        [undefined, {}, false, false],
        [undefined, { TERM: 'dumb' }, true, false],
        [undefined, { NO_COLOR: '1' }, true, false],
        [undefined, { NO_COLOR: '' }, true, true], // only a non-empty NO_COLOR counts
        [undefined, { NO_COLOR: '1', FORCE_COLOR: '1' }, false, false], // NO_COLOR beats FORCE_COLOR
        [undefined, { FORCE_COLOR: '1' }, false, true],
        [undefined, { FORCE_COLOR: '' }, false, true],
        [undefined, { FORCE_COLOR: '0' }, true, false],
        [undefined, { FORCE_COLOR: 'false' }, true, false],
        ['auto', { NO_COLOR: '1' }, true, false],
        ['auto', {}, true, true],
        ['always', { NO_COLOR: '1' }, false, true], // the flag beats NO_COLOR
        ['always', { FORCE_COLOR: '0' }, false, true],
        ['never', { FORCE_COLOR: '3' }, true, false],
        ['never', {}, true, false],
    ];
    for (const [mode, env, isTTY, expected] of cases) {
        const decision = decideColor({ env, isTTY, ...(mode ? { mode } : {}) });
        assert.equal(decision.enabled, expected, JSON.stringify({ mode, env, isTTY }));
        assert.equal(decision.level > 0, expected);
    }
});

test('colour level follows FORCE_COLOR and the terminal', () => {
    assert.equal(decideColor({ env: { FORCE_COLOR: '3' }, isTTY: false }).level, 3);
    assert.equal(decideColor({ env: { COLORTERM: 'truecolor' }, isTTY: true }).level, 3);
    assert.equal(decideColor({ env: { TERM: 'xterm-256color' }, isTTY: true }).level, 2);
    assert.equal(decideColor({ env: { TERM: 'xterm' }, isTTY: true }).level, 1);
});

test('colour on loads chalk at the decided level; colour off refuses to paint', async () => {
    await applyColorDecision({ enabled: true, level: 1 });
    assert.equal(paint().level, 1);
    assert.match(stateWord(true, true), ANSI);
    await applyColorDecision({ enabled: true, level: 3 });
    assert.equal(paint().level, 3);
    await applyColorDecision({ enabled: false, level: 0 });
    assert.throws(() => paint(), /before applyColorDecision/);
    assert.equal(stateWord(true, false), 'up', 'uncoloured words need no chalk');
});

test('tables carry no ANSI codes when colour is off, and do when it is on', async () => {
    const spec = {
        head: ['Link', 'State'],
        rows: [
            ['a-b', 'up'],
            ['c-d', 'down'],
        ],
    };
    const plain = renderTable({ ...spec, color: false });
    assert.doesNotMatch(plain, ANSI);
    assert.match(plain, /Link/);
    assert.match(plain, /c-d/);
    try {
        // whatever TERM, TTY or CI say: cli-table3's own colour library once
        // decided by those and left piped --color=always output plain
        await applyColorDecision({ enabled: true, level: 1 });
        for (const borderless of [false, true]) {
            const coloured = renderTable({ ...spec, color: true, borderless });
            assert.match(coloured, ANSI);
            assert.equal(
                coloured.replace(/\u001b\[[0-9;]*m/g, ''),
                renderTable({ ...spec, color: false, borderless }),
                'colour does not move a column',
            );
        }
    } finally {
        await applyColorDecision({ enabled: false, level: 0 });
    }
});

test('borderless tables are plain aligned columns without trailing blanks', () => {
    const text = renderTable({
        head: ['Type', 'Port'],
        rows: [
            [0, 12345],
            [1000, 1],
        ],
        color: false,
        borderless: true,
    });
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^Type\s+Port$/);
    for (const line of lines) assert.equal(line, line.trimEnd());
});

test('JSON: always an array; bigint counters survive', () => {
    assert.equal(formatJson([], false), '[]\n');
    assert.equal(formatJson([{ n: 1n, big: 2n ** 64n - 1n }], false), '[{"n":1,"big":"18446744073709551615"}]\n');
    assert.equal(formatJson([{ a: 1 }], true), '[\n    {\n        "a": 1\n    }\n]\n');
});
