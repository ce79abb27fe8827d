import type { RunRecord } from '../../runs/runRecord';
import { computeSuccessRates, type SuccessRateOptions, type SuccessRates } from './successRates';

/** The run records as last read, and the success rates computed from them. */
export interface RunHistory {
  readonly records: readonly RunRecord[];
  readonly successRates: SuccessRates;
}

/** Usually the RunStore: a revision that changes whenever a record is written, and the records. */
export interface RunHistorySource {
  revision(): Promise<string>;
  list(): Promise<{ readonly records: readonly RunRecord[] }>;
}

/**
 * Success rates for selection, read from the run records once per revision of the records rather than on
 * every dispatch (with thousands of records, reading them all for each of a batch of dispatches is the
 * slow part). A revision read before the records can only make the next call read again, never miss a write.
 */
export class SuccessRateCache {
  private cached: { readonly revision: string; readonly history: Promise<RunHistory> } | undefined;

  constructor(private readonly source: RunHistorySource, private readonly options: SuccessRateOptions = {}) {}

  async current(): Promise<RunHistory> {
    const revision = await this.source.revision();
    if (this.cached?.revision === revision) return this.cached.history;
    const history = this.source.list().then(list => ({ records: list.records, successRates: computeSuccessRates(list.records, this.options) }));
    const cached = { revision, history };
    this.cached = cached;
    // A failed read is not remembered: the next dispatch tries again.
    history.catch(() => { if (this.cached === cached) this.cached = undefined; });
    return history;
  }
}
