// One namespace's view of TIPC: the generic netlink transport plus, on demand,
// the AF_TIPC socket for the two facts netlink does not give (own address,
// peer identities). Every operation in src/tipc takes a session.
import {
    decodeMessage,
    encodeMessage,
    type DecodeOptions,
    type Encodable,
    type TipcMessage,
} from '../netlink/codec.js';
import { FailureError, OperationError } from '../errors.js';
import type { NetnsRef } from '../netlink/netns.js';
import type { TipcCmd, TipcSchema } from '../netlink/schema.js';
import { TipcSocket } from '../netlink/tipc-socket.js';
import { openTipc, type TipcTransport } from '../netlink/transport.js';

export interface SessionOptions {
    netns?: NetnsRef;
    timeoutMs?: number;
}

/** Turns a kernel errno into a sentence for this operation, or keeps the generic one. */
export type ErrnoSentences = Partial<Record<string, string>>;

export class TipcSession {
    private socket?: TipcSocket;
    private closed = false;

    private constructor(
        readonly transport: TipcTransport,
        readonly netns: NetnsRef | undefined,
    ) {}

    static async open(opts: SessionOptions = {}): Promise<TipcSession> {
        return new TipcSession(await openTipc(opts), opts.netns);
    }

    async dump(
        cmd: TipcCmd,
        attrs?: Encodable<'top'>,
        sentences?: ErrnoSentences,
        decoding?: DecodeOptions<TipcSchema>,
    ): Promise<TipcMessage[]> {
        const replies = await explain(this.transport.dump(cmd, attrs && encodeMessage(attrs)), sentences);
        return replies.map((r) => decodeMessage(r, decoding));
    }

    /**
     * A dump whose replies are decoded one at a time and turned into what the
     * caller keeps (undefined: nothing) straight away, so that the decoded
     * messages die young instead of all living until the last one is decoded
     * (at 10,000 name-table rows that was most of the time, in the GC).
     */
    async dumpEach<T>(
        cmd: TipcCmd,
        each: (message: TipcMessage) => T | undefined,
        attrs?: Encodable<'top'>,
        decoding?: DecodeOptions<TipcSchema>,
    ): Promise<T[]> {
        const replies = await explain(this.transport.dump(cmd, attrs && encodeMessage(attrs)));
        const out: T[] = [];
        for (const reply of replies) {
            const kept = each(decodeMessage(reply, decoding));
            if (kept !== undefined) out.push(kept);
        }
        return out;
    }

    /**
     * A dump's replies undecoded (each the attribute payload after the genl
     * header), for readers that decode them into rows (RowDecoder).
     */
    async dumpReplies(cmd: TipcCmd, attrs?: Encodable<'top'>): Promise<Buffer[]> {
        return explain(this.transport.dump(cmd, attrs && encodeMessage(attrs)));
    }

    async doit(cmd: TipcCmd, attrs?: Encodable<'top'>, sentences?: ErrnoSentences): Promise<TipcMessage[]> {
        const replies = await explain(this.transport.doit(cmd, attrs && encodeMessage(attrs)), sentences);
        return replies.map((r) => decodeMessage(r));
    }

    /** The AF_TIPC socket of this namespace, opened once. */
    tipcSocket(): TipcSocket {
        // work that outlived the session (a reader that stopped waiting for it) must not open a socket nobody closes
        if (this.closed) throw new FailureError('the TIPC session was closed');
        this.socket ??= TipcSocket.open(this.netns);
        return this.socket;
    }

    close(): void {
        this.closed = true;
        this.socket?.close();
        this.socket = undefined;
        this.transport.close();
    }
}

async function explain<T>(request: Promise<T>, sentences?: ErrnoSentences): Promise<T> {
    try {
        return await request;
    } catch (err) {
        const sentence = err instanceof OperationError ? sentences?.[err.code] : undefined;
        if (sentence) throw new OperationError((err as OperationError).errno, sentence, { cause: err });
        throw err;
    }
}

/** Opens a session, runs `fn`, always closes: the shape of every one-shot command. */
export async function withSession<T>(opts: SessionOptions, fn: (s: TipcSession) => Promise<T>): Promise<T> {
    const session = await TipcSession.open(opts);
    try {
        return await fn(session);
    } finally {
        session.close();
    }
}
