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
// A link's JSON in four parts: its head (up to its counters) and its tail (from its state's time to its
// statistics block) are the same from one second to the next for most links, and are kept per link as bytes.
const LINK_HEAD = textFormat`{"namespace":${jsonString(T.namespace)},"name":${jsonString(T.name)},"peer":${jsonString(T.peer)},\
"peerAddress":${jsonNumber(V.peerAddress)},"bearer":${jsonString(T.bearer)},"broadcast":${jsonBoolean(V.broadcast)},\
"state":${jsonString(T.state)},"up":${jsonBoolean(V.up)},"active":${jsonBoolean(V.active)},"mtu":${jsonNumber(V.mtu)},\
"priority":${jsonNumber(V.priority)},"tolerance":${jsonNumber(V.tolerance)},"window":${jsonNumber(V.window)},\
"counters":{"rx":`;
const LINK_BODY = textFormat`${counter(0)},"tx":${counter(1)},"retransmitted":${counter(2)},"nacks":${counter(3)},\
"duplicates":${counter(4)},"congestion":${counter(5)}},"rates":{\
"rx":{"s2":${rate(0, 0)},"s10":${rate(0, 1)},"s40":${rate(0, 2)}},\
"tx":{"s2":${rate(1, 0)},"s10":${rate(1, 1)},"s40":${rate(1, 2)}},\
"retransmitted":{"s2":${rate(2, 0)},"s10":${rate(2, 1)},"s40":${rate(2, 2)}},\
"nacks":{"s2":${rate(3, 0)},"s10":${rate(3, 1)},"s40":${rate(3, 2)}},\
"duplicates":{"s2":${rate(4, 0)},"s10":${rate(4, 1)},"s40":${rate(4, 2)}},\
"congestion":{"s2":${rate(5, 0)},"s10":${rate(5, 1)},"s40":${rate(5, 2)}}},\
"queue":{"max":${jsonNumber(V.queueMax)},"avg":${jsonNumber(V.queueAvg)}},"stateChangedAt":`;
const LINK_TAIL = textFormat`${jsonString(T.stateChangedAt)},"verdict":${jsonString(T.verdict)},\
"verdictReason":${jsonString(T.verdictReason)},"note":${jsonString(T.note)},"stats":`;
const LINK_END = textFormat`${text(STATS)}}`;

/** What the head is made of: the values before the counters, the texts before stateChangedAt; the tail: the other texts. */
const HEAD_VALUES = V.counters;
const HEAD_TEXTS = T.stateChangedAt;

type Part = ReturnType<TextBuffer['bytesSince']>;

/** A link's head and tail as written last, and what they were made of. */
interface LinkJsonParts {
    /** The head's values (values[0, HEAD_VALUES)). */
    readonly values: Float64Array;
    /** The head's texts, then the tail's (texts[0, LINK_TEXT_COUNT)). */
    readonly texts: (string | null)[];
    head: Part;
    tail: Part;
}

/** Whether the head of `parts` was made of the values and texts of this link. */
function sameHead(parts: LinkJsonParts): boolean {
    for (let k = 0; k < HEAD_VALUES; k++) {
        const was = parts.values[k];
        const now = values[k];
        // NaN (not sent) is the same as NaN
        if (was !== now && (was === was || now === now)) return false;
    }
    return sameTexts(parts, 0, HEAD_TEXTS);
}

/** Whether texts[from, to) are those of `parts`; if so they replace them, so that the next compare is by reference. */
function sameTexts(parts: LinkJsonParts, from: number, to: number): boolean {
    for (let k = from; k < to; k++) if (parts.texts[k] !== texts[k]) return false;
    for (let k = from; k < to; k++) parts.texts[k] = texts[k];
    return true;
}

/** Link i as JSON into `out`. */
function writeLinkJson(out: TextBuffer, links: SampleLinks, i: number): void {
    links.fields(i, values, texts);
    // the full block only on request (NDJSON `statistics`): its keys vary, JSON.stringify writes it
    const stats = links.stats(i);
    texts[STATS] = stats === null ? 'null' : JSON.stringify(stats);
    // Kept per link (SampleLinks.keep): made again, their strings escaped character by character, the head
    // and the tail were most of the cost of a line, and top writes every link of every namespace each second.
    const parts = links.kept(i) as LinkJsonParts | undefined;
    let head: Part | undefined;
    let tail: Part | undefined;
    if (parts !== undefined && sameHead(parts)) out.append(parts.head.bytes, parts.head.ascii);
    else {
        const from = out.length;
        out.format(LINK_HEAD, values, 0, texts);
        head = out.bytesSince(from);
    }
    out.format(LINK_BODY, values, 0, texts);
    if (parts !== undefined && sameTexts(parts, HEAD_TEXTS, LINK_TEXT_COUNT))
        out.append(parts.tail.bytes, parts.tail.ascii);
    else {
        const from = out.length;
        out.format(LINK_TAIL, values, 0, texts);
        tail = out.bytesSince(from);
    }
    out.format(LINK_END, values, 0, texts);
    if (parts === undefined) {
        links.keep(i, {
            values: values.slice(0, HEAD_VALUES),
            texts: texts.slice(0, LINK_TEXT_COUNT),
            head: head!,
            tail: tail!,
        });
        return;
    }
    if (head !== undefined) {
        parts.head = head;
        parts.values.set(values.subarray(0, HEAD_VALUES));
        for (let k = 0; k < HEAD_TEXTS; k++) parts.texts[k] = texts[k];
    }
    if (tail !== undefined) {
        parts.tail = tail;
        for (let k = HEAD_TEXTS; k < LINK_TEXT_COUNT; k++) parts.texts[k] = texts[k];
    }
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
