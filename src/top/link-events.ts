// top's event log fed by the kernel's topology events (src/tipc/events.ts):
// links up and down as they happen, in every namespace top watches.
import { formatHash } from '../netlink/identity.js';
import type { LinkEventSource, LinkStateChange, Scope } from './sampler.js';

/**
 * A link-state source over the namespaces of `scope`. Loaded lazily (the
 * topology module is not on top's start-up path); until it runs, and when it
 * ends (no TIPC, the namespace deleted), it is inactive and top diffs samples.
 */
export function topologyLinkEvents(scope: Scope): LinkEventSource {
    const stop = new AbortController();
    let running = false;
    return {
        subscribe(onChange: (change: LinkStateChange) => void): void {
            void (async () => {
                const { watchTopology } = await import('../tipc/events.js');
                try {
                    for await (const e of watchTopology({
                        // {1, 1} is the topology server's own binding: its snapshot event says the stream is up
                        kinds: { node: false, link: true, services: [{ type: 1, lower: 1, upper: 1 }] },
                        scope,
                        signal: stop.signal,
                    })) {
                        running = true;
                        // the snapshot is the links top already shows; only changes are events
                        if (e.kind !== 'link' || e.origin !== 'new') continue;
                        onChange({
                            namespace: e.netns,
                            link: e.name,
                            peer: e.peerIdentity || formatHash(e.peer),
                            up: e.up,
                            at: Date.parse(e.time),
                        });
                    }
                } catch {
                    // no topology server to read: top's samples tell up and down instead
                } finally {
                    running = false;
                }
            })();
        },
        active: () => running,
        close: () => stop.abort(),
    };
}
