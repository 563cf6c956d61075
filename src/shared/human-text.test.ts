import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { ApiKeyCreateSchema } from './api-key-schemas.ts';
import { NameSchema } from './destination-schemas.ts';
import { HIDDEN_CHARACTERS_MESSAGE } from './human-text.ts';
import { UserInviteSchema } from './user-schemas.ts';
import { WebhookCreateSchema } from './webhook-schemas.ts';

// Every name a person types, through the schema that takes it.
const NAME_FIELDS: [string, (name: string) => z.ZodSafeParseResult<unknown>][] = [
  ['connector', (name) => NameSchema.safeParse(name)],
  ['webhook', (name) => WebhookCreateSchema.safeParse({ name, url: 'https://hooks.example.com/x' })],
  ['user', (name) => UserInviteSchema.safeParse({ email: 'ana@corp.example', name, role: 'viewer' })],
  ['API key', (name) => ApiKeyCreateSchema.safeParse({ name, role: 'viewer' })],
];

describe.each(NAME_FIELDS)('a %s name', (_, parse) => {
  it.each([
    ['a line break', 'two\nlines'],
    ['a tab', 'a\tb'],
    ['NUL', 'a\u0000b'],
    ['ESC', 'a\u001b[31mred'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a right-to-left override', 'invoice\u202efdp.exe'],
    ['a left-to-right mark', 'a\u200eb'],
    ['a right-to-left mark', 'a\u200fb'],
    ['a first-strong isolate', 'a\u2068b'],
    ['a pop directional isolate', 'a\u2069b'],
    ['a left-to-right embedding', 'a\u202ab'],
  ])('refuses %s', (_label, name) => {
    const result = parse(name);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toContain(HIDDEN_CHARACTERS_MESSAGE);
  });

  it('keeps letters of every script, emoji and punctuation', () => {
    expect(parse('Données — 東京 «prod» 🚀 (v2)').success).toBe(true);
  });
});
