// How a command gets at the kernel: a session in the namespace the user named.
// The session module (netlink) is imported only when a handler asks for it.
import type { CommandContext } from '../cli/registry.js';
import type { NetnsRef } from '../netlink/netns.js';
import type { TipcSession } from '../tipc/session.js';

export function sessionNetns(ctx: CommandContext): NetnsRef | undefined {
    return ctx.netnsRef ?? (ctx.netns === undefined ? undefined : { name: ctx.netns });
}

/**
 * On a kernel that provably has no TIPC the executor has answered already
 * (src/cli/execute.ts, refuseIfTipcProvablyAbsent), before the handler loaded its code.
 */
export async function inSession<T>(ctx: CommandContext, fn: (s: TipcSession) => Promise<T>): Promise<T> {
    const { withSession } = await import('../tipc/session.js');
    return withSession({ netns: sessionNetns(ctx) }, fn);
}
