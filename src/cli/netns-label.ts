/**
 * How a namespace without a /run/netns name is labelled (`--all-netns=pids`
 * prints `pid:N`, N its oldest process), and how `-n pid:N` reads the label
 * back, so that any namespace tipcx prints can be named again with -n.
 * Pure: loaded for parsing, before anything touches a namespace.
 */
const PID_LABEL = /^pid:([1-9]\d{0,9})$/;

export function pidLabel(pid: number): string {
    return `pid:${pid}`;
}

/** The pid in a `pid:N` label; undefined for anything else (a /run/netns name). */
export function pidFromLabel(text: string): number | undefined {
    const match = PID_LABEL.exec(text);
    return match ? Number(match[1]) : undefined;
}
