// `tipcx crossover`: one row per (namespace, peer) with the netns crossover verdict and its evidence.
import { commandResult, defineCommand, flag, option } from '../cli/command.js';
import type { NamespaceTarget } from '../cli/all-netns.js';
import { anyText } from '../cli/parsers.js';
import type { NamespaceRef } from '../tipc/crossover.js';
import { DEFAULT_WAIT_SECONDS, WAIT_SECONDS } from './specs.js';

export default [
    defineCommand({
        path: 'crossover',
        summary: 'Tell whether namespaces reach each other by the netns shortcut',
        extension: true,
        help: `Usage: tipcx crossover [wait SECONDS] [probe] [dev DEVICE]
       (with -n NS, --all-netns, -j as anywhere)

Since Linux 5.5, TIPC sends data between namespaces of one kernel
directly, socket to socket, bypassing the bearer and the link, when the
peer's discovery frames prove it is local: the peer's identity and net id
equal a namespace's on this host, and the hash the peer sends (discovery
word 13) equals the hash that namespace sends itself. The kernel shows none
of this; tipcx gathers it.

One row per namespace and peer (current namespace, -n NS, or every namespace
with --all-netns). Verdicts:
  crossover       up; a local namespace has the peer's identity and net id,
                  and the hash the peer sends equals the hash it sends itself
  local-unproven  identity and net id match a local namespace; no proof seen
                  yet (raise wait, or the frames are encrypted)
  mismatch        a frame claiming a local identity carried another hash
                  (possible spoof): never shown as crossover
  remote          no namespace on this host has that identity and net id
  down            the peer is not up
  unsupported     the kernel predates crossover (no tipc_node_pre_cleanup_net
                  in /proc/kallsyms)

Proofs come from discovery frames captured with packet sockets in every
namespace with a TIPC identity (needs root). Discovery repeats every second
while a bearer has no peer, but only every 60 s once links are up, so the
command waits up to 'wait' seconds. Namespaces, bearers and peers that appear
meanwhile are picked up. It returns sooner once every peer is up and
crossover, mismatch or remote, and nothing of this changed for 3 s (or
since it started).
Given 'wait S', it also waits for what is not there yet (a script may start
it, then build the cluster; -n NS may name a namespace not made yet): some
peer must exist and every namespace with a bearer must have one. Progress
goes to stderr. wait 0 looks once, without capture (local peers stay
local-unproven).

Options:
  wait SECONDS   longest wait for discovery frames, 0..3600 (default 65)
  probe          send 200 data messages to each up peer and report whether
                 the link TX counter moved (crossover leaves it flat);
                 a warning when this disagrees with the hashes
  dev DEVICE     capture on DEVICE only (in each namespace)

Examples:
  tipcx crossover
  tipcx --all-netns crossover wait 5
  tipcx -n ns1 crossover wait 30
  tipcx -n ns1 -j -p crossover probe
`,
        options: {
            wait: option(WAIT_SECONDS, {
                placeholder: 'SECONDS',
                description: 'longest wait for discovery frames (default 65)',
                extension: true,
            }),
            probe: flag('also send a burst to each peer and watch the link TX counter', { extension: true }),
            dev: option(anyText, {
                placeholder: 'DEVICE',
                description: 'capture on this interface only',
                extension: true,
                complete: 'devices',
            }),
        },
        // It compares namespaces with each other, so it reads every one itself.
        namespaces: 'own',
        kernel: 'reads',
        async run(args, ctx) {
            const { hostNamespaces, selectedNamespaces } = await import('../cli/all-netns.js');
            const { gatherCrossover } = await import('../tipc/crossover.js');
            const { crossoverText } = await import('../render/crossover.js');
            const asRef = (t: NamespaceTarget): NamespaceRef => ({ netns: t.label, ...(t.ref ? { ref: t.ref } : {}) });
            const result = await gatherCrossover({
                // --all-netns: every namespace, also those created during the wait; else the one chosen now
                rows:
                    ctx.allNetns && ctx.netns === undefined
                        ? (every) => every
                        : selectedNamespaces(ctx, hostNamespaces()).map(asRef),
                // listed again at every look while waiting: namespaces made meanwhile count
                all: () => hostNamespaces().map(asRef),
                waitMs: (args.wait ?? DEFAULT_WAIT_SECONDS) * 1000,
                // `wait S` given: a setup script watching a cluster it is about to build
                awaitPeers: args.wait !== undefined,
                signal: ctx.signal,
                probe: args.probe,
                ...(args.dev !== undefined ? { devices: [args.dev] } : {}),
                onWait: (m) => ctx.stderr.write(`${m}\n`),
                onSkip: (ns, why) => ctx.stderr.write(`netns ${ns} not examined: ${why}\n`),
            });
            return commandResult(result, (rs) => crossoverText(rs, ctx.color));
        },
    }),
];
