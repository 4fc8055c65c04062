// The real-kernel fixture (test/lab/capture-fixtures.ts): raw TIPC dumps and
// what iproute2's tipc printed for the same state, for renderer tests.
import { readFileSync } from 'node:fs';
import { decodeMessage, type TipcMessage } from '../../src/netlink/codec.js';

export interface KernelFixture {
    dumps: Record<string, string[]>;
    nodeIds: Record<string, string | null>;
    ownAddress: number;
    tipc: Record<string, { stdout: string; code: number }>;
}

export const fixture = JSON.parse(
    readFileSync(new URL('../../../test/unit/fixtures/kernel/cluster.json', import.meta.url), 'utf8'),
) as KernelFixture;

/** The decoded messages of one recorded dump, e.g. messages('LINK_GET'). */
export const messages = (cmd: string): TipcMessage[] =>
    fixture.dumps[cmd].map((hex) => decodeMessage(Buffer.from(hex, 'hex')));

/** What `tipc CMD` printed, e.g. printed('node list'). */
export const printed = (cmd: string): string => fixture.tipc[cmd].stdout;
