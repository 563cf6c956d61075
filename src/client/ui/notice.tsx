import type { HTMLAttributes } from 'react';

/** What a notice or banner says about what happened, by colour (notice.css), always in words too. */
export type NoticeTone = 'error' | 'warning' | 'success' | 'info';

type Props = HTMLAttributes<HTMLElement> & { tone: NoticeTone; as?: 'p' | 'div' | 'ul' };

/**
 * A message in the flow of a screen or dialog: an error (say it with role="alert"), a warning, a success or a note.
 * The app's one notice; `as` keeps the element its content needs (a list, several paragraphs).
 */
export function Notice({ tone, as: Tag = 'p', className, ...props }: Props) {
  return <Tag className={['notice', `notice-${tone}`, className].filter(Boolean).join(' ')} {...props} />;
}

/** A message about the whole screen, above its content (credentials needing attention, a lost live connection). */
export function Banner({ tone, as: Tag = 'div', className, ...props }: Props) {
  return <Tag className={['banner', `banner-${tone}`, className].filter(Boolean).join(' ')} {...props} />;
}
