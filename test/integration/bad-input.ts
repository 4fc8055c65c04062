// The bad-input matrix: invocations that are each wrong in one way, with the
// exit code they must give and the word their one line must name. Usage
// errors (exit 2) run on the host (test/host/usage.test.ts: all of them, in a
// namespace that does not exist, so that any check left until after the
// namespace is entered shows as exit 3); the kernel's refusals and a sample
// of the usage errors run on a lab kernel (bad-input.test.ts), whose state
// must be the same afterwards.

import assert from 'node:assert/strict';

export const NS = 'bi1';
export const LINK = 'bi1:eth0-bi2:eth0';

/** [argv after `-n NS`, expected exit code, the word the message must name] */
export type Case = [string[], 1 | 2 | 3, string];

const LONG = 'x'.repeat(80);
const values = (what: string, prop: string, tail: string[], bad: string[]): Case[] =>
    bad.map((v) => [[what, 'set', prop, v, ...tail], 2, v] as Case);

export const cases: Case[] = [
    // unknown and ambiguous words
    [['frobnicate'], 2, 'frobnicate'],
    [['n', 'list'], 2, 'n'],
    [['link', 's'], 2, 's'],
    [['link', 'list', 'extra'], 2, 'extra'],
    [['node', 'lust'], 2, 'lust'],
    [['bearer', 'enable', 'media', 'eth', 'device', 'eth0', 'bogus', '1'], 2, 'bogus'],
    [['bearer', 'enable', 'media', 'eth', 'd', 'eth0'], 2, 'd'],
    [['link', 'monitor', 's', 'threshold', '3'], 2, 's'],
    [['bearer', 'get', 'm'], 2, 'm'],
    [['media', 'get', 'colour', 'media', 'eth'], 2, 'colour'],
    [['nametable', 'show', 'all'], 2, 'all'],
    [['socket', 'lisp'], 2, 'lisp'],
    [['peer', 'remove', 'name', 'x'], 2, 'name'],
    [['node', 'get', 'key'], 2, 'key'],
    [['link', 'statistics', 'purge'], 2, 'purge'],
    [['--jsn', 'node', 'list'], 2, '--jsn'],
    [['--color=sometimes', 'node', 'list'], 2, 'sometimes'],
    // missing values
    [['link', 'set', 'priority', '5', 'link'], 2, 'link'],
    [['link', 'get', 'priority'], 2, 'link'],
    [['bearer', 'enable', 'media'], 2, 'media'],
    [['bearer', 'enable', 'media', 'eth'], 2, 'device'],
    [['bearer', 'enable', 'media', 'udp', 'name', 'u9'], 2, 'localip'],
    [['bearer', 'disable', 'media', 'udp'], 2, 'name'],
    [['bearer', 'add', 'media', 'udp', 'name', 'u1'], 2, 'remoteip'],
    [['media', 'get', 'priority'], 2, 'media'],
    [['link', 'statistics', 'reset'], 2, 'link'],
    // numbers out of range or not numbers
    ...values('link', 'priority', ['link', LINK], ['32', '-1', 'abc', '1e3', '0x10', '', '99999999999']),
    ...values('link', 'tolerance', ['link', LINK], ['49', '30001', 'ten', '-50']),
    ...values('link', 'window', ['link', LINK], ['8192', '15', 'many']),
    ...values('media', 'priority', ['media', 'eth'], ['32', 'x']),
    ...values('media', 'tolerance', ['media', 'eth'], ['30001', '1.5']),
    ...values('media', 'window', ['media', 'eth'], ['0', '9999']),
    ...values('bearer', 'priority', ['media', 'eth', 'device', 'eth0'], ['32', '-2', 'hi']),
    ...values('bearer', 'tolerance', ['media', 'eth', 'device', 'eth0'], ['1', '999999']),
    ...values('bearer', 'window', ['media', 'eth', 'device', 'eth0'], ['10000', 'w']),
    ...values('node', 'clusterid', [], ['0', '10000', 'abc', '-1', '4711x']),
    ...values('node', 'netid', [], ['0', '10000']),
    [['link', 'monitor', 'set', 'threshold', '4096'], 2, '4096'],
    [['link', 'monitor', 'set', 'threshold', 'many'], 2, 'many'],
    [['link', 'set', 'broadcast', 'ratio', '0'], 2, '0'],
    [['link', 'set', 'broadcast', 'ratio', '101'], 2, '101'],
    [['link', 'set', 'broadcast', 'ratio', 'half'], 2, 'half'],
    [['bearer', 'enable', 'priority', '33', 'media', 'eth', 'device', 'eth0'], 2, '33'],
    [['bearer', 'enable', 'domain', 'abc', 'media', 'eth', 'device', 'eth0'], 2, 'abc'],
    [['bearer', 'enable', 'media', 'udp', 'name', 'u9', 'localip', '10.0.0.1', 'localport', '0'], 2, '0'],
    [['bearer', 'enable', 'media', 'udp', 'name', 'u9', 'localip', '10.0.0.1', 'localport', '65536'], 2, '65536'],
    [['bearer', 'enable', 'media', 'udp', 'name', 'u9', 'localip', '10.0.0.1', 'remoteport', 'http'], 2, 'http'],
    [['bearer', 'add', 'media', 'udp', 'name', 'u1', 'remoteip', '10.9.9.9', 'remoteport', '70000'], 2, '70000'],
    [['link', 'statistics', 'show', 'link', LONG], 2, LONG],
    // wrong media for an option, bad media words
    [['bearer', 'enable', 'media', 'ethernet', 'device', 'eth0'], 2, 'ethernet'],
    [['bearer', 'enable', 'media', 'ETH', 'device', 'eth0'], 2, 'ETH'],
    [['bearer', 'set', 'mtu', '1400', 'media', 'eth', 'device', 'eth0'], 2, 'eth'],
    [['bearer', 'get', 'mtu', 'media', 'eth', 'device', 'eth0'], 2, 'eth'],
    [['media', 'set', 'mtu', '1400', 'media', 'eth'], 2, 'eth'],
    [['media', 'get', 'mtu', 'media', 'ib'], 2, 'ib'],
    [['bearer', 'add', 'media', 'eth', 'name', 'u1', 'remoteip', '10.9.9.9'], 2, 'eth'],
    [['bearer', 'get', 'media', 'eth', 'name', 'x', 'localip'], 2, 'eth'],
    [['media', 'get', 'priority', 'media', 'token-ring'], 2, 'token-ring'],
    // overlong names and malformed identities and addresses
    [['bearer', 'enable', 'media', 'eth', 'device', LONG], 2, LONG],
    [['bearer', 'enable', 'media', 'udp', 'name', LONG, 'localip', '10.0.0.1'], 2, LONG],
    [['bearer', 'disable', 'media', 'eth', 'device', 'sixteen-chars-xx'], 2, 'sixteen-chars-xx'],
    [['link', 'get', 'priority', 'link', LONG], 2, LONG],
    [['node', 'set', 'identity', 'has space'], 2, 'has space'],
    [['node', 'set', 'identity', '0123456789abcdef0123456789abcdef0'], 2, '0123456789abcdef0123456789abcdef0'],
    [['node', 'set', 'identity', 'g123456789abcdef0'], 2, 'g123456789abcdef0'],
    [['node', 'set', 'address', '1.2'], 2, '1.2'],
    [['node', 'set', 'address', '256.1.1'], 2, '256.1.1'],
    [['node', 'set', 'address', '1.4096.1'], 2, '1.4096.1'],
    [['node', 'set', 'address', '0.0.0'], 2, '0.0.0'],
    [['node', 'set', 'address', 'a.b.c'], 2, 'a.b.c'],
    [['peer', 'remove', 'address', '1.2.3.4'], 2, '1.2.3.4'],
    [['peer', 'remove', 'address', 'x'], 2, 'x'],
    [['peer', 'remove', 'identity', 'not valid!'], 2, 'not valid!'],
    [['bearer', 'enable', 'media', 'udp', 'name', 'u9', 'localip', '300.1.1.1'], 2, '300.1.1.1'],
    [['bearer', 'enable', 'media', 'udp', 'name', 'u9', 'localip', '10.0.0.1', 'remoteip', 'fe80::1'], 2, 'fe80::1'],
    [['bearer', 'add', 'media', 'udp', 'name', 'u1', 'remoteip', 'not-an-ip'], 2, 'not-an-ip'],
    // the key is a secret: the message gives its length, never the key itself
    [['node', 'set', 'key', 'short'], 2, 'key'],
    [['node', 'set', 'key', `0x${'ab'.repeat(40)}`], 2, 'key'],
    [['node', 'set', 'key', 'this_is_a_key16_salt', 'algname', 'a'.repeat(40)], 2, 'a'.repeat(40)],
    [['node', 'set', 'key', 'this_is_a_key16_salt', 'nodeid', 'bad id!'], 2, 'bad id!'],
    [['node', 'set', 'key', 'this_is_a_key16_salt', 'nodeid', 'bi2', 'master'], 2, 'master'],
    [['node', 'set', 'key', 'rekeying', 'soon'], 2, 'soon'],
    // events: service ranges and limits, refused before any socket opens
    [['events', 'service', '1000:9:3'], 2, '1000:9:3'],
    [['events', 'service', '4294967296'], 2, '4294967296'],
    [['events', 'service', '1000:0:4294967296'], 2, '1000:0:4294967296'],
    [['events', 'service', '1000:1:2:3'], 2, '1000:1:2:3'],
    [['events', 'service', 'abc'], 2, 'abc'],
    [['events', 'service', '-1'], 2, '-1'],
    [['events', 'service', '1000:'], 2, '1000:'],
    [['events', 'service', '1000', 'service', ':5'], 2, ':5'],
    [['events', 'count', '0'], 2, '0'],
    [['events', 'timeout', 'soon'], 2, 'soon'],
    [['events', 'nodes'], 2, 'nodes'],
    // namespaces
    [['-n', '../etc', 'node', 'list'], 2, '../etc'],
    [['-n', 'a/b', 'node', 'list'], 2, 'a/b'],
    [['-n', 'no-such-ns', 'node', 'list'], 3, 'no-such-ns'],
    // conflicting options
    [['--all-netns', '-n', NS, 'node', 'list'], 2, 'all-netns'],
    // things that do not exist: the kernel refuses (exit 1)
    [['link', 'get', 'priority', 'link', 'no-such-link'], 1, 'no-such-link'],
    [['link', 'set', 'priority', '5', 'link', 'no-such-link'], 1, 'no-such-link'],
    [['link', 'set', 'tolerance', '1000', 'link', 'ghost:eth0-x:eth0'], 1, 'ghost:eth0-x:eth0'],
    [['link', 'statistics', 'reset', 'link', 'no-such-link'], 1, 'no-such-link'],
    [['bearer', 'disable', 'media', 'eth', 'device', 'eth9'], 1, 'eth:eth9'],
    [['bearer', 'get', 'priority', 'media', 'eth', 'device', 'eth9'], 1, 'eth:eth9'],
    [['bearer', 'set', 'priority', '3', 'media', 'eth', 'device', 'eth9'], 1, 'eth:eth9'],
    [['bearer', 'enable', 'media', 'eth', 'device', 'nodev0'], 1, 'nodev0'],
    [['bearer', 'enable', 'media', 'eth', 'device', 'eth0'], 1, 'eth:eth0'],
    [['bearer', 'add', 'media', 'udp', 'name', 'nope', 'remoteip', '10.9.9.9'], 1, 'udp:nope'],
    [['bearer', 'get', 'media', 'udp', 'name', 'nope', 'remoteip'], 1, 'udp:nope'],
    [['peer', 'remove', 'identity', 'bi2'], 1, 'bi2'],
    [['peer', 'remove', 'identity', 'nobody'], 1, 'nobody'],
    [['node', 'set', 'identity', 'other'], 1, 'identity'],
    [['node', 'set', 'clusterid', '42'], 1, 'cluster'],
];

/** The argv of a case, run in namespace `ns` unless the case names its own (-n is what it tests). */
export function argvIn(ns: string, argv: readonly string[]): string[] {
    return argv.includes('-n') ? [...argv] : ['-n', ns, ...argv];
}

/** How a case is shown in a test name: long words cut. */
export function caseTitle([argv, code, word]: Case): string {
    const cut = (w: string) => (w.length > 24 ? `${w.slice(0, 12)}…` : w);
    return `${argv.map(cut).join(' ')} -> exit ${code}, one line naming "${cut(word)}"`;
}

/** What every case must give: its exit code, nothing on stdout, one line on stderr that names the word. */
export function assertRefusal(r: { code: number; stdout: string; stderr: string }, [, code, word]: Case): void {
    assert.equal(r.code, code, `exit ${r.code}, stderr: ${r.stderr}`);
    assert.equal(r.stdout, '', 'nothing on stdout');
    const lines = r.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
    assert.ok(lines[0].includes(word), `the message names "${word}": ${lines[0]}`);
}
