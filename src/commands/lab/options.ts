// What `lab up|down|status` share: the lab spec from ctx.opts, the state directory.
import type { CommandContext } from '../../cli/registry.js';
import { UsageError } from '../../errors.js';
import { LAB_DEFAULTS, stateDir, type LabSpec } from '../../lab/cluster.js';

const str = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined);

export function labSpecFrom(ctx: CommandContext): LabSpec {
  const prefix = str(ctx.opts.prefix) ?? LAB_DEFAULTS.prefix;
  const netid = str(ctx.opts.netid);
  return {
    nodes: Number(str(ctx.opts.nodes) ?? LAB_DEFAULTS.nodes),
    media: (str(ctx.opts.media) ?? LAB_DEFAULTS.media) as LabSpec['media'],
    prefix,
    ...(netid !== undefined && { netid: Number(netid) }),
    bridge: str(ctx.opts.bridge) ?? `${prefix}-br`,
  };
}

export function labPrefixFrom(ctx: CommandContext): string | undefined {
  return str(ctx.opts.prefix);
}

/** The lab builds namespaces of its own, from the namespace tipcx runs in. */
export function rejectNetns(ctx: CommandContext): void {
  if (ctx.netns !== undefined || ctx.allNetns) {
    throw new UsageError(`error, "tipcx lab" creates its own namespaces and does not take -n/--all-netns`);
  }
}

export function labStateDir(ctx: CommandContext): string {
  return stateDir(ctx.env);
}
