// `tipc node …` text output, byte for byte.
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
