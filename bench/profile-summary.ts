// Self time by function of a V8 .cpuprofile (node --cpu-prof), heaviest first:
// what docs/benchmarks.md quotes as a target's profile.
//   node build/bench/profile-summary.js FILE.cpuprofile [TOP]
import { readFileSync } from 'node:fs';

interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
    endTime: number;
}

export function selfTimes(profile: Profile): { where: string; ms: number }[] {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    profile.samples.forEach((id, i) => {
        const f = byId.get(id)!.callFrame;
        const file = f.url.replace(/^.*\/node_modules\//, '').replace(/^.*\/(dist|build)\//, '$1/');
        const where = `${f.functionName || '(anonymous)'} ${file}${file ? `:${f.lineNumber + 1}` : ''}`;
        self.set(where, (self.get(where) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    return [...self].map(([where, ms]) => ({ where, ms })).sort((a, b) => b.ms - a.ms);
}

if (process.argv[1]?.endsWith('profile-summary.js')) {
    const profile = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Profile;
    const top = Number(process.argv[3] ?? 25);
    process.stdout.write(`wall ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms\n`);
    for (const { where, ms } of selfTimes(profile).slice(0, top))
        process.stdout.write(`${ms.toFixed(1).padStart(8)} ms  ${where}\n`);
}
