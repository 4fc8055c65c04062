/**
 * Waiting for many file descriptors without blocking the main thread and
 * without polling in a loop: one poll(2) over all of them runs on a libuv
 * worker thread (koffi's async call), plus a pipe of our own that wakes it
 * when the set must change. One worker thread serves any number of
 * descriptors (64 namespaces: one thread, not 64).
 *
 * A poll still running when the process exits is woken too: Node's exit joins
 * libuv's worker threads (uv_library_shutdown), so a process.exit() from a
 * signal handler (top's SIGTERM) would otherwise hang until a descriptor
 * became readable; it took 40 s and more in the lab.
 */
import { EnvironmentError } from '../errors.js';
import { EAGAIN, EINTR, O_CLOEXEC, O_NONBLOCK, POLLERR, POLLHUP, POLLIN, POLLNVAL, socketCalls } from './libc.js';

const POLLFD_SIZE = 8; // struct pollfd { int fd; short events; short revents; }

export class ReadinessWaiter {
    private readonly wakeRead: number;
    private readonly wakeWrite: number;
    private waiting = false;
    private closed = false;
    private readonly wakeOnExit = (): void => {
        if (this.waiting) this.wake();
    };

    constructor() {
        const s = socketCalls();
        const fds = Buffer.alloc(8);
        if (s.pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0)
            throw new EnvironmentError(`cannot create a pipe: errno ${s.errno()}`);
        this.wakeRead = fds.readInt32LE(0);
        this.wakeWrite = fds.readInt32LE(4);
        process.on('exit', this.wakeOnExit);
    }

    /**
     * Resolves with those of `fds` that are readable or hung up, once at least
     * one is, or with [] after wake(). Only one wait runs at a time, and a
     * descriptor must stay open until the wait it is part of has resolved.
     */
    async wait(fds: readonly number[]): Promise<number[]> {
        if (this.closed) return [];
        if (this.waiting) throw new Error('ReadinessWaiter.wait: already waiting');
        this.waiting = true;
        const all = [this.wakeRead, ...fds];
        // Referenced until the call settles: the worker thread writes revents into it.
        const set = Buffer.alloc(all.length * POLLFD_SIZE);
        all.forEach((fd, i) => {
            set.writeInt32LE(fd, i * POLLFD_SIZE);
            set.writeInt16LE(POLLIN, i * POLLFD_SIZE + 4);
        });
        try {
            const s = socketCalls();
            const n = await s.pollAsync(set, all.length, -1);
            // errno of a worker thread's call is not readable here; a failed poll is retried by the caller's next wait
            if (n < 0) return [];
            this.drainWake();
            const ready: number[] = [];
            for (let i = 1; i < all.length; i++) {
                const revents = set.readInt16LE(i * POLLFD_SIZE + 6);
                if (revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) ready.push(all[i]);
            }
            return ready;
        } finally {
            this.waiting = false;
        }
    }

    /** Makes the current (or next) wait resolve at once, from the main thread. */
    wake(): void {
        if (this.closed) return;
        socketCalls().write(this.wakeWrite, Buffer.from([1]), 1);
    }

    /** Closes the pipe; call only when no wait is running (after wake() and its resolution). */
    close(): void {
        if (this.closed) return;
        this.closed = true;
        process.off('exit', this.wakeOnExit);
        const s = socketCalls();
        s.close(this.wakeRead);
        s.close(this.wakeWrite);
    }

    get busy(): boolean {
        return this.waiting;
    }

    private drainWake(): void {
        const s = socketCalls();
        const buf = Buffer.alloc(64);
        for (;;) {
            const n = s.read(this.wakeRead, buf, buf.length);
            if (n > 0) continue;
            if (n < 0 && s.errno() === EINTR) continue;
            if (n < 0 && s.errno() !== EAGAIN) return;
            return;
        }
    }
}
