// `nametable`'s commands in listing order, in a module of their own: the bundle gives each object's
// commands a file that is loaded only when a command line walks into the object (src/cli/bundle.ts).
import type { Registration } from '../../cli/registry.js';
import nametableShow from './show.js';

export const commands = (): readonly Registration[] => [...nametableShow];
