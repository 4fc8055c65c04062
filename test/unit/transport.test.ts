import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import {
    EnvironmentError,
    ExitCode,
    FailureError,
    InterruptedError,
    OperationError,
    TimeoutError,
    TipcxError,
    UsageError,
    errnoFromName,
    errnoName,
    strerror,
} from '../../src/errors.js';
import { nativeErrno } from '../../src/netlink/channel.js';
import { TIPC_NOT_AVAILABLE, openGenlFamily, openTipc } from '../../src/netlink/transport.js';

// /proc/net/protocols only lists TIPC once a socket exists; the module directory is definitive.
const kernelHasTipc = existsSync('/sys/module/tipc');
const CTRL_CMD_GETFAMILY = 3;

/** CTRL_ATTR_FAMILY_NAME (2) as a NUL-terminated, padded attribute. */
function familyNameAttr(name: string): Buffer {
    const len = 4 + name.length + 1;
    const buf = Buffer.alloc((len + 3) & ~3);
    buf.writeUInt16LE(len, 0);
    buf.writeUInt16LE(2, 2);
    buf.write(name, 4, 'latin1');
    return buf;
}

test('openTipc: the exact "not available" error without TIPC, a dynamic family id with it', async () => {
    if (kernelHasTipc) {
        const t = await openTipc();
        try {
            assert.ok(t.familyId > 0x10, `family id ${t.familyId}`);
        } finally {
            t.close();
        }
    } else {
        await assert.rejects(openTipc(), (e: unknown) => {
            assert.ok(e instanceof EnvironmentError);
            assert.equal(e.exitCode, 3);
            assert.equal(e.message, TIPC_NOT_AVAILABLE);
            assert.equal(
                e.message,
                'TIPC is not available in this kernel (generic netlink family TIPCv2 not found): load it with "modprobe tipc", or run on a TIPC-capable kernel (tipcx sandbox).',
            );
            return true;
        });
    }
});

test('nativeErrno: the errno of a failed system call of the native binding, else undefined', () => {
    assert.equal(nativeErrno(Object.assign(new Error('send failed'), { errno: -13 })), 13);
    assert.equal(nativeErrno(Object.assign(new Error('bind failed'), { errno: 98 })), 98);
    assert.equal(nativeErrno(new Error('Timeout has been reached')), undefined);
    assert.equal(nativeErrno('EPERM'), undefined);
    assert.equal(nativeErrno(undefined), undefined);
});

/** One struct nlmsghdr (host order, x86) and its payload, padded to 4 bytes; NLM_F_MULTI plus `flags`. */
function nlmsg(type: number, seq: number, payload: Buffer, flags = 0): Buffer {
    const out = Buffer.alloc((16 + payload.length + 3) & ~3);
    out.writeUInt32LE(16 + payload.length, 0);
    out.writeUInt16LE(type, 4);
    out.writeUInt16LE(0x2 | flags, 6);
    out.writeUInt32LE(seq, 8);
    payload.copy(out, 16);
    return out;
}

test('errno names and strerror texts', () => {
    assert.equal(errnoName(1), 'EPERM');
    assert.equal(errnoName(-2), 'ENOENT');
    assert.equal(errnoName(95), 'EOPNOTSUPP');
    assert.equal(errnoName(11), 'EAGAIN');
    assert.equal(errnoName(524), 'ENOTSUPP');
    assert.equal(errnoName(129), 'EKEYREJECTED');
    assert.equal(errnoName(100000), 'ERRNO_100000');
    assert.equal(errnoFromName('ENOENT'), 2);
    assert.equal(errnoFromName('enotsup'), 95);
    assert.equal(errnoFromName('ENOTSUPP'), 524);
    assert.equal(errnoFromName('ENOPE'), undefined);
    assert.equal(strerror(1), 'Operation not permitted');
    assert.equal(strerror(-99), 'Cannot assign requested address');
    assert.equal(strerror(524), 'Unknown error 524');
    assert.equal(strerror(129), 'Key was rejected by service');
});

test('error classes carry their exit codes and stay on one line', () => {
    const op = new OperationError(-1);
    assert.deepEqual(
        [op.exitCode, op.errno, op.code, op.message],
        [1, 1, 'EPERM', 'kernel answers: Operation not permitted'],
    );
    assert.equal(new OperationError(524).message, 'kernel answers: Unknown error 524');
    assert.equal(new OperationError(22, 'bearer not found').message, 'bearer not found');
    assert.equal(new UsageError('x').exitCode, ExitCode.USAGE);
    assert.equal(new EnvironmentError('x').exitCode, ExitCode.ENVIRONMENT);
    assert.equal(new TimeoutError('link get', 5000).exitCode, 1);
    assert.equal(new TimeoutError('link get', 5000).message, 'the kernel did not answer within 5000 ms (link get)');
    assert.equal(new InterruptedError().exitCode, 130);
    const multi = new TipcxError('first\n  second\r\nthird');
    assert.equal(multi.message, 'first second third');
    assert.equal(multi.name, 'TipcxError');
    for (const e of [op, new UsageError('u'), new EnvironmentError('e'), new TimeoutError('t', 1)])
        assert.ok(e instanceof TipcxError && e instanceof Error);
});

// The TIPC-independent half of the transport, exercised on the controller family itself.
test('transport on nlctrl: doit, dumps, concurrency, errors, close', async () => {
    const t = await openGenlFamily('nlctrl');
    try {
        assert.equal(t.familyId, 0x10);

        const one = await t.doit(CTRL_CMD_GETFAMILY, familyNameAttr('nlctrl'));
        assert.equal(one.length, 1);
        assert.ok(one[0].includes(Buffer.from('nlctrl\0')));

        // One socket, four dumps at once: the package alone gives EBUSY and mis-assembled replies.
        const dumps = await Promise.all([1, 2, 3, 4].map(() => t.dump(CTRL_CMD_GETFAMILY)));
        assert.ok(dumps[0].length >= 1);
        for (const d of dumps) assert.deepEqual(d, dumps[0]);

        await assert.rejects(t.doit(CTRL_CMD_GETFAMILY, familyNameAttr('no-such-family')), (e: unknown) => {
            assert.ok(e instanceof OperationError);
            assert.deepEqual([e.errno, e.code, e.exitCode], [2, 'ENOENT', 1]);
            assert.equal(e.message, 'kernel answers: No such file or directory');
            return true;
        });
        // CTRL_CMD_GETPOLICY dump without a family: refused when the dump starts.
        await assert.rejects(t.dump(10), (e: unknown) => e instanceof OperationError && e.code === 'EINVAL');

        // The queue survives failures.
        assert.deepEqual(await t.dump(CTRL_CMD_GETFAMILY), dumps[0]);
    } finally {
        t.close();
    }
    t.close();
    await assert.rejects(t.dump(CTRL_CMD_GETFAMILY), /closed/);
});

const NLMSG_DONE = 3;
const NLM_F_DUMP_INTR = 0x10;
const doneWith = (seq: number, status: number) => nlmsg(NLMSG_DONE, seq, Buffer.from(Int32Array.of(status).buffer));

/**
 * Starts a dump of nlctrl's families and hands `datagrams(seq)` to the
 * socket's receive path as soon as the request is in flight, ahead of the
 * kernel's own reply: what a kernel could send that nlctrl never does.
 */
async function dumpWithInjected(
    datagrams: (seq: number) => Buffer[],
    from = 0,
): Promise<{ dump: Promise<Buffer[]>; close: () => void }> {
    const t = await openGenlFamily('nlctrl');
    // Test-only look at the channel's private state (src/netlink/channel.ts).
    const inner = t as unknown as {
        channel: { raw: { emit(e: 'message', b: Buffer, rinfo: object): boolean }; inFlight?: { seq: number } };
    };
    const dump = t.dump(CTRL_CMD_GETFAMILY);
    for (let i = 0; inner.channel.inFlight === undefined; i++) {
        assert.ok(i < 1000, 'the dump never started');
        await Promise.resolve();
    }
    for (const d of datagrams(inner.channel.inFlight.seq)) inner.channel.raw.emit('message', d, { port: from });
    return { dump, close: () => t.close() };
}

// A kernel that refuses a dump after it started says so only in the NLMSG_DONE
// (TIPC's MON_PEER_GET without a bearer does).
test('transport: an error carried by NLMSG_DONE rejects the dump', async () => {
    const { dump, close } = await dumpWithInjected((seq) => [doneWith(seq, -95)]);
    try {
        await assert.rejects(dump, (e: unknown) => e instanceof OperationError && e.code === 'EOPNOTSUPP');
    } finally {
        close();
    }
});

test('transport: a dump is its own messages up to its DONE; others are not its', async () => {
    const real = await dumpWithInjected(() => []);
    const families = await real.dump.finally(real.close);
    assert.ok(families.length >= 1);

    const own = Buffer.from('tipcx-injected\0\0');
    const injected = await dumpWithInjected((seq) => [Buffer.concat([nlmsg(0x10, seq, own), doneWith(seq, 0)])]);
    // the payload after struct genlmsghdr, and the kernel's own reply (later) is not taken for it
    assert.deepEqual(await injected.dump.finally(injected.close), [own.subarray(4)]);

    // another request's, or another process's: not this dump's end
    for (const [datagrams, from] of [
        [(seq: number) => [doneWith(seq + 1, -95)], 0],
        [(seq: number) => [doneWith(seq, -95)], 4242],
    ] as const) {
        const other = await dumpWithInjected(datagrams, from);
        assert.deepEqual(await other.dump.finally(other.close), families);
    }
});

test('transport: a dump the kernel marks interrupted (NLM_F_DUMP_INTR) is made again', async () => {
    const own = Buffer.from('tipcx-injected\0\0');
    const { dump, close } = await dumpWithInjected((seq) => [
        Buffer.concat([nlmsg(0x10, seq, own, NLM_F_DUMP_INTR), doneWith(seq, 0)]),
    ]);
    const got = await dump.finally(close);
    assert.ok(got.length >= 1);
    assert.ok(!got.some((p) => p.includes(own.subarray(4))), 'the interrupted dump was kept');
});

test('transport: a message longer than its datagram fails the request', async () => {
    const { dump, close } = await dumpWithInjected((seq) => [nlmsg(0x10, seq, Buffer.alloc(8)).subarray(0, 20)]);
    try {
        await assert.rejects(dump, (e: unknown) => e instanceof FailureError && /malformed/.test(e.message));
    } finally {
        close();
    }
});

test('openGenlFamily: unknown family and bad timeouts', async () => {
    await assert.rejects(
        openGenlFamily('tipcx-no-such'),
        (e: unknown) => e instanceof EnvironmentError && e.exitCode === 3,
    );
    for (const timeoutMs of [0, -1, Number.NaN, Infinity, 2 ** 31])
        await assert.rejects(openTipc({ timeoutMs }), (e: unknown) => e instanceof UsageError);
});

test('openTipc: a missing namespace is an environment error, before any socket', async () => {
    await assert.rejects(openTipc({ netns: { name: `tipcx-missing-${process.pid}` } }), (e: unknown) => {
        assert.ok(e instanceof EnvironmentError);
        assert.equal(e.message, `no such network namespace "tipcx-missing-${process.pid}" (see ip netns list)`);
        return true;
    });
});
