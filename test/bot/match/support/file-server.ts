import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a route answers: a body (with or without Content-Length), a redirect, or no answer at all. */
export type FileRoute =
  | { body: string | Buffer; contentLength?: boolean; status?: number }
  | { redirect: string }
  | { stream: number }
  | { hang: true };

/** A file host on 127.0.0.1 standing in for SharePoint behind a Teams file attachment's downloadUrl. */
export async function startFileServer(routes: Record<string, FileRoute>) {
  const hits: string[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.push(path);
    const route = routes[path];
    if (!route) return void res.writeHead(404).end('not found');
    if ('hang' in route) return void open.add(res);
    if ('redirect' in route) return void res.writeHead(302, { location: route.redirect }).end();
    if ('stream' in route) {
      // No Content-Length: only counting while reading can stop it.
      res.writeHead(200, { 'content-type': 'text/csv' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let left = route.stream;
      const pump = () => {
        while (left > 0) {
          left -= chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      return pump();
    }
    const body = typeof route.body === 'string' ? Buffer.from(route.body) : route.body;
    const headers: Record<string, string | number> = { 'content-type': 'text/csv' };
    if (route.contentLength !== false) headers['content-length'] = body.length;
    res.writeHead(route.status ?? 200, headers);
    res.end(body);
  });
  // Every TCP connection, even one that never becomes an HTTP request (e.g. a TLS handshake).
  let connections = 0;
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    hits,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
