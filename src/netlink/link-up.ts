/**
 * Setting an interface up inside any namespace from this process: one
 * RTM_SETLINK over an rtnetlink socket created there (setns, as every socket
 * here). `tipcx lab up` brings each namespace's loopback up this way instead
 * of starting `ip -n NS` once per namespace, which cost it most of its time
 * (bench/ times it against an iproute2 script).
 *
 * Through the `netlink` package's public NetlinkSocket only (its rtnetlink
 * module is not loaded): the message is struct ifinfomsg plus IFLA_IFNAME.
 */
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import type * as NetlinkPackage from 'netlink';
import { EnvironmentError, OperationError, TipcxError } from '../errors.js';
import { withNetns, type NetnsRef } from './netns.js';
import { errnoFromNetlinkError } from './transport.js';

const load = createRequire(import.meta.url);
const { Protocol } = load('netlink/dist/constants.js') as typeof NetlinkPackage;
const { createNetlink } = load('netlink/dist/netlink.js') as typeof NetlinkPackage;

// <linux/rtnetlink.h>, <linux/if_link.h>, <linux/if.h>
const RTM_SETLINK = 19;
const IFLA_IFNAME = 3;
const IFF_UP = 0x1;
const IFINFOMSG_LEN = 16;
const HOST_LE = endianness() === 'LE';

function u32(buf: Buffer, off: number, v: number): void {
    if (HOST_LE) buf.writeUInt32LE(v, off);
    else buf.writeUInt32BE(v, off);
}

/** The request: struct ifinfomsg (family, type, index 0: look up by name, flags, change) and the name. */
function setUpRequest(ifname: string): Buffer {
    const name = Buffer.from(`${ifname}\0`);
    const attrLen = 4 + name.length;
    const out = Buffer.alloc(IFINFOMSG_LEN + ((attrLen + 3) & ~3));
    u32(out, 8, IFF_UP);
    u32(out, 12, IFF_UP);
    const at = IFINFOMSG_LEN;
    if (HOST_LE) {
        out.writeUInt16LE(attrLen, at);
        out.writeUInt16LE(IFLA_IFNAME, at + 2);
    } else {
        out.writeUInt16BE(attrLen, at);
        out.writeUInt16BE(IFLA_IFNAME, at + 2);
    }
    name.copy(out, at + 4);
    return out;
}

/** Sets interfaces `ifnames` of namespace `netns` (undefined: the current one) up, in order; waits for each ACK. */
export async function setLinksUp(netns: NetnsRef | undefined, ifnames: string[], timeoutMs = 5000): Promise<void> {
    const sock = withNetns(netns, () => {
        try {
            return createNetlink(Protocol.ROUTE);
        } catch (e) {
            throw new EnvironmentError(`cannot open an rtnetlink socket: ${(e as Error).message}`, { cause: e });
        }
    });
    sock.on('error', () => {
        // send failures also reject the request
    });
    let ifname = '';
    try {
        for (ifname of ifnames) await sock.request(RTM_SETLINK, setUpRequest(ifname), { timeout: timeoutMs });
    } catch (e) {
        const errno = errnoFromNetlinkError(e);
        if (errno !== undefined)
            throw new OperationError(errno, `cannot set ${ifname} up: ${new OperationError(errno).message}`, {
                cause: e,
            });
        throw new TipcxError(`cannot set ${ifname} up: ${(e as Error).message}`, 1, { cause: e });
    } finally {
        sock.close();
    }
}
