// The addresses of a udp bearer: parsing, the default multicast group, and the
// rule that both ends share an address family. Free of netlink, so that the
// command line can check them before a socket is opened.
import type { SockAddr } from '../netlink/codec.js';
import { ipFamily } from '../ip-text.js';
import { UsageError, quoted } from '../errors.js';

export const TIPC_UDP_PORT = 6118;

/** An IP address as udp bearers take it; an IPv6 one may carry its interface index (`fe80::1%2`). */
export type IpAddress = { family: 'ipv4'; address: string } | { family: 'ipv6'; address: string; scopeId?: number };

/** `what` names the option in the error (`localip`). */
export function parseIpAddress(text: string, what: string): IpAddress {
    const [address, scope] = text.split('%') as [string, string | undefined];
    const family = ipFamily(address);
    if (family === 0) throw new UsageError(`invalid ${what} ${quoted(text)} (expected an IPv4 or IPv6 address)`);
    if (family === 4) return { family: 'ipv4', address };
    return { family: 'ipv6', address, ...(scope ? { scopeId: Number(scope) || 0 } : {}) };
}

/** The kernel binds both ends of a udp bearer in one address family. */
export function assertSameFamily(local: IpAddress, remote: IpAddress): void {
    if (remote.family !== local.family) {
        throw new UsageError(`UDP local and remote AF mismatch (${ipText(local)}, ${ipText(remote)})`);
    }
}

function ipText(ip: IpAddress): string {
    return ip.family === 'ipv6' && ip.scopeId ? `${ip.address}%${ip.scopeId}` : ip.address;
}

/**
 * The multicast group iproute2 derives from the cluster id when no remote ip is
 * given: 228.0.(id>>8).(id&255) for IPv4, and for IPv6 the decimal digits of the
 * id read as a hex group (4711 -> ff02::4711), a quirk kept for interoperability.
 */
export function defaultMulticast(localFamily: 'ipv4' | 'ipv6', netid: number): IpAddress {
    return localFamily === 'ipv4'
        ? { family: 'ipv4', address: `228.0.${(netid >> 8) & 0xff}.${netid & 0xff}` }
        : { family: 'ipv6', address: `ff02::${netid}` };
}

export interface UdpEndpoints {
    local: SockAddr;
    remote: SockAddr;
}

export function udpEndpoints(o: {
    localip: IpAddress;
    localport?: number | undefined;
    remoteip?: IpAddress | undefined;
    remoteport?: number | undefined;
    netid: () => number;
}): UdpEndpoints {
    const remoteip = o.remoteip ?? defaultMulticast(o.localip.family, o.netid());
    assertSameFamily(o.localip, remoteip);
    const local: SockAddr = { ...o.localip, port: o.localport ?? TIPC_UDP_PORT };
    const port = o.remoteport ?? TIPC_UDP_PORT;
    // An IPv6 remote is reached through the local address's interface.
    const remote: SockAddr =
        remoteip.family === 'ipv6' && o.localip.family === 'ipv6'
            ? {
                  family: 'ipv6',
                  address: remoteip.address,
                  port,
                  ...(o.localip.scopeId !== undefined && { scopeId: o.localip.scopeId }),
              }
            : { ...remoteip, port };
    return { local, remote };
}
