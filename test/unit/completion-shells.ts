// Drives the generated completion scripts through the real shells: bash (the
// function `complete -p tipcx` names, called with COMP_WORDS/COMP_CWORD split
// the way readline splits), zsh (the script loaded under compinit, its
// `compadd` call captured) and fish (`complete -C`). Shared by the host unit
// test (this checkout's scripts and build) and the lab integration test (the
// installed package's scripts and command, when TIPCX_INSTALLED_PREFIX is set).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin/tipcx');
const installedPrefix = process.env.TIPCX_INSTALLED_PREFIX;
/** The completion scripts under test: the installed package's, or this checkout's. */
const completions = installedPrefix
    ? join(installedPrefix, 'lib/node_modules/tipcx/completions')
    : join(root, 'completions');

const which = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** zsh and fish are not on every host: install them when root (Debian's apt). */
export function ensureShells(): void {
    const missing = ['zsh', 'fish'].filter((shell) => !which(shell));
    if (missing.length === 0) return;
    if (process.getuid?.() !== 0)
        throw new Error(`completion tests need ${missing.join(' and ')} (apt-get install ${missing.join(' ')})`);
    execFileSync('apt-get', ['install', '-y', '-q', ...missing], {
        stdio: 'ignore',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
}

/** PATH with the installed `tipcx` first, or a directory with a `tipcx` that runs this checkout. */
function pathWithTipcx(): string {
    if (installedPrefix) return `${join(installedPrefix, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`;
    const dir = mkdtempSync(join(tmpdir(), 'tipcx-complete-'));
    mkdirSync(join(dir, 'bin'));
    const wrapper = join(dir, 'bin', 'tipcx');
    writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    return `${join(dir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`;
}

let cachedPath: string | undefined;
const env = (): NodeJS.ProcessEnv => {
    cachedPath ??= pathWithTipcx();
    const e: NodeJS.ProcessEnv = { ...process.env, PATH: cachedPath, HOME: tmpdir() };
    delete e.NO_COLOR;
    return e;
};

function runShell(file: string, args: string[], script: string): string[] {
    const r = spawnSync(file, [...args, script], { encoding: 'utf8', env: env(), timeout: 120_000 });
    if (r.status !== 0) throw new Error(`${file} exited ${r.status}: ${r.stderr}`);
    return r.stdout.split('\n').filter((line) => line !== '');
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** Candidates bash shows for `line` (cursor at the end), values only. */
export function bashComplete(line: string): string[] {
    const script = `
set -e
source ${quote(join(completions, 'tipcx.bash'))}
spec=$(complete -p tipcx)
fn=\${spec#*-F }; fn=\${fn%% *}
COMP_LINE=${quote(line)}
COMP_POINT=\${#COMP_LINE}
# readline's split: blanks separate words; each COMP_WORDBREAKS character
# (here = and :) is a word of its own.
COMP_WORDS=()
for w in $COMP_LINE; do
    while [[ $w =~ ^([^=:]*)([=:])(.*)$ ]]; do
        [[ -n \${BASH_REMATCH[1]} ]] && COMP_WORDS+=("\${BASH_REMATCH[1]}")
        COMP_WORDS+=("\${BASH_REMATCH[2]}")
        w=\${BASH_REMATCH[3]}
    done
    [[ -n $w ]] && COMP_WORDS+=("$w")
done
[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=("")
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
"$fn" tipcx "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"
`;
    return runShell('bash', ['--norc', '-c'], script);
}

/**
 * Candidates zsh is given for `line`, values only (descriptions dropped): the
 * script is autoloaded from fpath as _tipcx, the way it is installed, and
 * its `compadd` call is captured (compadd only works inside a widget).
 */
export function zshComplete(line: string): string[] {
    const script = `
fpath=(${quote(completions)} $fpath)
autoload -Uz _tipcx
compadd() { local i=\${@[(i)--]}; print -rl -- "\${@[i+1,-1]}"; }
words=(\${(z)LINE})
[[ $LINE == *' ' ]] && words+=('')
CURRENT=\${#words}
_tipcx || true
`;
    return zsh(script, line);
}

/** Whether sourcing the script under compinit registers _tipcx for tipcx (slow: compinit). */
export function zshRegisters(): boolean {
    const script = `
autoload -Uz compinit && compinit -u -D
source ${quote(join(completions, '_tipcx'))}
print -r -- "\${_comps[tipcx]}"
`;
    return zsh(script, '').join('') === '_tipcx';
}

function zsh(script: string, line: string): string[] {
    const r = spawnSync('zsh', ['-f', '-c', script], {
        encoding: 'utf8',
        env: { ...env(), LINE: line },
        timeout: 120_000,
    });
    if (r.status !== 0) throw new Error(`zsh exited ${r.status}: ${r.stderr}`);
    return r.stdout.split('\n').filter((l) => l !== '');
}

/** Candidates fish offers for `line`, values only. */
export function fishComplete(line: string): string[] {
    const script = `source ${quote(join(completions, 'tipcx.fish'))}; complete -C ${quote(line)}`;
    return runShell('fish', ['--no-config', '-c'], script).map((l) => l.split('\t', 1)[0]);
}

export const shells = { bash: bashComplete, zsh: zshComplete, fish: fishComplete } as const;
