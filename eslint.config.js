import { readdirSync } from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The browser app's features, read from its folders (a new feature cannot be left out): each stands alone; what they
 * share lives in app/, lib/ and ui/.
 */
const FEATURES = readdirSync(new URL('./src/client/features/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const SRC = path.join(import.meta.dirname, 'src');
const SHARED = path.join(SRC, 'shared');
const CLIENT = path.join(SRC, 'client');
/** The part of the browser app a file belongs to: ui, lib, app, test-support or one feature (features/users). */
const clientPart = (file) => {
  const [first, second] = path.relative(CLIENT, file).split(path.sep);
  return first === 'features' ? `features/${second}` : first;
};
const inside = (dir, file) => file.startsWith(dir + path.sep);

/**
 * Imports that leave their part of the project go through the package's aliases (package.json `imports`, decision 028):
 * src/shared as `#shared/<name>` (no extension: the compiled server's dist/package.json maps it to dist/shared), another
 * part of the browser app as `#client/<path>`. Relative paths stay for neighbours. It fixes what it reports.
 */
const aliasedImports = {
  meta: { type: 'suggestion', fixable: 'code', schema: [], messages: { alias: 'Import {{where}} as {{alias}}' } },
  create(context) {
    const check = (source) => {
      if (source?.type !== 'Literal' || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const file = context.filename;
      const target = path.resolve(path.dirname(file), source.value);
      let alias = null;
      let where = '';
      if (inside(SHARED, target) && !inside(SHARED, file) && target.endsWith('.ts')) {
        alias = `#shared/${path.relative(SHARED, target).split(path.sep).join('/').replace(/\.ts$/, '')}`;
        where = 'src/shared';
      } else if (inside(CLIENT, target) && inside(CLIENT, file) && clientPart(target) !== clientPart(file)) {
        alias = `#client/${path.relative(CLIENT, target).split(path.sep).join('/')}`;
        where = `${clientPart(target)} from ${clientPart(file)}`;
      }
      if (alias === null) return;
      context.report({
        node: source,
        messageId: 'alias',
        data: { where, alias },
        fix: (fixer) => fixer.replaceText(source, `'${alias}'`),
      });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'reports/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.{js,mjs}'], languageOptions: { globals: { ...globals.node } } },
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX, local: { rules: { 'aliased-imports': aliasedImports } } },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'local/aliased-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['warn'] }],
      // One-way imports: client → shared, server → shared; shared imports neither; the client never imports the server.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src/shared', from: './src/client', message: 'src/shared is pure: it imports neither client nor server' },
            { target: './src/shared', from: './src/server', message: 'src/shared is pure: it imports neither client nor server' },
            { target: './src/client', from: './src/server', message: 'The browser app never imports server code' },
            { target: './src/server', from: './src/client', message: 'The server never imports browser code' },
          ],
        },
      ],
      // The list route stays light: the namespace import lets bundlers drop zod's locales.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier",
          message: "Use import * as z from 'zod': named imports pull in every locale",
        },
      ],
    },
  },
  {
    files: ['src/client/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Features never import each other; shared pieces live in app/, lib/ and ui/.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src/client', from: './src/server', message: 'The browser app never imports server code' },
            ...FEATURES.flatMap((feature) =>
              FEATURES.filter((other) => other !== feature).map((other) => ({
                target: `./src/client/features/${feature}`,
                from: `./src/client/features/${other}`,
                message: 'Features never import each other',
              })),
            ),
            { target: './src/client/features', from: './src/client/app', message: 'Features do not import the app shell' },
          ],
        },
      ],
    },
  },
);
