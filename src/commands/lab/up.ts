// lab up [nodes N] [media eth|udp] [prefix NAME] [netid ID] [bridge NAME]
import { commandResult, defineCommand } from '../../cli/registry.js';
import { labUp } from '../../lab/cluster.js';
import { labTableText } from '../../render/lab.js';
import { labSpecFrom, labStateDir, rejectNetns } from './options.js';

export default defineCommand({
  async run(ctx) {
    rejectNetns(ctx);
    const spec = labSpecFrom(ctx);
    const { records, created, elapsedMs } = await labUp(spec, {
      stateDir: labStateDir(ctx),
      progress: (line) => ctx.stderr.write(`lab up: ${line}\n`),
      signal: ctx.signal,
    });
    const how = created === 0 ? 'already up: nothing created' : `created ${created} namespace${created === 1 ? '' : 's'}`;
    return commandResult(records, (rs) => `${labTableText(rs, ctx.color)}(${how}, ${(elapsedMs / 1000).toFixed(1)} s)\n`);
  },
});
