import type { Db } from './db.ts';

export function createSettingsRepository(db: Db) {
  const select = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
  const upsert = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  return {
    async get(key: string): Promise<string | null> {
      return (select.get(key) as string | undefined) ?? null;
    },
    async set(key: string, value: string): Promise<void> {
      upsert.run(key, value);
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
