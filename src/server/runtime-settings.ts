import type { SettingsRepository } from './store/settings-repository.ts';

/**
 * The settings an admin changes while the app runs, as against the configuration read from the environment at start
 * (config.ts). They are rows of the database's settings table, so every instance reads the same. One entry each: its
 * row's key, the values it may take and what a missing (or unreadable) row means. The store's own rows (the encryption
 * key check, the writing key) are the store's business, not settings.
 */
const RUNTIME_SETTINGS = {
  /**
   * Whether the sign-in screen offers the password form beside single sign-on. An admin turns it off
   * (PUT /api/v1/settings/sign-in) once single sign-on works; `npm run set-password` turns it on again.
   */
  passwordSignIn: { key: 'password_sign_in', values: ['on', 'off'], missing: 'on' },
} as const;

export type RuntimeSettingName = keyof typeof RUNTIME_SETTINGS;
export type RuntimeSettingValue<N extends RuntimeSettingName> = (typeof RUNTIME_SETTINGS)[N]['values'][number];

export function createRuntimeSettings(settings: SettingsRepository) {
  return {
    async get<N extends RuntimeSettingName>(name: N): Promise<RuntimeSettingValue<N>> {
      const setting = RUNTIME_SETTINGS[name];
      const stored = await settings.get(setting.key);
      const known = (setting.values as readonly string[]).includes(stored ?? '');
      return known ? (stored as RuntimeSettingValue<N>) : setting.missing;
    },
    async set<N extends RuntimeSettingName>(name: N, value: RuntimeSettingValue<N>): Promise<void> {
      await settings.set(RUNTIME_SETTINGS[name].key, value);
    },
  };
}

export type RuntimeSettings = ReturnType<typeof createRuntimeSettings>;
