// bearer set priority|tolerance|window|mtu VALUE media …
import { defineCommand, defineGroup } from '../../cli/command.js';
import { inSession } from '../session.js';
import {
    PROPERTIES,
    PROPERTY_VALUES,
    bearerIdOptions,
    bearerUsage,
    exampleValue,
    propertyHelp,
    type Property,
} from '../specs.js';

function setProperty(property: Property) {
    const value = PROPERTY_VALUES[property];
    return defineCommand({
        path: `bearer set ${property}`,
        summary: `Set the bearer ${property}`,
        help: `${bearerUsage(`bearer set ${property} ${value.placeholder}`, property)}

${value.placeholder}: ${value.description}.
${
    property === 'tolerance' || property === 'mtu'
        ? 'Existing links of the bearer take the new value at once.'
        : 'Only links created after the change use the new value.'
}

Examples:
  tipcx bearer set ${property} ${exampleValue(property)} media ${property === 'mtu' ? 'udp name u1' : 'eth device eth0'}
`,
        value,
        options: bearerIdOptions(property),
        namespaces: 'each',
        kernel: 'changes',
        async run(args, ctx) {
            const { bearerName, setBearerProperty } = await import('../../tipc/bearer.js');
            const name = bearerName(args.media, args.device, args.name);
            await inSession(ctx, (s) => setBearerProperty(s, name, property, args.value));
        },
    });
}

export default [
    defineGroup({
        path: 'bearer set',
        summary: 'Set a bearer property (priority, tolerance, window, mtu)',
        help: `Usage: tipcx bearer set PROPERTY VALUE media {eth|ib} device DEVICE
       tipcx bearer set PROPERTY VALUE media udp name NAME

Properties:
${propertyHelp(PROPERTIES)}

Examples:
  tipcx bearer set tolerance 3000 media eth device eth0
  tipcx bearer set mtu 1400 media udp name u1
`,
    }),
    ...PROPERTIES.map(setProperty),
];
