/**
 * The V8 flags the server runs with (`npm start` passes them; a supervisor running `node dist/server/main.js` should
 * too). They must be on the command line or in NODE_OPTIONS: V8 sizes its heap when the process starts, and
 * `v8.setFlagsFromString` afterwards changes nothing.
 *
 * `--max-semi-space-size=16`: Node 24's young generation grows to 64 MB a semi-space (new space 134 MB, measured here)
 * under allocation-heavy work such as streaming the whole list, and the pages it touched stay resident: after one
 * unpaged list of 100,000 connectors the server's RSS stood 36 MB higher for good (docs/benchmarks-scale.md). At 16 MB
 * (Node 20's ceiling) it rose 2 MB, and the list streamed no slower (513 ms against 533 ms).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=16'] as const;

/** The flags of SERVER_NODE_FLAGS this process was started without (its own arguments and NODE_OPTIONS). */
export function missingNodeFlags(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): string[] {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].map((flag) => flag.split('=')[0]?.replace(/_/g, '-'));
  return SERVER_NODE_FLAGS.filter((flag) => !given.includes(flag.split('=')[0]));
}
