import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { FlagsGet, createGenericNetlink, createRtNetlink, genl } from 'netlink';
import { EnvironmentError, UsageError } from '../../src/errors.js';
import {
    NETNS_RUN_DIR,
    currentNetnsInode,
    listNamedNetns,
    netnsInode,
    resolveNetns,
    withNetns,
} from '../../src/netlink/netns.js';
import type { NetnsRef } from '../../src/netlink/netns.js';
import { TIPC_NOT_AVAILABLE, openGenlFamily, openTipc } from '../../src/netlink/transport.js';

const NS = `tipcx-test-${process.pid}`;
const ref: NetnsRef = { name: NS };

// The suite runs as root (it installs the lab's packages): no test here is skipped for want of it.
before(() => {
    if (process.getuid?.() !== 0) throw new Error('the namespace tests need root (ip netns add)');
    execFileSync('ip', ['netns', 'add', NS]);
});
after(() => {
    spawnSync('ip', ['netns', 'del', NS]);
});

async function familyNames(sock: ReturnType<typeof createGenericNetlink>): Promise<string[]> {
    try {
        const fams = await sock.ctrlRequest(genl.Commands.GET_FAMILY, {}, { flags: FlagsGet.DUMP, timeout: 5000 });
        return fams.map((f) => f.familyName ?? '').sort();
    } finally {
        sock.socket.close();
    }
}

async function linkNames(sock: ReturnType<typeof createRtNetlink>): Promise<string[]> {
    try {
        return (await sock.getLinks(undefined, undefined, { timeout: 5000 })).map((l) => l.attrs.ifname ?? '');
    } finally {
        sock.socket.close();
    }
}

test('withNetns switches the calling thread and always switches back', () => {
    const home = currentNetnsInode();
    const target = netnsInode(ref);
    assert.notEqual(target, home);
    assert.equal(netnsInode(`${NETNS_RUN_DIR}/${NS}`), target);

    assert.equal(
        withNetns(ref, () => currentNetnsInode()),
        target,
    );
    assert.equal(currentNetnsInode(), home);

    assert.throws(
        () =>
            withNetns(ref, () => {
                throw new RangeError('inside');
            }),
        RangeError,
    );
    assert.equal(currentNetnsInode(), home);

    // Nested: the inner switch returns to the outer namespace, not to the original.
    withNetns(ref, () => {
        withNetns({ pid: process.pid }, () => assert.equal(currentNetnsInode(), target));
        assert.equal(currentNetnsInode(), target);
    });
    assert.equal(currentNetnsInode(), home);
});

test('sockets created inside withNetns live in the target namespace', async () => {
    const rtInside = await linkNames(withNetns(ref, () => createRtNetlink()));
    assert.deepEqual(rtInside, ['lo']);

    // A fresh namespace sees only the netns-aware generic netlink families.
    const genlInside = await familyNames(withNetns(ref, () => createGenericNetlink()));
    const genlHome = await familyNames(createGenericNetlink());
    assert.ok(genlInside.includes('nlctrl'));
    assert.ok(genlInside.every((f) => genlHome.includes(f)));
    assert.ok(genlInside.length < genlHome.length, `${genlInside.join()} vs ${genlHome.join()}`);

    const t = await openGenlFamily('nlctrl', { netns: ref });
    try {
        assert.equal((await t.dump(3)).length, genlInside.length);
    } finally {
        t.close();
    }
});

test('openTipc inside a namespace', async () => {
    if (existsSync('/sys/module/tipc')) {
        const t = await openTipc({ netns: ref });
        try {
            assert.ok(t.familyId > 0x10);
        } finally {
            t.close();
        }
    } else {
        await assert.rejects(
            openTipc({ netns: ref }),
            (e: unknown) => e instanceof EnvironmentError && e.message === TIPC_NOT_AVAILABLE,
        );
    }
});

test('namespace names must be plain entries of /run/netns', () => {
    for (const name of ['../x', 'a/b', '', '.', '..', '/abs', 'nul\0x']) {
        assert.throws(
            () => resolveNetns({ name }),
            (e: unknown) => e instanceof UsageError && e.exitCode === 2,
            JSON.stringify(name),
        );
        assert.throws(() => withNetns({ name }, () => 1), UsageError);
    }
});

test('a missing namespace is an environment error (exit 3)', () => {
    const name = `tipcx-missing-${process.pid}`;
    assert.throws(
        () => resolveNetns({ name }),
        (e: unknown) => {
            assert.ok(e instanceof EnvironmentError);
            assert.equal(e.exitCode, 3);
            assert.equal(e.message, `no such network namespace "${name}" (see ip netns list)`);
            return true;
        },
    );
    let ran = false;
    assert.throws(() => withNetns({ name }, () => (ran = true)), EnvironmentError);
    assert.equal(ran, false);
});

test('symlinks and stale files in /run/netns are not namespaces', () => {
    const link = `${NETNS_RUN_DIR}/tipcx-link-${process.pid}`;
    const stale = `${NETNS_RUN_DIR}/tipcx-stale-${process.pid}`;
    try {
        symlinkSync('/proc/self/ns/net', link);
        writeFileSync(stale, '');
        for (const p of [link, stale]) {
            const name = p.slice(NETNS_RUN_DIR.length + 1);
            assert.throws(() => resolveNetns({ name }), /no such network namespace/);
        }
        const listed = listNamedNetns();
        assert.ok(listed.includes(NS));
        assert.ok(!listed.some((n) => n.startsWith('tipcx-stale-') || n.startsWith('tipcx-link-')));
    } finally {
        rmSync(link, { force: true });
        rmSync(stale, { force: true });
    }
});

test('paths and pids', () => {
    assert.equal(resolveNetns({ path: `${NETNS_RUN_DIR}/${NS}` }), `${NETNS_RUN_DIR}/${NS}`);
    assert.equal(withNetns({ path: `${NETNS_RUN_DIR}/${NS}` }, currentNetnsInode), netnsInode(ref));
    assert.equal(resolveNetns({ pid: process.pid }), `/proc/${process.pid}/ns/net`);
    assert.equal(withNetns({ pid: process.pid }, currentNetnsInode), currentNetnsInode());

    assert.throws(() => resolveNetns({ path: 'relative/ns' }), UsageError);
    assert.throws(() => resolveNetns({ path: '/etc/hostname' }), /not a namespace file/);
    assert.throws(() => resolveNetns({ path: '/nonexistent/ns' }), EnvironmentError);
    assert.throws(() => resolveNetns({ pid: 0 }), UsageError);
    assert.throws(() => resolveNetns({ pid: 1.5 }), UsageError);
    assert.throws(() => resolveNetns({ pid: 0x7fffffff }), /no such process/);
    // A namespace file of another type: setns refuses it and we stay home.
    const home = currentNetnsInode();
    assert.throws(() => withNetns({ path: '/proc/self/ns/uts' }, () => 1), /is not a network namespace/);
    assert.equal(currentNetnsInode(), home);
});
