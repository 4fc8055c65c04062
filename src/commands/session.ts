// How a command gets at the kernel: a session in the namespace the user named.
// The session module (netlink) is imported only when a handler asks for it.
import type { CommandContext } from '../cli/registry.js';
import { EnvironmentError } from '../errors.js';
import type { NetnsRef } from '../netlink/netns.js';
import type { TipcSession } from '../tipc/session.js';

export function sessionNetns(ctx: CommandContext): NetnsRef | undefined {
    return ctx.netnsRef ?? (ctx.netns === undefined ? undefined : { name: ctx.netns });
}

export async function inSession<T>(ctx: CommandContext, fn: (s: TipcSession) => Promise<T>): Promise<T> {
    const netns = sessionNetns(ctx);
    // The current namespace of a kernel that provably has no TIPC: the lookup's
    // own answer, without loading netlink and koffi for it. A named namespace
    // is opened first as usual: its absence is the error to report then.
    if (netns === undefined) {
        const { TIPC_NOT_AVAILABLE, tipcProvablyAbsent } = await import('../netlink/availability.js');
        if (tipcProvablyAbsent()) throw new EnvironmentError(TIPC_NOT_AVAILABLE, { errno: 2 });
    }
    const { withSession } = await import('../tipc/session.js');
    return withSession({ netns }, fn);
}
