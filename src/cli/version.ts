/**
 * The version string, read from package.json at run time: no JSON import
 * (still flagged experimental on Node 20) and no netlink on this path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function readVersion(): string {
    // build/src/cli/version.js → ../../../package.json is the package root.
    const parsed = JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')) as {
        version?: unknown;
    };
    return typeof parsed.version === 'string' ? parsed.version : 'unknown';
}
