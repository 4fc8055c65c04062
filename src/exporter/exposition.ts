/**
 * The bytes of one scrape, as they are sent: prom-client's text encoded into
 * a buffer that is reused from one scrape to the next, and its gzip, made
 * once for every scraper that asks for it (Prometheus asks at every scrape).
 *
 * Why reused: at 64 namespaces the text is about 10 MB. Encoded into fresh
 * Buffers at every scrape, that was some 2,600 fresh pages a scrape (glibc
 * hands the freed megabytes back to the kernel and takes new ones), and in
 * the lab each page fault traps to the host (bench/exporter.ts). A buffer is
 * reused only once nothing holds it any more: the scrape it was made for has
 * been replaced by a newer one, every response that sends it has closed, and
 * its compression has finished.
 */
import { constants as zlibConstants, createGzip } from 'node:zlib';

/** Buffers kept for reuse; two alternate while scrapes follow one another. */
export class ByteArena {
    private readonly spare: Buffer[] = [];

    take(size: number): Buffer {
        const at = this.spare.findIndex((b) => b.length >= size);
        if (at >= 0) return this.spare.splice(at, 1)[0];
        // room to grow: the text changes size a little from one scrape to the next
        return Buffer.allocUnsafeSlow(Math.ceil(size * 1.25) + 4096);
    }

    give(buffer: Buffer): void {
        if (this.spare.length < 2) this.spare.push(buffer);
    }
}

export class Exposition {
    /** Whoever still needs the bytes: the scrape's producer until a newer one replaces it, and each response. */
    private holds = 1;
    private compressed: Promise<{ chunks: readonly Buffer[]; bytes: number }> | undefined;

    private constructor(
        readonly chunks: readonly Buffer[],
        readonly bytes: number,
        private readonly free: () => void,
    ) {}

    /** The texts, one after another, encoded (UTF-8) into a buffer of `arena`'s. */
    static encode(texts: readonly string[], arena: ByteArena): Exposition {
        let size = 0;
        for (const t of texts) size += Buffer.byteLength(t);
        const buffer = arena.take(size);
        let end = 0;
        for (const t of texts) end += buffer.write(t, end);
        return new Exposition([buffer.subarray(0, end)], end, () => arena.give(buffer));
    }

    /** Keeps the bytes from being reused until release(). */
    hold(): void {
        this.holds++;
    }

    release(): void {
        if (--this.holds === 0) this.free();
    }

    /**
     * Gzip at the fastest level: the 10 MB of text at 64 namespaces become
     * about 0.7 MB in some 15 ms of CPU, against copying the 10 MB through the
     * kernel to the scraper.
     */
    gzip(): Promise<{ chunks: readonly Buffer[]; bytes: number }> {
        this.compressed ??= new Promise((resolve, reject) => {
            this.hold();
            const z = createGzip({ level: zlibConstants.Z_BEST_SPEED, chunkSize: 64 * 1024 });
            const chunks: Buffer[] = [];
            let bytes = 0;
            z.on('data', (d: Buffer) => {
                chunks.push(d);
                bytes += d.length;
            });
            z.on('end', () => {
                this.release();
                resolve({ chunks, bytes });
            });
            z.on('error', (e) => {
                this.release();
                reject(e);
            });
            for (const chunk of this.chunks) z.write(chunk);
            z.end();
        });
        return this.compressed;
    }
}
