import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, as the server received them. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 and an OS-chosen port that records every request it receives. */
export async function startTestServer(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    handler(request, response);
  });
  return {
    url: await listenOnLoopback(server),
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(error => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}

/** Starts `server` on 127.0.0.1 (a free port unless `port` names one) and returns its base URL. */
export async function listenOnLoopback(server: Server, port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

export interface TlsTestServer extends TestServer {
  /** TCP connections accepted, whether or not a request followed (a TLS handshake alone counts). */
  connections(): number;
}

/**
 * A real HTTPS server on 127.0.0.1 with a throw-away self-signed certificate (made by `openssl` in
 * `directory`), recording every request and counting every connection. Clients must be told to accept the
 * certificate (`NODE_TLS_REJECT_UNAUTHORIZED=0`): it stands in for a server with a certificate they trust.
 */
export async function startTlsTestServer(directory: string, handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<TlsTestServer> {
  const key = join(directory, 'key.pem');
  const cert = join(directory, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const requests: RecordedRequest[] = [];
  let connections = 0;
  const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (request, response) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    handler(request, response);
  });
  server.on('connection', () => { connections++; });
  const url = (await listenOnLoopback(server)).replace(/^http:/, 'https:');
  return {
    url,
    requests,
    connections: () => connections,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close(error => {
        if (error) reject(error);
        else resolve();
      });
    }),
  };
}
