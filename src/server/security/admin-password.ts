import type { SettingsRepository } from '../store/settings-repository.ts';
import { generatePassword, hashPassword, verifyPassword } from './password.ts';

const SETTING = 'admin_password_hash';

/**
 * ADMIN_PASSWORD, when set, is the password (a changed value replaces the stored hash). Otherwise the stored hash is
 * kept, and on the very first start a password is generated and handed to `announce` once: only its hash is kept.
 */
export async function ensureAdminPassword(
  settings: SettingsRepository,
  configured: string | null,
  announce: (password: string) => void,
): Promise<void> {
  const stored = await settings.get(SETTING);
  if (configured !== null) {
    if (stored === null || !(await verifyPassword(configured, stored))) await settings.set(SETTING, await hashPassword(configured));
    return;
  }
  if (stored !== null) return;
  const password = generatePassword();
  await settings.set(SETTING, await hashPassword(password));
  announce(password);
}

export async function checkAdminPassword(settings: SettingsRepository, password: string): Promise<boolean> {
  const stored = await settings.get(SETTING);
  return stored !== null && verifyPassword(password, stored);
}

export async function setAdminPassword(settings: SettingsRepository, password: string): Promise<void> {
  await settings.set(SETTING, await hashPassword(password));
}
