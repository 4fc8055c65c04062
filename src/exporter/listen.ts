// Where `tipcx exporter` listens: parsed and judged while the command line is
// read, so a bad address is a usage error before any socket exists. Only IP
// literals: resolving a name would be a lookup before the usage checks end.
import { isIPv4, isIPv6 } from '../ip-text.js';
import { UsageError } from '../errors.js';

/**
 * The default port. The Prometheus project's list of exporter ports filled
 * 9100-9999 by 2023 and continues above 10000; 16118 is TIPC's UDP port
 * (6118) plus 10000, outside what that list held when it was chosen (docs/metrics.md).
 */
export const DEFAULT_PORT = 16118;
export const DEFAULT_HOST = '127.0.0.1';

export interface ListenAddress {
    /** An IPv4 or IPv6 literal, without brackets. */
    readonly host: string;
    readonly port: number;
    readonly loopback: boolean;
}

export const DEFAULT_LISTEN: ListenAddress = { host: DEFAULT_HOST, port: DEFAULT_PORT, loopback: true };

const EXPECTED = 'expected ADDR:PORT with an IP address, e.g. 127.0.0.1:16118 or [::1]:16118, port 1..65535';

/** `ADDR:PORT` or `[IPv6]:PORT`, ADDR an IP literal, PORT 1..65535. */
export function parseListenAddress(text: string, label: string): ListenAddress {
    const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:[\]]+):(\d{1,5})$/.exec(text);
    const host = m?.[1] ?? '';
    const port = m ? Number(m[2]) : Number.NaN;
    const bracketed = text.startsWith('[');
    const valid = m !== null && (bracketed ? isIPv6(host) : isIPv4(host)) && port >= 1 && port <= 65535;
    if (!valid) throw new UsageError(`error, invalid value "${text}" for "${label}" (${EXPECTED})`);
    return { host, port, loopback: isLoopback(host) };
}

/** 127.0.0.0/8, ::1, and IPv4-mapped loopback (::ffff:127.x.y.z). */
export function isLoopback(host: string): boolean {
    const h = host.toLowerCase();
    if (isIPv4(h)) return h.startsWith('127.');
    if (h === '::1' || /^0{0,4}(:0{0,4}){6}:0{0,3}1$/.test(h)) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return mapped !== null && mapped[1].startsWith('127.');
}

/** The usage error for a non-loopback address given without the `public` word. */
export function requirePublicWord(address: ListenAddress): void {
    if (!address.loopback) {
        throw new UsageError(
            `error, "listen ${hostPort(address)}" is not a loopback address: metrics would be served to other machines; add the word "public" to mean it`,
        );
    }
}

export function hostPort(a: Pick<ListenAddress, 'host' | 'port'>): string {
    return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
