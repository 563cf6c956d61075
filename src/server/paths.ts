import path from 'node:path';

/**
 * Where the app's own files are, whether it runs compiled (dist/server/paths.js) or from source through tsx in
 * development (src/server/paths.ts): both sit two levels below the project root.
 */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
/** The browser app as `npm run build` makes it. */
export const CLIENT_DIR = path.join(PROJECT_ROOT, 'dist', 'client');
