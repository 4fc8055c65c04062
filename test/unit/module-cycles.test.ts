// No import cycles among src/ modules: at run time a cycle makes load order
// decide which side sees the other half-initialised, and even through types
// alone it tangles layers (src/top/ui/app.tsx once imported its options type
// from src/commands/top.ts, the command that loads it). Type imports count;
// `await import()` does not: it is how a layer loads another on demand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, normalize, relative } from 'node:path';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

function staticImports(file: string): string[] {
    const source = readFileSync(join(SRC, file), 'utf8');
    const targets: string[] = [];
    for (const [, specifier] of source.matchAll(/^(?:import|export)\s+[^;]*?\s*from\s+'(\.[^']+)';/gms)) {
        const resolved = normalize(join(dirname(file), specifier)).replace(/\.js$/, '');
        targets.push(resolved);
    }
    for (const [, specifier] of source.matchAll(/^import\s+'(\.[^']+)';/gm)) {
        targets.push(normalize(join(dirname(file), specifier)).replace(/\.js$/, ''));
    }
    return targets;
}

test('src/ modules import each other without cycles', () => {
    const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter(
        (f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'),
    );
    const moduleOf = (file: string): string => file.replace(/\.tsx?$/, '');
    const graph = new Map(files.map((file) => [moduleOf(file), staticImports(file)]));
    assert.ok(graph.size > 50, 'the walk found the sources');
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (module: string, path: string[]): void => {
        if (state.get(module) === 'done') return;
        if (state.get(module) === 'visiting') {
            cycles.push([...path.slice(path.indexOf(module)), module].join(' -> '));
            return;
        }
        state.set(module, 'visiting');
        for (const next of graph.get(module) ?? []) if (graph.has(next)) visit(next, [...path, module]);
        state.set(module, 'done');
    };
    for (const module of graph.keys()) visit(module, []);
    assert.deepEqual(cycles, [], `import cycles in ${relative(process.cwd(), SRC)}`);
});
