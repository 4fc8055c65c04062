// lab down [prefix NAME]: removes exactly what `lab up` recorded.
import { commandResult, defineCommand } from '../../cli/registry.js';
import { labDown } from '../../lab/cluster.js';
import { labDownText } from '../../render/lab.js';
import { labPrefixFrom, labStateDir, rejectNetns } from './options.js';

export default defineCommand({
  async run(ctx) {
    rejectNetns(ctx);
    const prefix = labPrefixFrom(ctx);
    const removed = labDown({ stateDir: labStateDir(ctx), ...(prefix !== undefined && { prefix }) });
    return commandResult(removed, labDownText);
  },
});
