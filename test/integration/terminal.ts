// A real terminal for interactive tests: one tmux server (its own socket) per
// Terminal, a shell or program in its one pane, keys sent as a user types
// them and the screen read back with capture-pane.
import { run, waitFor } from './lab.js';

export class Terminal {
    private constructor(private readonly socket: string) {}

    /** Starts `command` (a shell line) in a fresh tmux server of its own, `columns` x `rows`. */
    static start(socket: string, command: string, size = { columns: 160, rows: 40 }): Terminal {
        run(['tmux', '-L', socket, 'kill-server']);
        const terminal = new Terminal(socket);
        terminal.tmux('new-session', '-d', '-s', 'main', '-x', String(size.columns), '-y', String(size.rows), command);
        return terminal;
    }

    tmux(...args: string[]): string {
        const r = run(['tmux', '-L', this.socket, ...args]);
        if (r.code !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
        return r.stdout;
    }

    /** Key names as tmux knows them (Tab, Enter, F1, C-u). */
    keys(...keys: string[]): void {
        this.tmux('send-keys', '-t', 'main', ...keys);
    }

    /** Text typed as it is, character by character (no key-name lookup). */
    type(text: string): void {
        this.tmux('send-keys', '-t', 'main', '-l', text);
    }

    /** Lines typed as if pasted, each followed by Enter. */
    paste(lines: readonly string[]): void {
        for (const line of lines) {
            this.type(line);
            this.keys('Enter');
        }
    }

    /**
     * Waits until the shell runs what is typed: a command whose output differs
     * from its echo (the terminal echoes typed-ahead text before the shell reads it).
     */
    async ready(what: string, timeoutMs = 120_000): Promise<void> {
        const mark = `ready-${++this.readyCount}`;
        this.keys('C-u');
        this.type(`echo ${mark} | tr a-z A-Z`);
        this.keys('Enter');
        await this.waitFor(what, (s) => s.includes(mark.toUpperCase()), timeoutMs);
    }

    private readyCount = 0;

    screen(): string {
        return this.tmux('capture-pane', '-p', '-t', 'main');
    }

    /**
     * The cursor's line up to the cursor (the command line typed so far while
     * a shell edits it), trailing blanks included: capture-pane drops them.
     */
    cursorLine(): string {
        const [x, y] = this.tmux('display', '-p', '-t', 'main', '#{cursor_x} #{cursor_y}')
            .trim()
            .split(' ')
            .map(Number);
        return (this.screen().split('\n')[y] ?? '').padEnd(x).slice(0, x);
    }

    /** Waits for `check`; a failure shows what was on the screen. */
    async waitFor(what: string, check: (screen: string) => boolean, timeoutMs = 30_000): Promise<void> {
        try {
            await waitFor(what, () => check(this.screen()), timeoutMs);
        } catch (err) {
            throw new Error(`${(err as Error).message}; the screen shows:\n${this.screen()}`, { cause: err });
        }
    }

    kill(): void {
        run(['tmux', '-L', this.socket, 'kill-server']);
    }
}
