// How a command gets at the kernel: a session in the namespace the user named.
import type { CommandContext } from '../cli/registry.js';
import { TipcSession, withSession } from '../tipc/session.js';

export function sessionOptions(ctx: CommandContext) {
  return { netns: ctx.netnsRef ?? (ctx.netns === undefined ? undefined : { name: ctx.netns }) };
}

export function inSession<T>(ctx: CommandContext, fn: (s: TipcSession) => Promise<T>): Promise<T> {
  return withSession(sessionOptions(ctx), fn);
}
