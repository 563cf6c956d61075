import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/**
 * A small history router: the app has a handful of routes, and a router library would weigh more on the list route
 * than the rest of it together.
 */
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const currentLocation = () => `${window.location.pathname}${window.location.search}`;
const pathOf = (location: string) => new URL(location, 'http://localhost').pathname;
/** Another page, not the same one with other parameters (a wizard's step, a list's filters): only that is leaving. */
const leaves = (from: string, to: string) => pathOf(from) !== pathOf(to);

/** While set, leaving the page asks first (unsaved input). */
let blockerMessage: string | null = null;
let shownLocation = typeof window === 'undefined' ? '' : currentLocation();
const mayLeave = () => blockerMessage === null || window.confirm(blockerMessage);

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    // Back/forward cannot be cancelled: put the page back when the user chooses to stay.
    if (leaves(shownLocation, currentLocation()) && !mayLeave()) {
      window.history.pushState(null, '', shownLocation);
      return;
    }
    shownLocation = currentLocation();
  });
  window.addEventListener('beforeunload', (event) => {
    if (blockerMessage !== null) event.preventDefault();
  });
}

/** Asks before leaving while `message` is set; pass null to stop asking. */
export function useLeaveGuard(message: string | null) {
  useEffect(() => {
    blockerMessage = message;
    return () => {
      blockerMessage = null;
    };
  }, [message]);
}

export function navigate(to: string, options: { replace?: boolean; force?: boolean } = {}) {
  if (to === currentLocation()) return;
  if (leaves(currentLocation(), to)) {
    if (!options.force && !mayLeave()) return;
    blockerMessage = null;
  }
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  shownLocation = currentLocation();
  listeners.forEach((listener) => listener());
}

export function useLocation(): { pathname: string; search: URLSearchParams } {
  const location = useSyncExternalStore(subscribe, currentLocation);
  const url = new URL(location, window.location.origin);
  return { pathname: url.pathname, search: url.searchParams };
}

/** Params of `pattern` (`/destinations/:id`) in `pathname`, or null when it does not match. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/');
  const have = pathname.replace(/\/+$/, '').split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const actual = have[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(actual);
    else if (part !== actual) return null;
  }
  return params;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

export function Link({ to, onClick, ...props }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    // Let the browser handle new tabs, downloads and modified clicks.
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handleClick} {...props} />;
}
