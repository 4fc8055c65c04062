// `link`'s commands in listing order, in a module of their own: the bundle runs it, and the
// command modules it imports, only when a command line walks into the object (src/cli/bundle.ts).
import type { Registration } from '../../cli/registry.js';
import linkGet from './get.js';
import linkList from './list.js';
import linkMonitor from './monitor.js';
import linkSet from './set.js';
import linkStatistics from './statistics.js';

export const commands = (): readonly Registration[] => [
    ...linkList,
    ...linkGet,
    ...linkSet,
    ...linkStatistics,
    ...linkMonitor,
];
