// Forgetting a peer node that went down (PEER_REMOVE), by legacy address or
// by 128-bit identity; and turning identity text into the bytes the kernel knows.
import { OperationError } from '../errors.js';
import { NODE_ID_LEN, nodeIdToString, nodeIdToWords, parseNodeId } from '../netlink/identity.js';
import { TipcCmd } from '../netlink/schema.js';
import { listPeerNodes, getOwnNet } from './node.js';
import type { TipcSession } from './session.js';

const HEX_RE = /^[0-9A-Fa-f]+$/;

function removeSentences(peer: string) {
    return {
        EBUSY: `peer ${peer} is still up: it can be removed only when down`,
        ENXIO: `no such peer ${peer}`,
        ENOTSUPP: `${peer} is this node: the own node cannot be removed`,
        EINVAL: `the kernel rejected peer ${peer} (kernels before 5.11 only remove by address)`,
    };
}

export async function removePeerByAddress(s: TipcSession, address: number, shown: string): Promise<void> {
    await s.doit(TipcCmd.PEER_REMOVE, { net: { addr: address } }, removeSentences(shown));
}

/**
 * The other reading of identity text that iproute2 cannot express: `node list`
 * prints a hex identity with its trailing zeros cut ("d6babc1c1c6d"), and
 * iproute2 reads up to 16 name characters back as ASCII. Returns the hex bytes
 * padded with zeros, or null when the text is not such a short hex string.
 */
export function printedHexIdentity(text: string): Buffer | null {
    if (text.length > NODE_ID_LEN || !HEX_RE.test(text)) return null;
    const id = Buffer.alloc(NODE_ID_LEN);
    id.set(Buffer.from(text.length % 2 ? `${text}0` : text, 'hex'));
    return id;
}

/** Identities of this namespace's peers and of the node itself, by address. */
async function knownIdentities(s: TipcSession): Promise<Buffer[]> {
    const socket = s.tipcSocket();
    const peers = await listPeerNodes(s);
    const ids = peers.flatMap((p) => {
        const id = socket.nodeId(p.address);
        return id ? [id] : [];
    });
    ids.push((await getOwnNet(s)).identityBytes);
    return ids;
}

/**
 * Text -> identity bytes for commands that name a node. The literal (iproute2)
 * reading wins when it names a known node; otherwise a short hex text naming a
 * known node as `node list` prints it is taken as that hex identity; otherwise
 * the literal reading. Null when the text is no identity at all.
 */
export async function resolveIdentity(s: TipcSession, text: string): Promise<Buffer | null> {
    const literal = parseNodeId(text);
    const hex = printedHexIdentity(text);
    if (!literal || !hex || literal.equals(hex)) return literal;
    const known = await knownIdentities(s);
    if (known.some((id) => id.equals(literal))) return literal;
    return known.some((id) => id.equals(hex)) ? hex : literal;
}

/**
 * PEER_REMOVE by identity. iproute2's reading of the text is tried first; when
 * the kernel knows no such peer (ENXIO) and the text is the way `node list`
 * prints a hex identity of a known peer, that peer is removed instead, so what
 * `node list` prints is always accepted back.
 */
export async function removePeerByIdentity(s: TipcSession, text: string, literal: Buffer): Promise<Buffer> {
    const send = (id: Buffer) =>
        s.doit(TipcCmd.PEER_REMOVE, { net: nodeIdToWords(id) }, removeSentences(nodeIdToString(id) || text));
    try {
        await send(literal);
        return literal;
    } catch (err) {
        const hex = printedHexIdentity(text);
        if (!(err instanceof OperationError && err.code === 'ENXIO') || !hex || hex.equals(literal)) throw err;
        const known = await knownIdentities(s);
        if (!known.some((id) => id.equals(hex))) throw err;
        await send(hex);
        return hex;
    }
}
