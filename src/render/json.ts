/**
 * The JSON rendering every command shares: always a top-level array of
 * objects (iproute2's convention, so `jq '.[]'` works everywhere), compact by
 * default, indented with -p. Never coloured.
 */

export function formatJson(records: readonly object[], pretty: boolean): string {
    const indent = pretty ? 4 : undefined;
    try {
        // No replacer: one would be called for every key and value of every record, and
        // the records are built from numbers and strings (the u64 attributes, node identity
        // words and monitor up-maps, become text and flags before they reach a record).
        return `${JSON.stringify(records, undefined, indent)}\n`;
    } catch (err) {
        // A bigint all the same (JSON.stringify refuses them): printed rather than failing.
        if (!(err instanceof TypeError)) throw err;
        return `${JSON.stringify(records, bigintAsNumberOrString, indent)}\n`;
    }
}

// A number while it is exact, the decimal string beyond that.
function bigintAsNumberOrString(_key: string, value: unknown): unknown {
    if (typeof value !== 'bigint') return value;
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(value)
        : value.toString();
}
