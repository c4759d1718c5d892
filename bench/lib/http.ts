import { request, type Agent } from 'node:http';

/** POST a JSON body to the local gateway as a game server (its key); resolves on 200, rejects with the status and body otherwise. */
export function postAsServer(
  agent: Agent,
  port: number,
  apiKey: string,
  path: string,
  body: unknown,
): Promise<void> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'x-server-key': apiKey,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}: ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
