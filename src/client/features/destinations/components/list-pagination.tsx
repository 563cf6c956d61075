import type { DestinationsPage } from '../api/get-destinations.ts';
import { listUrl, PAGE_SIZE, type ListQuery } from '../lib/list-query.ts';
import { ButtonLink, buttonClass } from '#client/ui/button.tsx';

/** "51–100 of 1,234 connectors.", or the whole count when one page holds them. */
export function countLine(pageNumber: number, shown: number, total: number, atLeast: boolean): string {
  if (total === 0) return 'No connectors.';
  const first = (pageNumber - 1) * PAGE_SIZE + 1;
  const last = first + shown - 1;
  const of = `${atLeast ? 'over ' : ''}${total.toLocaleString('en')} connector${total === 1 ? '' : 's'}`;
  return shown === total ? `${of}.` : `${first.toLocaleString('en')}–${last.toLocaleString('en')} of ${of}.`;
}

/** A paging button: a link to the page, or — none that way — the same button, disabled. */
function PageLink({ to, label, rel }: { to: string | null; label: string; rel?: 'next' | 'prev' }) {
  return to ? (
    <ButtonLink to={to} size="small" rel={rel}>
      {label}
    </ButtonLink>
  ) : (
    <span className={buttonClass({ size: 'small' })} aria-disabled="true">
      {label}
    </span>
  );
}

/**
 * First, Previous, "Page n of m" and Next, by the cursors of the server's Link header; shown when there is more than
 * one page. `shownPage` is 1 on the first page, whatever the URL says (a page reached backwards can be the first).
 */
export function ListPagination({ page, query, shownPage }: { page: DestinationsPage; query: ListQuery; shownPage: number }) {
  if (!page.nextCursor && !page.prevCursor) return null;
  return (
    <nav className="pagination" aria-label="Pages of destinations">
      <PageLink to={page.prevCursor ? listUrl({ ...query, cursor: null, page: 1 }) : null} label="First page" />
      <PageLink
        to={page.prevCursor ? listUrl({ ...query, cursor: page.prevCursor, page: Math.max(1, shownPage - 1) }) : null}
        label="Previous page"
        rel="prev"
      />
      <span>
        Page {shownPage.toLocaleString('en')} of {Math.max(1, Math.ceil(page.total / PAGE_SIZE)).toLocaleString('en')}
        {page.totalAtLeast ? '+' : ''}
      </span>
      <PageLink to={page.nextCursor ? listUrl({ ...query, cursor: page.nextCursor, page: shownPage + 1 }) : null} label="Next page" rel="next" />
    </nav>
  );
}
