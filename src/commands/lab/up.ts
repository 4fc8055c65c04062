// lab up [nodes N] [media eth|udp] [prefix NAME] [netid ID] [bridge NAME]
import { commandResult, defineCommand, option } from '../../cli/command.js';
import { anyText, integerIn, oneOf } from '../../cli/parsers.js';
import { IF_NAME } from '../specs.js';

/** What a lab is called by: its namespaces are NAME1..NAMEn. */
export const LAB_PREFIX = option(anyText, {
    placeholder: 'NAME',
    description: 'namespace names NAME1..NAMEn, identities the same (default lab)',
    extension: true,
});

/** The lab builds namespaces of its own, from the namespace tipcx runs in. */
export const LAB_NAMESPACES = { none: 'creates its own namespaces' };

export default [
    defineCommand({
        path: 'lab up',
        summary: 'Create N namespaces joined by a bridge, with TIPC identities and bearers',
        help: `Usage: tipcx lab up [nodes N] [media {eth|udp}] [prefix NAME] [netid ID]
                    [bridge NAME]

Creates namespaces NAME1..NAMEn (identities the same), joins them by veths
to one bridge, enables an eth bearer on each eth0 (or, with media udp, gives
each eth0 an address in 10.211.0.0/16 and enables a udp bearer on it), sets
the net id, and waits until every namespace has a link up to every other.
Idempotent: running it again with the same options only checks and reports.
What it created is recorded in /run/tipcx (or $TIPCX_STATE_DIR), so that
"lab down" removes exactly that. It refuses to start when a namespace or
interface name it needs already exists and was not created by it. Needs root
and a kernel with TIPC. Progress goes to stderr.

Options:
  nodes N         number of namespaces, 1..250 (default 3)
  media MEDIA     eth (default) or udp
  prefix NAME     namespace and identity prefix (default lab)
  netid ID        TIPC network id, 1..9999 (default: the kernel's, 4711)
  bridge NAME     bridge interface (default NAME-br)

Examples:
  tipcx lab up nodes 8
  tipcx lab up nodes 64 prefix big
  tipcx -j lab up nodes 4 media udp netid 1234 prefix u
`,
        options: {
            nodes: option(integerIn(1, 250), {
                placeholder: 'N',
                description: 'number of namespaces, 1..250',
                extension: true,
            }),
            media: option(oneOf(['eth', 'udp'], 'media'), {
                placeholder: 'MEDIA',
                description: 'eth or udp',
                extension: true,
                complete: ['eth', 'udp'],
            }),
            prefix: LAB_PREFIX,
            netid: option(integerIn(1, 9999), {
                placeholder: 'ID',
                description: 'TIPC network id, 1..9999',
                extension: true,
            }),
            bridge: option(IF_NAME, {
                placeholder: 'NAME',
                description: 'bridge interface (default NAME-br)',
                extension: true,
            }),
        },
        namespaces: LAB_NAMESPACES,
        kernel: 'changes',
        async run(args, ctx) {
            const { LAB_DEFAULTS, labUp, stateDir } = await import('../../lab/cluster.js');
            const { labTableText } = await import('../../render/lab.js');
            const prefix = args.prefix ?? LAB_DEFAULTS.prefix;
            const spec = {
                nodes: args.nodes ?? LAB_DEFAULTS.nodes,
                media: args.media ?? LAB_DEFAULTS.media,
                prefix,
                ...(args.netid !== undefined && { netid: args.netid }),
                bridge: args.bridge ?? `${prefix}-br`,
            };
            const { records, created, elapsedMs } = await labUp(spec, {
                stateDir: stateDir(ctx.env),
                progress: (line) => ctx.stderr.write(`lab up: ${line}\n`),
                signal: ctx.signal,
            });
            const how =
                created === 0
                    ? 'already up: nothing created'
                    : `created ${created} namespace${created === 1 ? '' : 's'}`;
            return commandResult(
                records,
                (rs) => `${labTableText(rs, ctx.color)}(${how}, ${(elapsedMs / 1000).toFixed(1)} s)\n`,
            );
        },
    }),
];
