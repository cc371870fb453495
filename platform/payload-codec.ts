/**
 * Encrypts every Temporal payload (workflow inputs and results, signals, queries, updates,
 * activity inputs and results, memos) with AES-256-GCM before it leaves the process, so the
 * Temporal server's history holds no national code, name, birth date or registry answer in clear.
 * The larger payloads are compressed first (`createCompressionCodec`; `encryptingDataConverter`
 * chains the two).
 *
 * Keys: several 256-bit keys, each with an id; the active one encrypts, any known one decrypts
 * (rotation: add a new key, make it active, keep the old ones until no history needs them). The
 * key id travels in the payload's metadata (`encryption-key-id`), in clear.
 *
 * Settings (see `loadPayloadKeys`): `PAYLOAD_KEYS` (JSON) or `PAYLOAD_KEYS_PATH` (a file holding the
 * same JSON, created with one fresh key when missing, mode 0600, the way the signing keys are kept).
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import proto from '@temporalio/proto';

const ProtoPayload = proto.temporal.api.common.v1.Payload;

/** The encoding this codec writes in a payload's `encoding` metadata. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The key file's (and `PAYLOAD_KEYS`') shape: `{ "active": "<id>", "keys": { "<id>": "<base64 of 32 bytes>" } }`. */
export interface PayloadKeys {
  active: string;
  keys: Record<string, string>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Checks the keys and makes the codec; throws naming what is wrong. */
export function createPayloadCodec(config: PayloadKeys): PayloadCodec {
  const keys = new Map<string, Buffer>();
  for (const [id, text] of Object.entries(config.keys ?? {})) {
    const key = Buffer.from(text, 'base64');
    if (key.length !== 32) throw new Error(`payload key ${id} must be 32 bytes (base64), not ${key.length}`);
    keys.set(id, key);
  }
  const activeKey = keys.get(config.active);
  if (!activeKey) throw new Error(`the active payload key ${config.active} is not among the keys (${[...keys.keys()].join(', ')})`);
  const activeId = encoder.encode(config.active);

  return {
    async encode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => {
        const iv = randomBytes(IV_BYTES);
        const cipher = createCipheriv('aes-256-gcm', activeKey, iv);
        // The key id is authenticated with the data: a payload cannot be moved to another key's id.
        cipher.setAAD(activeId);
        const clear = ProtoPayload.encode(payload).finish();
        const sealed = Buffer.concat([iv, cipher.update(clear), cipher.final(), cipher.getAuthTag()]);
        return { metadata: { encoding: encoder.encode(ENCRYPTED_ENCODING), [KEY_ID]: activeId }, data: sealed };
      });
    },
    async decode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => {
        // A payload without our encoding passes through untouched: the histories recorded before
        // encryption (test/fixtures/histories, replayed by test/replay*.test.ts) and anything an
        // older worker wrote must still decode. Only `binary/encrypted` payloads are opened.
        const encoding = payload.metadata?.encoding;
        if (!encoding || decoder.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
        const idBytes = payload.metadata?.[KEY_ID];
        const id = idBytes ? decoder.decode(idBytes) : '';
        const key = keys.get(id);
        if (!key) throw new Error(`payload encrypted with unknown key ${id || '(none)'}`);
        const data = Buffer.from(payload.data ?? new Uint8Array());
        if (data.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted payload too short');
        const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
        decipher.setAAD(idBytes!);
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        const clear = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
        return ProtoPayload.decode(clear) as Payload;
      });
    },
  };
}

/** A fresh key set with one active key. */
export function generatePayloadKeys(id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(3).toString('hex')}`): PayloadKeys {
  return { active: id, keys: { [id]: randomBytes(32).toString('base64') } };
}

function parseKeys(source: string, text: string): PayloadKeys {
  let parsed: PayloadKeys;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed?.active !== 'string' || typeof parsed.keys !== 'object' || parsed.keys === null) {
    throw new Error(`${source}: expected { "active": "<id>", "keys": { "<id>": "<base64>" } }`);
  }
  return parsed;
}

/**
 * The payload keys from the environment: `PAYLOAD_KEYS` (inline JSON) or `PAYLOAD_KEYS_PATH` (a
 * file), else `defaultPath` when given (created with a fresh key when missing). Throws when none.
 */
export function loadPayloadKeys(env: NodeJS.ProcessEnv = process.env, defaultPath?: string): PayloadKeys {
  if (env.PAYLOAD_KEYS) return parseKeys('PAYLOAD_KEYS', env.PAYLOAD_KEYS);
  const path = env.PAYLOAD_KEYS_PATH || defaultPath;
  if (!path) throw new Error('PAYLOAD_KEYS or PAYLOAD_KEYS_PATH is required (the keys Temporal payloads are encrypted with)');
  return payloadKeysFile(path);
}

/** Reads the key file at `path`, creating it with one fresh key (mode 0600) when missing. */
export function payloadKeysFile(path: string): PayloadKeys {
  if (existsSync(path)) return parseKeys(path, readFileSync(path, 'utf8'));
  const keys = generatePayloadKeys();
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  return keys;
}

/** The encoding the compression codec writes: the whole payload, protobuf-encoded, in zlib's format (the name and format Temporal's Go SDK gives its zlib codec). */
export const COMPRESSED_ENCODING = 'binary/zlib';
/** Smaller payloads (most activity results, signals, timeline events) are left as they are: zlib rarely shrinks them. */
const COMPRESS_FROM_BYTES = 256;
/** What a compressed payload may inflate to: Temporal refuses payloads of 2 MiB by default, and a payload sent to the codec server unencrypted is inflated too. */
const MAX_INFLATED_BYTES = 4 * 1024 * 1024;

/**
 * Compresses each payload of 256 bytes or more with zlib, kept only when smaller (a process
 * definition in an application's start: about 15 KiB of JSON to under 5). Runs before the
 * encryption (ciphertext does not compress); a payload without its encoding passes through on the
 * way back, so histories written before it replay unchanged. See docs/security.md on what the
 * compressed length can tell.
 */
export function createCompressionCodec(): PayloadCodec {
  const compressed = encoder.encode(COMPRESSED_ENCODING);
  return {
    async encode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => {
        if ((payload.data?.length ?? 0) < COMPRESS_FROM_BYTES) return payload;
        const whole = ProtoPayload.encode(payload).finish();
        const deflated = deflateSync(whole);
        return deflated.length < whole.length ? { metadata: { encoding: compressed }, data: deflated } : payload;
      });
    },
    async decode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => {
        const encoding = payload.metadata?.encoding;
        if (!encoding || decoder.decode(encoding) !== COMPRESSED_ENCODING) return payload;
        return ProtoPayload.decode(inflateSync(payload.data ?? new Uint8Array(), { maxOutputLength: MAX_INFLATED_BYTES })) as Payload;
      });
    },
  };
}

/** The data converter every Temporal client, worker and replayer of ours uses: compression (applied first), then `codec`'s encryption. */
export function encryptingDataConverter(codec: PayloadCodec): { payloadCodecs: PayloadCodec[] } {
  return { payloadCodecs: [createCompressionCodec(), codec] };
}
