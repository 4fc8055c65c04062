// Links: one per peer and bearer, plus the broadcast link.
import type { Decoded, TipcMessage } from '../netlink/codec.js';
import { TipcCmd } from '../netlink/schema.js';
import type { TipcSession } from './session.js';

export interface Link {
  name: string;
  up: boolean;
  active: boolean;
  broadcast: boolean;
  mtu?: number;
  rx?: number;
  tx?: number;
  prop?: Decoded<'prop'>;
  stats?: Decoded<'stats'>;
}

export function linksFrom(messages: TipcMessage[]): Link[] {
  return messages.flatMap(({ link }) =>
    link?.name === undefined
      ? []
      : [{
          name: link.name,
          up: link.up === true,
          active: link.active === true,
          broadcast: link.broadcast === true,
          mtu: link.mtu,
          rx: link.rx,
          tx: link.tx,
          prop: link.prop,
          stats: link.stats,
        }],
  );
}

export async function listLinks(s: TipcSession): Promise<Link[]> {
  return linksFrom(await s.dump(TipcCmd.LINK_GET));
}
