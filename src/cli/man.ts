/**
 * tipcx(1), generated from the same registry that drives parsing and help:
 * every visible command's hand-written help becomes a subsection, so the page
 * cannot drift from `tipcx … -h`. `npm run man` writes man/tipcx.1; a unit
 * test fails when the committed page is stale. The date in .TH is a constant
 * (PAGE_DATE), not today's: the page must be a pure function of the tree and
 * the version.
 *
 * Help text is at most 77 columns (test/unit/help-width.test.ts); its blocks
 * are set 3 columns in, as the subsection headings are, so that the page
 * rendered 80 columns wide (MANWIDTH=80) keeps every line within 80.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commandTree } from '../commands/index.js';
import { globalOptionsHelp } from './global-flags.js';
import { EXIT_STATUS_HELP } from './help.js';
import { isGroup, visibleChildren, type CommandNode, type GroupNode } from './registry.js';
import { readVersion } from './version.js';

export const MAN_PAGE_FILE = 'man/tipcx.1';

/** When the page's content last changed in a way a reader would want dated; bump with it. */
export const PAGE_DATE = '2026-12-02';

/** Where help blocks start on the rendered page, in columns. */
export const HELP_INDENT = 3;

/** Widest help line that still fits an 80-column page at HELP_INDENT. */
export const MAX_HELP_WIDTH = 80 - HELP_INDENT;

export function renderManPage(tree: GroupNode, version: string): string {
    const classic = visibleChildren(tree).filter((child) => !child.extension);
    const additions = visibleChildren(tree).filter((child) => child.extension);
    const lines: string[] = [
        `.\\" Generated from tipcx's command registry by "npm run man"; do not edit.`,
        `.TH TIPCX 1 ${PAGE_DATE} "tipcx ${escapeText(version)}" "User Commands"`,
        '.SH NAME',
        ...wrap(`tipcx \\- ${escapeText(tree.summary.split('\n').join(' '))}`),
        '.SH SYNOPSIS',
        '.B tipcx',
        '[\\fIOPTIONS\\fR] \\fIOBJECT\\fR \\fICOMMAND\\fR [\\fIARGS\\fR]...',
        '.SH DESCRIPTION',
        ...paragraph(
            "tipcx accepts what iproute2's tipc(8) accepts and prints the same text output, byte for byte, " +
                "and adds -n/--netns on every command, JSON output everywhere (-j is tipcx's own schema, " +
                'an array of objects with camelCase keys), help that works without the TIPC module, ' +
                'and exit codes that mean something.',
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
            ['TIPCX_STATE_DIR', 'where "tipcx lab" records the clusters it made (default /run/tipcx)'],
            [
                'TIPCX_CACHE',
                'the cache directory of "tipcx sandbox" (default $XDG_CACHE_HOME/tipcx, or ~/.cache/tipcx)',
            ],
            ['XDG_CACHE_HOME', 'the base of the default cache directory (default ~/.cache)'],
            [
                'TIPCX_UML_VERSION',
                "the version of Debian's user-mode-linux package the sandbox uses " +
                    '(default: the one apt-get offers, or the newest cached)',
            ],
        ]),
        '.SH FILES',
        ...definitions([
            ['/run/netns/NAME', 'the network namespace named by -n NAME'],
            ['/proc/N/ns/net', 'the network namespace named by -n pid:N, and those --all-netns=pids reads'],
            [
                '/run/tipcx/lab-PREFIX.json',
                'what "tipcx lab up" made, read by "lab status" and "lab down" (directory: $TIPCX_STATE_DIR)',
            ],
            [
                '~/.cache/tipcx/',
                "the sandbox's cache (directory: $TIPCX_CACHE): uml/ holds Debian's user-mode-linux " +
                    'package, unpacked, and the XSAVE shim compiled for it; runs/ the files of running lab kernels',
            ],
            [
                '$XDG_CACHE_HOME/tipcx/, else ~/.cache/tipcx/',
                "tipcx's cache: code-cache/*.v8 (Node 20, one for each bundle file) or node-compile-cache/ (Node 22 and later) hold compiled JavaScript for a faster start, rebuilt by itself for a new tipcx or Node and skipped when the directory is not writable; deleting it is always safe",
            ],
            [
                'completions/',
                'bash (tipcx.bash), zsh (_tipcx) and fish (tipcx.fish) completion scripts in the package, ' +
                    'also printed by "tipcx completion SHELL"',
            ],
        ]),
        '.SH SEE ALSO',
        '.BR tipc (8),',
        '.BR ip-netns (8)',
    ];
    return `${withoutRedundantParagraphs(lines).join('\n')}\n`;
}

/** A heading already starts a paragraph: `.PP` right after `.SH` or `.SS` is redundant (mandoc -T lint). */
function withoutRedundantParagraphs(lines: readonly string[]): string[] {
    return lines.filter((line, i) => !(line === '.PP' && /^\.S[HS] /.test(lines[i - 1] ?? '')));
}

/** Filled text as source lines of at most 80 bytes (mandoc's style limit); roff refills them. */
function wrap(text: string): string[] {
    const out: string[] = [];
    let line = '';
    for (const word of text.split(' ')) {
        if (line !== '' && line.length + 1 + word.length > 80) {
            out.push(line);
            line = word;
        } else line = line === '' ? word : `${line} ${word}`;
    }
    if (line !== '') out.push(line);
    return out.map(escapeLeadingControl);
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
    return items.flatMap(([term, text]) => ['.TP', `.B ${escapeText(term)}`, ...wrap(escapeText(text))]);
}

function paragraph(text: string): string[] {
    return ['.PP', ...wrap(escapeText(text))];
}

/** Help text as it appears on the terminal: no filling, no adjusting. */
function preformatted(text: string): string[] {
    const body = text
        .replace(/\n+$/, '')
        .split('\n')
        .map((line) => (line === '' ? '' : escapeLine(line)));
    return ['.PP', `.in ${HELP_INDENT}n`, '.nf', ...body.map((line) => (line === '' ? '.sp' : line)), '.fi', '.in'];
}

function withoutHeading(section: string): string {
    return section.split('\n').slice(1).join('\n');
}

/** A text line for roff: backslashes and minus signs escaped, no control character in column 1. */
function escapeLine(line: string): string {
    return escapeLeadingControl(escapeText(line));
}

function escapeLeadingControl(line: string): string {
    return /^[.']/.test(line) ? `\\&${line}` : line;
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
