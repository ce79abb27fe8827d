import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gitEnvironment } from './gitRunner';

/** `/<owner>/<repo>.git/<service path>`: what git's smart (and dumb) HTTP clients ask for. */
const gitPath = /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/.+)$/;

export interface GitRequestTarget {
  readonly owner: string;
  readonly repo: string;
  /** The part after the repository: `info/refs`, `git-upload-pack`, ... */
  readonly service: string;
}

export function parseGitPath(pathname: string): GitRequestTarget | undefined {
  const match = gitPath.exec(pathname);
  if (match === null) return undefined;
  return { owner: decodeURIComponent(match[1]!), repo: decodeURIComponent(match[2]!), service: match[3]! };
}

/**
 * Serves one git HTTP request with `git http-backend` (CGI): the request body goes to its stdin, its
 * CGI headers become the response's. Resolves with the status sent once the response is complete.
 */
export function serveGitHttp(request: IncomingMessage, response: ServerResponse, options: {
  readonly projectRoot: string;
  /** `/<owner>/<repo>.git/<service>` below the project root. */
  readonly pathInfo: string;
  readonly query: string;
}): Promise<number> {
  return new Promise(resolve => {
    const header = (name: string): string => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value ?? '';
    };
    const child = spawn('git', ['http-backend'], {
      env: gitEnvironment({
        GIT_PROJECT_ROOT: options.projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: options.pathInfo,
        QUERY_STRING: options.query,
        REQUEST_METHOD: request.method ?? 'GET',
        CONTENT_TYPE: header('content-type'),
        ...(request.headers['content-length'] === undefined ? {} : { CONTENT_LENGTH: header('content-length') }),
        HTTP_CONTENT_ENCODING: header('content-encoding'),
        HTTP_GIT_PROTOCOL: header('git-protocol'),
        REMOTE_USER: 'fake-github',
        REMOTE_ADDR: '127.0.0.1',
        GATEWAY_INTERFACE: 'CGI/1.1',
      }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    request.pipe(child.stdin);
    child.stdin.on('error', () => undefined);
    let status = 200;
    let buffered = Buffer.alloc(0);
    let headersSent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        response.write(chunk);
        return;
      }
      buffered = Buffer.concat([buffered, chunk]);
      const end = headerEnd(buffered);
      if (end === undefined) return;
      const headers: Record<string, string> = {};
      for (const line of buffered.subarray(0, end.at).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
        else headers[name] = value;
      }
      response.writeHead(status, headers);
      headersSent = true;
      const rest = buffered.subarray(end.at + end.length);
      if (rest.length > 0) response.write(rest);
    });
    child.stderr.resume();
    child.on('close', () => {
      if (!headersSent) {
        status = 500;
        response.writeHead(500, { 'content-type': 'text/plain' });
      }
      response.end(() => {
        resolve(status);
      });
    });
  });
}

function headerEnd(buffer: Buffer): { readonly at: number; readonly length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { at: crlf, length: 4 };
  if (lf >= 0) return { at: lf, length: 2 };
  return undefined;
}
