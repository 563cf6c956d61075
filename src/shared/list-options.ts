/** The list's orders and filters (`GET /api/v1/destinations`): zod-free, so the list screen can name them without the schemas. */
export const LIST_SORTS = ['name', '-name', 'last_check', '-last_check', 'expires_at', '-expires_at'] as const;
export type ListSort = (typeof LIST_SORTS)[number];
export const LIST_STATUSES = ['failing', 'passing', 'untested'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];
export const LIST_CREDENTIALS = ['expired', 'expiring', 'ok'] as const;
export type ListCredentials = (typeof LIST_CREDENTIALS)[number];

/**
 * The list's filters, one entry each: the query parameter (its name), the values it takes (several, comma-separated),
 * what the API documents, the browser's control and a word for each value. Derived from it: the API's query schema
 * (destination-schemas.ts), the SQL (destination-list-sql.ts, whose FILTER_SQL the type makes name every value), the
 * next-page link, and the browser's URL, request and controls (list-query.ts, list-toolbar.tsx). A new filter is an
 * entry here, its predicate there, and their tests; tests walk every entry (the next-page link keeps each one).
 */
export const LIST_FILTERS = {
  status: {
    values: LIST_STATUSES,
    doc: 'The latest check: failing (FAILURE), passing (SUCCESS), untested (none yet); several separated by commas.',
    label: 'Last check',
    words: { failing: 'Failed', passing: 'Passed', untested: 'Not tested' },
  },
  credentials: {
    values: LIST_CREDENTIALS,
    doc: 'Temporary credentials that are expired, expiring (the last quarter of their lifetime) or ok; several separated by commas.',
    label: 'Credential expiry',
    words: { expired: 'Expired', expiring: 'Expiring', ok: 'Valid' },
  },
} as const satisfies { [name: string]: { values: readonly string[]; doc: string; label: string; words: Record<string, string> } };
export type ListFilterName = keyof typeof LIST_FILTERS;
export type ListFilterValue<K extends ListFilterName> = (typeof LIST_FILTERS)[K]['values'][number];
/** Each filter's values as the API parses them (absent: not filtered). */
export type ListFilterValues = { [K in ListFilterName]?: ListFilterValue<K>[] };
export const LIST_FILTER_NAMES = Object.keys(LIST_FILTERS) as ListFilterName[];

/** Unstructured's destination connector types (DestinationConnectorType): a list filtered by another one is empty. */
export const UNSTRUCTURED_DESTINATION_TYPES = [
  'azure',
  'astradb',
  'azure_ai_search',
  'couchbase',
  'databricks_volumes',
  'databricks_volume_delta_tables',
  'delta_table',
  'elasticsearch',
  'gcs',
  'kafka-cloud',
  'milvus',
  'mongodb',
  'motherduck',
  'neo4j',
  'onedrive',
  'opensearch',
  'pinecone',
  'postgres',
  'redis',
  'qdrant-cloud',
  's3',
  'snowflake',
  'weaviate-cloud',
  'ibm_watsonx_s3',
] as const;
