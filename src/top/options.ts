// The words `tipcx top` accepts, kept free of netlink so that the command tree
// (src/commands/index.ts) can validate them without loading anything heavy.
import type { Validator } from '../cli/registry.js';
import { UsageError } from '../errors.js';

/** Sort columns: the word users type (`sort rx`); also the UI's sort keys. */
export const SORT_COLUMNS = ['name', 'ns', 'peer', 'state', 'rx', 'tx', 'retrans', 'nak', 'dup', 'cong', 'queue'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

export const INTERVAL_MIN_S = 0.1;
export const INTERVAL_MAX_S = 3600;

/** Seconds as a plain decimal (`1`, `0.5`), INTERVAL_MIN_S..INTERVAL_MAX_S. */
export function parseInterval(value: string, label = 'interval'): number {
  const n = /^\d{1,4}(\.\d{1,3})?$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= INTERVAL_MIN_S && n <= INTERVAL_MAX_S)) {
    throw new UsageError(`error, invalid value "${value}" for "${label}" (expected seconds ${INTERVAL_MIN_S}..${INTERVAL_MAX_S}, e.g. 1 or 0.5)`);
  }
  return n;
}

export const intervalSeconds: Validator = (value, label) => void parseInterval(value, label);

export const sortColumn: Validator = (value, label) => {
  if (!(SORT_COLUMNS as readonly string[]).includes(value)) {
    throw new UsageError(`error, invalid value "${value}" for "${label}" (expected one of: ${SORT_COLUMNS.join(', ')})`);
  }
};
