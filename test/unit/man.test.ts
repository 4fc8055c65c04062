import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commandTree } from '../../src/commands/index.js';
import { MAN_PAGE_FILE, PAGE_DATE, renderManPage } from '../../src/cli/man.js';
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
    assert.match(page, new RegExp(`^\\.TH TIPCX 1 ${PAGE_DATE} "tipcx 9\\.9\\.9" "User Commands"$`, 'm'));
    const exit = page.slice(page.indexOf('.SH EXIT STATUS'), page.indexOf('.SH ENVIRONMENT'));
    for (const code of ['0', '1', '2', '3', '130']) assert.match(exit, new RegExp(`^  ${code} `, 'm'));
    assert.match(page, /\\-\\-color\[=WHEN\]/);
    // No line may start with a roff control character by accident.
    for (const line of page.split('\n')) {
        if (/^[.']/.test(line)) assert.match(line, /^(\.\\"|\.(TH|SH|SS|PP|TP|B|BR|nf|fi|sp|in)\b)/, line);
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
        /^Exit status:\n {2}0 +success\n {2}1 [^]*?\n {2}2 .*usage.*\n {2}3 .*environment[^]*?\n {2}130 +interrupted/m,
    );
});

test('ENVIRONMENT and FILES name every variable and path tipcx reads', () => {
    const page = renderManPage(commandTree, '9.9.9');
    const section = (name: string, next: string) =>
        page.slice(page.indexOf(`.SH ${name}`), page.indexOf(`.SH ${next}`));
    const environment = section('ENVIRONMENT', 'FILES');
    for (const variable of [
        'NO_COLOR',
        'FORCE_COLOR',
        'TIPCX_DEBUG',
        'TIPCX_COMPLETE_BUDGET_MS',
        'TIPCX_STATE_DIR',
        'TIPCX_CACHE',
        'XDG_CACHE_HOME',
        'TIPCX_UML_VERSION',
    ]) {
        assert.ok(environment.includes(`.B ${variable}`), variable);
    }
    const files = section('FILES', 'SEE ALSO');
    for (const path of ['/run/netns/NAME', '/run/tipcx/lab\\-PREFIX.json', '~/.cache/tipcx/', '/proc/N/ns/net']) {
        assert.ok(files.includes(`.B ${path}`), path);
    }
});

test('mandoc -T lint finds nothing in the page', () => {
    const r = spawnSync('mandoc', ['-T', 'lint', '-W', 'style', pagePath], { encoding: 'utf8' });
    if (r.error) assert.fail(`mandoc is needed to lint the man page (apt-get install mandoc): ${r.error.message}`);
    assert.equal(`${r.stdout}${r.stderr}`, '');
    assert.equal(r.status, 0);
});

test('the page rendered 80 columns wide has no line over 80 columns', () => {
    const r = spawnSync('groff', ['-man', '-Tutf8', '-rLL=80n', '-rIN=7n', pagePath], { encoding: 'utf8' });
    if (r.error) assert.fail(`groff is needed to render the man page: ${r.error.message}`);
    const lines = r.stdout.replace(/.\x08/g, '').split('\n');
    assert.ok(lines.length > 500, `${lines.length} lines rendered`);
    const wide = lines.filter((line) => [...line].length > 80);
    assert.deepEqual(wide, []);
});
