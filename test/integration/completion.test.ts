// Completion against the real kernel: live link names, peers, bearers, media
// and namespaces, through the real bash, zsh and fish (shared from the host
// root): their functions called directly, and interactive shells in a real
// terminal (tmux) set up in a fresh HOME with the install lines of
// docs/completion.md, pasted as they are.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { SORT_COLUMNS } from '../../src/top/options.js';
import { root, shells } from '../unit/completion-shells.js';
import { assertInLab, installedTipcx, makeCluster, tipc, tipcx, type Cluster } from './lab.js';
import { Terminal } from './terminal.js';

let cluster: Cluster;
// The default budget (300 ms) is for a warm machine; a process start in the
// lab kernel alone can take half of it, and this test is about the values.
const BUDGET_MS = 60_000;
before(async () => {
    assertInLab();
    process.env.TIPCX_COMPLETE_BUDGET_MS = String(BUDGET_MS);
    cluster = await makeCluster(2, 'cmpl');
});
const terminals: Terminal[] = [];
after(() => {
    for (const t of terminals) t.kill();
    cluster?.destroy();
});

/** What the installed tipcx offers for `words` (the shells call `tipcx __complete WORDS...`). */
const values = async (words: string[]) => {
    const r = await tipcx(['__complete', ...words]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t', 1)[0]);
};

test('live values come from the kernel of the -n namespace', async () => {
    assert.deepEqual(await values(['-n', 'cmpl1', 'link', 'get', 'priority', 'link', '']), [
        'broadcast-link',
        'cmpl1:eth0-cmpl2:eth0',
    ]);
    assert.deepEqual(await values(['-n', 'cmpl2', 'link', 'get', 'tolerance', 'link', 'c']), ['cmpl2:eth0-cmpl1:eth0']);
    assert.deepEqual(await values(['-n', 'cmpl1', 'peer', 'remove', 'identity', '']), ['cmpl2']);
    assert.deepEqual(await values(['-n', 'cmpl1', 'bearer', 'disable', 'media', 'eth', 'device', '']), ['eth0']);
    // the media this kernel has (User-Mode Linux has no InfiniBand, so no ib), as iproute2 lists them
    const media = tipc(['media', 'list'], 'cmpl1').stdout.split('\n').filter(Boolean).sort();
    assert.ok(media.includes('eth') && media.includes('udp'), `tipc media list: ${media.join(' ')}`);
    assert.deepEqual((await values(['-n', 'cmpl1', 'bearer', 'enable', 'media', ''])).sort(), media);
    assert.deepEqual((await values(['-n', 'cmpl'])).filter((n) => n.startsWith('cmpl')).sort(), ['cmpl1', 'cmpl2']);
});

test('bash, zsh and fish offer live link names', { timeout: 300_000 }, () => {
    for (const [name, run] of Object.entries(shells)) {
        assert.deepEqual(run('tipcx -n cmpl1 link get window link cm'), ['cmpl1:eth0-cmpl2:eth0'], name);
    }
});

// ------------------------------------------------------------ real terminals

const LINK = 'cmpl1:eth0-cmpl2:eth0';

/** The code blocks of docs/completion.md under `## SHELL`, each as its lines. */
function installBlocks(shell: 'bash' | 'zsh' | 'fish'): string[][] {
    const doc = readFileSync(join(root, 'docs/completion.md'), 'utf8');
    const section = doc.split(/^## /m).find((s) => s.startsWith(`${shell}\n`));
    assert.ok(section, `docs/completion.md has no "## ${shell}" section`);
    const blocks = [...section.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].map((m) => m[1].trimEnd().split('\n'));
    assert.ok(blocks.length > 0, `no code block under "## ${shell}"`);
    return blocks;
}

/** An interactive shell in a terminal, with nothing but HOME, PATH and TERM from outside (a fresh user). */
function freshShell(name: string, command: string, home: string): Terminal {
    const env = [
        `HOME=${home}`,
        `PATH=${process.env.PATH ?? '/usr/bin:/bin'}`,
        'TERM=xterm-256color',
        `TIPCX_COMPLETE_BUDGET_MS=${BUDGET_MS}`,
    ];
    const terminal = Terminal.start(`cmpl-${name}`, `cd ${home} && env -i ${env.join(' ')} ${command}`);
    terminals.push(terminal);
    return terminal;
}

const freshHome = (name: string): string => mkdtempSync(`/tmp/cmpl-home-${name}-`);

/** Types `line`, presses TAB (twice for a listing) and waits for `check` on the screen. */
async function tab(
    t: Terminal,
    line: string,
    times: 1 | 2,
    what: string,
    check: (screen: string) => boolean,
): Promise<string> {
    t.keys('C-u');
    t.type('clear');
    t.keys('Enter');
    await t.waitFor('a cleared screen', (s) => s.trim().split('\n').length <= 1);
    t.type(line);
    t.keys(...Array<string>(times).fill('Tab'));
    await t.waitFor(what, check, 60_000);
    return t.screen();
}

/** The file at `path` holds exactly `text` (a redirection creates it empty first). */
const holds = (path: string, text: string): boolean => existsSync(path) && readFileSync(path, 'utf8') === text;
const script = async (shell: string): Promise<string> => (await tipcx(['completion', shell])).stdout;

test(
    'bash in a terminal: install lines as pasted, colons and = kept, media keys, top sort',
    { timeout: 600_000 },
    async () => {
        const home = freshHome('bash');
        // a login shell, as a terminal gives a new user: /etc/profile.d loads bash-completion;
        // /etc/profile sets PATH, so the user's profile puts tipcx's directory first
        writeFileSync(join(home, '.profile'), `PATH=${dirname(installedTipcx)}:$PATH\n`);
        const t = freshShell('bash', 'bash --login -i', home);
        await t.ready('bash');
        t.paste(installBlocks('bash')[0]);
        const installed = join(home, '.local/share/bash-completion/completions/tipcx');
        const bashScript = await script('bash');
        await t.waitFor(`the script in ${installed}`, () => holds(installed, bashScript));
        // the zsh line pasted into bash writes under HOME too, never /_tipcx
        t.paste(installBlocks('zsh')[0]);
        const zshScript = await script('zsh');
        await t.waitFor('the zsh script under HOME', () => holds(join(home, '.zfunc/_tipcx'), zshScript));
        assert.ok(!existsSync('/_tipcx'), 'the zsh install line wrote /_tipcx');

        // a new shell picks the script up from the per-user directory, on the first TAB
        t.keys('C-u');
        t.type('exec bash --login -i');
        t.keys('Enter');
        await t.ready('the new bash');

        const full = `link get window link ${LINK} `;
        await tab(t, 'tipcx -n cmpl1 link get window link cmpl1:', 1, 'the link name after a colon', () =>
            t.cursorLine().endsWith(full),
        );
        assert.ok(!t.cursorLine().includes('::'), t.cursorLine());
        await tab(t, 'tipcx -n cmpl1 link get window link cmpl1:eth0-cmpl2:', 1, 'the link name after two colons', () =>
            t.cursorLine().endsWith(full),
        );

        let screen = await tab(t, 'tipcx --color=', 2, 'the colour modes listed', (s) =>
            /always\s+auto\s+never/.test(s),
        );
        assert.ok(t.cursorLine().endsWith('tipcx --color='), `the line became: ${t.cursorLine()}`);
        assert.ok(!screen.includes('--color=='), screen);
        t.type('al');
        t.keys('Tab');
        await t.waitFor('--color=always', () => t.cursorLine().endsWith('tipcx --color=always '));

        const listed = (words: readonly string[]) => (s: string) =>
            s.split('\n').some((l) => !l.includes('tipcx') && words.every((w) => new RegExp(`\\b${w}\\b`).test(l)));
        screen = await tab(
            t,
            'tipcx -n cmpl1 bearer enable media eth ',
            2,
            'the eth keys',
            listed(['device', 'priority']),
        );
        assert.ok(!/localip|remoteip|localport|remoteport|\bname\b/.test(screen), screen);
        await tab(
            t,
            'tipcx -n cmpl1 bearer enable media udp ',
            2,
            'the udp keys',
            listed(['localip', 'remoteport', 'name']),
        );
        await tab(t, 'tipcx top sort ', 2, 'the sort columns', listed(SORT_COLUMNS));
        await tab(t, 'tipcx -n cmpl1 peer remove identity ', 1, 'the peer', () =>
            t.cursorLine().endsWith('peer remove identity cmpl2 '),
        );

        // without bash-completion: the script sourced from ~/.bashrc (a non-login
        // shell here does not load bash-completion; PATH is inherited)
        t.keys('C-u');
        t.paste(installBlocks('bash')[1]);
        await t.waitFor('the script sourced from .bashrc', () =>
            holds(join(home, '.tipcx-completion.bash'), bashScript),
        );
        t.type('exec bash -i');
        t.keys('Enter');
        await t.ready('bash without bash-completion');
        t.type('type _init_completion >/dev/null 2>&1 || echo no-bash-completion | tr a-z A-Z');
        t.keys('Enter');
        await t.waitFor('bash-completion absent', (s) => s.includes('NO-BASH-COMPLETION'));
        await tab(t, 'tipcx -n cmpl1 link get window link cmpl1:', 1, 'the link name, no bash-completion', () =>
            t.cursorLine().endsWith(full),
        );
    },
);

test('zsh and fish in a terminal: install lines as pasted, live link names', { timeout: 600_000 }, async () => {
    const zshHome = freshHome('zsh');
    const [install, zshrc] = installBlocks('zsh');
    writeFileSync(join(zshHome, '.zshrc'), `${zshrc.join('\n')}\n`);
    const z = freshShell('zsh', 'zsh -i', zshHome);
    await z.ready('zsh'); // compinit: slow the first time
    z.paste(install);
    const zshScript = await script('zsh');
    await z.waitFor('the zsh script', () => holds(join(zshHome, '.zfunc/_tipcx'), zshScript));
    // compinit reads fpath at start-up: a new shell knows _tipcx
    z.keys('C-u');
    z.type('exec zsh -i');
    z.keys('Enter');
    await z.ready('the new zsh');
    await tab(z, 'tipcx -n cmpl1 link get window link cmpl1:', 1, 'zsh: the link name', () =>
        z.cursorLine().includes(`link ${LINK}`),
    );
    assert.ok(!z.cursorLine().includes('::'), z.cursorLine());

    const fishHome = freshHome('fish');
    // before fish has ever run for this user (an interactive fish creates the directory itself)
    const fishDir = join(fishHome, '.config/fish/completions');
    assert.ok(!existsSync(fishDir));
    const pasted = spawnSync('fish', ['-c', installBlocks('fish')[0].join('\n')], {
        env: { ...process.env, HOME: fishHome },
        encoding: 'utf8',
    });
    assert.equal(pasted.status, 0, pasted.stderr);
    assert.ok(holds(join(fishDir, 'tipcx.fish'), await script('fish')), 'the fish lines install the script');
    const f = freshShell('fish', 'fish -i', fishHome);
    await f.ready('fish');
    await tab(f, 'tipcx -n cmpl1 link get window link cmpl1:', 1, 'fish: the link name', () =>
        f.cursorLine().includes(`link ${LINK}`),
    );
});
