// `tipc node …` text output, byte for byte, and the JSON records of `node get`.
import { formatHash } from '../netlink/identity.js';
import type { PeerNode } from '../tipc/node.js';
import { stateWord } from './color.js';

/** `color`: the state word is green/red (only ever on a terminal or with --color=always). */
export function nodeListText(nodes: readonly PeerNode[], color = false): string {
  const rows = nodes.map((n) => `${n.identity.padEnd(32)} ${n.hash} ${stateWord(n.up, color)}\n`);
  return 'Node Identity                    Hash     State\n' + rows.join('');
}

export function nodeIdentityText(identity: string, address: number): string {
  return `Node Identity                    Hash\n${identity.padEnd(33)}${formatHash(address)}\n`;
}

export interface NodeAddressRecord {
  address: number;
  /** As `node get address` prints it: 8 hex digits. */
  hash: string;
}

export function nodeAddressRecords(address: number): NodeAddressRecord[] {
  return [{ address, hash: formatHash(address) }];
}

export function nodeAddressText([r]: readonly NodeAddressRecord[]): string {
  return `${r!.hash}\n`;
}

export interface ClusterIdRecord {
  clusterId: number;
}

/** `node get netid` and `node get clusterid`: the same value, one key. */
export function clusterIdRecords(netid: number): ClusterIdRecord[] {
  return [{ clusterId: netid }];
}

export function clusterIdText([r]: readonly ClusterIdRecord[]): string {
  return `${r!.clusterId}\n`;
}
