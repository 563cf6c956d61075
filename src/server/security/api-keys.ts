import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { API_KEY_PREFIX, API_KEY_SHOWN_LENGTH, apiKeyState, type ApiKeyRole } from '#shared/api-key-schemas';
import { HttpError } from '../errors.ts';
import type { ApiKeyRecord, ApiKeysRepository } from '../store/api-keys-repository.ts';
import { roleAtLeast, type Role } from './route-access.ts';

/** 40 characters of base62: about 238 bits, and a key that a double-click selects whole (no `-` or `_` to stop at). */
const KEY_LENGTH = 40;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// Longer than any key we issue, and short enough that nobody makes the server hash megabytes per request.
export const LONGEST_KEY = 200;
// Writing last_used_at on every request would turn each read into a write.
const TOUCH_EVERY_MS = 60 * 1000;

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** A new key: the prefix secret scanners look for, then random base62 (rejection-sampled, so every character is as likely). */
export function generateApiKey(): string {
  let out = API_KEY_PREFIX;
  while (out.length < API_KEY_PREFIX.length + KEY_LENGTH) {
    for (const byte of randomBytes(KEY_LENGTH)) {
      if (byte < 248 && out.length < API_KEY_PREFIX.length + KEY_LENGTH) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

/** An API key acting on a request: who it is (for the record and the rate limits) and the role it acts with. */
export type ApiKeyPrincipal = { id: string; name: string; prefix: string; role: Role };

/**
 * The key a request presents, or null when it presents none: `Authorization: Bearer <key>` (RFC 6750) or
 * `unstructured-api-key: <key>` (Unstructured's SDK). Presenting one means the request is judged by it alone.
 */
export function presentedApiKey(request: FastifyRequest): string | null {
  const authorization = request.headers.authorization;
  const unstructured = request.headers['unstructured-api-key'];
  if (authorization === undefined && unstructured === undefined) return null;
  let bearer: string | undefined;
  if (authorization !== undefined) {
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!match) throw new HttpError(401, 'Send the API key as Authorization: Bearer <key> (or in the unstructured-api-key header)');
    bearer = match[1];
  }
  const other = typeof unstructured === 'string' ? unstructured.trim() : undefined;
  if (unstructured !== undefined && (other === undefined || other === '')) throw new HttpError(401, 'The unstructured-api-key header is empty');
  if (bearer !== undefined && other !== undefined && bearer !== other) {
    throw new HttpError(401, 'Two different API keys were sent (Authorization and unstructured-api-key): send one');
  }
  return (bearer ?? other) as string;
}

/** The role a key acts with: the lesser of its own and its owner's current role (a key cannot outrank its owner). */
function roleOf(keyRole: ApiKeyRole, ownerRole: Role): Role {
  return roleAtLeast(ownerRole, keyRole) ? keyRole : ownerRole;
}

export function createApiKeyService(repo: ApiKeysRepository, now: () => Date = () => new Date()) {
  return {
    /** Makes a key and stores its hash; the key itself is returned to be shown once and is kept nowhere. */
    async create(input: { name: string; role: ApiKeyRole; expiresAt: string | null; owner: string }) {
      const key = generateApiKey();
      const record: ApiKeyRecord = {
        id: randomUUID(),
        name: input.name,
        key_hash: hashApiKey(key),
        prefix: key.slice(0, API_KEY_SHOWN_LENGTH),
        role: input.role,
        owner: input.owner,
        created_at: now().toISOString(),
        expires_at: input.expiresAt,
        last_used_at: null,
        revoked_at: null,
      };
      await repo.create(record);
      return { key, record };
    },

    /**
     * The principal a presented key stands for, or a 401 saying why not. Read from the database on every request, so
     * a revoked or expired key stops at once on every instance sharing it.
     */
    async authenticate(key: string): Promise<ApiKeyPrincipal> {
      const record = key.length <= LONGEST_KEY && key.startsWith(API_KEY_PREFIX) ? await repo.findByHash(hashApiKey(key)) : null;
      if (!record) throw new HttpError(401, 'That API key is not known: check that it was copied whole, or create a new one');
      const at = now();
      const state = apiKeyState(record, at.getTime());
      if (state === 'revoked') throw new HttpError(401, `This API key ("${record.name}") was revoked: create a new one on the API keys screen`);
      if (state === 'expired')
        throw new HttpError(401, `This API key ("${record.name}") expired at ${record.expires_at}: create a new one on the API keys screen`);
      if (record.owner_role === null || record.owner_deactivated_at !== null) {
        throw new HttpError(401, `This API key ("${record.name}") belongs to a deactivated user: ask an admin for a key of your own`);
      }
      if (record.last_used_at === null || at.getTime() - Date.parse(record.last_used_at) >= TOUCH_EVERY_MS) {
        await repo.touch(record.id, at.toISOString());
      }
      return { id: record.id, name: record.name, prefix: record.prefix, role: roleOf(record.role, record.owner_role) };
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
