import type { Sampler } from '../sampler.js';
import type { TopOptions } from '../../commands/top.js';
export async function runTopUi(_: { sampler: Sampler; options: TopOptions; color: boolean; signal: AbortSignal }): Promise<void> {}
