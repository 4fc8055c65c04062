// Small collection helpers shared by modules that have nothing else in common.

/** The items by key, in the order the keys first appear, each group in the items' order. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
    const groups = new Map<string, T[]>();
    for (const item of items) {
        const k = key(item);
        const group = groups.get(k);
        if (group === undefined) groups.set(k, [item]);
        else group.push(item);
    }
    return groups;
}
