// media get priority|tolerance|window|mtu media MEDIA
import { commandResult, defineCommand, defineGroup } from '../../cli/command.js';
import { inSession } from '../session.js';
import { PROPERTIES, mediaNameOption, type Property } from '../specs.js';

function getProperty(property: Property) {
    return defineCommand({
        path: `media get ${property}`,
        summary: `Show the media ${property}`,
        help: `Usage: tipcx media get ${property} media MEDIA

Prints the ${property} new bearers of MEDIA (eth, ib, udp) start with${property === 'mtu' ? ' (udp only)' : ''}.

Examples:
  tipcx media get ${property} media ${property === 'mtu' ? 'udp' : 'eth'}
`,
        options: { media: mediaNameOption(property) },
        namespaces: 'each',
        kernel: 'reads',
        async run(args, ctx) {
            const { getMediaProperty } = await import('../../tipc/media.js');
            const { valueLinesText, valueRecord } = await import('../../render/bearer.js');
            const value = await inSession(ctx, (s) => getMediaProperty(s, args.media, property));
            return commandResult([valueRecord(property, value)], valueLinesText(property));
        },
    });
}

export default [
    defineGroup({
        path: 'media get',
        summary: 'Show a media default',
        help: `Usage: tipcx media get PROPERTY media MEDIA

Properties:
  priority     link priority
  tolerance    link tolerance in ms
  window       link window in packets
  mtu          MTU in bytes (udp only)

Examples:
  tipcx media get priority media eth
`,
    }),
    ...PROPERTIES.map(getProperty),
];
