import { useEffect, useRef, useState } from 'react';
import type { ConnectionCheck } from '#shared/check-schemas';

/**
 * The live state of a check from the server's event stream (no timed polling): every step change as it happens;
 * the stream closes itself when the check has its outcome. Key the component by check id to follow another check.
 */
export function useCheckEvents(initial: ConnectionCheck, onFinished?: (check: ConnectionCheck) => void) {
  const [streamed, setStreamed] = useState<ConnectionCheck>(initial);
  const [connectionLost, setConnectionLost] = useState(false);
  const finished = useRef(onFinished);
  useEffect(() => {
    finished.current = onFinished;
  });
  const startedRunning = useRef(initial.status === 'SCHEDULED');
  const { id } = initial;

  useEffect(() => {
    if (!startedRunning.current) return;
    const source = new EventSource(`/api/v1/connection-checks/${id}/events`);
    source.addEventListener('check', (event) => {
      const next = JSON.parse((event as MessageEvent<string>).data) as ConnectionCheck;
      setStreamed(next);
      setConnectionLost(false);
      if (next.status !== 'SCHEDULED') {
        source.close();
        finished.current?.(next);
      }
    });
    // EventSource reconnects by itself; say so while it does.
    source.onerror = () => setConnectionLost(source.readyState !== EventSource.CLOSED);
    return () => source.close();
  }, [id]);

  // A refetch may bring the outcome before the stream does: the finished state wins.
  const check = streamed.status === 'SCHEDULED' && initial.status !== 'SCHEDULED' ? initial : streamed;
  return { check, connectionLost: connectionLost && check.status === 'SCHEDULED' };
}
