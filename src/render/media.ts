// `tipc media …` text output, byte for byte, and the JSON records of `media list`.
import type { MediaRecord } from '../tipc/media.js';

export interface MediaListRecord {
    name: string;
}

/** `media list -j` carries the names only: the defaults are what `media get` is for. */
export function mediaListRecords(media: readonly MediaRecord[]): MediaListRecord[] {
    return media.map((m) => ({ name: m.name }));
}

export function mediaListText(records: readonly MediaListRecord[]): string {
    return records.map((m) => `${m.name}\n`).join('');
}
