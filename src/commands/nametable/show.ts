import { commandResult, defineCommand } from '../../cli/registry.js';
import { nameTableRecords, nameTableText } from '../../render/nametable.js';
import { showNameTable } from '../../tipc/nametable.js';
import { inSession } from '../session.js';

export default defineCommand({
  async run(ctx) {
    const records = await inSession(ctx, async (s) => {
      const table = await showNameTable(s);
      return nameTableRecords(table.publications, table.identityOf);
    });
    return commandResult(records, nameTableText);
  },
});
