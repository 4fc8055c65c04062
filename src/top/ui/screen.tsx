// The interactive screen of `tipcx top`. State lives here; what is drawn comes
// from layout.ts; which key does what comes from keys.ts.
import { Box, Text, useApp, useInput, useStdin, useStdout } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { actionFor, functionKeyOf, type KeyPress } from '../keys.js';
import { WINDOWS, type RateCounter, type Window } from '../rates.js';
import type { Sample, TopEvent } from '../sampler.js';
import { arrangeLinks, parseFilter, SORT_COLUMNS, type LinkFilter, type SortColumn } from '../view.js';
import { renderScreen, tableHeight, type Line, type Tone } from './layout.js';

/** What the screen needs from the sampling loop (a fake one in tests). */
export interface TopFeed {
    subscribe(listener: (sample: Sample) => void): () => void;
    events(): readonly TopEvent[];
    series(namespace: string | null, link: string, counter: RateCounter): number[];
    resetStats(namespace: string | null, link: string): Promise<void>;
    readonly intervalMs: number;
    setIntervalMs(ms: number): void;
    /**
     * The namespace whose links' full statistics the detail pane shows
     * (null: the one tipcx runs in); undefined when the pane is closed.
     * Only the counters of the table are read otherwise.
     */
    focusStatistics(namespace: string | null | undefined): void;
}

export interface AppProps {
    readonly feed: TopFeed;
    readonly sort: SortColumn;
    readonly reverse: boolean;
    readonly filter?: LinkFilter;
    readonly readOnly: boolean;
    readonly color: boolean;
    readonly startedAt: number;
    readonly now?: () => number;
    /** Fixed size for tests; otherwise the terminal's, following resizes. */
    readonly size?: { columns: number; rows: number };
}

const INTERVAL_STEPS_MS = [100, 200, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 300_000, 3_600_000];

type Mode =
    | { kind: 'normal' }
    | { kind: 'help' }
    | { kind: 'filter'; text: string }
    | { kind: 'search'; text: string; missing: boolean }
    | { kind: 'sort'; column: SortColumn }
    | { kind: 'confirm'; namespace: string | null; link: string };

const TONE_COLOR: Record<Tone, string> = { good: 'green', warn: 'yellow', bad: 'red', accent: 'magenta', dim: 'gray' };

function useTerminalSize(fixed?: { columns: number; rows: number }): { columns: number; rows: number } {
    const { stdout } = useStdout();
    const read = (): { columns: number; rows: number } =>
        fixed ?? { columns: stdout.columns || 80, rows: stdout.rows || 24 };
    const [size, setSize] = useState(read);
    useEffect(() => {
        if (fixed) return;
        const onResize = (): void => setSize(read());
        stdout.on('resize', onResize);
        return () => void stdout.off('resize', onResize);
    }, [stdout, fixed]);
    return size;
}

export function App(props: AppProps) {
    const { feed } = props;
    const { exit } = useApp();
    const size = useTerminalSize(props.size);
    const now = props.now ?? Date.now;

    const [latest, setLatest] = useState<Sample | undefined>();
    // Paused: the display keeps the sample of the moment (sampling goes on).
    const [frozen, setFrozen] = useState<Sample | undefined>();
    const [paused, setPaused] = useState(false);
    const [sort, setSort] = useState<SortColumn>(props.sort);
    const [reverse, setReverse] = useState(props.reverse);
    const [filter, setFilter] = useState<LinkFilter | undefined>(props.filter);
    const [window, setWindow] = useState<Window>(2);
    const [selectedKey, setSelectedKey] = useState<string | undefined>();
    const [scroll, setScroll] = useState(0);
    const [detail, setDetail] = useState(false);
    const [mode, setMode] = useState<Mode>({ kind: 'normal' });
    // The filter being typed, current before any render: keys typed faster than a
    // render (Enter right after the text) must see every character.
    const typing = useRef('');
    const [message, setMessage] = useState<string | undefined>();
    const [intervalMs, setIntervalMs] = useState(feed.intervalMs);

    useEffect(() => feed.subscribe((sample) => setLatest(sample)), [feed]);
    const shown = paused ? frozen : latest;

    const rows = useMemo(
        () => arrangeLinks(shown?.links ?? [], { sort, reverse, ...(filter ? { filter } : {}) }),
        [shown, sort, reverse, filter],
    );
    const keyOf = (i: number): string | undefined =>
        rows[i] ? `${rows[i].namespace ?? ''}\0${rows[i].name}` : undefined;
    // The selection follows its link when the order changes.
    const found = selectedKey === undefined ? -1 : rows.findIndex((_, i) => keyOf(i) === selectedKey);
    const selected = found === -1 ? 0 : found;

    const base = {
        sample: shown,
        rows,
        selected,
        scroll: 0,
        sort,
        reverse,
        window,
        ...(filter ? { filterText: filter.source } : {}),
        paused,
        detail,
        help: mode.kind === 'help',
        intervalMs,
        events: feed.events(),
        series: { rx: [] as number[], tx: [] as number[] },
        readOnly: props.readOnly,
        startedAt: props.startedAt,
        now: now(),
    };
    const focused = detail ? (rows[selected]?.namespace ?? null) : undefined;
    useEffect(() => feed.focusStatistics(focused), [feed, focused]);
    const height = tableHeight(base, size.rows);
    // Keep the selection inside the visible window.
    const top = Math.min(Math.max(scroll, selected - height + 1, 0), selected);

    const select = (i: number): void => {
        const clamped = Math.max(0, Math.min(rows.length - 1, i));
        setSelectedKey(keyOf(clamped));
        if (clamped < top) setScroll(clamped);
        else if (clamped >= top + height) setScroll(clamped - height + 1);
    };

    const onKey = (input: string, key: KeyPress): void => {
        setMessage(undefined);
        if (mode.kind === 'help') {
            setMode({ kind: 'normal' });
            return;
        }
        if (mode.kind === 'filter') {
            filterInput(input, key);
            return;
        }
        if (mode.kind === 'search') {
            searchInput(input, key);
            return;
        }
        if (mode.kind === 'sort') {
            sortMenuInput(mode.column, key);
            return;
        }
        if (mode.kind === 'confirm') {
            if (input === 'y' || input === 'Y') {
                feed.resetStats(mode.namespace, mode.link).then(
                    () => setMessage(`statistics of ${mode.link} reset`),
                    (err: unknown) => setMessage(`reset failed: ${err instanceof Error ? err.message : String(err)}`),
                );
            } else setMessage('reset cancelled');
            setMode({ kind: 'normal' });
            return;
        }
        switch (actionFor(input, key)) {
            case 'quit':
                exit();
                break;
            case 'help':
                setMode({ kind: 'help' });
                break;
            case 'filter':
                typing.current = filter?.source ?? '';
                setMode({ kind: 'filter', text: typing.current });
                break;
            case 'search':
                typing.current = '';
                setMode({ kind: 'search', text: '', missing: false });
                break;
            case 'sortMenu':
                setMode({ kind: 'sort', column: sort });
                break;
            case 'sortNext':
                setSort((c) => SORT_COLUMNS[(SORT_COLUMNS.indexOf(c) + 1) % SORT_COLUMNS.length]);
                break;
            case 'sortPrev':
                setSort((c) => SORT_COLUMNS[(SORT_COLUMNS.indexOf(c) + SORT_COLUMNS.length - 1) % SORT_COLUMNS.length]);
                break;
            case 'invert':
                setReverse((r) => !r);
                break;
            case 'window':
                setWindow((w) => WINDOWS[(WINDOWS.indexOf(w) + 1) % WINDOWS.length]);
                break;
            case 'pause':
                setFrozen(latest);
                setPaused((p) => !p);
                break;
            case 'detail':
                setDetail((d) => !d);
                break;
            case 'close':
                setDetail(false);
                break;
            case 'reset': {
                const link = rows[selected];
                if (props.readOnly) setMessage('read-only: statistics reset is disabled');
                else if (link) setMode({ kind: 'confirm', namespace: link.namespace, link: link.name });
                break;
            }
            case 'faster':
            case 'slower': {
                const at = INTERVAL_STEPS_MS.findIndex((ms) => ms >= intervalMs);
                const current = at === -1 ? INTERVAL_STEPS_MS.length - 1 : at;
                const next =
                    INTERVAL_STEPS_MS[
                        Math.max(
                            0,
                            Math.min(
                                INTERVAL_STEPS_MS.length - 1,
                                current + (actionFor(input, key) === 'faster' ? -1 : 1),
                            ),
                        )
                    ];
                feed.setIntervalMs(next);
                setIntervalMs(next);
                break;
            }
            case 'up':
                select(selected - 1);
                break;
            case 'down':
                select(selected + 1);
                break;
            case 'first':
                select(0);
                break;
            case 'last':
                select(rows.length - 1);
                break;
            case 'pageUp':
                select(selected - height);
                break;
            case 'pageDown':
                select(selected + height);
                break;
            default:
                break;
        }
    };
    // ink may call a handler registered by an earlier render (its effect runs
    // after paint); a ref always reaches this render's state.
    const onKeyRef = useRef(onKey);
    onKeyRef.current = onKey;
    // ink hands function keys over as an empty input with no key set: those
    // come from the raw sequences below instead, and ink's empty calls are
    // dropped, so that each key press reaches onKey exactly once.
    useInput(
        useCallback((input: string, key: KeyPress & Record<string, unknown>) => {
            if (input === '' && !Object.values(key).some((v) => v === true)) return;
            onKeyRef.current(input, key);
        }, []),
    );
    const { internal_eventEmitter: rawInput } = useStdin();
    useEffect(() => {
        const onSequence = (sequence: string): void => {
            const functionKey = functionKeyOf(sequence);
            if (functionKey !== undefined) onKeyRef.current('', { functionKey });
        };
        rawInput.on('input', onSequence);
        return () => void rawInput.off('input', onSequence);
    }, [rawInput]);

    /** The first row at or after `from` (wrapping) whose namespace, name or peer contains `text`. */
    function findRow(text: string, from: number): number {
        const needle = text.toLowerCase();
        for (let n = 0; n < rows.length; n++) {
            const i = (from + n) % rows.length;
            const l = rows[i];
            if (`${l.namespace ?? ''} ${l.name} ${l.peer}`.toLowerCase().includes(needle)) return i;
        }
        return -1;
    }

    function searchInput(input: string, key: KeyPress & { backspace?: boolean; delete?: boolean }): void {
        if (key.escape) {
            setMode({ kind: 'normal' });
            return;
        }
        const search = (text: string, from: number): void => {
            typing.current = text;
            const at = text === '' ? -1 : findRow(text, from);
            setMode({ kind: 'search', text, missing: text !== '' && at === -1 });
            if (at !== -1) select(at);
        };
        if (key.functionKey === 3) {
            search(typing.current, selected + 1); // the next match after the selection
            return;
        }
        // Enter ends the search on the link found; typed ahead, the text and its Enter arrive as one chunk
        const enter = input.indexOf('\r');
        if (key.return || enter >= 0) {
            if (enter > 0) search(typing.current + input.slice(0, enter), selected);
            setMode({ kind: 'normal' });
            return;
        }
        if (key.backspace || key.delete) search(typing.current.slice(0, -1), selected);
        else if (!key.ctrl && input && key.functionKey === undefined) search(typing.current + input, selected);
    }

    function sortMenuInput(column: SortColumn, key: KeyPress & { leftArrow?: boolean; rightArrow?: boolean }): void {
        const step = (by: number): SortColumn =>
            SORT_COLUMNS[(SORT_COLUMNS.indexOf(column) + by + SORT_COLUMNS.length) % SORT_COLUMNS.length];
        if (key.escape) setMode({ kind: 'normal' });
        else if (key.return || key.functionKey === 6) {
            setSort(column);
            setMode({ kind: 'normal' });
        } else if (key.leftArrow || key.upArrow) setMode({ kind: 'sort', column: step(-1) });
        else if (key.rightArrow || key.downArrow) setMode({ kind: 'sort', column: step(1) });
    }

    function filterInput(input: string, key: KeyPress & { backspace?: boolean; delete?: boolean }): void {
        if (key.escape) {
            setMode({ kind: 'normal' });
            return;
        }
        // Typed ahead or pasted, the text and its Enter arrive as one chunk ("abc\r").
        const enter = input.indexOf('\r');
        if (key.return || enter >= 0) {
            const typed = key.return ? typing.current : typing.current + input.slice(0, enter);
            if (typed === '') setFilter(undefined);
            else {
                try {
                    setFilter(parseFilter(typed));
                } catch (err) {
                    setMessage((err as Error).message);
                }
            }
            setScroll(0);
            setMode({ kind: 'normal' });
            return;
        }
        const edit = (change: (t: string) => string): void => {
            typing.current = change(typing.current);
            setMode({ kind: 'filter', text: typing.current });
        };
        if (key.backspace || key.delete) edit((t) => t.slice(0, -1));
        else if (!key.ctrl && input) edit((t) => t + input);
    }

    const chosen = rows[selected];
    const lines = renderScreen(
        {
            ...base,
            scroll: top,
            series: chosen
                ? {
                      rx: feed.series(chosen.namespace, chosen.name, 'rx'),
                      tx: feed.series(chosen.namespace, chosen.name, 'tx'),
                  }
                : { rx: [], tx: [] },
            ...(mode.kind === 'filter'
                ? { prompt: `filter (regex, !inverts, Enter applies, Esc cancels): /${mode.text}` }
                : {}),
            ...(mode.kind === 'search'
                ? {
                      prompt: `search (F3 next match, Enter or Esc ends): ${mode.text}${mode.missing ? '  (no link matches)' : ''}`,
                  }
                : {}),
            ...(mode.kind === 'sort'
                ? {
                      prompt: `sort by (Left/Right, Enter applies, Esc cancels): ${SORT_COLUMNS.map((c) =>
                          c === mode.column ? `[${c}]` : c,
                      ).join(' ')}`,
                  }
                : {}),
            ...(mode.kind === 'confirm'
                ? { prompt: `reset statistics of ${mode.link}${mode.namespace ? ` in ${mode.namespace}` : ''}? y/N` }
                : {}),
            ...(message ? { message } : {}),
        },
        size,
    );

    return (
        <Box flexDirection="column">
            {lines.map((line, i) => (
                <ScreenLine key={i} line={line} color={props.color} />
            ))}
        </Box>
    );
}

function ScreenLine({ line, color }: { line: Line; color: boolean }) {
    return (
        <Text wrap="truncate">
            {line.length === 0
                ? ' '
                : line.map((seg, i) => (
                      <Text
                          key={i}
                          {...(color && seg.tone ? { color: TONE_COLOR[seg.tone] } : {})}
                          {...(seg.bold ? { bold: true } : {})}
                          {...(color && seg.inverse ? { inverse: true } : {})}
                      >
                          {seg.text === '' ? ' ' : seg.text}
                      </Text>
                  ))}
        </Text>
    );
}
