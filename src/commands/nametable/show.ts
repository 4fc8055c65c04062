// nametable show
import { commandResult, defineCommand } from '../../cli/command.js';
import { inSession } from '../session.js';

export default [
    defineCommand({
        path: 'nametable show',
        summary: 'List service bindings',
        help: `Usage: tipcx nametable show

Columns: Type Lower Upper Scope Port Node.

Examples:
  tipcx nametable show
  tipcx -j nametable show | jq '.[] | select(.type == 1000)'
`,
        namespaces: 'each',
        kernel: 'reads',
        async run(_args, ctx) {
            const { showNameTable } = await import('../../tipc/nametable.js');
            const { nameTableRecords, nameTableText } = await import('../../render/nametable.js');
            const table = await inSession(ctx, showNameTable);
            // Records are built for -j only: the text is written straight from the publications.
            // iproute2's JSON (--json=iproute2) has the same keys: the records as they are.
            return ctx.json
                ? commandResult(
                      nameTableRecords(table.publications, table.identityOf),
                      () => '',
                      (records) => records.map((r) => ({ ...r })),
                  )
                : commandResult(table.publications, (publications) => nameTableText(publications, table.identityOf));
        },
    }),
];
