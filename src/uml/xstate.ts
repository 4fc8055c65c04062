// The lab kernel on hosts whose CPUs have a large XSAVE area (AVX-512, PKRU,
// AMX: today's Xeons and Zen 4 EPYCs).
//
// Debian bookworm's User-Mode Linux (6.1) saves and restores each guest
// task's floating-point registers with ptrace(PTRACE_GETREGSET /
// PTRACE_SETREGSET, NT_X86_XSTATE) and a buffer of its own fixed size: the
// 832 bytes of the x87, SSE and AVX state. The host kernel reads back less
// than the whole area without complaint, but takes a SETREGSET only with its
// whole XSAVE size, and fails it with EFAULT otherwise. On such a host the
// guest's first process dies ("userspace - ptrace set fp regs failed, errno =
// 14"), its kernel panics and linux.uml ends on SIGABRT before the lab's
// payload starts.
//
// The shim below, preloaded into linux.uml, gives the host the whole area
// on both calls and UML its 832 bytes. So that no guest task loses the rest
// (the AVX-512 registers glibc's string functions use, PKRU), it keeps that
// rest per task, keyed by UML's register buffer (one per guest task), and
// puts it back when UML restores the task. Where the host's area is no larger
// than UML's buffer, every call passes through unchanged.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aptInstall, cacheDir, LabError, which } from '../lab/host.js';

const SHIM_SOURCE = String.raw`/* tipcx lab: the whole XSAVE area for Debian bookworm's linux.uml (src/uml/xstate.ts) */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/uio.h>

/* Larger than any XSAVE area a host hands out through ptrace. */
#define WHOLE_MAX 16384
/* Guest tasks whose extra state is kept (a power of two). */
#define TASKS 16384

struct task_rest {
	void *buffer;          /* UML's register buffer of the task */
	unsigned char *rest;   /* the host's area beyond UML's buffer */
};

static struct task_rest tasks[TASKS];
static unsigned char whole[WHOLE_MAX] __attribute__((aligned(64)));
static long (*real_ptrace)(int, pid_t, void *, void *);

static struct task_rest *task_of(void *buffer)
{
	uint64_t hash = (uint64_t)(uintptr_t)buffer * 0x9E3779B97F4A7C15ull;
	for (size_t i = 0; i < TASKS; i++) {
		struct task_rest *t = &tasks[((hash >> 40) + i) & (TASKS - 1)];
		if (t->buffer == buffer || t->buffer == NULL)
			return t;
	}
	return NULL;
}

/* The host's XSAVE size, once read: a restore of a known task then takes one call, as without the shim. */
static size_t host_size;

static long get_whole(pid_t pid, void *addr)
{
	struct iovec iov = { whole, sizeof(whole) };
	long ret = real_ptrace(PTRACE_GETREGSET, pid, addr, &iov);
	if (ret >= 0)
		host_size = iov.iov_len;
	return ret;
}

long ptrace(enum __ptrace_request request, ...)
{
	va_list args;
	va_start(args, request);
	pid_t pid = va_arg(args, pid_t);
	void *addr = va_arg(args, void *);
	void *data = va_arg(args, void *);
	va_end(args);
	if (!real_ptrace)
		real_ptrace = (long (*)(int, pid_t, void *, void *))dlsym(RTLD_NEXT, "ptrace");
	if ((request != PTRACE_GETREGSET && request != PTRACE_SETREGSET) || (uintptr_t)addr != NT_X86_XSTATE)
		return real_ptrace(request, pid, addr, data);

	struct iovec *uml = data;
	if (host_size != 0 && uml->iov_len >= host_size)
		return real_ptrace(request, pid, addr, data);
	struct task_rest *task = task_of(uml->iov_base);
	size_t own = uml->iov_len;

	if (request == PTRACE_GETREGSET) {
		if (get_whole(pid, addr) < 0)
			return -1;
		if (own >= host_size)
			return real_ptrace(request, pid, addr, data);
		memcpy(uml->iov_base, whole, own);
		if (task) {
			if (!task->rest && !(task->rest = malloc(WHOLE_MAX)))
				return 0;
			task->buffer = uml->iov_base;
			memcpy(task->rest, whole + own, host_size - own);
		}
		return 0;
	}
	if (task && task->buffer == uml->iov_base && task->rest && host_size > own) {
		memcpy(whole + own, task->rest, host_size - own);
	} else {
		/* a task never saved here: the rest as the host holds it now */
		if (get_whole(pid, addr) < 0)
			return -1;
		if (own >= host_size)
			return real_ptrace(request, pid, addr, data);
	}
	memcpy(whole, uml->iov_base, own);
	struct iovec iov = { whole, host_size };
	return real_ptrace(PTRACE_SETREGSET, pid, addr, &iov);
}
`;

/**
 * The shim's shared object, compiled once into the cache (its name carries a
 * hash of the source, so that a changed shim is compiled anew), with the
 * host's C compiler; gcc and the C library headers are installed when missing.
 */
export function xstateShim(log: (line: string) => void): string {
    const hash = createHash('sha256').update(SHIM_SOURCE).digest('hex').slice(0, 16);
    const dir = join(cacheDir(), 'uml');
    const shim = join(dir, `xstate-shim-${hash}.so`);
    if (existsSync(shim)) return shim;
    if (!which('cc') || !existsSync('/usr/include/elf.h')) aptInstall(['gcc', 'libc6-dev'], log);
    mkdirSync(dir, { recursive: true });
    const source = join(dir, `xstate-shim-${hash}.${process.pid}.c`);
    const built = `${source}.so`;
    writeFileSync(source, SHIM_SOURCE);
    try {
        execFileSync('cc', ['-O2', '-shared', '-fPIC', '-o', built, source, '-ldl'], {
            stdio: ['ignore', 'ignore', 'pipe'],
        });
        renameSync(built, shim);
    } catch (err) {
        const why = String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim();
        throw new LabError(`could not compile the lab kernel's XSAVE shim with cc: ${why.split('\n')[0]}`);
    } finally {
        rmSync(source, { force: true });
        rmSync(built, { force: true });
    }
    return shim;
}
