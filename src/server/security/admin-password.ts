import type { SessionsRepository } from '../store/sessions-repository.ts';
import type { SettingsRepository } from '../store/settings-repository.ts';
import { generatePassword, hashPassword, verifyPassword } from './password.ts';

const SETTING = 'admin_password_hash';

/**
 * ADMIN_PASSWORD, when set, is the password: a changed value replaces the stored hash and signs every session out (as
 * `npm run set-password` does), so whoever knew the old one is not left signed in. Otherwise the stored hash is kept,
 * and on the very first start a password is generated and handed to `announce` once: only its hash is kept.
 * Returns where the password came from, and how many sessions a changed one ended.
 */
export async function ensureAdminPassword(
  store: { settings: SettingsRepository; sessions: SessionsRepository },
  configured: string | null,
  announce: (password: string) => void,
): Promise<{ source: 'environment' | 'stored' | 'generated'; signedOut: number }> {
  const stored = await store.settings.get(SETTING);
  if (configured !== null) {
    if (stored !== null && (await verifyPassword(configured, stored))) return { source: 'environment', signedOut: 0 };
    await store.settings.set(SETTING, await hashPassword(configured));
    return { source: 'environment', signedOut: stored === null ? 0 : await store.sessions.removeAll() };
  }
  if (stored !== null) return { source: 'stored', signedOut: 0 };
  const password = generatePassword();
  await store.settings.set(SETTING, await hashPassword(password));
  announce(password);
  return { source: 'generated', signedOut: 0 };
}

export async function checkAdminPassword(settings: SettingsRepository, password: string): Promise<boolean> {
  const stored = await settings.get(SETTING);
  return stored !== null && verifyPassword(password, stored);
}

export async function setAdminPassword(settings: SettingsRepository, password: string): Promise<void> {
  await settings.set(SETTING, await hashPassword(password));
}
