/**
 * The TIPCv2 generic netlink transport: resolve the family, send "doit" and
 * "dump" requests over a NetlinkChannel (src/netlink/channel.ts: the socket
 * and the message protocol), with struct genlmsghdr in front of each request
 * and stripped from each reply.
 */
import { statSync } from 'node:fs';
import { EnvironmentError, OperationError, UsageError } from '../errors.js';
import { TIPC_NOT_AVAILABLE } from './availability.js';
import { createCodec, genlHeader, type Codec } from './codec.js';
import { NETLINK_GENERIC, NLM_F_DUMP, openChannel, type NetlinkChannel } from './channel.js';
import type { NetnsRef } from './netns.js';
import { TIPC_GENL } from './schema.js';
import { TIPC_MODULE_SYSFS } from './tipc-module.js';

const DEFAULT_TIMEOUT_MS = 5000;
/** The longest delay setTimeout keeps (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export { TIPC_NOT_AVAILABLE };

// <linux/genetlink.h>
const GENL_HDRLEN = 4; // struct genlmsghdr
const GENL_ID_CTRL = 0x10;
const CTRL_VERSION = 2;
const CTRL_CMD_GETFAMILY = 3;

/** The controller's attributes that finding a family needs (<linux/genetlink.h>, enum CTRL_ATTR_*). */
const CTRL_SCHEMA = {
    top: {
        familyId: { id: 1, type: 'u16', c: 'CTRL_ATTR_FAMILY_ID', doc: 'the id requests to the family carry' },
        familyName: { id: 2, type: 'string', c: 'CTRL_ATTR_FAMILY_NAME', doc: 'the name it registered' },
    },
} as const;
let ctrl: Codec<typeof CTRL_SCHEMA> | undefined;

export interface TipcTransport {
    readonly familyId: number;
    /** A request with REQUEST|ACK; the attribute payloads of the replies (none for a bare ACK). */
    doit(cmd: number, attrs?: Buffer): Promise<Buffer[]>;
    /** A DUMP request; every message's attribute payload, in order. */
    dump(cmd: number, attrs?: Buffer): Promise<Buffer[]>;
    close(): void;
}

export interface OpenOptions {
    netns?: NetnsRef;
    timeoutMs?: number;
}

/** struct genlmsghdr and the attributes after it, as the channel takes a payload (in parts). */
function genlPayload(cmd: number, version: number, attrs: Buffer | undefined): Buffer[] {
    return attrs ? [genlHeader(cmd, version), attrs] : [genlHeader(cmd, version)];
}

class GenlTransport implements TipcTransport {
    constructor(
        private readonly channel: NetlinkChannel,
        readonly familyId: number,
        private readonly version: number,
    ) {}

    async doit(cmd: number, attrs?: Buffer): Promise<Buffer[]> {
        return (await this.request(cmd, attrs, 0)).data;
    }

    async dump(cmd: number, attrs?: Buffer): Promise<Buffer[]> {
        // DUMP_INTR: the kernel's table changed mid-dump; a fresh dump is consistent.
        for (let attempt = 1; ; attempt++) {
            const { data, interrupted } = await this.request(cmd, attrs, NLM_F_DUMP);
            if (!interrupted || attempt === 3) return data;
        }
    }

    close(): void {
        this.channel.close();
    }

    private request(cmd: number, attrs: Buffer | undefined, flags: number) {
        const what = `genl family ${this.familyId} command ${cmd}${flags ? ' dump' : ''}`;
        return this.channel.request(this.familyId, flags, genlPayload(cmd, this.version, attrs), GENL_HDRLEN, what);
    }
}

/**
 * Opens a generic netlink socket (inside `netns` when given: the socket is
 * created synchronously while the thread is switched) and resolves TIPCv2 by name.
 */
export function openTipc(opts: OpenOptions = {}): Promise<TipcTransport> {
    return openGenlFamily(
        TIPC_GENL.name,
        { ...opts, loadStamp: tipcModuleStamp },
        () => new EnvironmentError(TIPC_NOT_AVAILABLE, { errno: 2 }),
    );
}

/**
 * Which load of the tipc module this is: the sysfs inode of /sys/module/tipc,
 * new each time the module is loaded. undefined when it is not loaded (or
 * built in without a sysfs entry): the family is then looked up every time.
 */
function tipcModuleStamp(): number | undefined {
    try {
        return statSync(TIPC_MODULE_SYSFS).ino;
    } catch {
        return undefined;
    }
}

/**
 * Generic netlink family ids are global, the same in every namespace, and
 * change only when the family is registered again (module reload). Looking
 * one up costs a round trip per socket; `--all-netns` and `top` open a socket
 * per namespace, so ids are kept per family name and module load.
 */
const familyIds = new Map<string, { id: number; stamp: number }>();

/**
 * The same transport for any generic netlink family: tests exercise it with
 * 'nlctrl' on kernels without TIPC. `version` goes into every genl header.
 */
export async function openGenlFamily(
    name: string,
    opts: OpenOptions & { version?: number; loadStamp?: () => number | undefined } = {},
    notFound: () => Error = () => new EnvironmentError(`generic netlink family ${name} not found`, { errno: 2 }),
): Promise<TipcTransport> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // setTimeout takes 0, NaN and anything above 2^31 - 1 ms (Infinity too) as 1 ms: every request would time out
    if (!(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS))
        throw new UsageError(`timeout must be 1 to ${MAX_TIMEOUT_MS} milliseconds, not ${timeoutMs}`);
    const channel = openChannel(NETLINK_GENERIC, opts.netns, timeoutMs);
    const version = opts.version ?? TIPC_GENL.version;
    const stamp = opts.loadStamp?.();
    const known = familyIds.get(name);
    if (stamp !== undefined && known?.stamp === stamp) return new GenlTransport(channel, known.id, version);
    let familyId: number | undefined;
    try {
        ctrl ??= createCodec(CTRL_SCHEMA);
        const { data } = await channel.request(
            GENL_ID_CTRL,
            0,
            genlPayload(CTRL_CMD_GETFAMILY, CTRL_VERSION, ctrl.encode('top', { familyName: name })),
            GENL_HDRLEN,
            `resolving ${name}`,
        );
        familyId = data.length > 0 ? ctrl.decode('top', data[0]).familyId : undefined;
    } catch (e) {
        channel.close();
        if (e instanceof OperationError && e.errno === 2) throw notFound();
        throw e;
    }
    if (familyId === undefined) {
        channel.close();
        throw notFound();
    }
    if (stamp !== undefined) familyIds.set(name, { id: familyId, stamp });
    return new GenlTransport(channel, familyId, version);
}
