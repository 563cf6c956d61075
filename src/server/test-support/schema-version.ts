import fs from 'node:fs';
import { MIGRATIONS_DIR } from '../store/db.ts';

/** The schema version the app migrates to: the number of its last migration file. */
export const SCHEMA_VERSION = Math.max(...fs.readdirSync(MIGRATIONS_DIR).map((name) => Number.parseInt(name, 10) || 0));
