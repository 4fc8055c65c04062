// The whole screen of `tipcx top` as lines of styled segments, computed from
// the state and the terminal size. Pure (no ink), so the height rule (never
// taller than the terminal) holds by construction and is easy to test.
import { helpLines } from '../keys.js';
import { RATE_COUNTERS, type RateCounter, type Window } from '../rates.js';
import type { LinkSample, Sample, TopEvent } from '../sampler.js';
import { CROSSOVER_NOTE, verdictLabel } from '../verdicts.js';
import { formatAge, formatRate, totalsOf, type SortColumn } from '../view.js';

export type Tone = 'good' | 'warn' | 'bad' | 'accent' | 'dim';

export interface Segment {
    readonly text: string;
    readonly tone?: Tone;
    readonly bold?: boolean;
    readonly inverse?: boolean;
}
export type Line = readonly Segment[];

export interface ScreenState {
    readonly sample?: Sample;
    /** Filtered, sorted, grouped rows. */
    readonly rows: readonly LinkSample[];
    readonly selected: number;
    readonly scroll: number;
    readonly sort: SortColumn;
    readonly reverse: boolean;
    readonly window: Window;
    readonly filterText?: string;
    readonly paused: boolean;
    readonly detail: boolean;
    readonly help: boolean;
    readonly intervalMs: number;
    readonly events: readonly TopEvent[];
    /** Sparkline data of the selected link. */
    readonly series: { readonly rx: readonly number[]; readonly tx: readonly number[] };
    /** Prompt or message on the status line (filter input, reset confirmation, errors). */
    readonly prompt?: string;
    readonly message?: string;
    readonly readOnly: boolean;
    readonly startedAt: number;
    readonly now: number;
}

interface Column {
    readonly title: string;
    readonly width: number;
    /** Lower numbers stay longest when the terminal is narrow. */
    readonly priority: number;
    readonly right?: boolean;
    readonly cell: (l: LinkSample, s: ScreenState) => Segment;
}

const rate =
    (c: RateCounter) =>
    (l: LinkSample, s: ScreenState): Segment => ({ text: formatRate(l.rates[c][`s${s.window}`]) });
const num = (v: number | null): string => (v === null ? '-' : String(v));

const STATE_TONE = { active: 'good', standby: 'warn', down: 'bad' } as const;

const COLUMNS: readonly Column[] = [
    { title: 'NS', width: 8, priority: 3, cell: (l) => ({ text: l.namespace ?? '-' }) },
    { title: 'LINK', width: 26, priority: 0, cell: (l) => ({ text: l.name }) },
    { title: 'PEER', width: 10, priority: 2, cell: (l) => ({ text: l.broadcast ? '(bcast)' : l.peer }) },
    { title: 'STATE', width: 7, priority: 0, cell: (l) => ({ text: l.state, tone: STATE_TONE[l.state] }) },
    {
        title: 'XOVER',
        width: 7,
        priority: 1,
        cell: (l) => ({
            text: l.verdict === 'crossover' ? 'bypass*' : l.verdict === 'link' ? 'no' : verdictLabel(l.verdict),
            ...(l.verdict === 'crossover' ? { tone: 'accent' as const } : {}),
        }),
    },
    { title: 'MTU', width: 5, priority: 6, right: true, cell: (l) => ({ text: num(l.mtu) }) },
    { title: 'PRI', width: 3, priority: 7, right: true, cell: (l) => ({ text: num(l.priority) }) },
    { title: 'TOL', width: 5, priority: 7, right: true, cell: (l) => ({ text: num(l.tolerance) }) },
    { title: 'WIN', width: 4, priority: 7, right: true, cell: (l) => ({ text: num(l.window) }) },
    { title: 'RX/s', width: 6, priority: 0, right: true, cell: rate('rx') },
    { title: 'TX/s', width: 6, priority: 0, right: true, cell: rate('tx') },
    { title: 'RETR/s', width: 6, priority: 4, right: true, cell: rate('retransmitted') },
    { title: 'NAK/s', width: 5, priority: 5, right: true, cell: rate('nacks') },
    { title: 'DUP/s', width: 5, priority: 5, right: true, cell: rate('duplicates') },
    { title: 'CONG/s', width: 6, priority: 5, right: true, cell: rate('congestion') },
    { title: 'QMAX/AVG', width: 9, priority: 6, right: true, cell: (l) => ({ text: `${l.queue.max}/${l.queue.avg}` }) },
    {
        title: 'SINCE',
        width: 5,
        priority: 4,
        right: true,
        cell: (l, s) => ({ text: formatAge(l.stateChangedAt, s.startedAt, s.now) }),
    },
];

const SORT_TITLE: Record<SortColumn, string> = {
    name: 'LINK',
    ns: 'NS',
    peer: 'PEER',
    state: 'STATE',
    rx: 'RX/s',
    tx: 'TX/s',
    retrans: 'RETR/s',
    nak: 'NAK/s',
    dup: 'DUP/s',
    cong: 'CONG/s',
    queue: 'QMAX/AVG',
};

/** The columns that fit: drop the least important until the row fits the width. */
function fitColumns(columns: number): readonly Column[] {
    let chosen = [...COLUMNS];
    const width = (cs: readonly Column[]): number => 2 + cs.reduce((n, c) => n + c.width + 1, 0);
    while (width(chosen) > columns && chosen.length > 1) {
        const worst = Math.max(...chosen.map((c) => c.priority));
        const index = chosen.map((c) => c.priority).lastIndexOf(worst);
        chosen = chosen.filter((_, i) => i !== index);
    }
    return chosen;
}

function pad(text: string, width: number, right = false): string {
    const cut = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}~` : text;
    return right ? cut.padStart(width) : cut.padEnd(width);
}

const SPARKS = '▁▂▃▄▅▆▇█';
const CROSSOVER_ROW_NOTE = ' bypassed: counters flat';

function sparkline(values: readonly number[], width: number): string {
    const recent = values.slice(-width);
    const max = Math.max(0, ...recent);
    if (recent.length === 0) return '';
    return recent.map((v) => (max === 0 ? SPARKS[0] : SPARKS[Math.min(7, Math.floor((v / max) * 7.999))])).join('');
}

/** How many table rows fit, given everything else on screen. */
export function tableHeight(s: ScreenState, rows: number): number {
    return Math.max(1, layoutBudget(s, rows).table);
}

function layoutBudget(s: ScreenState, rows: number): { table: number; events: number; detail: number; legend: number } {
    // frame = rows - 1 (ink flickers and wipes scrollback on frames as tall as the screen)
    const frame = Math.max(4, rows - 1);
    const fixed = 5; // title, table header, sparkline, totals, status
    const legend = s.rows.some((l) => l.verdict === 'crossover') ? 1 : 0;
    let detail = s.detail ? 9 : 0;
    let events = Math.min(5, 1 + Math.max(1, s.events.length));
    let table = frame - fixed - legend - detail - events;
    // Shrink the optional panes before the table goes below three rows.
    while (table < 3 && events > 0) {
        events -= 1;
        table += 1;
    }
    while (table < 3 && detail > 0) {
        detail -= 1;
        table += 1;
    }
    return { table, events, detail, legend };
}

export function renderScreen(s: ScreenState, size: { columns: number; rows: number }): Line[] {
    const columns = Math.max(20, size.columns);
    const frame = Math.max(4, size.rows - 1);
    const cut = (line: Line): Line => truncateLine(line, columns);
    if (s.help) return helpScreen(s, frame).map(cut);

    const budget = layoutBudget(s, size.rows);
    const cols = fitColumns(columns);
    // Crossover rows say "bypass*" in XOVER; where the width allows, also in words.
    const noteFits = 2 + cols.reduce((n, c) => n + c.width + 1, 0) + CROSSOVER_ROW_NOTE.length <= columns;
    const lines: Line[] = [];

    const sample = s.sample;
    const nsErrors = sample?.namespaces.filter((n) => !n.ok) ?? [];
    const title: Segment[] = [
        { text: 'tipcx top', bold: true },
        { text: `  ${sample?.namespaces.length ?? 0} ns, ${s.rows.length}/${sample?.links.length ?? 0} links` },
        { text: `  sort ${SORT_TITLE[s.sort]} ${s.reverse ? '(inverted)' : ''}` },
        { text: `  rates/${s.window} samples` },
    ];
    if (s.filterText) title.push({ text: `  filter ${s.filterText}`, tone: 'accent' });
    if (sample && !sample.moduleLoaded)
        title.push({ text: '  TIPC MODULE NOT LOADED (retrying)', tone: 'bad', bold: true });
    else if (nsErrors.length > 0) title.push({ text: `  ${nsErrors.length} ns unreadable`, tone: 'warn' });
    lines.push(title);

    lines.push([{ text: `  ${cols.map((c) => pad(c.title, c.width, c.right)).join(' ')}`, bold: true }]);

    const height = Math.max(1, budget.table);
    const visible = s.rows.slice(s.scroll, s.scroll + height);
    let previousGroup: string | undefined;
    visible.forEach((l, i) => {
        const index = s.scroll + i;
        const selected = index === s.selected;
        const group = `${l.namespace ?? ''}/${l.broadcast ? l.name : l.peer}`;
        const sameGroup = previousGroup === group;
        previousGroup = group;
        // '>' marks the selection without relying on inverse video; '|' marks a peer's further links.
        const marker = selected ? '> ' : sameGroup ? '| ' : '  ';
        const segments: Segment[] = [{ text: marker, ...(selected ? { bold: true } : {}) }];
        cols.forEach((c, ci) => {
            const cell = c.cell(l, s);
            segments.push({
                ...cell,
                text: `${pad(cell.text, c.width, c.right)}${ci < cols.length - 1 ? ' ' : ''}`,
                ...(selected ? { inverse: true } : {}),
            });
        });
        if (l.verdict === 'crossover' && noteFits) segments.push({ text: CROSSOVER_ROW_NOTE, tone: 'accent' });
        lines.push(segments);
    });
    if (s.rows.length === 0) {
        lines.push([
            {
                text: sample
                    ? sample.links.length === 0
                        ? '  no links'
                        : '  no link matches the filter'
                    : '  sampling…',
                tone: 'dim',
            },
        ]);
    }
    while (lines.length < 2 + height) lines.push([{ text: '' }]);

    if (budget.legend) lines.push([{ text: `  * bypass = ${CROSSOVER_NOTE}`, tone: 'accent' }]);

    const chosen = s.rows[s.selected];
    const sparkWidth = Math.max(8, Math.min(40, Math.floor((columns - 30) / 2)));
    lines.push(
        chosen
            ? [
                  { text: `  ${pad(chosen.name, 22)} rx ` },
                  { text: sparkline(s.series.rx, sparkWidth).padEnd(sparkWidth), tone: 'good' },
                  { text: ' tx ' },
                  { text: sparkline(s.series.tx, sparkWidth), tone: 'accent' },
              ]
            : [{ text: '' }],
    );

    if (budget.detail > 0 && chosen) lines.push(...detailPane(chosen, columns).slice(0, budget.detail));
    else if (budget.detail > 0) lines.push(...Array.from({ length: budget.detail }, () => [{ text: '' }]));

    const t = totalsOf(sample?.links ?? []);
    lines.push([
        {
            text: `  total ${t.links} links, ${t.up} up, RX ${formatRate(t.rx)}/s TX ${formatRate(t.tx)}/s retrans ${formatRate(t.retransmitted)}/s, ${t.crossover} crossover (all links, whatever the filter)`,
            bold: true,
        },
    ]);

    if (budget.events > 0) {
        lines.push([{ text: '  events', bold: true }]);
        const shown = s.events.slice(-(budget.events - 1));
        for (const e of shown)
            lines.push([{ text: `  ${e.time.slice(11, 19)} ` }, { text: e.message, tone: eventTone(e) }]);
        for (let i = shown.length; i < budget.events - 1; i++) lines.push([{ text: '' }]);
    }

    lines.push(statusLine(s));
    return lines.slice(0, frame).map(cut);
}

function eventTone(e: TopEvent): Tone | undefined {
    if (/down|gone|error/.test(e.kind)) return 'bad';
    if (/up|back|recovered|new|active/.test(e.kind)) return 'good';
    if (e.kind === 'stats-reset' || e.kind === 'verdict') return 'warn';
    return undefined;
}

function statusLine(s: ScreenState): Line {
    if (s.prompt !== undefined) return [{ text: s.prompt, bold: true }];
    const clock = new Date(s.now).toTimeString().slice(0, 8);
    const parts: Segment[] = [{ text: `interval ${(s.intervalMs / 1000).toFixed(1)}s  ${clock}` }];
    if (s.paused) parts.push({ text: '  PAUSED (sampling goes on; space resumes)', tone: 'warn', bold: true });
    if (s.readOnly) parts.push({ text: '  read-only' });
    if (s.message) parts.push({ text: `  ${s.message}`, tone: 'warn' });
    parts.push({ text: '  ? help  q quit', tone: 'dim' });
    return parts;
}

function detailPane(l: LinkSample, columns: number): Line[] {
    const w = (c: RateCounter): string =>
        `${formatRate(l.rates[c].s2)}/${formatRate(l.rates[c].s10)}/${formatRate(l.rates[c].s40)}`;
    const lines: Line[] = [
        [
            { text: `  Link <${l.name}>`, bold: true },
            {
                text: `  ns ${l.namespace ?? '-'}  peer ${l.peer || '-'}${l.peerAddress === null ? '' : ` (${l.peerAddress.toString(16).padStart(8, '0')})`}  ${l.state}  MTU:${num(l.mtu)} Priority:${num(l.priority)} Tolerance:${num(l.tolerance)} ms Window:${num(l.window)} packets`,
            },
        ],
        [{ text: `  rates/s over 2/10/40 samples: ${RATE_COUNTERS.map((c) => `${c} ${w(c)}`).join('  ')}` }],
        [
            {
                text: `  verdict: ${l.verdict}${l.verdictReason ? ` (${l.verdictReason})` : ''}${l.note ? ` - ${l.note}` : ''}`,
                ...(l.note ? { tone: 'accent' as const } : {}),
            },
        ],
    ];
    if (l.stats === null) {
        lines.push([{ text: '  full statistics: read from the next sample on', tone: 'dim' }]);
        return lines;
    }
    const stats = Object.entries(l.stats).map(([k, v]) => `${k}:${String(v)}`);
    let current = ' ';
    for (const item of stats) {
        if (current.length + item.length + 2 > columns) {
            lines.push([{ text: current }]);
            current = ' ';
        }
        current += ` ${item}`;
    }
    if (current.trim()) lines.push([{ text: current }]);
    return lines;
}

function helpScreen(s: ScreenState, frame: number): Line[] {
    const lines: Line[] = [[{ text: 'tipcx top: keys', bold: true }], [{ text: '' }]];
    for (const l of helpLines()) lines.push([{ text: `  ${l}` }]);
    lines.push([{ text: '' }]);
    lines.push([{ text: `  sort columns cycle: ${Object.values(SORT_TITLE).join(' ')}` }]);
    lines.push([
        {
            text: '  XOVER bypass*: crossover peer, the link is bypassed and its counters stay flat; no: traffic uses the link; ?: no verdict',
            tone: 'accent',
        },
    ]);
    if (s.readOnly) lines.push([{ text: '  read-only: r is disabled' }]);
    lines.push([{ text: '  press any key to close', tone: 'dim' }]);
    return lines.slice(0, frame);
}

/** Cuts a line to `columns` characters (ink would wrap it, making the frame taller). */
function truncateLine(line: Line, columns: number): Line {
    const out: Segment[] = [];
    let left = columns;
    for (const seg of line) {
        if (left <= 0) break;
        const text = [...seg.text];
        if (text.length <= left) {
            out.push(seg);
            left -= text.length;
        } else {
            out.push({ ...seg, text: text.slice(0, left).join('') });
            left = 0;
        }
    }
    return out;
}
