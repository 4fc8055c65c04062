// `tipcx completion SHELL`: the static script that asks `tipcx __complete` on every TAB.
import { commandResult, defineCommand, value } from '../cli/command.js';
import { SHELLS, completionScript } from '../cli/complete.js';
import { oneOf } from '../cli/parsers.js';

export default [
    defineCommand({
        path: 'completion',
        summary: 'Print a shell completion script',
        extension: true,
        help: `Usage: tipcx completion {bash|zsh|fish}

Prints a completion script. On every TAB it asks "tipcx __complete" for the
words that fit, so candidates follow this command tree and include live
values (links, bearers, media, peers, namespaces after -n) when TIPC is
there.

Install (the lines docs/completion.md gives, for a new shell to pick up):
  bash, with the bash-completion package:
    d=\${XDG_DATA_HOME:-$HOME/.local/share}/bash-completion
    d=\${BASH_COMPLETION_USER_DIR:-$d}/completions
    mkdir -p "$d" && tipcx completion bash > "$d/tipcx"
  zsh, then fpath=(~/.zfunc $fpath) in ~/.zshrc before compinit:
    mkdir -p ~/.zfunc && tipcx completion zsh > ~/.zfunc/_tipcx
  fish:
    mkdir -p ~/.config/fish/completions
    tipcx completion fish > ~/.config/fish/completions/tipcx.fish

Examples:
  tipcx completion bash > ~/.tipcx-completion.bash
  source <(tipcx completion bash)
`,
        value: value(oneOf(SHELLS, 'shell'), {
            placeholder: 'SHELL',
            description: 'bash, zsh or fish',
            complete: SHELLS,
        }),
        namespaces: { none: 'prints a script for the shell' },
        kernel: 'none',
        async run(args) {
            return commandResult(
                [{ shell: args.value, script: completionScript(args.value) }],
                (records) => records[0].script,
            );
        },
    }),
];
