// `peer`'s commands in listing order, in a module of their own: the bundle runs it, and the
// command modules it imports, only when a command line walks into the object (src/cli/bundle.ts).
import type { Registration } from '../../cli/registry.js';
import peerRemove from './remove.js';

export const commands = (): readonly Registration[] => [...peerRemove];
