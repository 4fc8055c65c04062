// `tipc bearer get …` text output, byte for byte: one value per line.

/** `%u\n` (or the address) per record for the one key each record carries. */
export function valueLinesText<K extends string>(key: K) {
  return (records: readonly Record<K, number | string>[]): string => records.map((r) => `${r[key]}\n`).join('');
}

/** `{ [key]: value }` typed by its key: a computed key alone widens to `string`. */
export function valueRecord<K extends string, V>(key: K, value: V): Record<K, V> {
  return Object.fromEntries([[key, value]]) as Record<K, V>;
}
