import assert from 'node:assert/strict';
import { hostScopedKey } from '../../../../src/core/git/tokenPush';

describe('the token push: a header scoped to the GitHub host', () => {
  it('scopes the header to the remote\'s scheme, host and port', () => {
    assert.equal(hostScopedKey('https://github.com/octo/app.git'), 'http.https://github.com/.extraheader');
    assert.equal(hostScopedKey('http://127.0.0.1:3100/octo/app.git'), 'http.http://127.0.0.1:3100/.extraheader');
  });

  it('refuses a remote that is not HTTP(S), or that carries credentials of its own', () => {
    assert.throws(() => hostScopedKey('ssh://git@github.com/octo/app.git'), /over HTTP\(S\) only/);
    assert.throws(() => hostScopedKey('https://someone:secret@github.com/octo/app.git'), /carries credentials of its own/);
  });
});
