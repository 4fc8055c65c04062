// `tipc node …` text output, byte for byte.
import { formatHash } from '../netlink/identity.js';
import type { PeerNode } from '../tipc/node.js';

export function nodeListText(nodes: readonly PeerNode[]): string {
  const rows = nodes.map((n) => `${n.identity.padEnd(32)} ${n.hash} ${n.up ? 'up' : 'down'}\n`);
  return 'Node Identity                    Hash     State\n' + rows.join('');
}

export function nodeIdentityText(identity: string, address: number): string {
  return `Node Identity                    Hash\n${identity.padEnd(33)}${formatHash(address)}\n`;
}
