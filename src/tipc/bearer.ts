// Bearers: the media attachments (eth device, UDP socket) TIPC discovers peers over.
import { networkInterfaces } from 'node:os';
import { decodeAttrs, encodeMessage, type Decoded, type SockAddr, type TipcMessage } from '../netlink/codec.js';
import { FailureError, OperationError, UsageError } from '../errors.js';
import { withNetns, type NetnsRef } from '../netlink/netns.js';
import { TipcCmd } from '../netlink/schema.js';
import { TipcSession } from './session.js';
import type { IpAddress, UdpEndpoints } from './udp-address.js';

export {
    TIPC_UDP_PORT,
    defaultMulticast,
    parseIpAddress,
    udpEndpoints,
    type IpAddress,
    type UdpEndpoints,
} from './udp-address.js';

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

/** An enabled bearer with its properties, as one BEARER_GET dump reports it. */
export interface BearerWithProperties extends Bearer {
    prop: Decoded<'prop'>;
}

export function bearersWithPropertiesFrom(messages: TipcMessage[]): BearerWithProperties[] {
    return messages.flatMap(({ bearer }) =>
        bearer?.name !== undefined ? [{ name: bearer.name, prop: bearer.prop ?? {} }] : [],
    );
}

/** BEARER_GET dump: every enabled bearer with its priority, tolerance, window and MTU. */
export async function listBearersWithProperties(s: TipcSession): Promise<BearerWithProperties[]> {
    return bearersWithPropertiesFrom(await s.dump(TipcCmd.BEARER_GET));
}

/** TIPC_MAX_BEARER_NAME is 32 bytes including the NUL. */
const MAX_BEARER_NAME = 31;

/**
 * `media:interface` for eth/ib (`device DEV`), `udp:NAME` for udp (`name NAME`),
 * with iproute2's error wording for what is missing.
 */
export function bearerName(media: string | undefined, device: string | undefined, udpName: string | undefined): string {
    if (media === undefined) throw new UsageError('missing bearer media');
    const [key, id] = media === 'udp' ? ['name', udpName] : ['device', device];
    if (id === undefined) throw new UsageError(`missing bearer ${key}`);
    const name = `${media}:${id}`;
    if (Buffer.byteLength(name) > MAX_BEARER_NAME) {
        throw new UsageError(`bearer name "${name}" is too long (at most ${MAX_BEARER_NAME} bytes as media:${key})`);
    }
    return name;
}

/** The first address of an interface, in that namespace (getifaddrs runs on the switched thread). */
export function firstAddressOf(device: string, netns?: NetnsRef): IpAddress {
    const addrs = withNetns(netns, () => networkInterfaces())[device];
    const first = addrs?.find((a) => a.family === 'IPv4') ?? addrs?.[0];
    if (!first) throw new UsageError(`no device name available: "${device}" has no address in this namespace`);
    if (first.family === 'IPv4') return { family: 'ipv4', address: first.address };
    return { family: 'ipv6', address: first.address, ...(first.scopeid ? { scopeId: first.scopeid } : {}) };
}

export interface BearerEnable {
    name: string;
    domain?: number;
    priority?: number;
    udp?: UdpEndpoints;
}

function enableSentences(name: string) {
    return {
        EINVAL: `cannot enable bearer "${name}": already enabled, 3 bearers already, bad priority, or a device the kernel cannot use`,
        ENODEV: `cannot enable bearer "${name}": no such network device in this namespace`,
        EADDRNOTAVAIL: `cannot enable bearer "${name}": the local ip is not an address of this namespace`,
        EPROTONOSUPPORT: `cannot enable bearer "${name}": the kernel does not support this media`,
        EAFNOSUPPORT: `cannot enable bearer "${name}": the kernel does not support this address family for udp bearers`,
    };
}

export async function enableBearer(s: TipcSession, b: BearerEnable): Promise<void> {
    await s.doit(
        TipcCmd.BEARER_ENABLE,
        {
            bearer: {
                ...(b.domain !== undefined && { domain: b.domain }),
                ...(b.priority !== undefined && { prop: { prio: b.priority } }),
                name: b.name,
                ...(b.udp && { udpOpts: { local: b.udp.local, remote: b.udp.remote } }),
            },
        },
        enableSentences(b.name),
    );
}

export async function disableBearer(s: TipcSession, name: string): Promise<void> {
    await s.doit(TipcCmd.BEARER_DISABLE, { bearer: { name } }, { EINVAL: `no bearer "${name}" is enabled` });
}

// ---------------------------------------------------------------- properties and UDP options

export type BearerProperty = 'priority' | 'tolerance' | 'window' | 'mtu';
const PROP_ATTR = { priority: 'prio', tolerance: 'tol', window: 'win', mtu: 'mtu' } as const satisfies Record<
    BearerProperty,
    string
>;

export interface BearerRecord {
    name: string;
    prop: Decoded<'prop'>;
    udp?: Decoded<'udp'>;
}

const notEnabled = (name: string) => `no bearer "${name}" is enabled`;

/** BEARER_GET do: one bearer's properties and, for udp, its endpoints. */
export async function getBearer(s: TipcSession, name: string): Promise<BearerRecord> {
    const messages = await s.doit(TipcCmd.BEARER_GET, { bearer: { name } }, { EINVAL: notEnabled(name) });
    const bearer = messages.find((m) => m.bearer)?.bearer;
    if (!bearer) throw new FailureError(`the kernel sent no record for bearer "${name}"`);
    return { name: bearer.name ?? name, prop: bearer.prop ?? {}, ...(bearer.udpOpts && { udp: bearer.udpOpts }) };
}

export async function getBearerProperty(s: TipcSession, name: string, property: BearerProperty): Promise<number> {
    const value = (await getBearer(s, name)).prop[PROP_ATTR[property]];
    if (value === undefined) throw new FailureError(`the kernel sent no ${property} for bearer "${name}"`);
    return value;
}

async function bearerExists(s: TipcSession, name: string): Promise<boolean> {
    return (await listBearers(s)).some((b) => b.name === name);
}

const RANGES: Record<BearerProperty, string> = {
    priority: '0..31',
    tolerance: '50..30000 ms',
    window: '50..8191 since Linux 5.6 (16..8191 before)',
    mtu: 'at least 128 for IPv4 and 148 for IPv6 udp bearers',
};

export async function setBearerProperty(
    s: TipcSession,
    name: string,
    property: BearerProperty,
    value: number,
): Promise<void> {
    try {
        await s.doit(TipcCmd.BEARER_SET, { bearer: { prop: { [PROP_ATTR[property]]: value }, name } });
    } catch (err) {
        if (!(err instanceof OperationError) || err.code !== 'EINVAL') throw err;
        const sentence = !(await bearerExists(s, name))
            ? notEnabled(name)
            : property === 'mtu' && !name.startsWith('udp:')
              ? `"${name}" has no mtu: only udp bearers do`
              : `the kernel refused ${property} ${value} for bearer "${name}" (it accepts ${RANGES[property]})`;
        throw new OperationError(err.errno, sentence, { cause: err });
    }
}

/** BEARER_ADD: one more replicast peer for a udp bearer. */
export async function addRemoteIp(s: TipcSession, name: string, remote: SockAddr): Promise<void> {
    await s.doit(
        TipcCmd.BEARER_ADD,
        { bearer: { name, udpOpts: { remote } } },
        {
            EINVAL: `the kernel refused to add ${remote.address} to "${name}": the bearer is not enabled, uses a multicast group (no replicast list), or the address family differs from its local ip`,
            EOPNOTSUPP: `"${name}" is not a udp bearer`,
        },
    );
}

/**
 * Every replicast peer of a udp bearer: a UDP_GET_REMOTEIP dump, on a session
 * of its own as iproute2 does (≥ 5.14). Its replies carry TIPC_NLA_UDP_REMOTE
 * at top level, where type 2 would otherwise read as SOCK.
 */
export async function listRemoteIps(netns: NetnsRef | undefined, name: string): Promise<SockAddr[]> {
    const second = await TipcSession.open({ netns });
    try {
        const replies = await second.transport.dump(TipcCmd.UDP_GET_REMOTEIP, encodeMessage({ bearer: { name } }));
        return replies.flatMap((payload) => {
            const { remote } = decodeAttrs('udpRemoteIpReply', payload);
            return remote ? [remote] : [];
        });
    } catch (err) {
        if (err instanceof OperationError && err.code === 'EINVAL')
            throw new OperationError(err.errno, notEnabled(name), { cause: err });
        throw err;
    } finally {
        second.close();
    }
}
