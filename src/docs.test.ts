import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DIR = new URL('../docs/decisions/', import.meta.url);
const records = readdirSync(DIR)
  .filter((name) => /^\d{3}-.+\.md$/.test(name))
  .sort();
const read = (name: string) => readFileSync(new URL(name, DIR), 'utf8');
const statusOf = (name: string) => /^Date: (\d{4}-\d{2}-\d{2})\. Status: (.+)$/m.exec(read(name).split('\n')[2] ?? '');

describe('the decision records', () => {
  it('are numbered one after another', () => {
    expect(records.map((name) => Number(name.slice(0, 3)))).toEqual(records.map((_, i) => i + 1));
  });

  it('each give their date and status on the third line, under a title with their number', () => {
    for (const name of records) {
      expect(read(name).split('\n')[0], name).toMatch(new RegExp(`^# ${name.slice(0, 3)} — \\S`));
      expect(statusOf(name), name).not.toBeNull();
    }
  });

  it('each are in the index with their status', () => {
    const index = read('README.md');
    for (const name of records) {
      const status = (statusOf(name)?.[2] ?? '').split('. ')[0]?.replace(/\.$/, '');
      expect(index, name).toContain(`[${name.slice(0, 3)}](${name})`);
      expect(index, name).toContain(`| ${statusOf(name)?.[1]} | ${status} |`);
    }
  });

  it('mark a record another supersedes as superseded by it', () => {
    for (const name of records) {
      const superseded = /Supersedes (?:the [^.]*? of )?(\d{3})\b/.exec(statusOf(name)?.[2] ?? '')?.[1];
      if (!superseded) continue;
      const old = records.find((record) => record.startsWith(superseded));
      expect(old, name).toBeDefined();
      expect(statusOf(old ?? '')?.[2], `${old} is superseded by ${name}`).toMatch(new RegExp(`superseded (in part )?by ${name.slice(0, 3)}`));
    }
  });

  it('cite no document outside the repository', () => {
    for (const name of [...records, 'README.md']) expect(read(name), name).not.toMatch(/\.\.\/shared|design\.md/);
  });
});
