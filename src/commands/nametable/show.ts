// nametable show
import { commandResult, defineCommand, joinTexts } from '../../cli/command.js';
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
            const { nameTableRows, showNameTable } = await import('../../tipc/nametable.js');
            const { NAME_TABLE_HEADER, nameTableRecords, nameTableText } = await import('../../render/nametable.js');
            if (!ctx.json) {
                // The text is written straight from the dump's rows (no object per binding):
                // the table is this result's one record, which only text() reads. Without it,
                // the text is the header, which --all-netns prints once (src/cli/all-netns.ts).
                const rows = await inSession(ctx, nameTableRows);
                return commandResult([rows], (all) =>
                    all.length === 0
                        ? NAME_TABLE_HEADER
                        : joinTexts(all.map((r) => nameTableText(r.table, r.identityOf))),
                );
            }
            // iproute2's JSON (--json=iproute2) has the same keys: the records as they are.
            const table = await inSession(ctx, showNameTable);
            return commandResult(
                nameTableRecords(table.publications, table.identityOf),
                () => '',
                (records) => records.map((r) => ({ ...r })),
            );
        },
    }),
];
