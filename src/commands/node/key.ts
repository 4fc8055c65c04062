// node set key KEY [algname A] [nodeid N | master] [rekeying MIN|now] ; node set key rekeying MIN|now
import { defineCommand, flag, option, value } from '../../cli/command.js';
import { U32_MAX, anyText, wordOrIntegerIn } from '../../cli/parsers.js';
import { UsageError, quoted } from '../../errors.js';
import { inSession } from '../session.js';
import { INVALID_NODE_ID } from '../specs.js';

export default [
    defineCommand({
        path: 'node set key',
        summary: 'Set a symmetric encryption key',
        help: `Usage: tipcx node set key KEY [algname ALGNAME] [nodeid NODEID | master]
                          [rekeying {MINUTES|now}]
       tipcx node set key rekeying {MINUTES|now}

KEY is AES key plus 4-byte salt (16, 24 or 32 octets + 4), as ASCII text or
hex after 0x. Without nodeid or master it becomes the cluster key.

Options:
  algname ALGNAME     cipher: "gcm(aes)", the only one the kernel has
  nodeid NODEID       per-node key for this node (TX) or a peer (RX)
  master              use KEY as the cluster master key
  rekeying MINUTES    rekeying interval; 0 disables; "now" rekeys at once

Examples:
  tipcx node set key this_is_a_master_key master
  tipcx node set key 0x746869735F69735F615F6B657931365F73616C74
  tipcx node set key this_is_a_key16_salt nodeid 1001002
  tipcx node set key rekeying 600
`,
        value: value(anyText, { placeholder: 'KEY', description: 'key and salt, ASCII or 0x-hex', optional: true }),
        options: {
            algname: option(anyText, { placeholder: 'ALGNAME', description: 'cipher algorithm' }),
            nodeid: option(anyText, { placeholder: 'NODEID', description: 'per-node key target', complete: 'peers' }),
            master: flag('cluster master key'),
            // 0xFFFFFFFF is the kernel's "now" sentinel, so the largest interval is one less.
            rekeying: option(wordOrIntegerIn(['now'], 0, U32_MAX - 1), {
                placeholder: 'MINUTES|now',
                description: 'rekeying interval',
                complete: ['now'],
            }),
        },
        namespaces: 'each',
        kernel: 'changes',
        async run(args, ctx) {
            const { value: keyText, algname, nodeid, master, rekeying } = args;
            if (keyText === undefined) {
                if (algname !== undefined || nodeid !== undefined || master) {
                    throw new UsageError('missing KEY: algname, nodeid and master describe a key');
                }
                if (rekeying === undefined) throw new UsageError('missing KEY (or "rekeying MINUTES|now")');
            }
            if (nodeid !== undefined && master) throw new UsageError('per-node key cannot be master');
            const { ALG_NAME_LEN, DEFAULT_ALG, KEY_LENGTHS, REKEYING_NOW, parseKeyText, setKey } =
                await import('../../tipc/key.js');
            const { parseNodeId } = await import('../../netlink/identity.js');
            const { resolveIdentity } = await import('../../tipc/peer.js');
            const bytes = keyText === undefined ? undefined : parseKeyText(keyText);
            if (bytes && !KEY_LENGTHS.some((length) => length === bytes.length)) {
                throw new UsageError(
                    `invalid key: ${bytes.length} octets (expected ${KEY_LENGTHS.join(', ')}: an AES key of 16, 24 or 32 octets plus a 4-octet salt, as ASCII or 0x-hex)`,
                );
            }
            if (algname !== undefined && (algname.length === 0 || Buffer.byteLength(algname) > ALG_NAME_LEN - 1)) {
                throw new UsageError(
                    `invalid algname ${quoted(algname)} (expected 1..${ALG_NAME_LEN - 1} characters, e.g. "${DEFAULT_ALG}")`,
                );
            }
            if (nodeid !== undefined && parseNodeId(nodeid) === null)
                throw new UsageError(`${INVALID_NODE_ID(nodeid)}`);
            await inSession(ctx, async (s) => {
                // A node id as `node list` prints it ("d6babc1c1c6d") names that node here.
                const nodeId = nodeid === undefined ? undefined : ((await resolveIdentity(s, nodeid)) ?? undefined);
                await setKey(s, {
                    ...(bytes && {
                        key: { algName: algname ?? DEFAULT_ALG, bytes, master, ...(nodeId && { nodeId }) },
                    }),
                    ...(rekeying !== undefined && { rekeying: rekeying === 'now' ? REKEYING_NOW : rekeying }),
                });
            });
        },
    }),
];
