/**
 * The JSON rendering every command shares: always a top-level array of
 * objects (iproute2's convention, so `jq '.[]'` works everywhere), compact by
 * default, indented with -p. Never coloured.
 */

export function formatJson(records: readonly object[], pretty: boolean): string {
    return `${JSON.stringify(records, bigintAsNumberOrString, pretty ? 4 : undefined)}\n`;
}

// Counters decoded from u64 attributes arrive as bigint, which JSON.stringify
// rejects: emit a number while it is exact, the decimal string beyond that.
function bigintAsNumberOrString(_key: string, value: unknown): unknown {
    if (typeof value !== 'bigint') return value;
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(value)
        : value.toString();
}
