import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandTree } from '../../src/commands/index.js';
import { parseCommandLine, type ParseOutcome } from '../../src/cli/parse.js';
import { defineCommand } from '../../src/cli/command.js';
import { buildCommandTree, visibleChildren, type GroupNode } from '../../src/cli/registry.js';
import { UsageError } from '../../src/errors.js';

/** What the top level accepts, from the tree itself. */
const TOP_WORDS = visibleChildren(commandTree)
    .map((child) => child.name)
    .join(', ');

const parse = (line: string): ParseOutcome => parseCommandLine(line === '' ? [] : line.split(' '), commandTree);

function run(line: string) {
    const outcome = parse(line);
    assert.equal(outcome.kind, 'run', `"${line}" should run a command`);
    return outcome;
}

function assertUsage(line: string, message: string): void {
    assert.throws(
        () => parse(line),
        (err: unknown) => {
            assert.ok(err instanceof UsageError, `expected a UsageError, got ${String(err)}`);
            assert.equal(err.message, message);
            return true;
        },
    );
}

test('command words resolve by unique prefix: "l l" is link list', () => {
    assert.deepEqual(run('l l').path, ['link', 'list']);
    assert.deepEqual(run('no l').path, ['node', 'list']);
    assert.deepEqual(run('l st sh').path, ['link', 'statistics', 'show']);
});

test('tipcx-only top-level words do not steal iproute2 prefixes', () => {
    assert.deepEqual(run('l l').path, ['link', 'list']); // not lab
    assert.deepEqual(run('s l').path, ['socket', 'list']); // not sandbox
    assert.deepEqual(run('p r i node2').path, ['peer', 'remove', 'identity']); // not proof
    assert.deepEqual(run('la u').path, ['lab', 'up']);
});

test('ambiguous prefixes are rejected on one line naming the clash', () => {
    assertUsage('n list', 'invalid command "n" (ambiguous: nametable, node)');
    assertUsage('link s', 'invalid command "s" (ambiguous: set, statistics)');
    assertUsage('link monitor s', 'invalid command "s" (ambiguous: set, summary)');
    assertUsage('bearer get m', 'invalid command "m" (ambiguous: mtu, media)');
});

test('an unknown word names the word and the accepted ones', () => {
    assertUsage('link foo', 'invalid command "foo" (expected one of: list, get, set, statistics, monitor)');
    // A typo one letter away from a word gets a did-you-mean.
    assertUsage('lnk', `invalid command "lnk" (did you mean "link"? expected one of: ${TOP_WORDS})`);
    assertUsage(
        'link lsit',
        'invalid command "lsit" (did you mean "list"? expected one of: list, get, set, statistics, monitor)',
    );
    assertUsage(
        '--colour link list',
        'invalid option "--colour" (did you mean "--color"? not a global option, and no command was given yet)',
    );
    assertUsage(
        'link list --colour',
        'invalid option "--colour" (did you mean "--color"? this command takes no options)',
    );
    assertUsage('link get priority lnk L', 'invalid option "lnk" (did you mean "link"? expected one of: link)');
    // Hidden words are accepted but not advertised.
    assertUsage('node get x', 'invalid command "x" (expected one of: identity, clusterid)');
    assert.deepEqual(run('node get address').path, ['node', 'get', 'address']);
});

test('an exact match wins over a longer word with the same prefix', () => {
    const leaf = (path: string) =>
        defineCommand({ path, summary: '', help: '', namespaces: 'each', kernel: 'none', async run() {} });
    const tree: GroupNode = buildCommandTree({ name: 'tipcx', summary: '', help: '' }, [leaf('set'), leaf('settings')]);
    const outcome = parseCommandLine(['set'], tree);
    assert.equal(outcome.kind, 'run');
    assert.deepEqual((outcome as { path: readonly string[] }).path, ['set']);
});

test('key-value options: any order, unique prefixes, canonical keys, last value wins', () => {
    const a = run('bearer enable pri 7 do 4711 dev eth0 media eth');
    const b = run('bearer enable media eth device eth0 domain 4711 priority 7');
    assert.deepEqual(a.args, { priority: 7, domain: 4711, device: 'eth0', media: 'eth' });
    assert.deepEqual(a.args, b.args);
    assert.equal(run('link get priority link A link B').args.link, 'B');
});

test('an ambiguous or unknown option key is rejected naming the choices', () => {
    assertUsage('bearer enable d eth0 media eth', 'invalid option "d" (ambiguous: device, domain)');
    assertUsage(
        'bearer disable media eth device eth0 colour red',
        'invalid option "colour" (expected one of: media, device, name)',
    );
    assertUsage('nametable show all', 'invalid option "all" (this command takes no options)');
});

test('a key without its value is an error naming the key', () => {
    assertUsage('link get priority link', 'missing value for "link"');
});

test('required options report iproute2 wording', () => {
    assertUsage('link get priority', 'missing link');
    assertUsage('bearer enable device eth0', 'missing bearer media');
    assertUsage('media get priority', 'missing media');
});

test('values are never abbreviated and numbers are strict decimals', () => {
    assertUsage('media get priority media ethernet', 'invalid media type "ethernet" (expected one of: eth, ib, udp)');
    assertUsage('link set priority abc link L', 'invalid value "abc" for "priority" (expected an integer 0..31)');
    assertUsage('link set priority 5x link L', 'invalid value "5x" for "priority" (expected an integer 0..31)');
    assertUsage('link set priority 32 link L', 'invalid value "32" for "priority" (expected an integer 0..31)');
    assertUsage('link set priority -1 link L', 'invalid value "-1" for "priority" (expected an integer 0..31)');
    assertUsage('node set clusterid 0x12', 'invalid value "0x12" for "clusterid" (expected an integer 1..9999)');
});

test('a property leaf takes the next word as its value', () => {
    const outcome = run('link set tol 3000 link L');
    assert.deepEqual(outcome.path, ['link', 'set', 'tolerance']);
    assert.deepEqual(outcome.args, { value: 3000, link: 'L' });
    assertUsage('link set priority', 'missing value for "priority"');
    assert.equal(run('node set identity mynode-1').args.value, 'mynode-1');
});

test('an optional value is skipped when the word is an option key (node set key rekeying now)', () => {
    const rekey = run('node set key rekeying now');
    assert.deepEqual(rekey.args, { master: false, rekeying: 'now' });
    const keyed = run('node set key this_is_a_master_key m');
    assert.deepEqual(keyed.args, { value: 'this_is_a_master_key', master: true });
});

test('the word that selected bearer add/get media is read again as the media key', () => {
    const add = run('bearer add m udp name u1 remoteip 10.0.0.9');
    assert.deepEqual(add.path, ['bearer', 'add', 'media']);
    assert.deepEqual(add.args, { media: 'udp', name: 'u1', remoteip: { family: 'ipv4', address: '10.0.0.9' } });
    const get = run('bearer get media udp name u1 remotei');
    assert.deepEqual(get.args, {
        media: 'udp',
        name: 'u1',
        localip: false,
        localport: false,
        remoteip: true,
        remoteport: false,
    });
});

test('case-sensitive flag keys: link set broadcast AUTO ratio 25', () => {
    assert.deepEqual(run('link set broadcast AUTO ratio 25').args, {
        BROADCAST: false,
        REPLICAST: false,
        AUTOSELECT: true,
        ratio: 25,
    });
});

test('-h anywhere asks for help of the deepest level that resolved', () => {
    const cases: Array<[string, string[]]> = [
        ['-h', []],
        ['link -h', ['link']],
        ['link -h list', ['link', 'list']],
        ['bearer enable media udp -h', ['bearer', 'enable']],
        ['bearer enable d x -h', ['bearer', 'enable']], // options are not checked under -h
        ['l --he st', ['link', 'statistics']],
        // `help` as a word, as ip(8) takes it, where no command is called so
        ['help', []],
        ['link help', ['link']],
        ['help link list', ['link', 'list']],
        ['link list help', ['link', 'list']],
        ['link statistics help', ['link', 'statistics']],
    ];
    for (const [line, path] of cases) {
        const outcome = parse(line);
        assert.equal(outcome.kind, 'help', line);
        assert.deepEqual((outcome as { path: readonly string[] }).path, path, line);
    }
});

test('a word that names no command is a usage error even under -h (iproute2 showed the parent help)', () => {
    assertUsage('link foo -h', 'invalid command "foo" (expected one of: list, get, set, statistics, monitor)');
    assertUsage('bogus -h', `invalid command "bogus" (expected one of: ${TOP_WORDS})`);
});

test('a level with children but no word is incomplete (help on stderr, exit 2)', () => {
    for (const [line, path] of [
        ['', []],
        ['link', ['link']],
        ['link statistics', ['link', 'statistics']],
    ] as const) {
        const outcome = parse(line);
        assert.equal(outcome.kind, 'incomplete', line);
        assert.deepEqual((outcome as { path: readonly string[] }).path, path);
    }
});

test('-V wins over everything else on the line', () => {
    assert.equal(parse('link foo -V').kind, 'version');
});

test('global flags reach the run outcome', () => {
    const outcome = run('l -j l -p -n ns1');
    assert.deepEqual(outcome.path, ['link', 'list']);
    assert.equal(outcome.flags.json, true);
    assert.equal(outcome.flags.pretty, true);
    assert.equal(outcome.flags.netns, 'ns1');
});

test('"--" lets a value start with a dash', () => {
    const outcome = parseCommandLine(['link', 'statistics', 'reset', 'link', '--', '-odd'], commandTree);
    assert.equal(outcome.kind === 'run' && outcome.args.link, '-odd');
});
