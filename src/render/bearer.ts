// `tipc bearer …` text output, byte for byte.

/** `bearer list`: one bearer name per line. */
export function bearerListText(bearers: readonly { name: string }[]): string {
    return bearers.map((b) => `${b.name}\n`).join('');
}

/** `%u\n` (or the address) per record for the one key each record carries. */
export function valueLinesText<K extends string>(key: K) {
    return (records: readonly Record<K, number | string>[]): string => records.map((r) => `${r[key]}\n`).join('');
}

/** `{ [key]: value }` typed by its key: a computed key alone widens to `string`. */
export function valueRecord<K extends string, V>(key: K, value: V): Record<K, V> {
    return Object.fromEntries([[key, value]]) as Record<K, V>;
}
