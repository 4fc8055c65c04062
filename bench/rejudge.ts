// Judges the measurements already in bench/results.json again with the
// targets as bench/targets.ts now states them, and writes the verdicts and
// the table in docs/benchmarks.md: for a change to how a figure is judged
// or shown, without measuring again (the date, machine and timings stay).
//   node build/bench/rejudge.js
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTable } from './table.js';
import { judgeAll, type Measurements, type Verdict } from './targets.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const file = join(root, 'bench', 'results.json');
const results = JSON.parse(readFileSync(file, 'utf8')) as { verdicts: Verdict[]; measurements: Measurements };
results.verdicts = judgeAll(results.measurements);
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
process.stdout.write(await writeTable(root, results as Parameters<typeof writeTable>[1]));
