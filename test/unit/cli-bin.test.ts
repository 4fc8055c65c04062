import { test } from 'node:test';
import { errorLine } from '../../src/errors.js';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../../../', import.meta.url);
const bin = fileURLToPath(new URL('bin/tipcx', root));
const version = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string }).version;

function tipcx(args: string[], viaNode = true) {
    const [file, argv] = viaNode ? [process.execPath, [bin, ...args]] : [bin, args];
    const env = { ...process.env };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    return spawnSync(file, argv, { encoding: 'utf8', env });
}

test('the extension-less ESM bin runs under node and via its shebang', () => {
    for (const viaNode of [true, false]) {
        const r = tipcx(['--help'], viaNode);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /^Usage: tipcx /);
        assert.equal(r.stderr, '');
    }
});

test('bin exit codes: version 0, bare 2, usage error 2', () => {
    const v = tipcx(['-V']);
    assert.equal(v.status, 0);
    assert.equal(v.stdout, `tipcx ${version}\n`);
    assert.equal(tipcx([]).status, 2);
    const bad = tipcx(['link', 'foo']);
    assert.equal(bad.status, 2);
    assert.equal(
        bad.stderr,
        `${errorLine('invalid command "foo" (expected one of: list, get, set, statistics, monitor)')}\n`,
    );
});
