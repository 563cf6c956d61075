import type { Sql } from '../../src/server/store/sql.ts';
import type { TestApp } from '../../src/server/test-support/test-app.ts';

/**
 * Fills the store with `n` connectors: one made through the API from `body` (the template), and `n - 1` copied from
 * its row by one statement (a series joined to the template row), each with its own name and the list columns that
 * follow from it. The copies hold the template's sealed secret, which only the template's id decrypts: they list,
 * they cannot be checked. Returns the template's id.
 */
export async function fillLike(t: TestApp, n: number, body: object): Promise<string> {
  const made = await t.request({ method: 'POST', url: '/api/v1/destinations', body });
  if (made.statusCode !== 200) throw new Error(`the template connector answered ${made.statusCode}`);
  const template = made.json().id as string;
  await copyConnector(t.store.db, template, n - 1);
  return template;
}

/** Adds `copies` rows copied from the connector `template` (see fillLike), in one statement. */
export async function copyConnector(db: Sql, template: string, copies: number): Promise<void> {
  const columns = (
    await db.all<{ name: string }>(
      db.dialect === 'postgres'
        ? "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'destinations' ORDER BY ordinal_position"
        : "SELECT name FROM pragma_table_info('destinations')",
    )
  ).map((row) => row.name);
  // Each row its own name, and the list columns that follow from it (list-columns.ts), as the app would write them.
  const rest = columns.filter((column) => !['id', 'name', 'created_at', 'updated_at', 'external_id', 'name_key', 'search_text'].includes(column));
  const pg = db.dialect === 'postgres';
  const id = pg ? "lpad(to_hex(g), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(g), 12, '0')" : "printf('%08x-0000-4000-8000-%012x', g, g)";
  const at = pg
    ? "to_char(timestamp '2026-01-01' + g * interval '1 second', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    : "strftime('%Y-%m-%dT%H:%M:%S.000Z', '2026-01-01', '+' || g || ' seconds')";
  const series = pg ? 'generate_series(1, $2) AS s(g)' : 'seq';
  const prefix = pg ? '' : 'WITH RECURSIVE seq(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM seq WHERE g < $2) ';
  const newline = pg ? 'chr(10)' : 'char(10)';
  await db.run(
    `${prefix}INSERT INTO destinations (id, name, created_at, updated_at, name_key, search_text, ${rest.join(', ')})
     SELECT ${id}, 'Connector ' || g, ${at}, ${at}, 'connector ' || g, 'connector ' || g || ${newline} || d.remote_url || ${newline} || COALESCE(d.endpoint_url, ''),
            ${rest.map((column) => `d.${column}`).join(', ')}
       FROM ${series}, destinations d WHERE d.id = $1`,
    [template, copies],
  );
  // PostgreSQL's autovacuum analyzes a table this changed within a minute or so; the bench measures at once, so it
  // analyzes now, as a database that had been running would have (without statistics the planner read every row a
  // broad q matches through the trigram index: 119 ms at 100,000, against a walk of the order stopping at 51 rows).
  if (pg) await db.exec('ANALYZE destinations');
}
