// src/ip-text.ts replaces node:net's isIPv4/isIPv6/isIP (so that no command
// loads Node's socket modules to check an address): it must accept exactly
// what they accept. node:net is the reference here, on hand-picked literals
// and on strings generated from the characters addresses are made of.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIP as netIsIP, isIPv4 as netIsIPv4, isIPv6 as netIsIPv6 } from 'node:net';
import { ipFamily, isIPv4, isIPv6 } from '../../src/ip-text.js';
import { seededRandom } from './seeded-random.js';

function assertSameAsNet(text: string): void {
    assert.equal(isIPv4(text), netIsIPv4(text), `isIPv4(${JSON.stringify(text)})`);
    assert.equal(isIPv6(text), netIsIPv6(text), `isIPv6(${JSON.stringify(text)})`);
    assert.equal(ipFamily(text), netIsIP(text), `ipFamily(${JSON.stringify(text)})`);
}

const LITERALS = [
    '',
    '0.0.0.0',
    '127.0.0.1',
    '255.255.255.255',
    '256.1.1.1',
    '1.2.3',
    '1.2.3.4.5',
    '01.2.3.4',
    '1.2.3.04',
    '1..2.3',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1.2.3.-4',
    '+1.2.3.4',
    '1e2.1.1.1',
    '::',
    '::1',
    ':::',
    '1::',
    '1::2::3',
    ':1::',
    '1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7::',
    '::2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7::8',
    '1:2:3:4:5:6::8',
    '1:2:3:4:5:6:1.2.3.4',
    '1:2:3:4:5:1.2.3.4',
    '1:2:3:4:5::1.2.3.4',
    '1:2:3:4:5:6::1.2.3.4',
    '::ffff:192.0.2.1',
    '::1.2.3.4',
    ':1.2.3.4',
    '1.2.3.4::',
    '::1.2.3.4:1',
    'fe80::1%eth0',
    'fe80::1%2',
    'fe80::1%',
    'fe80::1%eth0%1',
    'fe80::1%e th0',
    'fe80::1%a.b:c-d',
    'fe80::1%a_b',
    '%eth0',
    '1.2.3.4%eth0',
    'FFFF::abcd',
    'fffff::1',
    '0000:0000:0000:0000:0000:0000:0000:0001',
    'g::1',
    '1:2:3:4:5:6:7:8%x',
    '[::1]',
    '::ffff:1.2.3.256',
    '１.2.3.4',
];

test('hand-picked literals: the same verdicts as node:net', () => {
    for (const text of LITERALS) assertSameAsNet(text);
    // and the checks are not vacuous: both kinds of address are accepted
    assert.equal(ipFamily('192.0.2.1'), 4);
    assert.equal(ipFamily('2001:db8::1'), 6);
    assert.equal(ipFamily('2001:db8::1::'), 0);
});

test('generated strings: the same verdicts as node:net', () => {
    const random = seededRandom(14);
    const choose = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const hexGroup = () =>
        Array.from({ length: 1 + Math.floor(random() * 5) }, () => choose([...'0123456789abcdefABCDEFg'])).join('');
    const octet = () => choose(['0', '1', '9', '10', '99', '100', '199', '255', '256', '01', '300', '']);
    const ipv4 = () => Array.from({ length: choose([3, 4, 4, 4, 5]) }, octet).join('.');
    let accepted = 0;
    for (let i = 0; i < 20000; i++) {
        let text: string;
        if (random() < 0.3) text = ipv4();
        else {
            const groups = Array.from({ length: Math.floor(random() * 10) }, hexGroup);
            if (random() < 0.3) groups.push(ipv4());
            const separators = groups.map(() => (random() < 0.1 ? '::' : ':'));
            text = groups.map((g, j) => (j === 0 ? '' : separators[j]) + g).join('');
            const ends = random();
            if (ends < 0.2) text = `::${text}`;
            else if (ends < 0.4) text = `${text}::`;
            if (random() < 0.1) text += `%${choose(['eth0', '2', '', 'a b', 'x%y', 'lo.1:2-3', 'a_b', 'é'])}`;
        }
        if (netIsIP(text) !== 0) accepted++;
        assertSameAsNet(text);
    }
    // enough valid addresses among them that agreeing means something
    assert.ok(accepted > 1000, `only ${accepted} generated strings were addresses`);
});
