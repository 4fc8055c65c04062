/**
 * Work on many namespaces from one process: each item is a few round trips to
 * the kernel, so running `limit` of them at once lets one wake-up of the event
 * loop serve many (--all-netns, lab up; bench/ times both against iproute2),
 * while the bound keeps open sockets far below the usual limit of 1024 file
 * descriptors however many items there are.
 */
export const NAMESPACES_AT_ONCE = 32;

/**
 * fn over every item, at most `limit` at a time; results in item order.
 * Stops starting new items once `stop()` says so (those results stay
 * undefined); the first rejection rejects the whole, after the running ones end.
 */
export async function mapConcurrently<T, R>(
    items: readonly T[],
    limit: number,
    fn: (item: T, index: number) => Promise<R>,
    stop: () => boolean = () => false,
): Promise<(R | undefined)[]> {
    const results: (R | undefined)[] = new Array<R | undefined>(items.length);
    let next = 0;
    let failure: { error: unknown } | undefined;
    const worker = async () => {
        while (next < items.length && !failure && !stop()) {
            const i = next++;
            try {
                results[i] = await fn(items[i], i);
            } catch (error) {
                failure ??= { error };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    if (failure) throw failure.error;
    return results;
}
