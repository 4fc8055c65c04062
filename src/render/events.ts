// `tipcx events`: one text line per topology event, as `ip -tshort monitor`
// prints its own ([timestamp] then what happened), and one JSON object per
// event for -j (NDJSON, docs/json.md).
import { formatHash, nodeName } from '../netlink/identity.js';
import type { LinkEvent, NodeEvent, ServiceEvent, TopologyEvent } from '../tipc/events.js';

/** How the namespace tipcx runs in is shown in text (JSON has null). */
export const CURRENT_NAMESPACE_TEXT = '(current)';

export type EventRecord = Record<string, string | number | boolean | null>;

type StateEvent = NodeEvent | LinkEvent | ServiceEvent;

/** What happened, the same word in text and JSON: a node or link up/down, a binding published/withdrawn. */
function change(e: StateEvent): string {
    if (e.kind === 'service') return e.up ? 'published' : 'withdrawn';
    return e.up ? 'up' : 'down';
}

/** What each kind adds to the common keys in JSON. */
function details(e: StateEvent): EventRecord {
    switch (e.kind) {
        case 'node': {
            const { identity, self, verdict, verdictReason } = e;
            return { address: formatHash(e.address), identity, self, verdict, verdictReason };
        }
        case 'link':
            return { name: e.name, peer: formatHash(e.peer), peerIdentity: e.peerIdentity, bearerId: e.bearerId };
        case 'service': {
            const { type, lower, upper, scope, port, nodeIdentity } = e;
            return { type, lower, upper, scope, port, node: formatHash(e.node), nodeIdentity };
        }
    }
}

/** The NDJSON object of one event (docs/json.md). */
export function eventRecord(e: TopologyEvent): EventRecord {
    const base = { time: e.time, netns: e.netns, kind: e.kind };
    if (e.kind === 'netns') return { ...base, event: e.change };
    if (e.kind === 'topology') return { ...base, event: e.change, message: e.message };
    return { ...base, origin: e.origin, event: change(e), ...details(e) };
}

/** What the text line says the event concerns. */
function subject(e: StateEvent): string {
    switch (e.kind) {
        case 'node': {
            const who = e.identity === '' ? formatHash(e.address) : `${e.identity} ${formatHash(e.address)}`;
            return who + (e.self ? ' (this node)' : e.verdict ? ` verdict ${e.verdict}` : '');
        }
        case 'link':
            return e.name ?? `to ${nodeName(e.peerIdentity, e.peer)} on bearer ${e.bearerId}`;
        case 'service':
            return `${e.type}:${e.lower}:${e.upper} ${e.scope ?? '-'} port ${e.port} node ${nodeName(e.nodeIdentity, e.node)}`;
    }
}

/** One text line (with its newline): `[TIME] NETNS ORIGIN KIND EVENT what`. */
export function eventLine(e: TopologyEvent): string {
    const head = `[${e.time}] ${e.netns ?? CURRENT_NAMESPACE_TEXT}`;
    if (e.kind === 'netns') return `${head} new netns ${e.change}\n`;
    if (e.kind === 'topology') return `${head} new topology ${e.change}: ${e.message}\n`;
    return `${head} ${e.origin} ${e.kind} ${change(e)} ${subject(e)}\n`;
}
