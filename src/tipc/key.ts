// Symmetric keys for TIPC encryption (KEY_SET, KEY_FLUSH; CONFIG_TIPC_CRYPTO).
import { endianness } from 'node:os';
import { TipcCmd } from '../netlink/schema.js';
import type { TipcSession } from './session.js';

/** TIPC_AEAD_ALG_NAME: the algorithm name field, NUL included. */
export const ALG_NAME_LEN = 32;
/** What the kernel accepts: 16, 24 or 32 key octets plus the 4-octet salt. */
export const KEY_LENGTHS = [20, 28, 36] as const;
export const DEFAULT_ALG = 'gcm(aes)';
/** TIPC_REKEYING_NOW */
export const REKEYING_NOW = 0xffff_ffff;

const HOST_LE = endianness() === 'LE';

/**
 * KEY text -> bytes, as iproute2 reads it: `0x` followed by hex digits only is
 * hex (an odd count makes the first digit a byte of its own), anything else is
 * the text's own bytes.
 */
export function parseKeyText(text: string): Buffer {
    const hex = /^0x([0-9A-Fa-f]+)$/.exec(text)?.[1];
    // the bytes of the argument as the shell passed them (UTF-8), as iproute2 copies them
    if (hex === undefined) return Buffer.from(text, 'utf8');
    return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

/** struct tipc_aead_key { char alg_name[32]; unsigned int keylen; char key[]; } */
export function encodeAeadKey(algName: string, key: Uint8Array): Buffer {
    const b = Buffer.alloc(ALG_NAME_LEN + 4 + key.length);
    b.write(algName, 0, ALG_NAME_LEN - 1, 'latin1');
    if (HOST_LE) b.writeUInt32LE(key.length, ALG_NAME_LEN);
    else b.writeUInt32BE(key.length, ALG_NAME_LEN);
    b.set(key, ALG_NAME_LEN + 4);
    return b;
}

export interface KeyRequest {
    /** Absent for `node set key rekeying …` alone. */
    key?: { algName: string; bytes: Uint8Array; nodeId?: Buffer; master: boolean };
    /** Minutes, 0 = off, REKEYING_NOW = once, now. */
    rekeying?: number;
}

const NO_CRYPTO = 'this kernel has no TIPC encryption (CONFIG_TIPC_CRYPTO is off)';

export async function setKey(s: TipcSession, req: KeyRequest): Promise<void> {
    const alg = req.key?.algName ?? DEFAULT_ALG;
    await s.doit(
        TipcCmd.KEY_SET,
        {
            node: {
                ...(req.key && {
                    key: encodeAeadKey(req.key.algName, req.key.bytes),
                    ...(req.key.nodeId && { id: req.key.nodeId }),
                    ...(req.key.master && { keyMaster: true }),
                }),
                ...(req.rekeying !== undefined && { rekeying: req.rekeying }),
            },
        },
        {
            EPERM: 'this node has no identity yet: set one ("node set identity") or enable a bearer first',
            ENOTSUPP: `the kernel does not support algorithm "${alg}" (it supports "${DEFAULT_ALG}")`,
            EKEYREJECTED: `the kernel rejected the key length: KEY must be ${KEY_LENGTHS.join(', ')} octets (AES key of 16, 24 or 32 plus a 4-octet salt)`,
            EOPNOTSUPP: NO_CRYPTO,
            EINVAL: 'the kernel rejected the key request as malformed',
            ENOMEM: 'the kernel could not install the key (out of memory)',
        },
    );
}

export async function flushKeys(s: TipcSession): Promise<void> {
    await s.doit(TipcCmd.KEY_FLUSH, undefined, { EOPNOTSUPP: NO_CRYPTO });
}
