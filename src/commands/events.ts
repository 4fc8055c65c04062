// tipcx events: the topology service's events as a live stream (src/tipc/events.ts).
import { defineCommand, flag, option, repeated } from '../cli/command.js';
import { U32_MAX, integerIn, secondsIn, serviceRange } from '../cli/parsers.js';
import { FailureError } from '../errors.js';
import type { EventScope } from '../tipc/events.js';

export default [
    defineCommand({
        path: 'events',
        summary: 'Live stream of nodes, links and services up and down',
        extension: true,
        help: `Usage: tipcx events [node] [link] [service TYPE[:LOWER[:UPPER]]]...
                    [count N] [timeout SECONDS]
       (with -n NS or --all-netns for other namespaces, -j for NDJSON)

Subscribes to TIPC's own topology service (the service {1,1} in every
namespace's kernel) and prints one line per event, as "ip monitor" does:

  [TIME] NAMESPACE ORIGIN KIND EVENT WHAT

ORIGIN is "state" for what already existed when the stream started (the
snapshot the server sends first) and "new" for every change after it.
  node      a peer node up or down: its identity and address, and its
            crossover verdict where the evidence exists
  link      a link up or down: its name
  service   a binding in a service range published or withdrawn: the range,
            scope, port and node
With none named: node and link. A service range is per type (the topology
service has no wildcard over types): TYPE alone is the whole type, TYPE:N
one instance, TYPE:LOWER:UPPER a range. "service" may be given many times.

With --all-netns, every namespace is watched from this one process, also
those created later; deleted ones are reported and dropped. Events of one
namespace are never reordered. Nothing is polled: the stream waits on the
kernel's sockets.

Each namespace's kernel accepts 65535 subscriptions in all; past that
its server closes the connection, and tipcx says so in one line.
An open stream holds the tipc module: "modprobe -r tipc" reports it in use.
Started while the module is not loaded (the kernel does not load it by
itself), it says so on stderr and waits; once "modprobe tipc" loads it,
the snapshot and the events follow. A kernel without TIPC: exit 3.

Options:
  node                      peer nodes up and down
  link                      links up and down
  service TYPE[:LOWER[:UPPER]]
                            bindings in this range (types 0..4294967295)
  count N                   stop after N events
  timeout SECONDS           stop after this long

Examples:
  tipcx events
  tipcx --all-netns events link
  tipcx events service 1000 service 2000:1:10 count 5
  tipcx -j -n ns1 events node timeout 60
`,
        options: {
            node: flag('peer nodes up and down', { extension: true }),
            link: flag('links up and down', { extension: true }),
            service: repeated(serviceRange, {
                placeholder: 'TYPE[:LOWER[:UPPER]]',
                description: 'bindings published or withdrawn in this range',
                extension: true,
            }),
            count: option(integerIn(1, U32_MAX), { placeholder: 'N', description: 'stop after N events' }),
            timeout: option(secondsIn(0.001, 31_536_000), {
                placeholder: 'SECONDS',
                description: 'stop after this long',
                extension: true,
            }),
        },
        // One connection per namespace, all from this process: it spans them itself.
        namespaces: 'own',
        kernel: 'reads',
        async run(args, ctx) {
            const { watchTopology, crossoverVerdictLookup } = await import('../tipc/events.js');
            const { eventLine, eventRecord } = await import('../render/events.js');
            const none = !args.node && !args.link && args.service.length === 0;
            const scope: EventScope = ctx.allNetns
                ? { kind: 'all' }
                : ctx.netns !== undefined
                  ? { kind: 'named', name: ctx.netns }
                  : { kind: 'current' };
            const stop = new AbortController();
            const onAbort = (): void => stop.abort();
            ctx.signal.addEventListener('abort', onAbort, { once: true });
            const timer = args.timeout === undefined ? undefined : setTimeout(onAbort, args.timeout * 1000);
            let printed = 0;
            let refused: string | undefined;
            let waiting = false;
            try {
                for await (const e of watchTopology({
                    kinds: { node: none || args.node, link: none || args.link, services: args.service },
                    scope,
                    signal: stop.signal,
                    verdictOf: crossoverVerdictLookup(),
                    waitForTipc: true,
                })) {
                    // one module for every namespace: one line says it, not one per namespace
                    if (e.kind === 'topology' && e.change === 'waiting') {
                        if (!waiting) ctx.stderr.write(`tipcx events: ${e.message}\n`);
                        waiting = true;
                        continue;
                    }
                    if (e.kind === 'topology' && e.change === 'refused') {
                        refused = e.message;
                        if (scope.kind === 'all') ctx.stderr.write(`${e.message}\n`);
                        if (scope.kind !== 'all') continue;
                    }
                    ctx.stdout.write(ctx.json ? `${JSON.stringify(eventRecord(e))}\n` : eventLine(e));
                    printed += 1;
                    if (args.count !== undefined && printed >= args.count) break;
                }
            } finally {
                if (timer) clearTimeout(timer);
                ctx.signal.removeEventListener('abort', onAbort);
            }
            // The only namespace refused us: that is the outcome, one line, exit 1.
            if (refused !== undefined && scope.kind !== 'all') throw new FailureError(refused);
        },
    }),
];
