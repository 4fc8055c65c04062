/**
 * IP address literals as text: which strings are IPv4 or IPv6 addresses,
 * accepting exactly what node:net's isIPv4/isIPv6 accept
 * (test/unit/ip-text.test.ts compares them on generated strings). Our own
 * because importing node:net for three predicates loads Node's socket and
 * stream modules, about twenty of them, on the way to every kernel command
 * (docs/design.md, "A bundle and a code cache for start-up").
 */

const DECIMAL_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
/** What may follow `%` in an IPv6 literal: an interface name or index (fe80::1%eth0). */
const ZONE = /^[0-9a-zA-Z.:-]+$/;

/** Dotted decimal, four octets 0..255, no leading zeros: 192.0.2.1. */
export function isIPv4(text: string): boolean {
    const octets = text.split('.');
    if (octets.length !== 4) return false;
    for (const octet of octets) if (!DECIMAL_OCTET.test(octet) || Number(octet) > 255) return false;
    return true;
}

/**
 * Eight groups of 1-4 hex digits, or fewer with one `::` standing for at least
 * one zero group; the last two groups may be written as an IPv4 address
 * (::ffff:192.0.2.1); an optional zone after `%`.
 */
export function isIPv6(text: string): boolean {
    const percent = text.indexOf('%');
    if (percent >= 0 && !ZONE.test(text.slice(percent + 1))) return false;
    const address = percent >= 0 ? text.slice(0, percent) : text;
    const halves = address.split('::');
    if (halves.length > 2) return false;
    if (halves.length === 1) return groupCount(address, true) === 8;
    const before = groupCount(halves[0], false);
    const after = groupCount(halves[1], true);
    return before >= 0 && after >= 0 && before + after <= 7;
}

/** 4, 6, or 0 when `text` is neither (as node:net's isIP). */
export function ipFamily(text: string): 0 | 4 | 6 {
    if (isIPv4(text)) return 4;
    if (isIPv6(text)) return 6;
    return 0;
}

/**
 * How many 16-bit groups a colon-separated run of groups spells (an IPv4 tail,
 * allowed only at the very end, is two), or -1 when it is malformed.
 */
function groupCount(run: string, atEnd: boolean): number {
    if (run === '') return 0;
    const groups = run.split(':');
    let count = 0;
    for (let i = 0; i < groups.length; i++) {
        if (HEX_GROUP.test(groups[i])) count += 1;
        else if (atEnd && i === groups.length - 1 && isIPv4(groups[i])) count += 2;
        else return -1;
    }
    return count;
}
