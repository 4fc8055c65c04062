// link get priority|tolerance|window link LINK ; link get broadcast
import { commandResult, defineCommand, defineGroup } from '../../cli/command.js';
import { inSession } from '../session.js';
import { LINK, LINK_PROPERTIES } from '../specs.js';

function getProperty(property: (typeof LINK_PROPERTIES)[number]) {
    return defineCommand({
        path: `link get ${property}`,
        summary: `Show the link ${property}`,
        help: `Usage: tipcx link get ${property} link LINK

Prints the link's ${property} as a number; with -j: [{"${property}":N}].

Examples:
  tipcx link get ${property} link 1001001:eth0-1001002:eth0
  tipcx -j link get ${property} link 1001001:eth0-1001002:eth0
`,
        options: { link: LINK },
        namespaces: 'each',
        kernel: 'reads',
        async run(args, ctx) {
            const { getLinkProperty } = await import('../../tipc/link.js');
            const { valueLinesText, valueRecord } = await import('../../render/bearer.js');
            const value = await inSession(ctx, (s) => getLinkProperty(s, args.link, property));
            // iproute2's JSON is the same record: {"priority":10}
            return commandResult([valueRecord(property, value)], valueLinesText(property), (records) => [...records]);
        },
    });
}

export default [
    defineGroup({
        path: 'link get',
        summary: 'Show a link property',
        help: `Usage: tipcx link get PROPERTY link LINK
       tipcx link get broadcast

Properties:
  priority     link priority
  tolerance    link tolerance in ms
  window       link window in packets
  broadcast    how multicast traffic is sent (no link needed)

Examples:
  tipcx link get tolerance link 1001001:eth0-1001002:eth0
  tipcx link get broadcast
`,
    }),
    ...LINK_PROPERTIES.map(getProperty),
    defineCommand({
        path: 'link get broadcast',
        summary: 'Show how multicast is sent (broadcast, replicast, autoselect)',
        help: `Usage: tipcx link get broadcast

Prints BROADCAST, REPLICAST, or AUTOSELECT with its ratio.

Examples:
  tipcx link get broadcast
  tipcx -j link get broadcast
`,
        namespaces: 'each',
        kernel: 'reads',
        async run(_args, ctx) {
            const { getBroadcastSetting } = await import('../../tipc/link.js');
            const { broadcastSettingText } = await import('../../render/link.js');
            const setting = await inSession(ctx, getBroadcastSetting);
            const shapes = await import('../../render/iproute2-json.js');
            return commandResult([setting], broadcastSettingText, shapes.broadcastShape);
        },
    }),
];
