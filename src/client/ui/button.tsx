import type { AnchorHTMLAttributes, ButtonHTMLAttributes } from 'react';
import { Link } from '#client/lib/router.tsx';

/**
 * The app's one button look (button.css), for buttons and for links that act as buttons: `primary` for the one main
 * action of a screen, `danger` for a destructive one confirmed in a dialog, `danger-quiet` for a destructive one that
 * asks first, `quiet` for one that should not draw the eye; `small` in rows and steps; `wide` fills its column.
 */
export type ButtonLook = { variant?: 'default' | 'primary' | 'quiet' | 'danger' | 'danger-quiet'; size?: 'normal' | 'small'; wide?: boolean };

export const buttonClass = ({ variant = 'default', size = 'normal', wide = false }: ButtonLook, extra?: string) =>
  ['button', variant === 'default' ? null : `button-${variant}`, size === 'small' ? 'button-small' : null, wide ? 'button-wide' : null, extra]
    .filter(Boolean)
    .join(' ');

/** A `<button>`, `type="button"` unless said otherwise (a form's submit says so). */
export function Button({ variant, size, wide, className, type = 'button', ...props }: ButtonHTMLAttributes<HTMLButtonElement> & ButtonLook) {
  return <button type={type} className={buttonClass({ variant, size, wide }, className)} {...props} />;
}

/** A link inside the app (the router's), drawn as a button. */
export function ButtonLink({ variant, size, wide, className, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string } & ButtonLook) {
  return <Link className={buttonClass({ variant, size, wide }, className)} {...props} />;
}
