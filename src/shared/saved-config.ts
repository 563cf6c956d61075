import type { Provider } from './providers.ts';
import { checkS3Config, type CheckOptions, type ConfigIssue, type S3Config } from './s3-config.ts';

/** What the browser knows of a saved connector: never the secret or token, only whether there is one. */
export type SavedConnector = {
  config: Omit<S3Config, 'secret' | 'token'> & { has_secret: boolean; has_token: boolean; provider?: Provider; token_saved_at?: string | null };
};

// Stand-ins for saved secrets while the browser validates: shaped to pass the field rules, never sent.
const KEPT_SECRET = 'KeptSecretKeptSecretKeptSecretKeptSecret';
const KEPT_TOKEN = 'KeptToken';

/** The saved config with stand-ins where a secret or token is stored. */
export function withStandIns(saved: SavedConnector): S3Config {
  const { has_secret: hasSecret, has_token: hasToken, provider: _provider, token_saved_at: _savedAt, ...config } = saved.config;
  return { ...config, secret: hasSecret ? KEPT_SECRET : null, token: hasToken ? KEPT_TOKEN : null };
}

/**
 * What is wrong with a connector as it is saved (a rule added since, or a server setting changed): the shared field
 * rules over its saved config. Zod-free, so the detail page can say it without loading the form's code.
 */
export function savedConfigIssues(saved: SavedConnector, options: CheckOptions): ConfigIssue[] {
  return checkS3Config(withStandIns(saved), options).issues;
}
