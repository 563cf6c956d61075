import { Link } from '#client/lib/router.tsx';
import { PageHeading } from './page-heading.tsx';

/** A page for what is not there: says so, and leads back to the list. Nothing to try again. */
export function NotFound({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section>
      <PageHeading title={title} />
      <p>
        {children} <Link to="/destinations">Go to the destinations</Link>.
      </p>
    </section>
  );
}
