import { describe, expect, it } from 'vitest';
import { createRuntimeSettings } from './runtime-settings.ts';
import type { SettingsRepository } from './store/settings-repository.ts';

function memorySettings(rows: Record<string, string> = {}) {
  const table = new Map(Object.entries(rows));
  const repository: SettingsRepository = {
    get: async (key) => table.get(key) ?? null,
    set: async (key, value) => void table.set(key, value),
  };
  return { table, settings: createRuntimeSettings(repository) };
}

describe('runtime settings', () => {
  it('read what a missing row means until one is written, then what was written, under the row key of the setting', async () => {
    const { table, settings } = memorySettings();
    expect(await settings.get('passwordSignIn')).toBe('on');
    await settings.set('passwordSignIn', 'off');
    expect(table.get('password_sign_in')).toBe('off');
    expect(await settings.get('passwordSignIn')).toBe('off');
  });

  it('read a row holding none of its values as a missing one (password sign-in stays on: the way in is not lost)', async () => {
    const { settings } = memorySettings({ password_sign_in: 'OFF ' });
    expect(await settings.get('passwordSignIn')).toBe('on');
  });

  it('take only a value the setting names', async () => {
    const { settings } = memorySettings();
    // @ts-expect-error 'maybe' is not a value of passwordSignIn
    await settings.set('passwordSignIn', 'maybe');
    // @ts-expect-error there is no such setting
    await expect(settings.get('nonsense')).rejects.toThrow();
  });
});
