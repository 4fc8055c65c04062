/**
 * The one colour decision, taken once at start-up.
 *
 * Precedence: --color flag > NO_COLOR (non-empty) > FORCE_COLOR > stdout is a
 * TTY. We decide ourselves because chalk 5 ignores NO_COLOR and cli-table3
 * colours unconditionally. chalk is loaded only once colour is on (it costs
 * start-up, and most runs are piped), as a private instance at the decided
 * level. JSON is never coloured.
 */
import type { ChalkInstance } from 'chalk';

export const COLOR_MODES = ['auto', 'always', 'never'] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

export type ColorLevel = 0 | 1 | 2 | 3;

export interface ColorDecision {
    readonly enabled: boolean;
    readonly level: ColorLevel;
}

export interface ColorInputs {
    /** From --color; undefined when the flag was not given. */
    readonly mode?: ColorMode;
    readonly env: Readonly<Record<string, string | undefined>>;
    /** Whether stdout is a terminal; read last, only when nothing else decided (it may cost a system call). */
    readonly isTTY: boolean;
}

const OFF: ColorDecision = { enabled: false, level: 0 };

export function decideColor(inputs: ColorInputs): ColorDecision {
    const { mode, env } = inputs;
    if (mode === 'never') return OFF;
    const level = levelFromEnv(env);
    if (mode === 'always') return on(level);

    // auto (explicit or default): iproute2 lets a non-empty NO_COLOR turn
    // colour off by default; an explicit --color=always still wins (above).
    if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return OFF;
    const forced = forceColorLevel(env.FORCE_COLOR);
    if (forced !== undefined) return forced === 0 ? OFF : on(forced);
    if (env.TERM !== 'dumb' && inputs.isTTY) return on(level);
    return OFF;
}

let painter: ChalkInstance | undefined;

/** Loads chalk at the decided level when colour is on; off, paint() refuses. */
export async function applyColorDecision(decision: ColorDecision): Promise<void> {
    if (!decision.enabled) {
        painter = undefined;
        return;
    }
    const { Chalk } = await import('chalk');
    painter = new Chalk({ level: decision.level });
}

/**
 * chalk for output a caller was told to colour (ctx.color): only after
 * applyColorDecision turned colour on, which main() does before any handler.
 */
export function paint(): ChalkInstance {
    if (painter === undefined) throw new Error('colour output before applyColorDecision turned colour on');
    return painter;
}

function on(level: ColorLevel): ColorDecision {
    return { enabled: true, level: level === 0 ? 1 : level };
}

/**
 * FORCE_COLOR as chalk's supports-color reads it: `0`/`false` off, empty or
 * `true` basic colour, `1`..`3` that level. Undefined: variable not set.
 */
function forceColorLevel(value: string | undefined): ColorLevel | undefined {
    if (value === undefined) return undefined;
    if (value === '' || value === 'true') return 1;
    if (value === 'false') return 0;
    const n = Number.parseInt(value, 10);
    if (Number.isNaN(n)) return 1;
    return Math.max(0, Math.min(n, 3)) as ColorLevel;
}

/** How many colours the terminal can show, for when colour is on. */
function levelFromEnv(env: Readonly<Record<string, string | undefined>>): ColorLevel {
    const forced = forceColorLevel(env.FORCE_COLOR);
    if (forced !== undefined && forced > 0) return forced;
    if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
    if (env.TERM !== undefined && /-256(color)?$/i.test(env.TERM)) return 2;
    return 1;
}

/**
 * A link or node state word (`up`/`down`), green or red when colour is on.
 * Off, the word comes back untouched, so text stays byte-identical to
 * iproute2's (colour is off by default whenever stdout is not a terminal).
 */
export function stateWord(up: boolean, color: boolean): string {
    const word = up ? 'up' : 'down';
    if (!color) return word;
    return up ? paint().green(word) : paint().red(word);
}
