// Bearers: the media attachments (eth device, UDP socket) TIPC discovers peers over.
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { SockAddr, TipcMessage } from '../netlink/codec.js';
import { UsageError } from '../netlink/errors.js';
import { withNetns, type NetnsRef } from '../netlink/netns.js';
import { TipcCmd } from '../netlink/schema.js';
import type { TipcSession } from './session.js';

export type Media = 'eth' | 'ib' | 'udp';

export interface Bearer {
  name: string;
}

export function bearersFrom(messages: TipcMessage[]): Bearer[] {
  return messages.flatMap((m) => (m.bearer?.name !== undefined ? [{ name: m.bearer.name }] : []));
}

export async function listBearers(s: TipcSession): Promise<Bearer[]> {
  return bearersFrom(await s.dump(TipcCmd.BEARER_GET));
}

/** TIPC_MAX_BEARER_NAME is 32 bytes including the NUL. */
const MAX_BEARER_NAME = 31;

/**
 * `media:interface` for eth/ib (`device DEV`), `udp:NAME` for udp (`name NAME`),
 * with iproute2's error wording for what is missing.
 */
export function bearerName(media: string | undefined, device: string | undefined, udpName: string | undefined): string {
  if (media === undefined) throw new UsageError('error, missing bearer media');
  const [key, id] = media === 'udp' ? ['name', udpName] : ['device', device];
  if (id === undefined) throw new UsageError(`error, missing bearer ${key}`);
  const name = `${media}:${id}`;
  if (Buffer.byteLength(name) > MAX_BEARER_NAME) {
    throw new UsageError(`bearer name "${name}" is too long (at most ${MAX_BEARER_NAME} bytes as media:${key})`);
  }
  return name;
}

export interface UdpEndpoints {
  local: SockAddr;
  remote: SockAddr;
}

export const TIPC_UDP_PORT = 6118;

function sockaddr(ip: string, port: number, what: string): SockAddr {
  const family = isIP(ip);
  if (family === 0) throw new UsageError(`invalid ${what} "${ip}" (expected an IPv4 or IPv6 address)`);
  return family === 4 ? { family: 'ipv4', address: ip, port } : { family: 'ipv6', address: ip, port };
}

/** The first address of an interface, in that namespace (getifaddrs runs on the switched thread). */
export function firstAddressOf(device: string, netns?: NetnsRef): string {
  const addrs = withNetns(netns, () => networkInterfaces())[device];
  const first = addrs?.find((a) => a.family === 'IPv4') ?? addrs?.[0];
  if (!first) throw new UsageError(`error, no device name available: "${device}" has no address in this namespace`);
  return first.address + (first.family === 'IPv6' && first.scopeid ? `%${first.scopeid}` : '');
}

/**
 * The multicast group iproute2 derives from the cluster id when no remote ip is
 * given: 228.0.(id>>8).(id&255) for IPv4, and for IPv6 the decimal digits of the
 * id read as a hex group (4711 -> ff02::4711), a quirk kept for interoperability.
 */
export function defaultMulticast(localFamily: 'ipv4' | 'ipv6', netid: number): string {
  return localFamily === 'ipv4' ? `228.0.${(netid >> 8) & 0xff}.${netid & 0xff}` : `ff02::${netid}`;
}

export function udpEndpoints(o: {
  localip: string;
  localport?: number;
  remoteip?: string;
  remoteport?: number;
  netid: () => number;
}): UdpEndpoints {
  const [localip, scope] = o.localip.split('%');
  const local = sockaddr(localip!, o.localport ?? TIPC_UDP_PORT, 'localip');
  if (local.family === 'ipv6' && scope) local.scopeId = Number(scope) || 0;
  const remoteIp = o.remoteip ?? defaultMulticast(local.family, o.netid());
  const remote = sockaddr(remoteIp, o.remoteport ?? TIPC_UDP_PORT, 'remoteip');
  if (remote.family !== local.family) throw new UsageError(`UDP local and remote AF mismatch (${o.localip}, ${remoteIp})`);
  if (remote.family === 'ipv6' && local.family === 'ipv6') remote.scopeId = local.scopeId;
  return { local, remote };
}

export interface BearerEnable {
  name: string;
  domain?: number;
  priority?: number;
  udp?: UdpEndpoints;
}

const ENABLE_SENTENCES = {
  EINVAL: 'the kernel refused to enable the bearer (already enabled, 3 bearers already, bad priority, or a device it cannot use)',
  ENODEV: 'no such network device in this namespace',
  EADDRNOTAVAIL: 'the local ip is not an address of this namespace',
  EPROTONOSUPPORT: 'this media is not supported by the kernel',
  EAFNOSUPPORT: 'this address family is not supported by the kernel for udp bearers',
};

export async function enableBearer(s: TipcSession, b: BearerEnable): Promise<void> {
  await s.doit(TipcCmd.BEARER_ENABLE, {
    bearer: {
      ...(b.domain !== undefined && { domain: b.domain }),
      ...(b.priority !== undefined && { prop: { prio: b.priority } }),
      name: b.name,
      ...(b.udp && { udpOpts: { local: b.udp.local, remote: b.udp.remote } }),
    },
  }, ENABLE_SENTENCES);
}

export async function disableBearer(s: TipcSession, name: string): Promise<void> {
  await s.doit(TipcCmd.BEARER_DISABLE, { bearer: { name } }, { EINVAL: `no bearer "${name}" is enabled` });
}
