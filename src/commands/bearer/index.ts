// `bearer`'s commands in listing order, in a module of their own: the bundle runs it, and the
// command modules it imports, only when a command line walks into the object (src/cli/bundle.ts).
import type { Registration } from '../../cli/registry.js';
import bearerAdd from './add.js';
import bearerDisable from './disable.js';
import bearerEnable from './enable.js';
import bearerGet from './get.js';
import bearerList from './list.js';
import bearerSet from './set.js';

export const commands = (): readonly Registration[] => [
    ...bearerAdd,
    ...bearerEnable,
    ...bearerDisable,
    ...bearerSet,
    ...bearerGet,
    ...bearerList,
];
