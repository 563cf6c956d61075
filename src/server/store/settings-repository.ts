import type { Sql } from './sql.ts';

export function createSettingsRepository(db: Sql) {
  return {
    async get(key: string): Promise<string | null> {
      return (await db.get<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]))?.value ?? null;
    },
    async set(key: string, value: string): Promise<void> {
      await db.run('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
