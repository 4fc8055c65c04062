// Usage errors on this host, without a lab kernel: the installed tipcx (first
// on PATH, as test/run-all.ts sets it) is given every usage error of the
// bad-input matrix and every newcomer's mistake in a namespace that does not
// exist. Each must exit 2 with
// one line naming the bad word: a check made only after entering the namespace
// (or after opening a socket) would instead exit 3, naming the namespace. The
// kernel's refusals, and a sample of these on a TIPC kernel, run in the lab
// (test/integration/bad-input.test.ts, newcomer.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { reportCount } from '../suite-count.js';
import { argvIn, assertRefusal, caseTitle, cases } from '../integration/bad-input.js';
import { tipcx } from '../integration/lab.js';
import {
    assertIncomplete,
    assertMistake,
    incomplete,
    mistakeArgv,
    mistakeTitle,
    mistakes,
} from '../integration/newcomer.js';

const ABSENT = `tipcx-absent-${process.pid}`;
const usageErrors = cases.filter((c) => c[1] === 2);

test(`the namespace ${ABSENT} does not exist, and a valid command there says so (exit 3)`, async (t) => {
    reportCount(t, 'bad inputs', usageErrors.length + mistakes.length + incomplete.length);
    assert.ok(usageErrors.length >= 100, `${usageErrors.length} usage errors`);
    assert.equal(existsSync(`/run/netns/${ABSENT}`), false);
    const r = await tipcx(['-n', ABSENT, 'link', 'list']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(ABSENT));
});

for (const c of usageErrors) {
    test(caseTitle(c), async () => assertRefusal(await tipcx(argvIn(ABSENT, c[0])), c));
}

for (const m of mistakes) {
    test(`newcomer: ${mistakeTitle(m)}`, async () => assertMistake(await tipcx(mistakeArgv(ABSENT, m[0])), m));
}

for (const { path, node } of incomplete) {
    test(`newcomer: tipcx ${path.join(' ')} lists what may follow in two lines, exit 2`, async () =>
        assertIncomplete(await tipcx(path), path, node));
}
