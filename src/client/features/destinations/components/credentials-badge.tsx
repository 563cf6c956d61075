import type { Destination } from '../../../../shared/destination-schemas.ts';
import { useNow } from '../../../ui/use-now.ts';

const METHOD_LABEL: Record<Destination['credentials']['method'], string> = {
  access_key: 'Access key',
  temporary: 'Temporary (STS)',
  anonymous: 'Anonymous',
  ambient: 'Server credentials',
};

function relative(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

function stateLabel(credentials: Destination['credentials'], now: number): { text: string; tone: string } | null {
  const left = credentials.expires_at ? Date.parse(credentials.expires_at) - now : null;
  switch (credentials.state) {
    case 'ok':
      return { text: `Expires in ${relative(left ?? 0)}`, tone: 'ok' };
    case 'expiring':
      return { text: `Expires in ${relative(left ?? 0)}`, tone: 'warning' };
    case 'expired':
      return { text: left !== null && left < 0 ? `Expired ${relative(left)} ago` : 'Expired', tone: 'danger' };
    case 'unknown':
      return { text: 'Expiry unknown', tone: 'neutral' };
    case 'not_applicable':
      return null;
  }
}

export function CredentialsBadge({ credentials, showMethod = true }: { credentials: Destination['credentials']; showMethod?: boolean }) {
  const now = useNow(30_000);
  const state = stateLabel(credentials, now);
  return (
    <span className="credentials">
      {showMethod && <span>{METHOD_LABEL[credentials.method]}</span>}
      {state && <span className={`badge badge-${state.tone}`}>{state.text}</span>}
    </span>
  );
}
