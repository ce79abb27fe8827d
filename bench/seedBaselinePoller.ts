/**
 * The baseline the loop's request budget is compared with: one status read the way seed 002 (the Python
 * "GitHub Agent Orchestrator") polls — list the open issues and pull requests, then for every PR its details
 * (mergeability), its timeline (review-request signal, linked issues), its check runs and its combined
 * status, and for every open issue its timeline (linked PRs), and the planning queue folders through the
 * contents API. Plain REST, no conditional requests (PyGithub sends none), so an idle read costs as much as a
 * busy one. Written for the benchmark only; it reads what the seed reads and decides nothing.
 */
export interface BaselineCounts {
  readonly requests: number;
}

export async function seedStylePoll(apiUrl: string, token: string, owner: string, repo: string): Promise<BaselineCounts> {
  let requests = 0;
  const get = async (path: string): Promise<unknown> => {
    requests += 1;
    const response = await fetch(`${apiUrl}${path}`, { headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json' } });
    if (!response.ok) throw new Error(`baseline: GET ${path} answered ${String(response.status)}`);
    return response.json();
  };
  const all = async (path: string): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    for (let page = 1; ; page++) {
      const batch = (await get(`${path}${path.includes('?') ? '&' : '?'}per_page=100&page=${String(page)}`)) as Record<string, unknown>[];
      items.push(...batch);
      if (batch.length < 100) return items;
    }
  };
  const base = `/repos/${owner}/${repo}`;
  const issues = (await all(`${base}/issues?state=open`)).filter(issue => issue['pull_request'] === undefined);
  const pulls = await all(`${base}/pulls?state=open`);
  for (const pull of pulls) {
    const number = String(pull['number']);
    const head = (pull['head'] as { sha: string }).sha;
    await get(`${base}/pulls/${number}`);
    await all(`${base}/issues/${number}/timeline`);
    await get(`${base}/commits/${head}/check-runs?per_page=100`);
    await get(`${base}/commits/${head}/status`);
  }
  for (const issue of issues) await all(`${base}/issues/${String(issue['number'])}/timeline`);
  for (const folder of ['pending', 'processed']) await get(`${base}/contents/planning/issue_queue/${folder}`);
  return { requests };
}
