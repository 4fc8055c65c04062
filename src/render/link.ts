// `tipc link …` text output, byte for byte.
import type { Link } from '../tipc/link.js';

export function linkListText(links: readonly Pick<Link, 'name' | 'up'>[]): string {
  return links.map((l) => `${l.name}: ${l.up ? 'up' : 'down'}\n`).join('');
}
