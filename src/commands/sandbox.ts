// sandbox [nodes N] [remote-nodes M] [command 'COMMAND ...']
import { defineCommand, option } from '../cli/command.js';
import { anyText, integerIn } from '../cli/parsers.js';
import { FailureError } from '../errors.js';
import { standardOutput } from '../cli/io.js';

export default [
    defineCommand({
        path: 'sandbox',
        summary: 'Run a lab cluster in a disposable TIPC kernel (User-Mode Linux)',
        extension: true,
        help: `Usage: tipcx sandbox [nodes N] [remote-nodes M] [command 'COMMAND ...']

For machines whose kernel has no TIPC (laptops, containers, CI): starts a
disposable Linux kernel as an ordinary process (Debian's User-Mode Linux;
this machine's root as its own, read-only under a throwaway overlay), runs
"tipcx lab up nodes N prefix node" inside, and with remote-nodes M a second
kernel whose M namespaces (remote1..remoteM) reach the first over a private
wire (tap devices on a bridge in a network namespace of its own, removed
afterwards). Then it runs COMMAND in the first kernel (a shell command line,
in namespace node1's host). Without a command: on a terminal, the live
monitor and then an interactive shell in the sandbox (exit it to power it
off); otherwise it prints what node1 sees (crossover, node list, link list)
and exits. The first run downloads Debian's user-mode-linux package (~41 MB,
cached in ~/.cache/tipcx; nothing is installed), installs kmod, gcc and
libc6-dev with apt-get if they are missing, and compiles a small shim that
lets that kernel run on CPUs with AVX-512.

Options:
  nodes N            namespaces in the sandbox kernel, 1..64 (default 3)
  remote-nodes M     namespaces in a second kernel, 0..16 (default 0)
  command COMMAND    run this shell command line in the sandbox, then exit

COMMAND is one word for tipcx: quote a command line with spaces, e.g.
tipcx sandbox command 'tipcx -n node1 link list'.

Examples:
  tipcx sandbox
  tipcx sandbox nodes 3 remote-nodes 1
  tipcx sandbox nodes 2 command hostname
`,
        options: {
            nodes: option(integerIn(1, 64), {
                placeholder: 'N',
                description: 'namespaces in the sandbox kernel, 1..64',
                extension: true,
            }),
            'remote-nodes': option(integerIn(0, 16), {
                placeholder: 'M',
                description: 'namespaces in a second kernel, 0..16',
                extension: true,
            }),
            command: option(anyText, {
                placeholder: 'COMMAND',
                description: 'shell command line to run in the sandbox',
                extension: true,
            }),
        },
        namespaces: { none: 'starts a kernel of its own' },
        // The sandbox brings its own kernel; this one's TIPC is never asked.
        kernel: 'none',
        async run(args, ctx) {
            // the lab modules load only here: help and the rest of tipcx never pay for them
            const { runSandbox } = await import('../lab/sandbox.js');
            const started = Date.now();
            const exitCode = await runSandbox({
                nodes: args.nodes ?? 3,
                remoteNodes: args['remote-nodes'] ?? 0,
                ...(args.command !== undefined && { command: args.command }),
                terminal: process.stdin.isTTY === true && ctx.stdout === standardOutput() && standardOutput().isTTY,
                out: (text) => ctx.stdout.write(text),
                log: (line) => ctx.stderr.write(`sandbox: ${line}\n`),
            });
            ctx.stderr.write(`sandbox: finished in ${Math.round((Date.now() - started) / 1000)} s\n`);
            if (exitCode !== 0) throw new FailureError(`the command in the sandbox exited with status ${exitCode}`);
        },
    }),
];
