/**
 * The version string, read from package.json at run time: no JSON import
 * (still flagged experimental on Node 20) and no netlink on this path.
 */
import { readFileSync } from 'node:fs';

// build/src/cli/version.js → ../../../package.json is the package root.
const PACKAGE_JSON = new URL('../../../package.json', import.meta.url);

export function readVersion(): string {
    const parsed = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version?: unknown };
    return typeof parsed.version === 'string' ? parsed.version : 'unknown';
}
