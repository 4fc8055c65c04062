/**
 * The HTTP side of `tipcx exporter`: GET /metrics and GET / (a short page
 * linking to it), nothing else, and nothing that changes state. Requests are
 * bounded: headers up to 8 KiB, no request body, a request must arrive within
 * 10 s, an idle or slow connection is closed after 15 s, at most 512
 * connections at once. Scrapes that arrive while one is being collected share
 * its result, so a burst of scrapers costs one netlink round per namespace;
 * the text is gzipped for scrapers that ask (Prometheus does), once per scrape.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EnvironmentError } from '../errors.js';
import { hostPort, type ListenAddress } from './listen.js';
import type { Exposition } from './exposition.js';

export const LIMITS = {
    maxHeaderBytes: 8 * 1024,
    headersTimeoutMs: 5_000,
    requestTimeoutMs: 10_000,
    idleTimeoutMs: 15_000,
    keepAliveTimeoutMs: 5_000,
    maxConnections: 512,
} as const;

/** The time budget Prometheus announces it will wait, less a margin for the transfer. */
const SCRAPE_HEADER = 'x-prometheus-scrape-timeout-seconds';

export interface ScrapeSource {
    /** The exposition text, collected within `budgetMs`. */
    scrape(budgetMs: number): Promise<Exposition>;
    readonly contentType: string;
}

export interface ServerOptions {
    readonly address: ListenAddress;
    readonly source: ScrapeSource;
    /** The budget when the scraper announces none (or a longer one). */
    readonly budgetMs: number;
    /** Unexpected failures of a scrape (the response is a 500). */
    readonly onError: (err: Error) => void;
}

const INDEX = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>tipcx exporter</title></head>
<body>
<h1>tipcx exporter</h1>
<p>TIPC links, peers, bearers, crossover verdicts and more, for Prometheus.</p>
<p><a href="metrics">Metrics</a></p>
</body>
</html>
`;

/** Listens and serves until close(); rejects with an EnvironmentError when the address cannot be bound. */
export async function startServer(o: ServerOptions): Promise<Server> {
    const server = createServer(
        {
            maxHeaderSize: LIMITS.maxHeaderBytes,
            headersTimeout: LIMITS.headersTimeoutMs,
            requestTimeout: LIMITS.requestTimeoutMs,
            keepAliveTimeout: LIMITS.keepAliveTimeoutMs,
            // how often node checks the two timeouts above (default 30 s, longer than they are)
            connectionsCheckingInterval: 1_000,
            noDelay: true,
        },
        (req, res) => handle(req, res, o),
    );
    server.maxConnections = LIMITS.maxConnections;
    // no 'timeout' listener: node destroys a socket idle this long (a slow client)
    server.setTimeout(LIMITS.idleTimeoutMs);
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
        const status =
            err.code === 'HPE_HEADER_OVERFLOW'
                ? '431 Request Header Fields Too Large'
                : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
                  ? '408 Request Timeout'
                  : '400 Bad Request';
        if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
        else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
        server.once('error', (e: NodeJS.ErrnoException) => {
            const where = hostPort(o.address);
            const why =
                e.code === 'EADDRINUSE'
                    ? 'the port is in use'
                    : e.code === 'EACCES'
                      ? 'not allowed (ports below 1024 need root)'
                      : e.code === 'EADDRNOTAVAIL'
                        ? 'no interface of this machine has that address'
                        : e.message;
            reject(new EnvironmentError(`cannot listen on ${where}: ${why}`, { cause: e }));
        });
        server.listen({ host: o.address.host, port: o.address.port, exclusive: true }, () => resolve());
    });
    server.on('error', (e) => o.onError(e));
    return server;
}

function handle(req: IncomingMessage, res: ServerResponse, o: ServerOptions): void {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    const hasBody = (req.headers['content-length'] ?? '0') !== '0' || req.headers['transfer-encoding'] !== undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        return plain(res, 405, 'only GET and HEAD: this exporter changes nothing\n', true);
    }
    if (hasBody) return plain(res, 413, 'a GET has no body here\n', true);
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(req.method === 'HEAD' ? undefined : INDEX);
        return;
    }
    if (path !== '/metrics') return plain(res, 404, 'not found: the metrics are at /metrics\n');
    // the connection is idle while the scrape reads the kernel, for as long as its budget: that is not a stalled client
    req.socket.setTimeout(0);
    const gzip = acceptsGzip(req.headers['accept-encoding']);
    const send = (body: { chunks: readonly Buffer[]; bytes: number }) => {
        req.socket.setTimeout(LIMITS.idleTimeoutMs);
        res.writeHead(200, {
            'Content-Type': o.source.contentType,
            'Content-Length': body.bytes,
            Vary: 'Accept-Encoding',
            ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
        });
        if (req.method !== 'HEAD') for (const chunk of body.chunks) res.write(chunk);
        res.end();
    };
    o.source
        .scrape(budgetFor(req, o.budgetMs))
        .then(async (exposition) => {
            if (gzip) return send(await exposition.gzip());
            if (res.destroyed) return; // the scraper went away meanwhile
            // its bytes are not reused while this response sends them
            if (req.method !== 'HEAD') {
                exposition.hold();
                res.once('close', () => exposition.release());
            }
            send(exposition);
        })
        .catch((err: unknown) => {
            req.socket.setTimeout(LIMITS.idleTimeoutMs);
            const e = err instanceof Error ? err : new Error(String(err));
            o.onError(e);
            plain(res, 500, `scrape failed: ${e.message}\n`);
        });
}

/** Whether the client takes gzip (Prometheus asks for it at every scrape): `gzip` listed, and not with q=0. */
export function acceptsGzip(header: string | undefined): boolean {
    if (!header) return false;
    return header.split(',').some((part) => {
        const [coding, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
        if (coding !== 'gzip' && coding !== 'x-gzip') return false;
        const q = params.find((p) => p.startsWith('q='));
        return q === undefined || Number(q.slice(2)) > 0;
    });
}

/**
 * The scraper's announced timeout less a quarter (at least 0.1 s), capped by
 * the exporter's own budget: the rest is for writing and sending the text.
 */
function budgetFor(req: IncomingMessage, budgetMs: number): number {
    const announced = Number(req.headers[SCRAPE_HEADER]);
    if (!(announced > 0)) return budgetMs;
    return Math.max(100, Math.min(budgetMs, announced * 750));
}

function plain(res: ServerResponse, status: number, text: string, close = false): void {
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, {
        'Content-Type': 'text/plain; charset=utf-8',
        ...(close ? { Connection: 'close' } : {}),
    });
    res.end(text);
}
