import net from 'node:net';

export type RawResponse = { status: number; headers: Record<string, string>; body: string };

/**
 * One HTTP/1.1 request written byte for byte, so the request target reaches the server exactly as given (an HTTP
 * client or `inject` would normalise `/./`, `//` or an absolute-form target first).
 */
export function rawRequest(port: number, method: string, target: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const lines = [`${method} ${target} HTTP/1.1`];
    const all: Record<string, string> = { host: `127.0.0.1:${port}`, connection: 'close', ...headers };
    if (body !== undefined) all['content-length'] = String(Buffer.byteLength(body));
    for (const [name, value] of Object.entries(all)) lines.push(`${name}: ${value}`);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine = '', ...headerLines] = text.slice(0, split).split('\r\n');
      const parsed: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        parsed[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers: parsed, body: text.slice(split + 4) });
    });
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`);
  });
}
