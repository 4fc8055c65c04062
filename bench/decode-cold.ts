// The interpreted (cold) cost of decoding, for instruction counts under
// valgrind: decodes the first N messages of the replayed 1,000-link dump once
// each, with the JIT off, and prints how many attributes that was.
//   valgrind --tool=callgrind node --jitless build/bench/decode-cold.js N
// Per attribute = (instructions at N2 - instructions at N1) / (attributes at N2 - at N1).
import { decodeMessage } from '../src/netlink/codec.js';
import { linkDump } from './replay.js';

const n = Number(process.argv[2] ?? '100');
const dump = linkDump(Math.max(n, 2));
let attributes = 0;
const count = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || Buffer.isBuffer(v)) return;
    for (const x of Object.values(v)) {
        attributes++;
        count(x);
    }
};
const decoded = [];
for (let i = 0; i < n; i++) decoded.push(decodeMessage(dump[i]));
for (const m of decoded) count(m);
process.stdout.write(`${n} messages, ${attributes} attributes\n`);
