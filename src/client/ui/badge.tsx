import type { ReactNode } from 'react';

/** What a badge says about its subject, by colour (badge.css), always with words beside it: never colour alone. */
export type Tone = 'ok' | 'warning' | 'danger' | 'neutral';

/** A short status word ("Passed", "Expired", "Admin"): the app's one badge. */
export function Badge({ tone, title, children }: { tone: Tone; title?: string | undefined; children: ReactNode }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
