// Bearers: the media attachments (eth device, UDP socket) TIPC discovers peers over.
import type { TipcMessage } from '../netlink/codec.js';
import { TipcCmd } from '../netlink/schema.js';
import type { TipcSession } from './session.js';

export interface Bearer {
  name: string;
}

export function bearersFrom(messages: TipcMessage[]): Bearer[] {
  return messages.flatMap((m) => (m.bearer?.name !== undefined ? [{ name: m.bearer.name }] : []));
}

export async function listBearers(s: TipcSession): Promise<Bearer[]> {
  return bearersFrom(await s.dump(TipcCmd.BEARER_GET));
}

export interface BearerEnable {
  name: string;
  domain?: number;
  priority?: number;
}

const ENABLE_SENTENCES = {
  EINVAL: 'the kernel refused to enable the bearer (bad name or priority, already enabled, or 3 bearers already)',
  ENODEV: 'no such network device in this namespace',
  ENOPROTOOPT: 'media not supported by this kernel',
  EEXIST: 'bearer already enabled',
};

export async function enableBearer(s: TipcSession, b: BearerEnable): Promise<void> {
  await s.doit(TipcCmd.BEARER_ENABLE, {
    bearer: {
      ...(b.domain !== undefined && { domain: b.domain }),
      ...(b.priority !== undefined && { prop: { prio: b.priority } }),
      name: b.name,
    },
  }, ENABLE_SENTENCES);
}

export async function disableBearer(s: TipcSession, name: string): Promise<void> {
  await s.doit(TipcCmd.BEARER_DISABLE, { bearer: { name } }, { EINVAL: `no bearer named "${name}" is enabled` });
}
