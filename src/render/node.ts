// `tipc node …` text output, byte for byte, and the JSON records of `node get`.
import { formatHash } from '../netlink/identity.js';
import type { PeerNode } from '../tipc/node.js';
import { stateWord } from './color.js';

/** `color`: the state word is green/red (only ever on a terminal or with --color=always). */
export function nodeListText(nodes: readonly PeerNode[], color = false): string {
    const rows = nodes.map((n) => `${n.identity.padEnd(32)} ${n.hash} ${stateWord(n.up, color)}\n`);
    return 'Node Identity                    Hash     State\n' + rows.join('');
}

// --all-netns asks every text renderer for what it prints with no records, to
// print a table's header once (mergeText, src/cli/all-netns.ts): the `node get`
// renderers take any number of records, and with none print only the header.

export interface NodeIdentityRecord {
    identity: string;
    hash: string;
    address: number;
}

export function nodeIdentityRecords(identity: string, address: number): NodeIdentityRecord[] {
    return [{ identity, hash: formatHash(address), address }];
}

export function nodeIdentityText(records: readonly NodeIdentityRecord[]): string {
    return (
        'Node Identity                    Hash\n' + records.map((r) => `${r.identity.padEnd(33)}${r.hash}\n`).join('')
    );
}

export interface NodeAddressRecord {
    address: number;
    /** As `node get address` prints it: 8 hex digits. */
    hash: string;
}

export function nodeAddressRecords(address: number): NodeAddressRecord[] {
    return [{ address, hash: formatHash(address) }];
}

export function nodeAddressText(records: readonly NodeAddressRecord[]): string {
    return records.map((r) => `${r.hash}\n`).join('');
}

export interface ClusterIdRecord {
    clusterId: number;
}

/** `node get netid` and `node get clusterid`: the same value, one key. */
export function clusterIdRecords(netid: number): ClusterIdRecord[] {
    return [{ clusterId: netid }];
}

export function clusterIdText(records: readonly ClusterIdRecord[]): string {
    return records.map((r) => `${r.clusterId}\n`).join('');
}
