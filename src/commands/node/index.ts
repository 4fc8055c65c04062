// `node`'s commands in listing order, in a module of their own: the bundle runs it, and the
// command modules it imports, only when a command line walks into the object (src/cli/bundle.ts).
import type { Registration } from '../../cli/registry.js';
import nodeFlush from './flush.js';
import nodeGet from './get.js';
import nodeSetKey from './key.js';
import nodeList from './list.js';
import nodeSet from './set.js';

export const commands = (): readonly Registration[] => [
    ...nodeList,
    ...nodeGet,
    ...nodeSet,
    ...nodeSetKey,
    ...nodeFlush,
];
