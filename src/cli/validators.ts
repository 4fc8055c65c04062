/**
 * Value validators for option tables, and the strict number parser behind
 * them. iproute2 converts numbers with atoi(), so `priority abc` silently sends
 * 0; tipcx rejects such values up front (exit 2) and says what is accepted.
 *
 * Ranges are the kernel's own limits where they are the same on every kernel
 * tipcx supports (tipc_netlink.h / §4.5 of the reference); where they changed
 * over time (link window 16.. vs 50..) the widest range is used and the kernel
 * has the last word.
 */
import { UsageError } from '../errors.js';
import type { Validator } from './registry.js';

export const U32_MAX = 0xffff_ffff;

export interface NumberRange {
    readonly min: number;
    readonly max: number;
}

/**
 * Parses a plain decimal integer within [min, max]: no sign, no hex, no
 * spaces, no trailing garbage. Commands use it on values their validator
 * already accepted, and validators use it to reject bad ones.
 */
export function parseDecimal(value: string, label: string, range: NumberRange): number {
    const n = /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
    if (!(n >= range.min && n <= range.max)) {
        throw new UsageError(`error, invalid value "${value}" for "${label}" (expected an integer ${range.min}..${range.max})`);
    }
    return n;
}

/** A decimal integer within [min, max]. */
export function integerIn(min: number, max: number): Validator {
    return (value, label) => void parseDecimal(value, label, { min, max });
}

/** Exactly one of `choices` (values are never abbreviated, as in iproute2). */
export function oneOf(choices: readonly string[], describe = 'value'): Validator {
    return (value, label) => {
        if (!choices.includes(value)) {
            throw new UsageError(
                `error, invalid ${describe} "${value}" for "${label}" (expected one of: ${choices.join(', ')})`,
            );
        }
    };
}

/** Either one of the `words` or a decimal integer in range (`rekeying now|MINUTES`). */
export function wordOrIntegerIn(words: readonly string[], min: number, max: number): Validator {
    return (value, label) => {
        const isNumberInRange = /^\d{1,10}$/.test(value) && Number(value) >= min && Number(value) <= max;
        if (words.includes(value) || isNumberInRange) return;
        throw new UsageError(
            `error, invalid value "${value}" for "${label}" (expected ${words.join(', ')} or an integer ${min}..${max})`,
        );
    };
}

/** Non-empty text of at most `maxLength` characters (names the kernel stores in fixed buffers). */
export function textUpTo(maxLength: number): Validator {
    return (value, label) => {
        if (value.length === 0 || value.length > maxLength) {
            throw new UsageError(
                `error, invalid value "${value}" for "${label}" (expected 1..${maxLength} characters)`,
            );
        }
    };
}

/** The media names the kernel can have: iproute2's `error, invalid media type` wording, kept for grep. */
export const MEDIA_TYPES = ['eth', 'ib', 'udp'] as const;
export const mediaType: Validator = (value) => {
    if (!(MEDIA_TYPES as readonly string[]).includes(value)) {
        throw new UsageError(`error, invalid media type "${value}" (expected one of: ${MEDIA_TYPES.join(', ')})`);
    }
};
