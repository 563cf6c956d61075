/**
 * What AWS's AccessDenied message says about which policy refused a request (IAM User Guide, "Troubleshooting access
 * denied error messages"; S3 User Guide, "Troubleshoot access denied (403 Forbidden) errors"):
 *   User: <arn> is not authorized to perform: <action> on resource: "<arn>" because no <type> policy allows the <action> action
 *   User: <arn> is not authorized to perform: <action> on resource: "<arn>" with an explicit deny in a <type> policy
 * The message itself is never kept or shown; only this reading of it.
 */
export const DENYING_POLICIES = [
  'identity-based',
  'resource-based',
  'service control',
  'resource control',
  'permissions boundary',
  'session',
  'VPC endpoint',
] as const;
export type DenyingPolicy = (typeof DENYING_POLICIES)[number];
export type Denial = { explicit: boolean; policy: DenyingPolicy };

const EXPLICIT = /with an explicit deny in an? ([A-Za-z -]{1,40}?) policy/;
const IMPLICIT = /because no ([A-Za-z -]{1,40}?) policy allows/;

export function parseAccessDenied(message: string | undefined): Denial | null {
  if (!message) return null;
  const text = message.slice(0, 2_000);
  const explicit = EXPLICIT.exec(text);
  const match = explicit ?? IMPLICIT.exec(text);
  const type = match?.[1]?.trim().toLowerCase();
  const policy = DENYING_POLICIES.find((known) => known.toLowerCase() === type);
  return policy ? { explicit: explicit !== null, policy } : null;
}
