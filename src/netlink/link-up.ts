/**
 * Setting an interface up inside any namespace from this process: one
 * RTM_SETLINK over an rtnetlink socket created there (setns, as every socket
 * here). `tipcx lab up` brings each namespace's loopback up this way instead
 * of starting `ip -n NS` once per namespace, which cost it most of its time
 * (bench/ times it against an iproute2 script).
 *
 * Over a NetlinkChannel (src/netlink/channel.ts), as TIPC's requests: the
 * message is struct ifinfomsg plus IFLA_IFNAME.
 */
import { endianness } from 'node:os';
import { OperationError } from '../errors.js';
import { NETLINK_ROUTE, openChannel } from './channel.js';
import type { NetnsRef } from './netns.js';

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
    const channel = openChannel(NETLINK_ROUTE, netns, timeoutMs);
    try {
        for (const ifname of ifnames) {
            try {
                await channel.request(RTM_SETLINK, 0, [setUpRequest(ifname)], 0, `setting ${ifname} up`);
            } catch (e) {
                if (!(e instanceof OperationError)) throw e;
                throw new OperationError(e.errno, `cannot set ${ifname} up: ${e.message}`, { cause: e });
            }
        }
    } finally {
        channel.close();
    }
}
