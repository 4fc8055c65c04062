// `tipc link monitor …` text output, byte for byte, and the JSON records.
import { formatHash } from '../netlink/identity.js';
import {
    legacyAddressText,
    upMapBit,
    type MonitorBearer,
    type MonitorPeer,
    type MonitorSummary,
} from '../tipc/monitor.js';

export interface ThresholdRecord {
    threshold: number;
}

/** iproute2 -j prints the invalid `["threshold":32]`; this is `[{"threshold":32}]`. */
export function thresholdRecords(threshold: number): ThresholdRecord[] {
    return [{ threshold }];
}

export function thresholdText(records: readonly ThresholdRecord[]): string {
    return records.map((r) => `${r.threshold}\n`).join('');
}

export interface MonitorSummaryRecord {
    bearer: string;
    tableGeneration: number;
    clusterSize: number;
    algorithm: 'overlapping-ring' | 'full-mesh';
}

const algorithm = (active: boolean) => (active ? 'overlapping-ring' : 'full-mesh');

export function monitorSummaryRecords(summaries: readonly MonitorSummary[]): MonitorSummaryRecord[] {
    return summaries.map((m) => ({
        bearer: m.bearer,
        tableGeneration: m.tableGeneration,
        clusterSize: m.clusterSize,
        algorithm: algorithm(m.active),
    }));
}

export function monitorSummaryText(records: readonly MonitorSummaryRecord[]): string {
    return records
        .map(
            (r) =>
                `\nbearer ${r.bearer}\n    table_generation ${r.tableGeneration}\n    cluster_size ${r.clusterSize}\n    algorithm ${r.algorithm}\n`,
        )
        .join('');
}

export interface MonitorPeerRecord {
    /** The address read as legacy Z.C.N, as iproute2 prints it (meaningless for hashes). */
    node: string;
    address: number;
    hash: string;
    /** As `node list` prints it; '' if the kernel does not know it. */
    identity: string;
    status: 'up' | 'down';
    monitored: 'direct' | 'indirect';
    generation: number;
    /** Up/down of the first `applied` members of the peer's domain, in member order. */
    appliedNodeStatus: ('U' | 'D')[];
    /** Members of the peer's domain not applied yet. */
    nonAppliedNodes: { address: number; hash: string; up: boolean }[];
}

export interface MonitorListRecord {
    bearer: string;
    peers: MonitorPeerRecord[];
}

function peerRecord(p: MonitorPeer): MonitorPeerRecord {
    const applied =
        p.applied === 0 ? [] : Array.from({ length: p.applied }, (_, i) => (upMapBit(p.upMap, i) ? 'U' : 'D'));
    const nonApplied =
        p.applied === 0
            ? []
            : p.members.slice(p.applied).map((address, j) => ({
                  address,
                  hash: formatHash(address),
                  up: upMapBit(p.upMap, p.applied + j),
              }));
    return {
        node: legacyAddressText(p.address),
        address: p.address,
        hash: formatHash(p.address),
        identity: p.identity,
        status: p.up ? 'up' : 'down',
        monitored: p.direct ? 'direct' : 'indirect',
        generation: p.generation,
        appliedNodeStatus: applied,
        nonAppliedNodes: nonApplied,
    };
}

export function monitorListRecords(bearers: readonly MonitorBearer[]): MonitorListRecord[] {
    return bearers.map((b) => ({ bearer: b.bearer, peers: b.peers.map(peerRecord) }));
}

const TITLE = 'node          status monitored generation applied_node_status [non_applied_node:status]';

function peerLine(p: MonitorPeerRecord): string {
    let line = `${p.node.padEnd(14)}${p.status.padEnd(7)}${p.monitored.padEnd(10)}${String(p.generation).padEnd(11)}`;
    if (p.appliedNodeStatus.length > 0) {
        // a comma before every fifth state, then the unapplied members (%x:U|D)
        line += p.appliedNodeStatus.map((s, i) => (i && i % 5 === 0 ? `,${s}` : s)).join('');
        line += ` [${p.nonAppliedNodes.map((m) => `${m.address.toString(16)}:${m.up ? 'U' : 'D'}`).join(',')}]`;
    }
    return `${line}\n`;
}

export function monitorListText(records: readonly MonitorListRecord[]): string {
    return records.map((b) => `\nbearer ${b.bearer}\n${TITLE}\n${b.peers.map(peerLine).join('')}`).join('');
}
