/** The list's orders and filters (`GET /api/v1/destinations`): zod-free, so the list screen can name them without the schemas. */
export const LIST_SORTS = ['name', '-name', 'last_check', '-last_check', 'expires_at', '-expires_at'] as const;
export type ListSort = (typeof LIST_SORTS)[number];
export const LIST_STATUSES = ['failing', 'passing', 'untested'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];
export const LIST_CREDENTIALS = ['expired', 'expiring', 'ok'] as const;
export type ListCredentials = (typeof LIST_CREDENTIALS)[number];

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
