// A newcomer's mistakes: each must exit 2 (or 3 for a missing file or
// process) with one line in the error style that names it, echoing nothing
// that moves the cursor. All of them run on the host
// (test/host/usage.test.ts, in a namespace that does not exist), a sample on
// a TIPC kernel (newcomer.test.ts), whose state must be the same afterwards.
import assert from 'node:assert/strict';
import { commandTree } from '../../src/commands/index.js';
import { isGroup, visibleChildren, type GroupNode } from '../../src/cli/registry.js';
import { MAX_SHOWN_VALUE, errorLine } from '../../src/errors.js';
import { argvIn, assertRefusal } from './bad-input.js';
import type { Run } from './lab.js';

/** A mistake: argv, the exit code, and what the first line must contain. */
export type Mistake = [string[], 2 | 3, string];

const ESC = '\x1b';
export const mistakes: Mistake[] = [
    [['bogus', '-h'], 2, 'invalid command "bogus"'],
    [['link', 'bogus', '--help'], 2, 'invalid command "bogus"'],
    [['lnk', 'list'], 2, 'did you mean "link"?'],
    [['link', 'lsit'], 2, 'did you mean "list"?'],
    [['nod', 'lst'], 2, 'did you mean "list"?'],
    [['--colour', 'link', 'list'], 2, 'did you mean "--color"?'],
    [['link', 'list', '--colour'], 2, 'did you mean "--color"?'],
    [['-colour', 'link', 'list'], 2, 'did you mean "--color"?'],
    [['link', 'get', 'priority', 'lnk', 'x'], 2, 'did you mean "link"?'],
    [['bearer', 'enable', 'media', 'eth', 'devcie', 'eth0'], 2, 'did you mean "device"?'],
    [['node', 'set', 'clusterid', `${ESC}[2J`], 2, '"\\x1b[2J"'],
    [['link', 'set', 'priority', `5\n6`, 'link', 'x'], 2, '"5\\n6"'],
    [['node', 'set', 'clusterid', '9'.repeat(5000)], 2, `"${'9'.repeat(MAX_SHOWN_VALUE - 1)}…"`],
    [['bearer', 'enable', 'priority', '33', 'media', 'eth', 'device', 'eth0'], 2, '0..32'],
    [['link', 'set', 'window', '8192', 'link', 'x'], 2, '16..8191'],
    [['proof', 'pcap', '/nonexistent/capture.pcap'], 3, '/nonexistent/capture.pcap: No such file or directory'],
    [['proof', 'pcap', '/'], 3, 'cannot read /: Is a directory'],
    [['-n', 'pid:999999999', 'node', 'list'], 3, 'no such process 999999999'],
    [
        ['proof', 'pcap', `/${'p'.repeat(5000)}`],
        3,
        `cannot read /${'p'.repeat(MAX_SHOWN_VALUE - 2)}…: File name too long`,
    ],
    [['top', 'filter', `(${'a'.repeat(5000)}`], 2, '…" (Unterminated group; expected a regular expression'],
];

/** Every level that needs one more word: the bare command and the groups below it. */
function groups(node: GroupNode, path: string[]): { path: string[]; node: GroupNode }[] {
    return [
        { path, node },
        ...node.children.flatMap((child) => (isGroup(child) ? groups(child, [...path, child.name]) : [])),
    ];
}
// A sample of the installed command; every level in test/unit/cli-main.test.ts
// (the same code, in-process).
const SAMPLE = new Set(['', 'link', 'link statistics', 'node set', 'lab']);
export const incomplete = groups(commandTree, []).filter((g) => SAMPLE.has(g.path.join(' ')));

/** The argv of a mistake, in namespace `ns` unless it is proof (no -n) or names its own. */
export function mistakeArgv(ns: string, argv: readonly string[]): string[] {
    return argv[0] === 'proof' ? [...argv] : argvIn(ns, argv);
}

export function mistakeTitle([argv, code, expected]: Mistake): string {
    const shown = argv.map((a) => JSON.stringify(a).slice(1, -1).slice(0, 24)).join(' ');
    return `${shown} -> exit ${code}, one line with ${JSON.stringify(expected.slice(0, 30))}`;
}

/** A refusal as every bad input gives it (bad-input.ts), in the error style, echoing nothing that moves the cursor. */
export function assertMistake(r: Run, mistake: Mistake): void {
    assertRefusal(r, mistake);
    const line = r.stderr.split('\n').filter(Boolean)[0];
    assert.ok(line.startsWith(errorLine('')), `the error style: ${line}`);
    // nothing echoed can move the cursor or end the line, nor fill the screen
    assert.doesNotMatch(r.stderr.trimEnd(), /[\x00-\x09\x0b-\x1f\x7f]/);
    assert.ok(line.length < 400, `${line.length} characters`);
}

/** An incomplete command: exit 2 and two lines, the first naming every word that may follow. */
export function assertIncomplete(r: Run, path: readonly string[], node: GroupNode): void {
    const line = `tipcx ${path.join(' ')}`;
    assert.equal(r.code, 2, `${line}: exit ${r.code}`);
    assert.equal(r.stdout, '', line);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 2, `${line}:\n${r.stderr}`);
    assert.ok(lines[0].startsWith(errorLine('missing ')), lines[0]);
    for (const child of visibleChildren(node)) assert.ok(lines[0].includes(child.name), `${line}: ${child.name}`);
}
