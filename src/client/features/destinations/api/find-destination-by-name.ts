import type { Destination } from '../../../../shared/destination-schemas.ts';
import { api } from '../../../lib/api-client.ts';

/** The destination already using `name` (names are unique regardless of case), or null. */
export async function findDestinationByName(name: string): Promise<Destination | null> {
  const [found] = await api<Destination[]>(`/api/v1/destinations?name=${encodeURIComponent(name)}`);
  return found ?? null;
}
