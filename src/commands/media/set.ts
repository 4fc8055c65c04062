// media set priority|tolerance|window|mtu VALUE media MEDIA
import { defineCommand, defineGroup } from '../../cli/command.js';
import { inSession } from '../session.js';
import { PROPERTIES, PROPERTY_VALUES, exampleValue, mediaNameOption, propertyHelp, type Property } from '../specs.js';

function setProperty(property: Property) {
    const value = PROPERTY_VALUES[property];
    return defineCommand({
        path: `media set ${property}`,
        summary: `Set the media ${property}`,
        help: `Usage: tipcx media set ${property} ${value.placeholder} media MEDIA

${value.placeholder}: ${value.description}.
Only bearers enabled later use it.

Examples:
  tipcx media set ${property} ${exampleValue(property)} media ${property === 'mtu' ? 'udp' : 'eth'}
`,
        value,
        options: { media: mediaNameOption(property) },
        namespaces: 'each',
        kernel: 'changes',
        async run(args, ctx) {
            const { setMediaProperty } = await import('../../tipc/media.js');
            await inSession(ctx, (s) => setMediaProperty(s, args.media, property, args.value));
        },
    });
}

export default [
    defineGroup({
        path: 'media set',
        summary: 'Set a media default',
        help: `Usage: tipcx media set PROPERTY VALUE media MEDIA

Properties:
${propertyHelp(PROPERTIES)}

Examples:
  tipcx media set tolerance 3000 media eth
`,
    }),
    ...PROPERTIES.map(setProperty),
];
