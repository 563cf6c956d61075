import { credentialsState } from '#shared/credentials';
import type { Destination } from '#shared/destination-schemas';
import type { ReactNode } from 'react';
import { formatWhen, relativeTime } from '#client/ui/relative-time.ts';
import { useNow } from '#client/ui/use-now.ts';
import './credentials-badge.css';
import { Badge, type Tone } from '#client/ui/badge.tsx';

export const METHOD_LABEL: Record<Destination['credentials']['method'], string> = {
  access_key: 'Access key',
  temporary: 'Temporary (STS)',
  anonymous: 'Anonymous',
  ambient: 'Server credentials',
  iam_role: 'IAM role',
};
export const URGENT_WITHIN_MS = 60 * 60 * 1000;

/** The state of the credentials now, by the shared expiry function, with the browser's urgency under an hour. */
export function credentialsNow(credentials: Destination['credentials'], now: number) {
  const state = credentialsState({
    method: credentials.method,
    expiresAt: credentials.expires_at,
    savedAt: credentials.saved_at,
    expiredByCheck: credentials.expired_by_check,
    now: new Date(now),
  });
  const left = credentials.expires_at ? Date.parse(credentials.expires_at) - now : null;
  return { state, urgent: state === 'expiring' && left !== null && left <= URGENT_WITHIN_MS };
}

function label(credentials: Destination['credentials'], now: number): { text: ReactNode; tone: Tone } | null {
  const { state, urgent } = credentialsNow(credentials, now);
  const at = credentials.expires_at;
  // The expiry as a <time> (the exact moment on hover), inside the sentence that says what it means.
  const when = at ? (
    <time dateTime={at} title={formatWhen(at)}>
      {relativeTime(at, now)}
    </time>
  ) : null;
  switch (state) {
    case 'ok':
      return { text: <>Expires {when}</>, tone: 'ok' };
    case 'expiring':
      return { text: <>Expires {when}</>, tone: urgent ? 'danger' : 'warning' };
    case 'expired':
      return { text: when && Date.parse(at ?? '') <= now ? <>Expired {when}</> : 'Expired', tone: 'danger' };
    case 'unknown':
      return { text: 'Expiry unknown', tone: 'neutral' };
    case 'not_applicable':
      return null;
  }
}

/** A badge that moves on by itself (every 30 s) and turns urgent under an hour. */
export function CredentialsBadge({ credentials, showMethod = true }: { credentials: Destination['credentials']; showMethod?: boolean }) {
  const now = useNow(30_000);
  const state = label(credentials, now);
  return (
    <span className="credentials">
      {showMethod && <span>{METHOD_LABEL[credentials.method]}</span>}
      {state && <Badge tone={state.tone}>{state.text}</Badge>}
    </span>
  );
}
