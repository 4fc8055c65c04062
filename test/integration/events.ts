// A running `tipcx -j events …` whose records the tests wait on: shared by
// events.test.ts, events-remote.test.ts and faults.test.ts.
import { startNdjson, type NdjsonStream } from './ndjson.js';

export interface EventRecord {
    time: string;
    netns: string | null;
    kind: string;
    origin?: string;
    event: string;
    [key: string]: unknown;
}

export type EventStream = NdjsonStream<EventRecord>;

export const startEvents = (args: string[]): EventStream => startNdjson<EventRecord>(args);

export const matching =
    (want: Partial<EventRecord>) =>
    (r: EventRecord): boolean =>
        Object.entries(want).every(([k, v]) => r[k] === v);
