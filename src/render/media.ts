// `tipc media …` text output, byte for byte.

export function mediaListText(records: readonly { name: string }[]): string {
  return records.map((m) => `${m.name}\n`).join('');
}
