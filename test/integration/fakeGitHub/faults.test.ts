import { strict as assert } from 'node:assert';
import { api, graphql, pick, smallScenario, useFakeGitHub } from './fakeGitHubKit';

describe('fake GitHub: faults and rate limits', function () {
  this.timeout(60_000);
  const fake = useFakeGitHub();

  it('a 5xx fault answers GitHub\'s error for `times` requests, then the route works again', async () => {
    const github = fake();
    github.faults.add({ method: 'GET', path: '/repos/octo/app', status: 502, times: 2 });
    const first = await api(github, 'GET', '/repos/octo/app');
    const second = await api(github, 'GET', '/repos/octo/app');
    const third = await api(github, 'GET', '/repos/octo/app');
    assert.deepEqual([first.status, second.status, third.status], [502, 502, 200]);
    assert.deepEqual(first.body, { message: 'Server Error' });
    assert.deepEqual([first.headers.get('x-ratelimit-remaining'), third.headers.get('x-ratelimit-remaining')], ['5000', '4999'], 'an injected failure costs no points');
    assert.deepEqual(github.faults.active, []);
    github.faults.add({ path: /^\/repos\/octo\/app\/issues/, status: 503 });
    assert.equal((await api(github, 'GET', '/repos/octo/app/issues/1')).status, 503);
    github.faults.add({ path: '/repos/octo/app', status: 500, times: 5 });
    github.faults.clear();
    assert.equal((await api(github, 'GET', '/repos/octo/app')).status, 200);
  });

  it('a secondary rate limit is a 403 (or 429) with GitHub\'s message and retry-after', async () => {
    const github = fake();
    github.faults.add({ path: '/repos/octo/app/issues', method: 'POST', secondaryRateLimit: true, retryAfterSeconds: 7 });
    const limited = await api(github, 'POST', '/repos/octo/app/issues', { title: 'x' });
    assert.equal(limited.status, 403);
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.match(String(pick(limited.body, 'message')), /^You have exceeded a secondary rate limit/);
    assert.notEqual(limited.headers.get('x-ratelimit-remaining'), '0', 'a secondary limit leaves the primary budget alone');
    assert.equal(github.state.repo().issues.length, 0, 'the request never reached the API');
    github.faults.add({ path: '/graphql', status: 429, retryAfterSeconds: 3 });
    const graphqlLimited = await api(github, 'POST', '/graphql', { query: '{ rateLimit { cost } }' });
    assert.deepEqual([graphqlLimited.status, graphqlLimited.headers.get('retry-after')], [429, '3']);
    assert.match(String(pick(graphqlLimited.body, 'message')), /secondary rate limit/);
  });

  it('a plain 403 fault is a permission error', async () => {
    const github = fake();
    github.faults.add({ path: '/repos/octo/app/pulls', status: 403 });
    const answer = await api(github, 'GET', '/repos/octo/app/pulls');
    assert.deepEqual([answer.status, pick(answer.body, 'message')], [403, 'Resource not accessible by personal access token']);
  });

  it('a malformed answer is a 200 whose JSON is cut; the request still took effect', async () => {
    const github = fake();
    github.faults.add({ path: '/repos/octo/app/issues', method: 'POST', malformed: true });
    const answer = await api(github, 'POST', '/repos/octo/app/issues', { title: 'Cut short' });
    assert.equal(answer.status, 200);
    assert.throws(() => JSON.parse(answer.text) as unknown, SyntaxError);
    assert.equal(github.state.repo().issues[0]?.title, 'Cut short');
  });

  it('a delay holds the answer back, then answers normally', async () => {
    const github = fake();
    github.faults.add({ path: '/user', delayMs: 500 });
    const slow = api(github, 'GET', '/user');
    const fast = api(github, 'GET', '/rate_limit');
    const order: string[] = [];
    await Promise.all([slow.then(() => order.push('slow')), fast.then(() => order.push('fast'))]);
    assert.deepEqual(order, ['fast', 'slow']);
    assert.equal((await slow).status, 200);
  });

  it('without the token REST and GraphQL answer 401; git needs none', async () => {
    const github = fake();
    const rest = await fetch(`${github.apiUrl}/repos/octo/app`);
    assert.equal(rest.status, 401);
    assert.equal((await rest.json() as { message: string }).message, 'Requires authentication');
    const wrong = await fetch(`${github.apiUrl}/repos/octo/app`, { headers: { authorization: 'bearer nope' } });
    assert.deepEqual([wrong.status, (await wrong.json() as { message: string }).message], [401, 'Bad credentials']);
    const bearer = await fetch(`${github.apiUrl}/repos/octo/app`, { headers: { authorization: `Bearer ${github.token}` } });
    assert.equal(bearer.status, 200);
    const gql = await fetch(`${github.apiUrl}/graphql`, { method: 'POST', body: JSON.stringify({ query: '{ viewer { login } }' }) });
    assert.equal(gql.status, 401);
    const refs = await fetch(`${github.gitUrl('octo', 'app')}/info/refs?service=git-upload-pack`);
    assert.equal(refs.status, 200);
  });

  describe('with small budgets', () => {
    const limited = useFakeGitHub(() => smallScenario({ rateLimit: { core: 3, graphql: 2 } }));

    it('an exhausted core budget is a 403 with x-ratelimit-remaining 0 and a reset time; /rate_limit stays free', async () => {
      const github = limited();
      const answers = [];
      for (let index = 0; index < 4; index++) answers.push(await api(github, 'GET', '/repos/octo/app'));
      assert.deepEqual(answers.map(answer => [answer.status, answer.headers.get('x-ratelimit-remaining')]), [[200, '2'], [200, '1'], [200, '0'], [403, '0']]);
      const exhausted = answers[3]!;
      assert.match(String(pick(exhausted.body, 'message')), /^API rate limit exceeded for user ID/);
      const reset = Number(exhausted.headers.get('x-ratelimit-reset'));
      assert.ok(reset > Date.now() / 1000 && reset <= Date.now() / 1000 + 3600, String(reset));
      const rate = await api(github, 'GET', '/rate_limit');
      assert.deepEqual([rate.status, pick(rate.body, 'resources.core.remaining'), pick(rate.body, 'resources.core.used')], [200, 0, 3]);
    });

    it('an exhausted graphql budget answers RATE_LIMITED, as GitHub does', async () => {
      const github = limited();
      assert.equal(pick((await graphql(github, '{ rateLimit { remaining } }')).data, 'rateLimit.remaining'), 1);
      assert.equal(pick((await graphql(github, '{ rateLimit { remaining } }')).data, 'rateLimit.remaining'), 0);
      const refused = await api(github, 'POST', '/graphql', { query: '{ rateLimit { remaining } }' });
      assert.equal(refused.status, 200);
      assert.equal(pick(refused.body, 'errors.0.type'), 'RATE_LIMITED');
      assert.equal(refused.headers.get('x-ratelimit-remaining'), '0');
      assert.equal(refused.headers.get('x-ratelimit-resource'), 'graphql');
    });
  });
});
