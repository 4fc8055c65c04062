// link set priority|tolerance|window VALUE link LINK ; link set broadcast MODE [ratio N]
import { defineCommand, defineGroup, flag, option } from '../../cli/command.js';
import { integerIn } from '../../cli/parsers.js';
import { UsageError } from '../../errors.js';
import { inSession } from '../session.js';
import { LINK, LINK_PROPERTIES, PROPERTY_VALUES, exampleValue, propertyHelp } from '../specs.js';

function setProperty(property: (typeof LINK_PROPERTIES)[number]) {
    const value = PROPERTY_VALUES[property];
    return defineCommand({
        path: `link set ${property}`,
        summary: `Set the link ${property}`,
        help: `Usage: tipcx link set ${property} ${value.placeholder} link LINK

${value.placeholder}: ${value.description}.

Examples:
  tipcx link set ${property} ${exampleValue(property)} link 1001001:eth0-1001002:eth0
`,
        value,
        options: { link: LINK },
        namespaces: 'each',
        kernel: 'changes',
        async run(args, ctx) {
            const { setLinkProperty } = await import('../../tipc/link.js');
            await inSession(ctx, (s) => setLinkProperty(s, args.link, property, args.value));
        },
    });
}

const BROADCAST_MODES = ['BROADCAST', 'REPLICAST', 'AUTOSELECT'] as const;

const setBroadcast = defineCommand({
    path: 'link set broadcast',
    summary: 'Choose how multicast is sent',
    help: `Usage: tipcx link set broadcast
                 {BROADCAST | REPLICAST | AUTOSELECT [ratio PERCENT]}
       tipcx link set broadcast ratio PERCENT

Modes (upper case, as in iproute2; unique prefixes such as AUTO work):
  BROADCAST      always send multicast as one broadcast
  REPLICAST      always send one copy per destination node
  AUTOSELECT     broadcast when destinations exceed PERCENT of the cluster
  ratio PERCENT  the AUTOSELECT threshold, 1..100 (default 10)

Examples:
  tipcx link set broadcast REPLICAST
  tipcx link set broadcast AUTOSELECT ratio 25
`,
    options: {
        BROADCAST: flag('broadcast only'),
        REPLICAST: flag('replicast only'),
        AUTOSELECT: flag('choose by ratio'),
        ratio: option(integerIn(1, 100), { placeholder: 'PERCENT', description: 'AUTOSELECT threshold' }),
    },
    namespaces: 'each',
    kernel: 'changes',
    async run(args, ctx) {
        // iproute2 silently prefers BROADCAST > REPLICAST > AUTOSELECT; two modes are a typo here.
        const modes = BROADCAST_MODES.filter((m) => args[m]);
        if (modes.length > 1) throw new UsageError(`give one broadcast mode, not ${modes.join(' and ')}`);
        if (modes.length === 0 && args.ratio === undefined) {
            throw new UsageError(
                'missing broadcast mode (expected BROADCAST, REPLICAST, AUTOSELECT [ratio PERCENT] or ratio PERCENT)',
            );
        }
        const { setBroadcastSetting } = await import('../../tipc/link.js');
        await inSession(ctx, (s) => setBroadcastSetting(s, { mode: modes[0], ratio: args.ratio }));
    },
});

export default [
    defineGroup({
        path: 'link set',
        summary: 'Set a link property',
        help: `Usage: tipcx link set PROPERTY VALUE link LINK
       tipcx link set broadcast
                 {BROADCAST | REPLICAST | AUTOSELECT [ratio PERCENT]}

Properties:
${propertyHelp(LINK_PROPERTIES)}
  broadcast MODE       how multicast traffic is sent

Examples:
  tipcx link set tolerance 3000 link 1001001:eth0-1001002:eth0
  tipcx link set broadcast AUTOSELECT ratio 25
`,
    }),
    ...LINK_PROPERTIES.map(setProperty),
    setBroadcast,
];
