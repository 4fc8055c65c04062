// top's event log fed by the kernel's topology events (src/tipc/events.ts):
// links up and down as they happen, in every namespace top watches. top's
// default; `polled-events` turns it off (its sockets hold the tipc module).
import { nodeName } from '../netlink/identity.js';
import { tipcModuleLoaded } from '../netlink/tipc-module.js';
import type { LinkEventSource, LinkStateChange, Scope } from './sampler.js';

type OnChange = (change: LinkStateChange) => void;
type OnActive = (active: boolean) => void;

/** How long after the stream ended (its one namespace deleted, no TIPC) it is started again. */
const RESTART_MS = 2000;

/**
 * A link-state source over the namespaces of `scope`. Loaded lazily (the
 * topology module is not on top's start-up path). While it is not reading
 * (starting, or ended: no TIPC, the one namespace deleted) it is inactive and
 * top diffs samples; an ended stream is started again every RESTART_MS, so
 * that `-n NAME` deleted and created again is read from events once more.
 */
export function topologyLinkEvents(scope: Scope): LinkEventSource {
    const stop = new AbortController();
    let running = false;
    let restart: NodeJS.Timeout | undefined;
    /** One stream, until it ends or top closes. */
    const read = async (onChange: OnChange, onActive: OnActive): Promise<void> => {
        const { watchTopology } = await import('../tipc/events.js');
        try {
            for await (const e of watchTopology({
                // {1, 1} is the topology server's own binding: its snapshot event says the stream is up
                kinds: { node: false, link: true, services: [{ type: 1, lower: 1, upper: 1 }] },
                scope,
                signal: stop.signal,
            })) {
                if (!running) onActive(true);
                running = true;
                // the snapshot is the links top already shows; only changes are events
                if (e.kind !== 'link' || e.origin !== 'new') continue;
                onChange({
                    namespace: e.netns,
                    link: e.name,
                    peer: nodeName(e.peerIdentity, e.peer),
                    up: e.up,
                    at: Date.parse(e.time),
                });
            }
        } catch {
            // no topology server to read: top's samples tell up and down instead
        } finally {
            if (running && !stop.signal.aborted) onActive(false);
            running = false;
        }
    };
    const watch = async (onChange: OnChange, onActive: OnActive): Promise<void> => {
        // without the module, socket(AF_TIPC) only makes the kernel run modprobe in vain
        if (tipcModuleLoaded()) await read(onChange, onActive);
        if (!stop.signal.aborted) restart = setTimeout(() => void watch(onChange, onActive), RESTART_MS).unref();
    };
    return {
        subscribe: (onChange, onActive = () => undefined) => void watch(onChange, onActive),
        active: () => running,
        close: () => {
            stop.abort();
            clearTimeout(restart);
        },
    };
}
