import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './paths.ts';
import { misspelledSettings, SETTINGS } from './settings.ts';

describe('the settings', () => {
  it('are the ones the README documents: each named in its configuration tables or text, and no table names another', () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    // The first column of the tables' rows: `NAME`, or several `A` / `B`.
    const inTables = new Set(
      readme
        .split('\n')
        .filter((line) => /^\| `[A-Z][A-Z0-9_]+`/.test(line))
        .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1] as string)),
    );
    expect([...inTables].filter((name) => !(SETTINGS as readonly string[]).includes(name))).toEqual([]);
    expect(SETTINGS.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
    expect(inTables.size).toBeGreaterThan(35);
  });

  it.each([
    ['DATABSE_URL', 'DATABASE_URL'],
    ['APP_ENCRYPTON_KEY', 'APP_ENCRYPTION_KEY'],
    ['PUBLIC_ORGIN', 'PUBLIC_ORIGIN'],
    ['OIDC_ISUER', 'OIDC_ISSUER'],
    ['CHECK_TIMEOUT', 'CHECK_TIMEOUT_MS'],
    ['S3_ENDPOINT_ALLOW_LIST', 'S3_ENDPOINT_ALLOWLIST'],
  ])('takes %s for a mistake, meaning %s', (name, meant) => {
    expect(misspelledSettings({ [name]: 'x' })).toEqual([{ name, meant }]);
  });

  it('says nothing of the machine’s own variables, nor of its settings spelled right', () => {
    const env = {
      HOME: '/root',
      PATH: '/usr/bin',
      HOSTNAME: 'vm',
      USER: 'root',
      LANG: 'C.UTF-8',
      NODE_ENV: 'production',
      AWS_REGION: 'eu-west-1',
      PORT: '8080',
      DATABASE_URL: 'postgres://x',
    };
    expect(misspelledSettings(env)).toEqual([]);
  });
});
