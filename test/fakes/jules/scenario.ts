/** How a fake Jules starts (see README.md). Every field has a default. */
export interface JulesScenario {
  /** What clients send as `X-Goog-Api-Key`. Default `fake-jules-key`. */
  readonly apiKey?: string;
  /** Repositories the Jules GitHub app is installed on. Default one: `acme/app` on `main`. */
  readonly sources?: readonly ScenarioSource[];
  /** Non-terminal sessions at once (QUEUED … PAUSED). Default 3 (the free plan). */
  readonly concurrentLimit?: number;
  /**
   * A create beyond `concurrentLimit`: `reject` answers 429 RESOURCE_EXHAUSTED; `failSession` creates the
   * session and fails it at once ("concurrent task limit"); `allow` ignores the cap. Default `reject`.
   */
  readonly overConcurrency?: 'reject' | 'failSession' | 'allow';
  /** Sessions created per rolling 24 h before 429 RESOURCE_EXHAUSTED. Default 15; 0 = no quota. */
  readonly dailySessions?: number;
  /** The status for a wrong key: 400 INVALID_ARGUMENT `API_KEY_INVALID` (Google's front end), 401 or 403. Default 400. */
  readonly invalidKeyStatus?: 400 | 401 | 403;
  /** Every session's activities list answers 404 once right after creation (the race of jules-sdk#19). Default false. */
  readonly notFoundAfterCreate?: boolean;
  /** Advance every live session one step each this many ms (for trying it by hand). Default off. */
  readonly autoStepMs?: number;
  /** Where output pull requests point. Default `https://github.com`. */
  readonly githubWebUrl?: string;
}

export interface ScenarioSource {
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch?: string;
  readonly branches?: readonly string[];
  readonly isPrivate?: boolean;
  /** `slash`: `sources/github/<owner>/<repo>` (quickstart, SDK); `dash`: `sources/github-<owner>-<repo>` (a docs example). Default slash. */
  readonly nameForm?: 'slash' | 'dash';
}

export const defaultApiKey = 'fake-jules-key';
