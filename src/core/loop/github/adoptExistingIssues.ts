import type { GitHubPort } from '../../forges/github/githubPort';
import { allAtoLabels } from '../texts/atoLabels';
import { adoptionRecord, adoptIssue, gapAdoptionTarget, planAdoption, queuedTaskTargets, type AdoptionReport } from '../tracks/planning/issueAdoption';
import type { PlanningRead } from '../tracks/planning/planningSource';

/**
 * Finds the open issues that match queued tasks (pending/ and processed/) and the gap analysis by title,
 * and — unless `dryRun` — labels and marks each one (`adoptIssue`, idempotent: a second run finds them
 * linked). The caller holds the lease for a real run. A dry run reads the open issues (one paged listing);
 * a real run adds at most two writes per adoption.
 */
export async function adoptExistingIssues(port: GitHubPort, planning: PlanningRead, dryRun: boolean): Promise<AdoptionReport> {
  const plan = planAdoption(await port.listOpenIssues(), [gapAdoptionTarget, ...queuedTaskTargets(planning.entries)]);
  if (!dryRun && plan.adopt.length > 0) {
    for (const label of allAtoLabels) await port.ensureLabel(label.name, label.color, label.description);
    for (const adoption of plan.adopt) await adoptIssue(port, adoption);
  }
  return {
    dryRun,
    adopted: plan.adopt.map(adoptionRecord),
    linked: plan.linked.map(adoptionRecord),
    passedOver: plan.passedOver.map(item => ({ ...adoptionRecord(item), why: item.why })),
  };
}
