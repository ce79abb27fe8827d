import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nodeHttpFetch } from '../../../../../src/core/forges/github/nodeHttpFetch';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A real HTTP server on a free port that records each request and answers with `handler`. */
async function serve(handler: (request: IncomingMessage, response: ServerResponse, base: string) => void): Promise<{ base: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  let base = '';
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      handler(request, response, base);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return { base, seen, server };
}

/**
 * The CLI's fetch over node:http (issue 14: Node's fetch compiled its HTTP client on first use). It must do
 * what the GitHub transport and Octokit rely on — and carry a token to no other host on a redirect.
 */
describe('nodeHttpFetch', () => {
  const servers: Server[] = [];
  after(() => { for (const server of servers) server.close(); });

  it('sends the method, headers and body, and answers status, headers (any case), text and JSON', async () => {
    const { base, seen, server } = await serve((_request, response) => {
      response.writeHead(201, 'Created', { 'content-type': 'application/json; charset=utf-8', etag: '"abc"', 'x-ratelimit-remaining': '4999' });
      response.end('{"ok":true,"text":"é"}');
    });
    servers.push(server);
    const answer = await nodeHttpFetch(`${base}/repos/o/r/issues?per_page=1`, { method: 'post', headers: { Authorization: 'token t', 'Content-Type': 'application/json' }, body: '{"title":"é"}' });
    assert.equal(answer.status, 201);
    assert.equal(answer.statusText, 'Created');
    assert.equal(answer.url, `${base}/repos/o/r/issues?per_page=1`);
    assert.equal(answer.headers.get('ETag'), '"abc"');
    assert.equal(Object.fromEntries(answer.headers)['x-ratelimit-remaining'], '4999');
    assert.deepEqual(await answer.json(), { ok: true, text: 'é' });
    assert.equal(seen[0]?.method, 'POST');
    assert.equal(seen[0].headers.authorization, 'token t');
    assert.equal(seen[0].body, '{"title":"é"}');
    assert.equal(seen[0].headers['content-length'], String(Buffer.byteLength('{"title":"é"}')));
  });

  it('keeps a binary body byte for byte', async () => {
    const bytes = Buffer.from([0, 255, 0xc3, 0x28, 10, 128]);
    const { base, server } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(bytes);
    });
    servers.push(server);
    const answer = await nodeHttpFetch(`${base}/raw`);
    assert.deepEqual(Buffer.from(await answer.arrayBuffer()), bytes);
  });

  it('follows a redirect on the same host with the token, and drops the token when the redirect leaves the host', async () => {
    const other = await serve((_request, response) => { response.writeHead(200, { 'content-type': 'text/plain' }); response.end('elsewhere'); });
    servers.push(other.server);
    const { base, seen, server } = await serve((request, response, self) => {
      if (request.url === '/moved') response.writeHead(301, { location: `${self}/renamed` }).end();
      else if (request.url === '/renamed') response.writeHead(302, { location: `${other.base}/signed?x=1` }).end();
      else response.writeHead(404).end();
    });
    servers.push(server);
    const answer = await nodeHttpFetch(`${base}/moved`, { headers: { authorization: 'token secret' } });
    assert.equal(answer.status, 200);
    assert.equal(await answer.text(), 'elsewhere');
    assert.equal(answer.url, `${other.base}/signed?x=1`);
    assert.equal(seen[1]?.headers.authorization, 'token secret', 'same host: the token goes on');
    assert.equal(other.seen[0]?.headers.authorization, undefined, 'another host never gets the token');
  });

  it('a 303 becomes a GET without a body; redirect "manual" hands the 3xx back; "error" and loops fail', async () => {
    const { base, seen, server } = await serve((request, response, self) => {
      if (request.url === '/see-other') response.writeHead(303, { location: '/done' }).end();
      else if (request.url === '/loop') response.writeHead(302, { location: `${self}/loop` }).end();
      else response.writeHead(200).end('done');
    });
    servers.push(server);
    const answer = await nodeHttpFetch(`${base}/see-other`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
    assert.equal(await answer.text(), 'done');
    assert.equal(seen[1]?.method, 'GET');
    assert.equal(seen[1].body, '');
    assert.equal((await nodeHttpFetch(`${base}/see-other`, { redirect: 'manual' })).status, 303);
    await assert.rejects(nodeHttpFetch(`${base}/see-other`, { redirect: 'error' }), TypeError);
    await assert.rejects(nodeHttpFetch(`${base}/loop`), /too many redirects/);
  });

  it('an abort (the transport\'s timeout) ends the request with the signal\'s reason', async () => {
    const { base, server } = await serve(() => undefined); // never answers
    servers.push(server);
    await assert.rejects(nodeHttpFetch(`${base}/slow`, { signal: AbortSignal.timeout(50) }), (error: unknown) => error instanceof Error && error.name === 'TimeoutError');
    server.closeAllConnections();
  });

  it('a refused connection rejects', async () => {
    const { base, server } = await serve(() => undefined);
    await new Promise(resolve => server.close(resolve));
    await assert.rejects(nodeHttpFetch(`${base}/gone`), (error: unknown) => error instanceof Error && error.message.includes('ECONNREFUSED'));
  });
});
