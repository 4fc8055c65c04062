// lab status: every lab recorded in the state directory, as the kernel sees it now.
import { commandResult, defineCommand } from '../../cli/registry.js';
import { labStatus } from '../../lab/cluster.js';
import { labTableText } from '../../render/lab.js';
import { labStateDir, rejectNetns } from './options.js';

export default defineCommand({
  async run(ctx) {
    rejectNetns(ctx);
    const records = await labStatus({ stateDir: labStateDir(ctx) });
    return commandResult(records, (rs) => labTableText(rs, ctx.color));
  },
});
