import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { render } from 'ink-testing-library';
import { KEY_BINDINGS, actionFor, functionKeyOf, helpLines } from '../../src/top/keys.js';
import { zeroRates } from '../../src/top/rates.js';
import type { LinkSample, Sample, TopEvent } from '../../src/top/sampler.js';
import { App, type TopFeed } from '../../src/top/ui/screen.js';
import { renderScreen, type ScreenState } from '../../src/top/ui/layout.js';
import { CROSSOVER_NOTE } from '../../src/top/verdicts.js';

type Ui = ReturnType<typeof render>;

// Function keys as xterm (and tmux in it) sends them.
const F1 = '\u001bOP';
const F3 = '\u001bOR';
const F4 = '\u001bOS';
const F6 = '\u001b[17~';
const F10 = '\u001b[21~';

/**
 * Waits until `holds` is true of the screen (and the fake feed), polling: ink
 * renders when React gets to it, later on a busy machine. Fails after a
 * generous deadline with the frame it last saw.
 */
async function until(ui: Ui, what: string, holds: (frame: string) => boolean, deadlineMs = 15_000): Promise<string> {
    const give = Date.now() + deadlineMs;
    for (;;) {
        const frame = ui.lastFrame() ?? '';
        if (holds(frame)) return frame;
        if (Date.now() > give) assert.fail(`no frame with ${what} within ${deadlineMs} ms; the last one:\n${frame}`);
        await new Promise((r) => setTimeout(r, 5));
    }
}

function link(name: string, peer: string, tx: number, extra: Partial<LinkSample> = {}): LinkSample {
    const rates = zeroRates();
    rates.tx = { s2: tx, s10: tx / 2, s40: tx / 4 };
    rates.rx = { s2: tx / 10, s10: 0, s40: 0 };
    return {
        namespace: 'ns1',
        name,
        peer,
        peerAddress: 0x1234,
        bearer: 'eth0',
        broadcast: false,
        state: 'active',
        up: true,
        active: true,
        mtu: 1450,
        priority: 10,
        tolerance: 1500,
        window: 50,
        counters: { rx: 0, tx: 0, retransmitted: 0, nacks: 0, duplicates: 0, congestion: 0 },
        rates,
        queue: { max: 3, avg: 1 },
        stateChangedAt: null,
        verdict: 'link',
        verdictReason: null,
        note: null,
        stats: { rxInfo: 1, txInfo: 2, retransmitted: 0, maxQueue: 3, avgQueue: 1 },
        ...extra,
    };
}

function sample(links: LinkSample[], seq = 1): Sample {
    return {
        time: new Date(0).toISOString(),
        seq,
        intervalMs: 1000,
        moduleLoaded: true,
        namespaces: [{ namespace: 'ns1', ok: true, error: null }],
        links,
        events: [],
    };
}

function fakeFeed() {
    let listener: ((s: Sample) => void) | undefined;
    const events: TopEvent[] = [
        {
            time: '2026-01-01T10:00:00.000Z',
            kind: 'netns-gone',
            namespace: 'ns9',
            link: null,
            message: 'namespace ns9 was deleted',
        },
    ];
    const resets: string[] = [];
    const focus: (string | null | undefined)[] = [];
    const feed: TopFeed & { intervalMs: number } = {
        subscribe(l) {
            listener = l;
            return () => {
                listener = undefined;
            };
        },
        events: () => events,
        series: () => [0, 1, 5, 10],
        async resetStats(_ns, l) {
            resets.push(l);
        },
        intervalMs: 1000,
        setIntervalMs(ms) {
            this.intervalMs = ms;
        },
        focusStatistics: (ns) => void focus.push(ns),
    };
    return {
        feed,
        events,
        resets,
        focus,
        emit: (s: Sample) => listener?.(s),
        subscribed: () => listener !== undefined,
    };
}

const LINKS = [
    link('ns1:eth0-alpha:eth0', 'alpha', 50),
    link('ns1:eth1-alpha:eth1', 'alpha', 5),
    link('ns1:eth0-beta:eth0', 'beta', 20, { verdict: 'crossover', note: CROSSOVER_NOTE, peerAddress: 0x99 }),
];

async function mount(props: Partial<Parameters<typeof App>[0]> = {}) {
    const f = fakeFeed();
    const ui = render(
        <App
            feed={f.feed}
            sort="name"
            reverse={false}
            readOnly={false}
            color={false}
            startedAt={0}
            now={() => 60_000}
            size={{ columns: 100, rows: 30 }}
            {...props}
        />,
    );
    // the feed subscription and the key listener are both set up by effects after the first render
    await until(
        ui,
        'the feed subscribed and keys listened to',
        () => f.subscribed() && ui.stdin.listenerCount('readable') > 0,
    );
    f.emit(sample(LINKS));
    await until(ui, 'the three links', (frame) => rowOrder(frame).length === LINKS.length);
    return { ...f, ui, frame: () => ui.lastFrame() ?? '' };
}

const rowOrder = (frame: string) =>
    frame
        .split('\n')
        .filter((l) => /^(> |\| | {2})(ns1 +)?ns1:eth/.test(l) && !/ rx /.test(l))
        .map((l) => /(ns1:eth\d-\w+:eth\d)/.exec(l)![1]);

test('rows grouped by peer, crossover row says its counters stay flat, totals, events, status', async () => {
    const { frame, ui } = await mount();
    const f = frame();
    if (process.env.SHOWFRAME) console.log(f);
    assert.deepEqual(rowOrder(f), ['ns1:eth0-alpha:eth0', 'ns1:eth1-alpha:eth1', 'ns1:eth0-beta:eth0']);
    assert.match(f, /^> .*ns1:eth0-alpha:eth0/m, 'the selection is marked without colour');
    assert.match(f, /^\| .*ns1:eth1-alpha:eth1/m, "a peer's second link is marked as part of the group");
    assert.match(f, /ns1:eth0-beta:eth0.*bypass\*/);
    assert.match(f, /\* bypass = crossover: data to this peer bypasses the link/);
    for (const line of f.split('\n')) assert.ok(line.length <= 100, 'no line is cut by the terminal');
    assert.ok(f.includes(CROSSOVER_NOTE.slice(0, 40)));
    ui.unmount();
    const wide = renderScreen(
        {
            sample: sample(LINKS),
            rows: LINKS,
            selected: 0,
            scroll: 0,
            sort: 'name',
            reverse: false,
            window: 2,
            paused: false,
            detail: false,
            help: false,
            intervalMs: 1000,
            events: [],
            series: { rx: [], tx: [] },
            readOnly: false,
            startedAt: 0,
            now: 0,
        },
        { columns: 200, rows: 30 },
    );
    assert.match(
        wide.map((l) => l.map((s) => s.text).join('')).join('\n'),
        /ns1:eth0-beta:eth0.*bypass\*.*bypassed: counters flat/,
    );
    assert.match(f, /total 3 links, 3 up, RX 7\.5\/s TX 75\/s/);
    assert.match(f, /namespace ns9 was deleted/);
    assert.match(f, /interval 1\.0s/);
    assert.match(f, /STATE/);
    ui.unmount();
});

test('keys: sort, invert, filter, inverted filter, pause, help, detail, interval', async () => {
    const { frame, ui, emit, focus } = await mount();
    ui.stdin.write('>'); // name -> ns
    ui.stdin.write('>'); // -> peer
    ui.stdin.write('>'); // -> state
    ui.stdin.write('>'); // -> rx
    ui.stdin.write('>'); // -> tx
    await until(ui, 'sort TX/s', (f) => /sort TX\/s/.test(f));
    assert.deepEqual(rowOrder(frame()), ['ns1:eth0-alpha:eth0', 'ns1:eth1-alpha:eth1', 'ns1:eth0-beta:eth0']);
    ui.stdin.write('I');
    await until(ui, 'inverted', (f) => /inverted/.test(f));
    assert.deepEqual(rowOrder(frame()), ['ns1:eth1-alpha:eth1', 'ns1:eth0-alpha:eth0', 'ns1:eth0-beta:eth0']);

    ui.stdin.write('\\');
    await until(ui, 'the filter prompt', (f) => /filter \(regex/.test(f));
    // Enter right behind the text, before any render: it must see every character
    ui.stdin.write('beta');
    ui.stdin.write('\r');
    await until(ui, 'the filter prompt closed', (f) => !/filter \(regex/.test(f));
    assert.deepEqual(rowOrder(frame()), ['ns1:eth0-beta:eth0']);
    assert.match(frame(), /total 3 links/, 'the filter does not change totals');
    ui.stdin.write(F4);
    await until(ui, 'the prompt holding the filter applied', (f) => /^filter \(regex.*: \/beta *$/m.test(f));
    for (let i = 0; i < 4; i++) ui.stdin.write('\u007f');
    await until(ui, 'the prompt emptied', (f) => /^filter \(regex.*: \/ *$/m.test(f));
    // typed ahead: the text and its Enter arrive in one chunk, as from tmux send-keys
    ui.stdin.write('!beta\r');
    await until(ui, 'the filter prompt closed', (f) => !/filter \(regex/.test(f));
    assert.deepEqual(rowOrder(frame()).length, 2);
    assert.ok(!frame().includes('ns1:eth0-beta:eth0'));

    ui.stdin.write(' ');
    await until(ui, 'PAUSED', (f) => /PAUSED/.test(f));
    emit(sample([link('ns1:eth0-alpha:eth0', 'alpha', 999)], 2));
    // nothing on screen may change while paused: open and close the help, which
    // leaves no state behind, to see a frame drawn after the sample arrived
    ui.stdin.write('?');
    await until(ui, 'the help', (f) => f.includes('press any key to close'));
    ui.stdin.write('x');
    await until(ui, 'the paused table again', (f) => !f.includes('press any key to close') && /PAUSED/.test(f));
    assert.ok(!frame().includes('999'), 'paused display keeps the old sample');
    assert.deepEqual(rowOrder(frame()).length, 2);
    ui.stdin.write(' ');
    await until(ui, 'the display resumed', (f) => !/PAUSED/.test(f));
    assert.match(frame(), /999/, 'resuming shows the latest sample');

    ui.stdin.write('?');
    await until(ui, 'the help', (f) => f.includes('press any key to close'));
    for (const b of KEY_BINDINGS) assert.ok(frame().includes(b.description.slice(0, 30)), `help shows ${b.action}`);
    ui.stdin.write('x');
    await until(ui, 'the help closed', (f) => !f.includes('press any key to close'));

    assert.equal(focus.at(-1), undefined, 'no full statistics while the detail pane is closed');
    ui.stdin.write('\r');
    await until(ui, 'the detail view', (f) => /Link </.test(f));
    assert.match(frame(), /Link <ns1:eth0-alpha:eth0>/);
    assert.match(frame(), /txInfo:2/);
    assert.match(frame(), /rates\/s over 2\/10\/40 samples/);
    // effects run after the frame is drawn
    await until(ui, "the detail pane asking for the full statistics of the selected link's namespace", () =>
        focus.includes('ns1'),
    );
    assert.equal(focus.at(-1), 'ns1');
    // a sample read without them says when they come
    emit(
        sample(
            LINKS.map((l) => ({ ...l, stats: null })),
            3,
        ),
    );
    await until(ui, 'the pane without statistics', (f) => /full statistics: read from the next sample on/.test(f));
    assert.doesNotMatch(frame(), /txInfo:/);
    emit(sample(LINKS, 4));
    await until(ui, 'the statistics back', (f) => /txInfo:2/.test(f));
    ui.stdin.write('\u001b');
    await until(ui, 'the detail pane closed', (f) => !/rates\/s over/.test(f));
    await until(ui, 'closing the pane letting go of the full statistics', () => focus.at(-1) === undefined);
    ui.stdin.write('\r');
    await until(ui, 'the detail view again', (f) => /rates\/s over/.test(f));

    assert.match(frame(), /interval 1\.0s/);
    ui.stdin.write('+');
    await until(ui, 'the interval changed', (f) => !/interval 1\.0s/.test(f));
    assert.match(frame(), /interval 0\.5s/);
    ui.unmount();
});

test('r asks first and resets the selected link; read-only refuses', async () => {
    const a = await mount();
    a.ui.stdin.write('j');
    await until(a.ui, 'the second row selected', (f) => /^> .*ns1:eth1-alpha:eth1/m.test(f));
    a.ui.stdin.write('r');
    await until(a.ui, 'the reset question', (f) => /y\/N/.test(f));
    assert.match(a.frame(), /reset statistics of ns1:eth1-alpha:eth1 in ns1\? y\/N/);
    a.ui.stdin.write('y');
    await until(a.ui, 'the reset reported', (f) => /statistics of ns1:eth1-alpha:eth1 reset/.test(f));
    assert.deepEqual(a.resets, ['ns1:eth1-alpha:eth1']);
    a.ui.stdin.write('r');
    await until(a.ui, 'the reset question', (f) => /y\/N/.test(f));
    a.ui.stdin.write('n');
    await until(a.ui, 'the question answered', (f) => !/y\/N/.test(f));
    assert.deepEqual(a.resets, ['ns1:eth1-alpha:eth1']);
    assert.match(a.frame(), /reset cancelled/);
    a.ui.unmount();

    const b = await mount({ readOnly: true });
    b.ui.stdin.write('r');
    await until(b.ui, 'the refusal', (f) => /reset is disabled/.test(f));
    assert.match(b.frame(), /read-only: statistics reset is disabled/);
    assert.deepEqual(b.resets, []);
    b.ui.unmount();
});

test('the frame is never taller than the terminal, whatever is open', () => {
    const many = Array.from({ length: 100 }, (_, i) => link(`ns1:eth0-p${i}:eth0`, `p${i}`, i));
    const events = Array.from({ length: 50 }, (_, i): TopEvent => ({
        time: new Date(i * 1000).toISOString(),
        kind: 'info',
        namespace: null,
        link: null,
        message: `event ${i}`,
    }));
    for (const rows of [6, 10, 24, 50]) {
        for (const [detail, help] of [
            [false, false],
            [true, false],
            [false, true],
        ] as const) {
            const state: ScreenState = {
                sample: sample(many),
                rows: many,
                selected: 0,
                scroll: 0,
                sort: 'name',
                reverse: false,
                window: 2,
                paused: false,
                detail,
                help,
                intervalMs: 1000,
                events,
                series: { rx: [1, 2], tx: [3, 4] },
                readOnly: false,
                startedAt: 0,
                now: 0,
            };
            for (const columns of [40, 80, 200]) {
                const lines = renderScreen(state, { columns, rows });
                assert.ok(
                    lines.length <= rows - 1,
                    `${lines.length} lines for ${rows} rows (detail ${detail}, help ${help})`,
                );
                for (const line of lines) assert.ok(line.reduce((n, s) => n + [...s.text].length, 0) <= columns);
            }
        }
    }
});

test('navigation keys move the selection; the key table drives actions and help', async () => {
    const { frame, ui } = await mount({ size: { columns: 100, rows: 14 } });
    assert.match(frame(), /^> .*ns1:eth0-alpha:eth0/m);
    ui.stdin.write('G');
    await until(ui, 'the selection moved', (f) => !/^> .*ns1:eth0-alpha:eth0/m.test(f));
    assert.match(frame(), /^> .*ns1:eth0-beta:eth0/m);
    ui.stdin.write('g');
    await until(ui, 'the selection moved', (f) => !/^> .*ns1:eth0-beta:eth0/m.test(f));
    assert.match(frame(), /^> .*ns1:eth0-alpha:eth0/m);
    ui.stdin.write('\u001b[B'); // down arrow
    await until(ui, 'the selection moved', (f) => !/^> .*ns1:eth0-alpha:eth0/m.test(f));
    assert.match(frame(), /^> .*ns1:eth1-alpha:eth1/m);
    ui.unmount();
    assert.equal(actionFor('q', {}), 'quit');
    assert.equal(actionFor('c', { ctrl: true }), 'quit');
    assert.equal(actionFor('', { pageDown: true }), 'pageDown');
    assert.equal(helpLines().length, KEY_BINDINGS.length);
    assert.equal(new Set(KEY_BINDINGS.map((b) => b.action)).size, KEY_BINDINGS.length);
});

test('htop keys: F1 and h help, F3 and / search, F4 filter, F6 sort menu, F10 quit', async () => {
    const { frame, ui } = await mount();
    for (const help of [F1, 'h']) {
        ui.stdin.write(help);
        await until(ui, 'the help', (f) => f.includes('press any key to close'));
        for (const keys of ['F1  h  ?', 'F3  /', 'F4  \\', 'F6', 'q  F10']) assert.ok(frame().includes(keys), keys);
        ui.stdin.write(F1); // any key closes it, a function key too
        await until(ui, 'the help closed', (f) => !f.includes('press any key to close'));
    }

    // search as you type selects the first match; F3 the next one; Enter ends, keeping it
    ui.stdin.write(F3);
    await until(ui, 'the search prompt', (f) => /^search \(F3/m.test(f));
    ui.stdin.write('eth1');
    await until(ui, 'eth1 selected', (f) => /^> .*ns1:eth1-alpha:eth1/m.test(f));
    for (let i = 0; i < 4; i++) ui.stdin.write('\u007f');
    ui.stdin.write('ns1:');
    ui.stdin.write(F3);
    await until(ui, 'the next match', (f) => /^> .*ns1:eth0-beta:eth0/m.test(f));
    ui.stdin.write('\r');
    await until(ui, 'the search ended', (f) => !/^search \(F3/m.test(f));
    assert.match(frame(), /^> .*ns1:eth0-beta:eth0/m);
    assert.equal(rowOrder(frame()).length, 3, 'search filters nothing');
    ui.stdin.write('/');
    await until(ui, 'the search prompt', (f) => /^search \(F3/m.test(f));
    ui.stdin.write('nothing-like-it');
    await until(ui, 'no match said', (f) => /nothing-like-it {2}\(no link matches\)/.test(f));
    ui.stdin.write('\u001b');
    await until(ui, 'the search ended', (f) => !/^search \(F3/m.test(f));

    // F4: the filter prompt
    ui.stdin.write(F4);
    await until(ui, 'the filter prompt', (f) => /filter \(regex/.test(f));
    ui.stdin.write('\u001b');
    await until(ui, 'the filter prompt closed', (f) => !/filter \(regex/.test(f));

    // F6: a sort menu; Right moves, Enter applies, Esc cancels
    ui.stdin.write(F6);
    await until(ui, 'the sort menu', (f) => /sort by .*\[name\]/.test(f));
    ui.stdin.write('\u001b[C');
    await until(ui, 'ns marked', (f) => /sort by .*\[ns\]/.test(f));
    ui.stdin.write('\r');
    await until(ui, 'sorted by NS', (f) => /sort NS/.test(f) && !/sort by /.test(f));
    ui.stdin.write(F6);
    await until(ui, 'the sort menu', (f) => /sort by .*\[ns\]/.test(f));
    ui.stdin.write('\u001b[C');
    await until(ui, 'peer marked', (f) => /sort by .*\[peer\]/.test(f));
    ui.stdin.write('\u001b');
    await until(ui, 'the menu closed', (f) => !/sort by /.test(f));
    assert.match(frame(), /sort NS/, 'Esc keeps the sort');

    ui.stdin.write(F10);
    // quitting unmounts the app, which stops listening to the keyboard
    await until(ui, 'the app gone', () => ui.stdin.listenerCount('readable') === 0);
    ui.unmount();
    assert.equal(actionFor('', { functionKey: 10 }), 'quit');
});

test('function keys are read from the sequences terminals send', () => {
    assert.deepEqual([F1, F3, F4, F6, F10].map(functionKeyOf), [1, 3, 4, 6, 10]);
    assert.equal(functionKeyOf('\u001b[11~'), 1); // rxvt
    assert.equal(functionKeyOf('\u001b[[C'), 3); // Linux console
    assert.equal(functionKeyOf('\u001b[1;2R'), 3); // Shift-F3
    assert.equal(functionKeyOf('\u001b[24~'), 12);
    assert.equal(functionKeyOf('\u001b[A'), undefined); // up arrow
    assert.equal(functionKeyOf('\u001b[5~'), undefined); // page up
    assert.equal(functionKeyOf('h'), undefined);
});

test('docs/top.md lists the key table as it is', () => {
    const doc = readFileSync(new URL('../../../docs/top.md', import.meta.url), 'utf8');
    const rows = doc
        .split('\n')
        .filter((l) => /^\| `/.test(l))
        .map((l) => l.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|')));
    assert.deepEqual(
        rows.map(([, keys, description]) => [keys.replace(/`/g, '').split(' ').join('  '), description]),
        KEY_BINDINGS.map((b) => [b.keys, b.description]),
    );
});
