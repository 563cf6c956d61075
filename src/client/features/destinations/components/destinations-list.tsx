import { PageHeading } from '../../../ui/page-heading.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/status-message.tsx';
import { useDestinations } from '../api/get-destinations.ts';
import { CredentialsBadge } from './credentials-badge.tsx';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function endpointLabel(endpointUrl: string | null): string {
  if (endpointUrl === null) return 'Amazon S3';
  try {
    return new URL(endpointUrl).host;
  } catch {
    return endpointUrl;
  }
}

export function DestinationsList() {
  const destinations = useDestinations();
  return (
    <section aria-labelledby="destinations-heading">
      <div className="page-header">
        <PageHeading title="Destinations" id="destinations-heading" />
      </div>
      {destinations.isPending ? (
        <LoadingState label="Loading destinations…" />
      ) : destinations.isError ? (
        <ErrorState
          title="Couldn't load the destinations"
          message={destinations.error.message}
          onRetry={() => void destinations.refetch()}
        />
      ) : destinations.data.length === 0 ? (
        <EmptyState title="No destination connectors yet">
          <p className="muted">A destination connector tells your pipelines which S3 bucket to write to, and with which credentials.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Destination connectors, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Bucket URI</th>
                <th scope="col">Endpoint</th>
                <th scope="col">Credentials</th>
                <th scope="col">Last check</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {destinations.data.map((destination) => (
                <tr key={destination.id}>
                  <th scope="row">{destination.name}</th>
                  <td>
                    <code>{destination.config.remote_url}</code>
                  </td>
                  <td>{endpointLabel(destination.config.endpoint_url)}</td>
                  <td>
                    <CredentialsBadge credentials={destination.credentials} />
                  </td>
                  <td>
                    <span className="badge badge-neutral">Not tested</span>
                  </td>
                  <td>
                    <time dateTime={destination.updated_at}>{dateFormat.format(new Date(destination.updated_at))}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
