/**
 * Value parsers for option tables: each turns a word into the typed value a
 * handler receives, or throws a UsageError (exit 2) naming the word and what
 * is accepted. iproute2 converts numbers with atoi(), so `priority abc`
 * silently sends 0; tipcx rejects such values before anything is sent.
 *
 * Ranges are the kernel's own limits where they are the same on every kernel
 * tipcx supports (include/uapi/linux/tipc_config.h and tipc_netlink.h); where they changed
 * over time (link window 16.. vs 50..) the widest range is used and the kernel
 * has the last word.
 */
import { UsageError, quoted } from '../errors.js';
import { parseIpAddress, type IpAddress } from '../tipc/udp-address.js';
import type { ServiceRange } from '../tipc/topology.js';
import type { Parser } from './registry.js';

export const U32_MAX = 0xffff_ffff;

/** A plain decimal integer within [min, max]: no sign, no hex, no spaces, no trailing garbage. */
export function integerIn(min: number, max: number): Parser<number> {
    return (text, label) => {
        const n = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
        if (!(n >= min && n <= max)) {
            throw new UsageError(`invalid value ${quoted(text)} for "${label}" (expected an integer ${min}..${max})`);
        }
        return n;
    };
}

/** Exactly one of `choices` (values are never abbreviated, as in iproute2). */
export function oneOf<const W extends string>(choices: readonly W[], describe = 'value'): Parser<W> {
    return (text, label) => {
        const choice = choices.find((c) => c === text);
        if (choice === undefined) {
            throw new UsageError(
                `invalid ${describe} ${quoted(text)} for "${label}" (expected one of: ${choices.join(', ')})`,
            );
        }
        return choice;
    };
}

/** Either one of the `words` or a decimal integer in range (`rekeying now|MINUTES`). */
export function wordOrIntegerIn<const W extends string>(
    words: readonly W[],
    min: number,
    max: number,
): Parser<W | number> {
    return (text, label) => {
        const word = words.find((w) => w === text);
        if (word !== undefined) return word;
        const n = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
        if (n >= min && n <= max) return n;
        throw new UsageError(
            `invalid value ${quoted(text)} for "${label}" (expected ${words.join(', ')} or an integer ${min}..${max})`,
        );
    };
}

/** Non-empty text of at most `maxLength` characters (names the kernel stores in fixed buffers). */
export function textUpTo(maxLength: number): Parser<string> {
    return (text, label) => {
        if (text.length === 0 || text.length > maxLength) {
            throw new UsageError(`invalid value ${quoted(text)} for "${label}" (expected 1..${maxLength} characters)`);
        }
        return text;
    };
}

/** Any word, as typed (keys, filters, file names: the command or the kernel judges them). */
export const anyText: Parser<string> = (text) => text;

/** The media names the kernel can have: iproute2's `invalid media type` wording, kept for grep. */
export const MEDIA_TYPES = ['eth', 'ib', 'udp'] as const;
export type Media = (typeof MEDIA_TYPES)[number];
export const mediaType: Parser<Media> = (text) => {
    const media = MEDIA_TYPES.find((m) => m === text);
    if (media === undefined) {
        throw new UsageError(`invalid media type ${quoted(text)} (expected one of: ${MEDIA_TYPES.join(', ')})`);
    }
    return media;
};

/** An IP address (udp bearers' localip, remoteip). */
export const ipAddress: Parser<IpAddress> = (text, label) => parseIpAddress(text, label);

/** A service range `TYPE[:LOWER[:UPPER]]`: the whole type, one instance, or LOWER..UPPER; each part 0..U32_MAX. */
export const serviceRange: Parser<ServiceRange> = (text, label) => {
    const parts = text.split(':');
    const numbers = parts.map((p) => (/^\d{1,10}$/.test(p) ? Number(p) : Number.NaN));
    if (parts.length > 3 || numbers.some((n) => !(n >= 0 && n <= U32_MAX))) {
        throw new UsageError(
            `error, invalid service range "${text}" for "${label}" (expected TYPE[:LOWER[:UPPER]], each an integer 0..${U32_MAX})`,
        );
    }
    const [type, lower = 0, upper = parts.length === 2 ? lower : U32_MAX] = numbers;
    if (lower > upper) {
        throw new UsageError(
            `error, invalid service range "${text}" for "${label}" (LOWER ${lower} is greater than UPPER ${upper})`,
        );
    }
    return { type, lower, upper };
};

/** Seconds as a decimal number with up to 3 decimals, within [min, max]. */
export function secondsIn(min: number, max: number): Parser<number> {
    return (text, label) => {
        const n = /^\d{1,10}(\.\d{1,3})?$/.test(text) ? Number(text) : Number.NaN;
        if (!(n >= min && n <= max)) {
            throw new UsageError(
                `error, invalid value "${text}" for "${label}" (expected seconds ${min}..${max}, e.g. 5 or 0.5)`,
            );
        }
        return n;
    };
}
