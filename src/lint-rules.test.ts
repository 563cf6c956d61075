import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The import rules of eslint.config.js, run on code they must refuse or accept (decision 028).
const ROOT = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: ROOT });
const fixer = new ESLint({ cwd: ROOT, fix: true });

async function lint(file: string, code: string, engine = eslint) {
  const [result] = await engine.lintText(code, { filePath: path.join(ROOT, file) });
  return { messages: (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`), output: result?.output };
}

describe('the import rules', () => {
  it('refuse a climbing import into src/shared, and fix it to #shared/<name>', async () => {
    const file = 'src/client/features/users/components/example.tsx';
    const code = "import { ROLES } from '../../../../shared/roles.ts';\nexport const roles = ROLES;\n";
    expect((await lint(file, code)).messages).toEqual(['local/aliased-imports: Import src/shared as #shared/roles']);
    expect((await lint(file, code, fixer)).output).toContain("from '#shared/roles'");
    const server = await lint('src/server/routes/example.ts', "export { ROLES } from '../../shared/roles.ts';\n");
    expect(server.messages).toEqual(['local/aliased-imports: Import src/shared as #shared/roles']);
  });

  it('refuse a climbing import from one part of the browser app into another, and fix it to #client/<path>', async () => {
    const file = 'src/client/features/users/components/example.tsx';
    const code = "import { Button } from '../../../ui/button.tsx';\nexport const button = Button;\n";
    expect((await lint(file, code)).messages).toEqual(['local/aliased-imports: Import ui from features/users as #client/ui/button.tsx']);
    expect((await lint(file, code, fixer)).output).toContain("from '#client/ui/button.tsx'");
  });

  it('leave neighbours relative: inside src/shared, inside one feature, among server files', async () => {
    expect((await lint('src/shared/example.ts', "export { ROLES } from './roles.ts';\n")).messages).toEqual([]);
    const feature = "import { useUsers } from '../api/users.ts';\nexport const users = useUsers;\n";
    expect((await lint('src/client/features/users/components/example.tsx', feature)).messages).toEqual([]);
    expect((await lint('src/server/routes/example.ts', "export { HttpError } from '../errors.ts';\n")).messages).toEqual([]);
  });

  it('still hold the one-way rules through an alias: a feature may not import another, shared imports no client code', async () => {
    const feature =
      "import { DestinationsList } from '#client/features/destinations/components/destinations-list.tsx';\nexport const list = DestinationsList;\n";
    expect((await lint('src/client/features/users/components/example.tsx', feature)).messages).toEqual([
      expect.stringMatching(/^import-x\/no-restricted-paths: .*Features never import each other$/),
    ]);
    const shared = "import { Button } from '#client/ui/button.tsx';\nexport const button = Button;\n";
    expect((await lint('src/shared/example.ts', shared)).messages).toEqual([
      expect.stringMatching(/^import-x\/no-restricted-paths: .*src\/shared is pure/),
    ]);
  });
});
