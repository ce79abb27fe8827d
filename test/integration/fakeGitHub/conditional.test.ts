import { strict as assert } from 'node:assert';
import { api, useFakeGitHub } from './fakeGitHubKit';

describe('fake GitHub: conditional requests', function () {
  this.timeout(60_000);
  const fake = useFakeGitHub();

  it('a repeated GET with If-None-Match is a 304 without body that costs no point; a change makes it 200 again', async () => {
    const github = fake();
    await api(github, 'POST', '/repos/octo/app/issues', { title: 'First' });
    github.resetRequests();
    const first = await api(github, 'GET', '/repos/octo/app/issues?state=all&sort=updated');
    const etag = first.headers.get('etag');
    assert.equal(first.status, 200);
    assert.match(etag ?? '', /^W\/"[0-9a-f]+"$/);
    const remaining = Number(first.headers.get('x-ratelimit-remaining'));

    const again = await api(github, 'GET', '/repos/octo/app/issues?state=all&sort=updated', undefined, { 'if-none-match': etag ?? '' });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    assert.equal(again.headers.get('etag'), etag);
    assert.equal(Number(again.headers.get('x-ratelimit-remaining')), remaining, 'a 304 costs nothing');
    assert.deepEqual(github.requests.map(request => [request.status, request.points]), [[200, 1], [304, 0]]);

    await api(github, 'PATCH', '/repos/octo/app/issues/1', { title: 'First, renamed' });
    const changed = await api(github, 'GET', '/repos/octo/app/issues?state=all&sort=updated', undefined, { 'if-none-match': etag ?? '' });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.equal((changed.body as { title: string }[])[0]?.title, 'First, renamed');
  });

  it('lists are paginated with GitHub\'s Link header', async () => {
    const github = fake();
    for (let index = 1; index <= 5; index++) await api(github, 'POST', '/repos/octo/app/issues', { title: `Issue ${index}` });
    const page = await api(github, 'GET', '/repos/octo/app/issues?per_page=2&direction=asc');
    assert.deepEqual((page.body as { number: number }[]).map(issue => issue.number), [1, 2]);
    const link = page.headers.get('link') ?? '';
    assert.match(link, /<http:\/\/127\.0\.0\.1:\d+\/repos\/octo\/app\/issues\?per_page=2&direction=asc&page=2>; rel="next"/);
    assert.match(link, /page=3>; rel="last"/);
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? '';
    const second = await api(github, 'GET', next.slice(github.apiUrl.length));
    assert.deepEqual((second.body as { number: number }[]).map(issue => issue.number), [3, 4]);
    assert.match(second.headers.get('link') ?? '', /rel="prev"/);
  });
});
