// sandbox [nodes N] [remote-nodes M] [command 'COMMAND ...']
import { defineCommand } from '../cli/registry.js';
import { FailureError } from '../errors.js';

const num = (v: string | true | undefined, fallback: number) => (typeof v === 'string' ? Number(v) : fallback);

export default defineCommand({
  async run(ctx) {
    // the lab modules load only here: help and the rest of tipcx never pay for them
    const { runSandbox } = await import('../lab/sandbox.js');
    const started = Date.now();
    const exitCode = await runSandbox({
      nodes: num(ctx.opts.nodes, 3),
      remoteNodes: num(ctx.opts['remote-nodes'], 0),
      ...(typeof ctx.opts.command === 'string' && { command: ctx.opts.command }),
      terminal: process.stdin.isTTY === true && process.stdout.isTTY === true && ctx.stdout === process.stdout,
      out: (text) => ctx.stdout.write(text),
      log: (line) => ctx.stderr.write(`sandbox: ${line}\n`),
    });
    ctx.stderr.write(`sandbox: finished in ${Math.round((Date.now() - started) / 1000)} s\n`);
    if (exitCode !== 0) throw new FailureError(`the command in the sandbox exited with status ${exitCode}`);
  },
});
