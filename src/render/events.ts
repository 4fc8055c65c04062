// `tipcx events`: one text line per topology event, as `ip -tshort monitor`
// prints its own ([timestamp] then what happened), and one JSON object per
// event for -j (NDJSON, docs/json.md).
import { formatHash } from '../netlink/identity.js';
import type { TopologyEvent } from '../tipc/events.js';

/** How the namespace tipcx runs in is shown in text (JSON has null). */
export const CURRENT_NAMESPACE_TEXT = '(current)';

export type EventRecord = Record<string, string | number | boolean | null>;

/** The NDJSON object of one event (docs/json.md). */
export function eventRecord(e: TopologyEvent): EventRecord {
    const base = { time: e.time, netns: e.netns, kind: e.kind };
    switch (e.kind) {
        case 'node':
            return {
                ...base,
                origin: e.origin,
                event: e.up ? 'up' : 'down',
                address: formatHash(e.address),
                identity: e.identity,
                self: e.self,
                verdict: e.verdict,
                verdictReason: e.verdictReason,
            };
        case 'link':
            return {
                ...base,
                origin: e.origin,
                event: e.up ? 'up' : 'down',
                name: e.name,
                peer: formatHash(e.peer),
                peerIdentity: e.peerIdentity,
                bearerId: e.bearerId,
            };
        case 'service':
            return {
                ...base,
                origin: e.origin,
                event: e.up ? 'published' : 'withdrawn',
                type: e.type,
                lower: e.lower,
                upper: e.upper,
                scope: e.scope,
                port: e.port,
                node: formatHash(e.node),
                nodeIdentity: e.nodeIdentity,
            };
        case 'netns':
            return { ...base, event: e.change };
        case 'topology':
            return { ...base, event: e.change, message: e.message };
    }
}

/** One text line (with its newline): `[TIME] NETNS ORIGIN KIND EVENT what`. */
export function eventLine(e: TopologyEvent): string {
    const head = `[${e.time}] ${e.netns ?? CURRENT_NAMESPACE_TEXT}`;
    switch (e.kind) {
        case 'node': {
            const who = e.identity === '' ? formatHash(e.address) : `${e.identity} ${formatHash(e.address)}`;
            const extra = e.self ? ' (this node)' : e.verdict ? ` verdict ${e.verdict}` : '';
            return `${head} ${e.origin} node ${e.up ? 'up' : 'down'} ${who}${extra}\n`;
        }
        case 'link': {
            const name = e.name ?? `to ${e.peerIdentity || formatHash(e.peer)} on bearer ${e.bearerId}`;
            return `${head} ${e.origin} link ${e.up ? 'up' : 'down'} ${name}\n`;
        }
        case 'service': {
            const node = e.nodeIdentity || formatHash(e.node);
            return `${head} ${e.origin} service ${e.up ? 'published' : 'withdrawn'} ${e.type}:${e.lower}:${e.upper} ${e.scope ?? '-'} port ${e.port} node ${node}\n`;
        }
        case 'netns':
            return `${head} new netns ${e.change}\n`;
        case 'topology':
            return `${head} new topology ${e.change}: ${e.message}\n`;
    }
}
