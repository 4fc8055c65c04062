// `tipcx top` off a terminal, or with -j: one JSON object per interval (NDJSON).
import type { Writer } from '../cli/registry.js';
import type { TopOptions, ViewOptions } from './options.js';
import { TextBuffer, jsonBoolean, jsonNumber, jsonString, text, textFormat } from '../render/text-buffer.js';
import {
    LINK_TEXTS,
    LINK_TEXT_COUNT,
    LINK_VALUES,
    LINK_VALUE_COUNT,
    type LeanSample,
    type Sample,
    type SampleLinks,
    type Sampler,
} from './sampler.js';
import { arrangeLinks, arrangeOrder, totalsOf, totalsOfKeys } from './view.js';

/** One JSON object per line per interval; the first after one interval, so it has rates. */
export async function streamNdjson(
    sampler: Sampler,
    options: TopOptions,
    out: Writer,
    signal: AbortSignal,
): Promise<void> {
    // the first sample only gives the rates a start: its events go out with the next one
    let carried = (await sampler.sampleLinks()).events;
    for (let emitted = 0; options.count === undefined || emitted < options.count; emitted++) {
        if (!(await sleep(sampler.intervalMs, signal))) return;
        const sample = await sampler.sampleLinks();
        await writeNdjsonLine(out, { ...sample, events: [...carried, ...sample.events] }, options.view, signal);
        carried = [];
    }
}

/** What one line holds: the sample with its links arranged as the view says, and their totals. */
export function ndjsonRecord(sample: Sample, view: ViewOptions): object {
    return {
        ...sample,
        links: arrangeLinks(sample.links, view),
        totals: totalsOf(sample.links),
    };
}

/** Pieces of a line are written when they reach this size: the line is megabytes at thousands of links. */
const PIECE = 64 * 1024;

// A LinkSample as JSON.stringify writes it (test/unit/top-sampler.test.ts holds the two to the same
// bytes), from its fields (SampleLinks.fields) and its statistics block.
const V = LINK_VALUES;
const T = LINK_TEXTS;
const STATS = LINK_TEXT_COUNT;
const values = new Float64Array(LINK_VALUE_COUNT);
const texts = new Array<string | null>(LINK_TEXT_COUNT + 1).fill(null);
const rate = (k: number, w: number) => jsonNumber(V.rates + 3 * k + w);
const counter = (k: number) => jsonNumber(V.counters + k);
const LINK_JSON = textFormat`{"namespace":${jsonString(T.namespace)},"name":${jsonString(T.name)},"peer":${jsonString(T.peer)},\
"peerAddress":${jsonNumber(V.peerAddress)},"bearer":${jsonString(T.bearer)},"broadcast":${jsonBoolean(V.broadcast)},\
"state":${jsonString(T.state)},"up":${jsonBoolean(V.up)},"active":${jsonBoolean(V.active)},"mtu":${jsonNumber(V.mtu)},\
"priority":${jsonNumber(V.priority)},"tolerance":${jsonNumber(V.tolerance)},"window":${jsonNumber(V.window)},\
"counters":{"rx":${counter(0)},"tx":${counter(1)},"retransmitted":${counter(2)},"nacks":${counter(3)},\
"duplicates":${counter(4)},"congestion":${counter(5)}},"rates":{\
"rx":{"s2":${rate(0, 0)},"s10":${rate(0, 1)},"s40":${rate(0, 2)}},\
"tx":{"s2":${rate(1, 0)},"s10":${rate(1, 1)},"s40":${rate(1, 2)}},\
"retransmitted":{"s2":${rate(2, 0)},"s10":${rate(2, 1)},"s40":${rate(2, 2)}},\
"nacks":{"s2":${rate(3, 0)},"s10":${rate(3, 1)},"s40":${rate(3, 2)}},\
"duplicates":{"s2":${rate(4, 0)},"s10":${rate(4, 1)},"s40":${rate(4, 2)}},\
"congestion":{"s2":${rate(5, 0)},"s10":${rate(5, 1)},"s40":${rate(5, 2)}}},\
"queue":{"max":${jsonNumber(V.queueMax)},"avg":${jsonNumber(V.queueAvg)}},"stateChangedAt":${jsonString(T.stateChangedAt)},\
"verdict":${jsonString(T.verdict)},"verdictReason":${jsonString(T.verdictReason)},"note":${jsonString(T.note)},\
"stats":${text(STATS)}}`;

/** Link i as JSON into `out`. */
function writeLinkJson(out: TextBuffer, links: SampleLinks, i: number): void {
    links.fields(i, values, texts);
    // the full block only on request (NDJSON `statistics`): its keys vary, JSON.stringify writes it
    const stats = links.stats(i);
    texts[STATS] = stats === null ? 'null' : JSON.stringify(stats);
    out.format(LINK_JSON, values, 0, texts);
}

/**
 * `JSON.stringify(ndjsonRecord(sample))` and a newline, the same bytes, made
 * one link at a time: each link's object is made, turned into JSON and
 * dropped before the next, and the line goes out in pieces, each after the
 * stream has taken the last (a pipe is read at the reader's pace). So a
 * sample of thousands of links leaves no array of objects or megabytes of
 * queued text behind it (docs/benchmarks.md, `top` at 64 namespaces).
 */
export async function writeNdjsonLine(
    out: Writer,
    sample: LeanSample,
    view: ViewOptions,
    signal?: AbortSignal,
): Promise<void> {
    const { time, seq, intervalMs, moduleLoaded, namespaces, links, events } = sample;
    const head = JSON.stringify({ time, seq, intervalMs, moduleLoaded, namespaces });
    let piece = new TextBuffer(PIECE + 4096);
    piece.text(`${head.slice(0, -1)},"links":[`);
    const order = arrangeOrder(links, view);
    for (let n = 0; n < order.length; n++) {
        if (n > 0) piece.text(',');
        writeLinkJson(piece, links, order[n]);
        if (piece.length >= PIECE) {
            await put(out, piece, signal);
            piece = new TextBuffer(PIECE + 4096);
        }
    }
    piece.text(`],"events":${JSON.stringify(events)},"totals":${JSON.stringify(totalsOfKeys(links))}}\n`);
    await put(out, piece, signal);
}

/**
 * Writes a piece, as bytes where the writer takes them (standard output: a
 * line is megabytes at 64 namespaces, else made a string and encoded back);
 * when the stream says its buffer is full (a Writable's write() returned
 * false), resolves once it has drained, or the command is interrupted.
 * Writers that are no stream (tests) take it at once.
 */
function put(out: Writer, piece: TextBuffer, signal: AbortSignal | undefined): Promise<void> {
    const stream = out as Writer & Partial<Pick<NodeJS.WritableStream, 'once' | 'off'>>;
    const written = out.writeBytes ? out.writeBytes(piece.take()) : out.write(piece.toString());
    if (written !== false || stream.once === undefined || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
        const done = (): void => {
            stream.off?.('drain', done);
            signal?.removeEventListener('abort', done);
            resolve();
        };
        stream.once!('drain', done);
        signal?.addEventListener('abort', done, { once: true });
    });
}

/** Resolves true after `ms`, false as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
        const onAbort = (): void => {
            clearTimeout(timer);
            resolve(false);
        };
        const timer = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve(true);
        }, ms);
        signal.addEventListener('abort', onAbort, { once: true });
    });
}
