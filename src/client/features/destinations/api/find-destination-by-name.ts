import type { Destination } from '#shared/destination-schemas';
import { api } from '#client/lib/api-client.ts';

/** The destination already using `name` (names are unique regardless of case), or null. */
export async function findDestinationByName(name: string): Promise<Destination | null> {
  const [found] = await api<Destination[]>(`/api/v1/destinations?name=${encodeURIComponent(name)}`);
  return found ?? null;
}
