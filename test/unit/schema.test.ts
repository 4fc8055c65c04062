// The schema's kernel C names and meanings: consistent among themselves and,
// where the kernel's UAPI header is installed, identical to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { TipcCmd, tipcCmdCName, tipcSchema, type AttrSpec } from '../../src/netlink/schema.js';

type Entry = readonly [key: string, spec: AttrSpec & { c: string; doc: string }];
const sets = Object.entries(tipcSchema).map(([set, attrs]) => [set, Object.entries(attrs) as Entry[]] as const);

/** Where a C name is declared: every set that lists it. */
const declared = new Map<string, { set: string; spec: AttrSpec }[]>();
for (const [set, entries] of sets) {
    for (const [, spec] of entries) declared.set(spec.c, [...(declared.get(spec.c) ?? []), { set, spec }]);
}
/** A set whose attributes all belong to another set's enum (udpRemoteIpReply re-reads TIPC_NLA_UDP_REMOTE). */
const isAlias = (entries: readonly Entry[]) => entries.every(([, spec]) => declared.get(spec.c)!.length > 1);

function commonPrefix(names: readonly string[]): string {
    let p = names[0];
    for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1);
    return p.slice(0, p.lastIndexOf('_') + 1);
}

test('schema: every attribute has a kernel C name and a one-line meaning', () => {
    for (const [set, entries] of sets) {
        for (const [key, spec] of entries) {
            assert.match(spec.c, /^TIPC_NLA_[A-Z0-9_]+$/, `${set}.${key}`);
            assert.ok(spec.doc.length > 0 && !/[\n\r]/.test(spec.doc), `${set}.${key}: doc must be one line`);
        }
    }
});

test("schema: C names are unique per set and share the set's enum prefix", () => {
    for (const [set, entries] of sets) {
        const names = entries.map(([, s]) => s.c);
        assert.equal(new Set(names).size, names.length, set);
        if (names.length > 1) assert.match(commonPrefix(names), /^TIPC_NLA_/, set);
    }
    // No two sets read the same enum (the alias set re-reads one attribute on purpose).
    const prefixes = sets
        .filter(([, e]) => e.length > 1 && !isAlias(e))
        .map(([set, e]) => [set, commonPrefix(e.map(([, s]) => s.c))]);
    for (const [set, prefix] of prefixes) {
        const clash = prefixes.find(([other, p]) => other !== set && p === prefix);
        assert.equal(clash, undefined, `${set} and ${clash?.[0]} both use ${prefix}`);
    }
});

test('schema: ids follow the header enums (declared in id order, no gaps, 0- or 1-based)', () => {
    for (const [set, entries] of sets) {
        if (isAlias(entries)) continue;
        const ids = entries.map(([, s]) => s.id);
        const first = ids[0];
        assert.ok(first === 0 || first === 1, `${set} starts at ${first}`);
        assert.deepEqual(
            ids,
            ids.map((_, i) => first + i),
            `${set}: ids in declaration order`,
        );
    }
    // Only the two enums without an UNSPEC member are 0-based.
    assert.deepEqual(
        sets
            .filter(([, e]) => e[0][1].id === 0)
            .map(([set]) => set)
            .sort(),
        ['sockGroup', 'sockStat'],
    );
});

test('schema: a C name used in two sets means the same id and type in both', () => {
    for (const [c, uses] of declared) {
        for (const u of uses) {
            assert.equal(u.spec.id, uses[0].spec.id, c);
            assert.equal(u.spec.type, uses[0].spec.type, c);
        }
    }
});

test('schema: command C names are TIPC_NL_ + key, 0..N in order', () => {
    const keys = Object.keys(TipcCmd) as (keyof typeof TipcCmd)[];
    assert.deepEqual(
        keys.map((k) => TipcCmd[k]),
        keys.map((_, i) => i),
    );
    assert.equal(tipcCmdCName('LINK_GET'), 'TIPC_NL_LINK_GET');
});

// ---- against the installed header (linux-libc-dev) ---------------------------

const HEADER = '/usr/include/linux/tipc_netlink.h';

interface HeaderConst {
    readonly id: number;
    /** The header's type comment: u32, string, nest, flag, data, tlv, sockaddr_storage, ... */
    readonly comment?: string;
}

/** Every enum constant of the header with its value; the header uses no explicit values except *_MAX. */
function parseHeader(text: string): Map<string, HeaderConst> {
    const out = new Map<string, HeaderConst>();
    for (const [, body] of text.matchAll(/enum\s*\{([^}]*)\}/g)) {
        let id = 0;
        for (const line of body.split('\n')) {
            const m = /^\s*(TIPC_\w+)\s*(=)?[^,/]*,?\s*(?:\/\*\s*(\w+)\s*\*\/)?/.exec(line);
            if (!m || m[2] !== undefined) continue; // TIPC_..._MAX = __..._MAX - 1
            out.set(m[1], { id: id++, comment: m[3] });
        }
    }
    return out;
}

/** The wire type the schema may give each header type comment. */
const COMMENT_TYPES: Record<string, readonly string[]> = {
    u32: ['u32'],
    u64: ['u64'],
    string: ['string'],
    nest: ['nested'],
    flag: ['flag', 'pad'], // *_PAD are declared /* flag */ but only ever pad a u64
    data: ['binary'],
    tlv: ['u32array'],
    sockaddr_storage: ['sockaddr'],
};

test('schema: names, ids and types equal the kernel header', () => {
    // npm test installs it (test/run-all.ts): a check that does not run proves nothing
    assert.ok(existsSync(HEADER), `${HEADER} is missing: apt-get install linux-libc-dev`);
    const header = parseHeader(readFileSync(HEADER, 'utf8'));
    for (const [set, entries] of sets) {
        for (const [key, spec] of entries) {
            const h = header.get(spec.c);
            assert.ok(h, `${set}.${key}: ${spec.c} is not in the header`);
            assert.equal(spec.id, h.id, `${spec.c}`);
            assert.ok(
                h.comment && COMMENT_TYPES[h.comment]?.includes(spec.type),
                `${spec.c}: header says ${h.comment}, schema ${spec.type}`,
            );
        }
    }
    // And nothing in the header is missing from the schema.
    const attrs = [...header.keys()].filter((n) => n.startsWith('TIPC_NLA_') && !n.endsWith('_UNSPEC'));
    assert.deepEqual(
        attrs.filter((n) => !declared.has(n)),
        [],
    );
    const cmds = [...header.keys()].filter((n) => n.startsWith('TIPC_NL_'));
    assert.deepEqual(
        cmds.map((n) => [n, header.get(n)!.id]),
        (Object.keys(TipcCmd) as (keyof typeof TipcCmd)[]).map((k) => [tipcCmdCName(k), TipcCmd[k]]),
    );
});
