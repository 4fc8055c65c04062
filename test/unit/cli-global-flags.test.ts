import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanGlobalFlags } from '../../src/cli/global-flags.js';
import { UsageError } from '../../src/errors.js';

const scan = (...argv: string[]) => scanGlobalFlags(argv);

function assertUsage(argv: string[], message: string | RegExp): void {
    assert.throws(
        () => scanGlobalFlags(argv),
        (err: unknown) => {
            assert.ok(err instanceof UsageError, 'expected a UsageError');
            assert.equal(err.exitCode, 2);
            if (typeof message === 'string') assert.equal(err.message, message);
            else assert.match(err.message, message);
            return true;
        },
    );
}

test('flags are found anywhere and the words keep their order (getopt permutation)', () => {
    const { flags, words } = scan('link', '-j', 'get', 'priority', '-p', 'link', 'L');
    assert.equal(flags.json, true);
    assert.equal(flags.pretty, true);
    assert.deepEqual(words, ['link', 'get', 'priority', 'link', 'L']);
});

test('short flags cluster', () => {
    const { flags } = scan('-jph');
    assert.deepEqual([flags.json, flags.pretty, flags.help], [true, true, true]);
});

test('long flags accept unique prefixes', () => {
    const { flags } = scan('--js', '--pre', '--he', '--all');
    assert.deepEqual([flags.json, flags.pretty, flags.help, flags.allNetns], [true, true, true, true]);
    assert.equal(scan('--vers').flags.version, true);
    assert.equal(scan('-V').flags.version, true);
});

test('--netns takes its value in every getopt form; the last one wins', () => {
    for (const argv of [['-n', 'ns1'], ['-nns1'], ['--netns', 'ns1'], ['--netns=ns1'], ['--net=ns1'], ['-jn', 'ns1']]) {
        assert.equal(scanGlobalFlags([...argv, 'link', 'list']).flags.netns, 'ns1', argv.join(' '));
        assert.deepEqual(scanGlobalFlags([...argv, 'link', 'list']).words, ['link', 'list']);
    }
    assert.equal(scan('-n', 'a', 'link', '-n', 'b').flags.netns, 'b');
});

test('a required flag value is taken verbatim, even when it starts with "-"', () => {
    assert.equal(scan('-n', '-j').flags.netns, '-j');
    assert.equal(scan('-n', '-j').flags.json, false);
});

test('missing or empty netns values are usage errors', () => {
    assertUsage(['link', 'list', '-n'], 'missing value for "-n"');
    assertUsage(['--netns'], 'missing value for "--netns"');
    assertUsage(['--netns='], 'missing value for "--netns"');
});

test('--netns and --all-netns exclude each other', () => {
    assertUsage(['-n', 'a', '--all-netns'], /cannot be used together/);
});

test('"--" ends flag parsing: later words are kept as they are', () => {
    const { flags, words } = scan('-j', 'link', '--', '-h', '--json', '-1');
    assert.equal(flags.help, false);
    assert.equal(flags.json, true);
    assert.deepEqual(words, ['link', '-h', '--json', '-1']);
});

test('negative numbers are values, not flags', () => {
    assert.deepEqual(scan('link', 'set', 'priority', '-1').words, ['link', 'set', 'priority', '-1']);
});

test('a lone "-" is a word', () => {
    assert.deepEqual(scan('-').words, ['-']);
});

test('--color: bare means always, =VALUE is exact, and it never swallows the next word', () => {
    assert.equal(scan('--color').flags.color, 'always');
    assert.equal(scan('--color=never').flags.color, 'never');
    assert.equal(scan('--col=auto').flags.color, 'auto');
    const { flags, words } = scan('--color', 'link', 'list');
    assert.equal(flags.color, 'always');
    assert.deepEqual(words, ['link', 'list']);
    assert.equal(scan('link').flags.color, undefined);
    assertUsage(['--color=alw'], 'invalid value "alw" for "--color" (expected one of: auto, always, never)');
});

test('unknown and ambiguous flags name the flag and what is accepted', () => {
    assertUsage(['-x'], 'invalid option "-x" (expected one of: -j, -p, -n, -h, -V)');
    assert.equal(scanGlobalFlags(['--al']).flags.allNetns, true, 'a unique prefix of a global flag is that flag');
    // a long name that is no global flag is left to the leaf's key-value options
    assert.deepEqual(scanGlobalFlags(['top', '--interval', '2', '--count=3']).words, [
        'top',
        '--interval',
        '2',
        '--count=3',
    ]);
    assertUsage(['-jx'], /invalid option "-x"/);
});

test('a flag without an argument rejects "=value"', () => {
    assertUsage(['--pretty=1'], 'option "--pretty" takes no value');
    // --json takes one: =iproute2 (render-iproute2-json.test.ts)
    assertUsage(['--json=1'], /invalid value "1" for "--json"/);
});

test('--all-netns=pids asks for process namespaces too; other values are refused', () => {
    const { flags } = scanGlobalFlags(['link', 'list', '--all-netns=pids']);
    assert.equal(flags.allNetns, true);
    assert.equal(flags.allNetnsPids, true);
    assert.equal(scanGlobalFlags(['--all-netns']).flags.allNetnsPids, false);
    assertUsage(['--all-netns=everything'], /^invalid value "everything" for "--all-netns"/);
});

test("ip's single-dash long options: any prefix of a long name (ip.c matches()), getopt's short flags unchanged", () => {
    assert.equal(scan('-json').flags.json, true);
    assert.equal(scan('-js').flags.json, true);
    assert.equal(scan('-pretty').flags.pretty, true);
    assert.equal(scan('-help').flags.help, true);
    assert.equal(scan('-c').flags.color, 'always');
    assert.equal(scan('-color=never').flags.color, 'never');
    assert.equal(scan('-all').flags.allNetns, true);
    const netns = scan('-netns', 'ns1', 'link', 'list');
    assert.equal(netns.flags.netns, 'ns1');
    assert.deepEqual(netns.words, ['link', 'list']);
    assert.equal(scan('-net=ns2').flags.netns, 'ns2');
    // getopt, as iproute2's tipc reads them: short flags, clusters and attached values
    assert.equal(scan('-nfoo').flags.netns, 'foo');
    assert.equal(scan('-n', 'x').flags.netns, 'x');
    const cluster = scan('-jp').flags;
    assert.deepEqual([cluster.json, cluster.pretty], [true, true]);
    assert.equal(scan('-h').flags.help, true);
    assert.equal(scan('-V').flags.version, true);
});

test('a mistyped flag gets a did-you-mean', () => {
    assertUsage(
        ['-colour'],
        'invalid option "-c" in "-colour" (did you mean "--color"? expected one of: -j, -p, -n, -h, -V)',
    );
});
