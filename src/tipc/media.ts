// Media (eth, ib, udp): the property defaults that bearers enabled later start with.
import type { Decoded, TipcMessage } from '../netlink/codec.js';
import { FailureError, OperationError } from '../errors.js';
import { TipcCmd } from '../netlink/schema.js';
import type { TipcSession } from './session.js';

export type MediaProperty = 'priority' | 'tolerance' | 'window' | 'mtu';
const PROP_ATTR = { priority: 'prio', tolerance: 'tol', window: 'win', mtu: 'mtu' } as const satisfies Record<
    MediaProperty,
    string
>;

export interface MediaRecord {
    name: string;
    prop: Decoded<'prop'>;
}

/** The media of a MEDIA_GET dump, in the kernel's order. */
export function mediaFrom(messages: TipcMessage[]): MediaRecord[] {
    return messages.flatMap(({ media }) =>
        media?.name === undefined ? [] : [{ name: media.name, prop: media.prop ?? {} }],
    );
}

export async function listMedia(s: TipcSession): Promise<MediaRecord[]> {
    return mediaFrom(await s.dump(TipcCmd.MEDIA_GET));
}

const notRegistered = (name: string) => `media "${name}" is not available in this kernel`;

export async function getMediaProperty(s: TipcSession, name: string, property: MediaProperty): Promise<number> {
    const messages = await s.doit(TipcCmd.MEDIA_GET, { media: { name } }, { EINVAL: notRegistered(name) });
    const value = messages.find((m) => m.media)?.media?.prop?.[PROP_ATTR[property]];
    if (value === undefined) throw new FailureError(`the kernel sent no ${property} for media "${name}"`);
    return value;
}

const RANGES: Record<MediaProperty, string> = {
    priority: '0..31',
    tolerance: '50..30000 ms',
    window: '50..8191 since Linux 5.6 (16..8191 before)',
    mtu: 'at least 128',
};

export async function setMediaProperty(
    s: TipcSession,
    name: string,
    property: MediaProperty,
    value: number,
): Promise<void> {
    try {
        await s.doit(TipcCmd.MEDIA_SET, { media: { name, prop: { [PROP_ATTR[property]]: value } } });
    } catch (err) {
        if (!(err instanceof OperationError) || err.code !== 'EINVAL') throw err;
        const known = (await listMedia(s)).some((m) => m.name === name);
        throw new OperationError(
            err.errno,
            known
                ? `the kernel refused ${property} ${value} for media ${name} (it accepts ${RANGES[property]})`
                : notRegistered(name),
            { cause: err },
        );
    }
}
