/**
 * tipcx(1), generated from the same registry that drives parsing and help:
 * every visible command's hand-written help becomes a subsection, so the page
 * cannot drift from `tipcx … -h`. `npm run man` writes man/tipcx.1; a unit
 * test fails when the committed page is stale. No date in .TH on purpose: the
 * page must be a pure function of the tree and the version.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commandTree } from '../commands/index.js';
import { globalOptionsHelp } from './global-flags.js';
import { EXIT_STATUS_HELP } from './help.js';
import { isGroup, visibleChildren, type CommandNode, type GroupNode } from './registry.js';
import { readVersion } from './version.js';

export const MAN_PAGE_FILE = 'man/tipcx.1';

export function renderManPage(tree: GroupNode, version: string): string {
    const classic = visibleChildren(tree).filter((child) => !child.extension);
    const additions = visibleChildren(tree).filter((child) => child.extension);
    const lines: string[] = [
        `.\\" Generated from tipcx's command registry by "npm run man"; do not edit.`,
        `.TH TIPCX 1 "" "tipcx ${escapeText(version)}" "User Commands"`,
        '.SH NAME',
        `tipcx \\- ${escapeText(tree.summary.split('\n').join(' '))}`,
        '.SH SYNOPSIS',
        '.B tipcx',
        '[\\fIOPTIONS\\fR] \\fIOBJECT\\fR \\fICOMMAND\\fR [\\fIARGS\\fR]...',
        '.SH DESCRIPTION',
        ...paragraph(
            "tipcx accepts what iproute2's tipc(8) accepts and prints what it prints, byte for byte, " +
                'and adds -n/--netns on every command, JSON output everywhere, help that works without the ' +
                'TIPC module, and exit codes that mean something.',
        ),
        ...preformatted(tree.help),
        ".SS Objects (as in iproute2's tipc)",
        ...objectList(classic),
        '.SS tipcx additions',
        ...objectList(additions),
        '.SH OPTIONS',
        ...preformatted(withoutHeading(globalOptionsHelp())),
        '.SH COMMANDS',
        ...paragraph('Each command\'s help, as printed by "tipcx COMMAND -h".'),
        ...commandSections(tree, []),
        '.SH EXIT STATUS',
        ...preformatted(withoutHeading(EXIT_STATUS_HELP)),
        '.SH ENVIRONMENT',
        ...definitions([
            ['NO_COLOR', 'non-empty: no colour unless --color=always is given'],
            ['FORCE_COLOR', 'colour even when stdout is not a terminal (0 or false: never)'],
            ['TIPCX_DEBUG', '1: print the stack trace of errors'],
            [
                'TIPCX_COMPLETE_BUDGET_MS',
                'how long shell completion waits for live values from the kernel (default 300)',
            ],
        ]),
        '.SH FILES',
        ...definitions([
            ['/run/netns/NAME', 'the network namespace named by -n NAME'],
            [
                '$XDG_CACHE_HOME/tipcx/, else ~/.cache/tipcx/',
                "tipcx's cache: code-cache/tipcx.cjs.v8 (Node 20) or node-compile-cache/ (Node 22 and later) hold compiled JavaScript for a faster start, rebuilt by itself for a new tipcx or Node and skipped when the directory is not writable; deleting it is always safe",
            ],
            [
                'completions/',
                'bash (tipcx.bash), zsh (_tipcx) and fish (tipcx.fish) completion scripts, also printed by "tipcx completion SHELL"',
            ],
        ]),
        '.SH SEE ALSO',
        '.BR tipc (8),',
        '.BR ip-netns (8)',
    ];
    return `${lines.join('\n')}\n`;
}

function commandSections(node: CommandNode, path: readonly string[]): string[] {
    if (!isGroup(node)) return [];
    return visibleChildren(node).flatMap((child) => {
        const words = [...path, child.name];
        return [
            `.SS "tipcx ${escapeText(words.join(' '))}"`,
            ...paragraph(child.summary.split('\n').join(' ') + '.'),
            ...preformatted(child.help),
            ...commandSections(child, words),
        ];
    });
}

function objectList(nodes: readonly CommandNode[]): string[] {
    return definitions(nodes.map((n) => [n.name, n.summary.split('\n').join(' ')]));
}

function definitions(items: readonly (readonly [string, string])[]): string[] {
    return items.flatMap(([term, text]) => ['.TP', `.B ${escapeText(term)}`, escapeText(text)]);
}

function paragraph(text: string): string[] {
    return ['.PP', escapeText(text)];
}

/** Help text as it appears on the terminal: no filling, no adjusting. */
function preformatted(text: string): string[] {
    const body = text
        .replace(/\n+$/, '')
        .split('\n')
        .map((line) => (line === '' ? '' : escapeLine(line)));
    return ['.PP', '.nf', ...body.map((line) => (line === '' ? '.sp' : line)), '.fi'];
}

function withoutHeading(section: string): string {
    return section.split('\n').slice(1).join('\n');
}

/** A text line for roff: backslashes and minus signs escaped, no control character in column 1. */
function escapeLine(line: string): string {
    const escaped = escapeText(line);
    return /^[.']/.test(escaped) ? `\\&${escaped}` : escaped;
}

function escapeText(text: string): string {
    return text.replace(/\\/g, '\\e').replace(/-/g, '\\-');
}

// `node build/src/cli/man.js` (npm run man): write the page into the checkout.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
    const target = new URL(`../../../${MAN_PAGE_FILE}`, import.meta.url);
    writeFileSync(target, renderManPage(commandTree, readVersion()));
    process.stdout.write(`wrote ${fileURLToPath(target)}\n`);
}
