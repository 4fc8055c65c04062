import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commandTree } from '../../src/commands/index.js';
import { MAN_PAGE_FILE, renderManPage } from '../../src/cli/man.js';
import { isGroup, visibleChildren, type CommandNode } from '../../src/cli/registry.js';
import { readVersion } from '../../src/cli/version.js';

const root = new URL('../../../', import.meta.url);
const pagePath = fileURLToPath(new URL(MAN_PAGE_FILE, root));

test('man/tipcx.1 is generated from the registry and not stale', () => {
    const committed = readFileSync(pagePath, 'utf8');
    assert.equal(
        committed,
        renderManPage(commandTree, readVersion()),
        `${MAN_PAGE_FILE} is stale: run "npm run build && npm run man"`,
    );
});

test('the man page has every visible command, the options and the exit codes', () => {
    const page = renderManPage(commandTree, '9.9.9');
    const paths = (node: CommandNode, path: string[]): string[][] =>
        isGroup(node) ? visibleChildren(node).flatMap((c) => [[...path, c.name], ...paths(c, [...path, c.name])]) : [];
    for (const words of paths(commandTree, [])) {
        assert.ok(page.includes(`.SS "tipcx ${words.join(' ').replace(/-/g, '\\-')}"`), words.join(' '));
    }
    assert.match(page, /^\.TH TIPCX 1 "" "tipcx 9\.9\.9" "User Commands"$/m);
    const exit = page.slice(page.indexOf('.SH EXIT STATUS'), page.indexOf('.SH ENVIRONMENT'));
    for (const code of ['0', '1', '2', '3', '130']) assert.match(exit, new RegExp(`^  ${code} `, 'm'));
    assert.match(page, /\\-\\-color\[=WHEN\]/);
    // No line may start with a roff control character by accident.
    for (const line of page.split('\n')) {
        if (/^[.']/.test(line)) assert.match(line, /^(\.\\"|\.(TH|SH|SS|PP|TP|B|BR|nf|fi|sp)\b)/, line);
    }
});

test('groff renders the page without warnings', () => {
    const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', pagePath], { encoding: 'utf8' });
    if (r.error) assert.fail(`groff is needed to check the man page: ${r.error.message}`);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
});

test('top-level help documents the exit codes', () => {
    const help = spawnSync(process.execPath, [fileURLToPath(new URL('bin/tipcx', root)), '--help'], {
        encoding: 'utf8',
    }).stdout;
    assert.match(
        help,
        /^Exit status:\n {2}0 +success\n {2}1 .*\n {2}2 .*usage.*\n {2}3 .*environment.*\n {2}130 +interrupted/m,
    );
});
