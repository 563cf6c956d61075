import { readdirSync } from 'node:fs';
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

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'reports/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.{js,mjs}'], languageOptions: { globals: { ...globals.node } } },
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    languageOptions: { globals: { ...globals.node } },
    rules: {
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
