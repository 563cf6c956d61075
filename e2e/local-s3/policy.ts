/**
 * IAM policy evaluation as the local endpoint needs it, after AWS's policy evaluation logic (IAM User Guide, "Policy
 * evaluation logic", same-account requests): an explicit Deny in any policy wins; otherwise an Allow in the identity's
 * policy or in the bucket policy allows; otherwise the request is implicitly denied. Statements match on Action and
 * Resource with `*` and `?` wildcards (actions case-insensitively), on Principal in bucket policies, and on the
 * condition operators StringEquals, StringNotEquals, StringLike, StringNotLike and Null.
 */
export type Statement = {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  /** Absent in a role's trust policy: the resource is the role itself. */
  Resource?: string | string[];
  /** Bucket policies only: `*`, or the ARNs (or `*`) under `AWS`. */
  Principal?: '*' | { AWS: string | string[] };
  Condition?: Record<string, Record<string, string | string[]>>;
};
export type PolicyDocument = { Version: '2012-10-17'; Statement: Statement[] };

export type RequestContext = {
  action: string;
  resource: string;
  principalArn: string | null;
  /** Condition keys present in the request (s3:prefix, s3:x-amz-server-side-encryption…). */
  keys: Record<string, string | undefined>;
};

export type Decision = { allowed: true } | { allowed: false; explicit: boolean; policy: 'identity-based' | 'resource-based' };

const list = (value: string | string[]) => [value].flat();

function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'i' : '').test(value);
}

function conditionHolds(operator: string, key: string, expected: string[], keys: RequestContext['keys']): boolean {
  const actual = keys[key];
  switch (operator) {
    case 'StringEquals':
      return actual !== undefined && expected.includes(actual);
    case 'StringNotEquals':
      // A key absent from the request does not equal any value: the negated operator holds.
      return actual === undefined || !expected.includes(actual);
    case 'StringLike':
      return actual !== undefined && expected.some((pattern) => wildcard(pattern, actual));
    case 'StringNotLike':
      return actual === undefined || !expected.some((pattern) => wildcard(pattern, actual));
    case 'Null':
      return expected.includes(String(actual === undefined));
    default:
      throw new Error(`the local endpoint does not evaluate the condition operator ${operator}`);
  }
}

function matches(statement: Statement, request: RequestContext, checkPrincipal: boolean): boolean {
  if (!list(statement.Action).some((action) => wildcard(action, request.action, true))) return false;
  if (statement.Resource !== undefined && !list(statement.Resource).some((resource) => wildcard(resource, request.resource))) return false;
  if (checkPrincipal) {
    const principal = statement.Principal;
    const arns = principal === '*' ? ['*'] : principal ? list(principal.AWS) : [];
    if (!arns.some((arn) => arn === '*' || arn === request.principalArn)) return false;
  }
  return Object.entries(statement.Condition ?? {}).every(([operator, entries]) =>
    Object.entries(entries).every(([key, expected]) => conditionHolds(operator, key, list(expected), request.keys)),
  );
}

export function evaluate(request: RequestContext, identityPolicy: PolicyDocument | null, bucketPolicy: PolicyDocument | null): Decision {
  const identity = identityPolicy?.Statement ?? [];
  const bucket = bucketPolicy?.Statement ?? [];
  const denies = (statements: Statement[], principal: boolean) => statements.some((s) => s.Effect === 'Deny' && matches(s, request, principal));
  if (denies(identity, false)) return { allowed: false, explicit: true, policy: 'identity-based' };
  if (denies(bucket, true)) return { allowed: false, explicit: true, policy: 'resource-based' };
  const allows = (statements: Statement[], principal: boolean) => statements.some((s) => s.Effect === 'Allow' && matches(s, request, principal));
  if (allows(identity, false) || allows(bucket, true)) return { allowed: true };
  return { allowed: false, explicit: false, policy: 'identity-based' };
}

/** A policy allowing `actions` on `resources`: the shape of most test identities. */
export function allowing(actions: string[], resources: string[] = ['*']): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resources }] };
}
