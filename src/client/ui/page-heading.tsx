import { useEffect, useRef, type ReactNode } from 'react';
import './page-heading.css';

let firstPage = true;

/**
 * The page's h1, which also names the document. After a client-side navigation it takes focus, so screen reader and
 * keyboard users start on the new page instead of on the link they used.
 */
export function PageHeading({ title, id, children }: { title: string; id?: string; children?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · S3 destinations`;
    if (firstPage) firstPage = false;
    else ref.current?.focus();
  }, [title]);
  return (
    <h1 ref={ref} id={id} tabIndex={-1} className="page-heading">
      {children ?? title}
    </h1>
  );
}
