import { randomUUID } from 'node:crypto';
import type { SqlDatabase } from '../store/sql.ts';
import type { UsersRepository } from '../store/users-repository.ts';
import { generatePassword, hashPassword } from './password.ts';

/** How the first admin signs in until an e-mail is set (ADMIN_EMAIL): never an address, so no provider can claim it. */
export const FIRST_ADMIN_NAME = 'admin';

/** Held while deciding, so that instances starting together on one PostgreSQL make one first admin between them. */
const FIRST_ADMIN_LOCK = 7_314_003;
/** Where versions before users kept the one admin password's hash. */
const LEGACY_SETTING = 'admin_password_hash';

export type FirstAdminOutcome =
  /** An admin exists: nothing changed. `ignoredPassword` when ADMIN_PASSWORD is set (it only creates the first admin). */
  | { source: 'existing'; ignoredPassword: boolean }
  /** The single admin of an earlier version became the first admin user: same password, same sessions and keys. */
  | { source: 'upgraded'; email: string }
  /** No admin existed: one was made, with ADMIN_PASSWORD or a generated password handed to `announce` once. */
  | { source: 'environment' | 'generated'; email: string };

/**
 * Makes sure someone can manage the app. On the first start after the upgrade to users, the single admin password
 * becomes the first admin user (ADMIN_EMAIL, "admin" by default) and its sessions and API keys become theirs, in one
 * transaction. While no active admin exists, one is made — with ADMIN_PASSWORD when set, else a generated password
 * shown once. Once an admin exists ADMIN_PASSWORD is ignored: passwords change on the Users screen or with
 * `npm run set-password -- <email>`, never by an environment variable someone forgot to unset.
 */
export async function ensureFirstAdmin(
  store: { db: SqlDatabase; users: UsersRepository },
  configured: { email: string; password: string | null },
  announce: (email: string, password: string) => void,
): Promise<FirstAdminOutcome> {
  const { db } = store;
  const at = new Date().toISOString();
  let generated: string | null = null;
  const outcome = await db.transaction(async (tx): Promise<FirstAdminOutcome> => {
    if (tx.dialect === 'postgres') await tx.get('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK]);
    const legacy = (await tx.get<{ value: string }>('SELECT value FROM settings WHERE key = $1', [LEGACY_SETTING]))?.value ?? null;
    const admins = Number(
      (await tx.get<{ n: number | string }>("SELECT count(*) AS n FROM users WHERE role = 'admin' AND deactivated_at IS NULL"))?.n ?? 0,
    );
    if (admins > 0) {
      if (legacy !== null) await tx.run('DELETE FROM settings WHERE key = $1', [LEGACY_SETTING]);
      return { source: 'existing', ignoredPassword: configured.password !== null };
    }
    const taken = await tx.get<{ id: string }>('SELECT id FROM users WHERE lower(email) = lower($1)', [configured.email]);
    let passwordHash: string;
    let source: 'upgraded' | 'environment' | 'generated';
    if (legacy !== null) {
      passwordHash = legacy;
      source = 'upgraded';
    } else if (configured.password !== null) {
      passwordHash = await hashPassword(configured.password);
      source = 'environment';
    } else {
      generated = generatePassword();
      passwordHash = await hashPassword(generated);
      source = 'generated';
    }
    const id = taken?.id ?? randomUUID();
    if (taken) {
      // Nobody can manage the app (only a hand-edited database gets here): the user with that e-mail becomes the admin.
      await tx.run("UPDATE users SET role = 'admin', deactivated_at = NULL, password_hash = $1, updated_at = $2 WHERE id = $3", [
        passwordHash,
        at,
        id,
      ]);
    } else {
      await store.users.create(
        {
          id,
          email: configured.email,
          name: 'Admin',
          role: 'admin',
          password_hash: passwordHash,
          created_at: at,
          updated_at: at,
          deactivated_at: null,
        },
        tx,
      );
    }
    if (legacy !== null) {
      // The single admin's sessions and API keys are the first admin's: nobody is signed out, no script stops.
      await tx.run('UPDATE sessions SET user_id = $1 WHERE user_id IS NULL', [id]);
      await tx.run("UPDATE api_keys SET owner = $1 WHERE owner = 'admin'", [id]);
      await tx.run('DELETE FROM settings WHERE key = $1', [LEGACY_SETTING]);
    }
    return { source, email: configured.email };
  });
  // Shown only once the admin it signs in is committed.
  if (generated !== null && outcome.source === 'generated') announce(outcome.email, generated);
  return outcome;
}
