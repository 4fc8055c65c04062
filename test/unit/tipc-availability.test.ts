// tipcProvablyAbsent (src/netlink/availability.ts) lets a kernel command answer
// exit 3 without netlink only when TIPC certainly cannot be found: judged
// here on /proc trees written for each case, then on this machine's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tipcProvablyAbsent } from '../../src/netlink/availability.js';

const HEADER =
    'protocol  size sockets  memory press maxhdr  slab module     cl co di ac io in de sh ss gs se re bi br ha uh gp em';
const line = (name: string) =>
    `${name.padEnd(10)}1240      0      -1   NI       0   yes  kernel      y  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n`;

function withProc(files: Record<string, string>, fn: (proc: string) => void): void {
    const proc = mkdtempSync(join(tmpdir(), 'tipcx-proc-'));
    try {
        for (const [path, text] of Object.entries(files)) {
            mkdirSync(join(proc, path, '..'), { recursive: true });
            writeFileSync(join(proc, path), text);
        }
        fn(proc);
    } finally {
        rmSync(proc, { recursive: true, force: true });
    }
}

const NO_TIPC = `${HEADER}\n${line('PACKET')}\n${line('UNIX')}\n${line('TCP')}\n`;

test('absent only when TIPC is not registered and no module can be loaded', () => {
    withProc({ 'net/protocols': NO_TIPC }, (proc) => assert.equal(tipcProvablyAbsent(proc), true));
    // a kernel with modules may load tipc when the family is looked up
    withProc({ 'net/protocols': NO_TIPC, modules: '' }, (proc) => assert.equal(tipcProvablyAbsent(proc), false));
    // built in (or loaded): its socket layer is registered
    withProc({ 'net/protocols': `${HEADER}\n${line('PACKET')}\n${line('TIPC')}\n${line('TCP')}\n` }, (proc) =>
        assert.equal(tipcProvablyAbsent(proc), false),
    );
});

test('anything unreadable or unexpected is not a proof', () => {
    withProc({}, (proc) => assert.equal(tipcProvablyAbsent(proc), false));
    withProc({ 'net/protocols': '' }, (proc) => assert.equal(tipcProvablyAbsent(proc), false));
    withProc({ 'net/protocols': `${line('PACKET')}\n${line('TCP')}\n` }, (proc) =>
        assert.equal(tipcProvablyAbsent(proc), false),
    );
    withProc({ 'net/protocols': `${HEADER}\n` }, (proc) => assert.equal(tipcProvablyAbsent(proc), false));
});

test("this machine's /proc: the verdict follows from its two files", () => {
    const protocols = readFileSync('/proc/net/protocols', 'latin1');
    const registered = protocols.split('\n').some((l) => l.startsWith('TIPC '));
    assert.equal(tipcProvablyAbsent(), !registered && !existsSync('/proc/modules'));
});
