import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextBuffer, jsonNumber, padded, text, textFormat } from '../../src/render/text-buffer.js';
import { perSecond } from '../../src/top/rates.js';
import { seededRandom } from './seeded-random.js';

const written = (write: (out: TextBuffer) => void, sizeHint?: number) => {
    const out = new TextBuffer(sizeHint);
    write(out);
    return out.toString();
};

test('uint writes what String() writes for every number of digits, 0 to 2^32 - 1', () => {
    const powers = Array.from({ length: 9 }, (_, k) => 10 ** (k + 1)).flatMap((p) => [p - 1, p, p + 1]);
    const edges = [0, 1, 65535, ...powers, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1];
    const rnd = seededRandom(0x7e47);
    const random = Array.from({ length: 2000 }, () => Math.floor(rnd() * 2 ** (1 + Math.floor(rnd() * 32))));
    for (const n of [...edges, ...random])
        assert.equal(
            written((o) => o.uint(n)),
            String(n),
        );
});

test('uint writes anything but a u32 integer as String() does, so that it shows', () => {
    for (const n of [NaN, -1, 1.5, 2 ** 32, 2 ** 53, Infinity])
        assert.equal(
            written((o) => o.uint(n)),
            String(n),
        );
});

test('a JSON number is what JSON.stringify writes: u32s, rates in thousandths, and any other double', () => {
    const f = textFormat`${jsonNumber(0)}`;
    const rnd = seededRandom(0x15a7);
    const rates = Array.from({ length: 4000 }, () =>
        perSecond(Math.floor(rnd() * 2 ** (1 + Math.floor(rnd() * 40))), 1 + Math.floor(rnd() * 45000)),
    );
    const thousandths = Array.from(
        { length: 2000 },
        () => Math.floor(rnd() * 10 ** (1 + Math.floor(rnd() * 15))) / 1000,
    );
    const doubles = Array.from({ length: 2000 }, () => (rnd() - 0.5) * 10 ** Math.floor(rnd() * 30 - 10));
    const edges = [0, 0.001, 0.01, 0.1, 0.5, 0.999, 1.001, 1.01, 1.1, 12.005, 12.05, 4294967295.5, 999999999999.999];
    const others = [1e12, 1e15 / 1000 + 0.001, -0.5, -1, 1e21, 1e-7, 2 ** 53, NaN, Infinity, -Infinity];
    for (const n of [...edges, ...others, ...rates, ...thousandths, ...doubles])
        assert.equal(
            written((o) => o.format(f, Float64Array.of(n), 0)),
            JSON.stringify(n),
            `${n}`,
        );
});

test('text is UTF-8; the string comes back the same whether ASCII or not', () => {
    assert.equal(
        written((o) => {
            o.text('Link <');
            o.text('nœud-é:eth0-😀:eth0');
            o.text('>');
        }),
        'Link <nœud-é:eth0-😀:eth0>',
    );
    assert.equal(
        written((o) => o.text('plain')),
        'plain',
    );
});

test('a format writes its words and holes in order, padding by bytes as printf %-Nu / %-Ns, never cutting', () => {
    const row = textFormat`${padded(0, 10)}|${text(0, 6)}|${1}:${text(1)}.
`;
    const values = Float64Array.from([7, 4294967295, 42, 3]);
    const out = new TextBuffer(1);
    out.format(row, values, 0, ['ab', 'é']);
    out.format(row, values, 2, ['sevenchars', '']);
    assert.equal(out.toString(), `7         |ab    |4294967295:é.\n42        |sevenchars|3:.\n`);
});

test('a format prints an absent value (NaN) as 0, and anything else that is no u32 as String() does', () => {
    const f = textFormat`[${0}]`;
    for (const [v, shown] of [
        [NaN, '0'],
        [-1, '-1'],
        [1.5, '1.5'],
        [2 ** 53, String(2 ** 53)],
        [-Number.MAX_VALUE, String(-Number.MAX_VALUE)],
    ] as const)
        assert.equal(
            written((o) => o.format(f, Float64Array.of(v), 0)),
            `[${shown}]`,
        );
});

test('formats of words of every length round to whole 4-byte words without leaving blanks behind', () => {
    const words = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'Link <', '  TX profile sample:'];
    for (const w of words) {
        const f = textFormat([w, w, ''] as unknown as TemplateStringsArray, 0, 1);
        assert.equal(
            written((o) => {
                o.format(f, Float64Array.of(1, 22), 0);
                o.text('|');
            }),
            `${w}1${w}22|`,
        );
    }
    assert.throws(() => textFormat`naïve${0}`, /not printable ASCII/);
});

test('the buffer grows past its size hint without losing what was written', () => {
    const pieces = Array.from({ length: 5000 }, (_, i) => `${i}:é `);
    assert.equal(
        written((o) => {
            for (const [i, p] of pieces.entries()) {
                o.uint(i);
                o.text(p.slice(String(i).length));
            }
        }, 1),
        pieces.join(''),
    );
});

test('take hands over the UTF-8 written, and the buffer starts afresh without writing over it', () => {
    const c = new TextBuffer(8);
    c.text('plain nœud');
    const taken = c.take();
    assert.deepEqual(taken, Buffer.from('plain nœud'));
    assert.equal(c.length, 0);
    c.text('next');
    assert.equal(c.toString(), 'next');
    assert.deepEqual(taken, Buffer.from('plain nœud'), 'what was taken is not written over');
});
