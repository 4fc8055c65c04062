// node set key KEY [algname A] [nodeid N | master] [rekeying MIN|now]
// node set key rekeying MIN|now
import { defineCommand } from '../../cli/registry.js';
import { UsageError } from '../../errors.js';
import { parseNodeId } from '../../netlink/identity.js';
import { ALG_NAME_LEN, DEFAULT_ALG, KEY_LENGTHS, REKEYING_NOW, parseKeyText, setKey, type KeyRequest } from '../../tipc/key.js';
import { resolveIdentity } from '../../tipc/peer.js';
import { inSession } from '../session.js';

function keyBytes(text: string): Buffer {
  const bytes = parseKeyText(text);
  if (!(KEY_LENGTHS as readonly number[]).includes(bytes.length)) {
    throw new UsageError(`error, invalid key: ${bytes.length} octets (expected ${KEY_LENGTHS.join(', ')}: an AES key of 16, 24 or 32 octets plus a 4-octet salt, as ASCII or 0x-hex)`);
  }
  return bytes;
}

function algName(text: string | undefined): string {
  if (text === undefined) return DEFAULT_ALG;
  if (text.length === 0 || Buffer.byteLength(text) > ALG_NAME_LEN - 1) {
    throw new UsageError(`error, invalid algname "${text}" (expected 1..${ALG_NAME_LEN - 1} characters, e.g. "${DEFAULT_ALG}")`);
  }
  return text;
}

export default defineCommand({
  async run(ctx) {
    const { algname, nodeid, master, rekeying } = ctx.opts as Record<string, string | undefined>;
    const rekeyingValue = rekeying === undefined ? undefined : rekeying === 'now' ? REKEYING_NOW : Number(rekeying);
    if (ctx.value === undefined) {
      if (algname !== undefined || nodeid !== undefined || master !== undefined) {
        throw new UsageError('error, missing KEY: algname, nodeid and master describe a key');
      }
      if (rekeyingValue === undefined) throw new UsageError('error, missing KEY (or "rekeying MINUTES|now")');
    }
    if (nodeid !== undefined && master !== undefined) throw new UsageError('error, per-node key cannot be master');
    const bytes = ctx.value === undefined ? undefined : keyBytes(ctx.value);
    const alg = algName(algname);
    const literalId = nodeid === undefined ? undefined : parseNodeId(nodeid);
    if (literalId === null) {
      throw new UsageError(`error, invalid node identity "${nodeid}" (expected up to 16 characters of [0-9a-zA-Z-_.:@], or up to 32 hex digits)`);
    }
    await inSession(ctx, async (s) => {
      // A node id as `node list` prints it ("d6babc1c1c6d") names that node here.
      const nodeId = nodeid === undefined ? undefined : ((await resolveIdentity(s, nodeid)) ?? undefined);
      const req: KeyRequest = {
        ...(bytes && { key: { algName: alg, bytes, master: master !== undefined, ...(nodeId && { nodeId }) } }),
        ...(rekeyingValue !== undefined && { rekeying: rekeyingValue }),
      };
      await setKey(s, req);
    });
  },
});
