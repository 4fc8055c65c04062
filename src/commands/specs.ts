// Option and value definitions several commands share: kernel limits, how a
// bearer, a link and a media are named, and the link properties. Loaded for
// help and completion too, so it imports nothing but the CLI's own modules.
import { option, value } from '../cli/command.js';
import { U32_MAX, anyText, integerIn, mediaType, textUpTo, type Media } from '../cli/parsers.js';
import type { OnlyWith, Parser } from '../cli/registry.js';
import { UsageError, quoted } from '../errors.js';

// Kernel limits (tipc_netlink.h, net/tipc): link priority 0..31; tolerance
// 50..30000 ms; window 16..8191 (50..8191 since Linux 5.6 — the kernel judges).
export const PORT = integerIn(1, 65535);
export const IF_NAME = textUpTo(15); // IFNAMSIZ 16 incl. NUL; also the udp bearer name limit
const LINK_NAME = textUpTo(67); // TIPC_MAX_LINK_NAME 68 incl. NUL

export type Property = 'priority' | 'tolerance' | 'window' | 'mtu';
export const PROPERTIES = ['priority', 'tolerance', 'window', 'mtu'] as const;
export const LINK_PROPERTIES = ['priority', 'tolerance', 'window'] as const;

/** TIPC_MAX_LINK_PRI (tipc_config.h); one more, TIPC_MEDIA_LINK_PRI, asks bearer enable for the media's. */
export const MAX_LINK_PRIORITY = 31;

export const PROPERTY_VALUES = {
    priority: value(integerIn(0, MAX_LINK_PRIORITY), {
        placeholder: 'PRIORITY',
        description: `link priority, 0..${MAX_LINK_PRIORITY}`,
    }),
    tolerance: value(integerIn(50, 30000), {
        placeholder: 'TOLERANCE',
        description: 'link tolerance in ms, 50..30000',
    }),
    window: value(integerIn(16, 8191), {
        placeholder: 'WINDOW',
        description: 'link window, 16..8191 packets (50.. since Linux 5.6)',
    }),
    mtu: value(integerIn(0, U32_MAX), {
        placeholder: 'MTU',
        description: 'MTU in bytes (udp only; the kernel wants at least 128)',
    }),
} as const;

/** Help's `Properties:` lines for `properties`, from the same descriptions the parsers carry. */
export function propertyHelp(properties: readonly Property[]): string {
    return properties
        .map((p) => `  ${`${p} ${PROPERTY_VALUES[p].placeholder}`.padEnd(21)}${PROPERTY_VALUES[p].description}`)
        .join('\n');
}

/** The value help examples use for a property. */
export function exampleValue(property: Property): string {
    return { priority: '5', tolerance: '3000', window: '100', mtu: '1400' }[property];
}

/**
 * The media a property applies to. mtu exists for udp only: any other media
 * is a usage error here, while the words are parsed, for bearers and media alike.
 */
function mediaFor(property: Property | undefined, scope: string): Parser<Media> {
    if (property !== 'mtu') return mediaType;
    return (text, label) => {
        const media = mediaType(text, label);
        if (media !== 'udp') throw new UsageError(`not supported for media ${media} (mtu exists for ${scope} only)`);
        return media;
    };
}

// ---------------------------------------------------------------- bearers

/** Keys that belong to one kind of media: completion leaves them out after another `media`. */
export const UDP_ONLY: OnlyWith = { key: 'media', values: ['udp'] };
const ETH_IB_ONLY: OnlyWith = { key: 'media', values: ['eth', 'ib'] };

/** `device DEV` names an eth or ib bearer (bearer enable also takes it for udp: see there). */
export const DEVICE = option(IF_NAME, {
    placeholder: 'DEVICE',
    description: 'network interface of an eth or ib bearer',
    complete: 'devices',
    onlyWith: ETH_IB_ONLY,
});
export const UDP_NAME = option(IF_NAME, {
    placeholder: 'NAME',
    description: 'name of a udp bearer',
    complete: 'udpBearers',
    onlyWith: UDP_ONLY,
});

/** media + device|name: how bearer enable/disable/set/get name a bearer. */
export function bearerIdOptions(property?: Property) {
    return {
        media: option(mediaFor(property, 'udp bearers'), {
            placeholder: 'MEDIA',
            description: 'eth, ib or udp',
            required: 'missing bearer media',
            complete: property === 'mtu' ? UDP_ONLY.values : 'media',
        }),
        // `device` stays accepted (hidden) for mtu so that `media eth device eth0` reaches the mtu error.
        device: property === 'mtu' ? { ...DEVICE, hidden: true } : DEVICE,
        name: UDP_NAME,
    };
}

/** The same, with the bearer optional (`link monitor list`). */
export const OPTIONAL_BEARER_ID = {
    media: option(mediaType, { placeholder: 'MEDIA', description: 'eth, ib or udp', complete: 'media' }),
    device: DEVICE,
    name: UDP_NAME,
};

/** The `media udp` that bearer add and bearer get media start with (the leaf word is the key). */
export const UDP_MEDIA = option(mediaType, { placeholder: 'udp', description: 'must be udp', complete: ['udp'] });

/** Usage lines for a bearer property command; mtu exists for udp bearers only. */
export function bearerUsage(words: string, property: Property): string {
    const udp = `tipcx ${words} media udp name NAME`;
    return property === 'mtu' ? `Usage: ${udp}` : `Usage: tipcx ${words} media {eth|ib} device DEVICE\n       ${udp}`;
}

// ---------------------------------------------------------------- links and media

export const LINK = option(LINK_NAME, {
    placeholder: 'LINK',
    description: 'link name, as shown by "link list"',
    required: true,
    complete: 'links',
});

/** `media MEDIA` of media get/set. */
export function mediaNameOption(property: Property) {
    return option(mediaFor(property, 'udp'), {
        placeholder: 'MEDIA',
        description: 'eth, ib or udp',
        required: 'missing media',
        complete: property === 'mtu' ? UDP_ONLY.values : 'media',
    });
}

// ---------------------------------------------------------------- node identities

/** Checked by the handler (parseNodeId lives with the netlink code): node set identity, peer remove identity. */
export const NODE_ID_VALUE = value(anyText, {
    placeholder: 'NODEID',
    description: 'up to 16 name characters [0-9a-zA-Z-_.:@], or up to 32 hex digits',
    complete: 'peers',
});

export const INVALID_NODE_ID = (text: string): string =>
    `invalid node identity ${quoted(text)} (expected up to 16 characters of [0-9a-zA-Z-_.:@], or up to 32 hex digits)`;

// ---------------------------------------------------------------- discovery captures (crossover, proof)

export const DEFAULT_WAIT_SECONDS = 65;
export const WAIT_SECONDS = integerIn(0, 3600);
