// What the crossover test files share: reading `crossover -j` rows.
import assert from 'node:assert/strict';
import type { CrossoverRow } from '../../src/tipc/crossover.js';

export const rowsOf = (stdout: string) => JSON.parse(stdout) as CrossoverRow[];
export const row = (rows: CrossoverRow[], netns: string, peer: string) => {
    const r = rows.find((x) => x.netns === netns && x.peer === peer);
    assert.ok(r, `no row ${netns} -> ${peer} in ${JSON.stringify(rows)}`);
    return r;
};
