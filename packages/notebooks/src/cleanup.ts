/**
 * The notebooks' cleanup cell: what one run left billing, shown and removed. Kept in one function returning a
 * string so that the cell declares nothing with an object type (tslab's declaration emitter can fail on those).
 */
import { cleanUp, findBillableResources, formatUsd, showBillableResources } from '@terra-vertex/core';

/**
 * Finds what the resources whose display names start with `runPrefix` keep costing (deployed models, TensorBoards,
 * running jobs), shows it as a table in the notebook, undeploys and deletes endpoints, deletes TensorBoards and
 * cancels jobs, checks again, and returns a one-line summary. Other runs' and people's resources are left alone.
 *
 * @throws Error naming every resource an action failed on (the other actions still ran).
 */
export async function cleanUpRun(runPrefix: string): Promise<string> {
  if (!runPrefix.trim())
    throw new Error(
      'runPrefix: empty, which would clean up the whole project. Pass the run prefix, e.g. RUN',
    );
  const found = await findBillableResources({ displayNamePrefix: runPrefix });
  showBillableResources(found);
  const cleaned = await cleanUp(found, {
    undeploy: true,
    deleteEndpoints: true,
    deleteTensorboards: true,
    cancelJobs: true,
  });
  const failed = cleaned.actions.filter((a) => a.error);
  if (failed.length)
    throw new Error(`cleanup failed: ${failed.map((a) => `${a.resourceName}: ${a.error}`).join('; ')}`);
  const after = await findBillableResources({ displayNamePrefix: runPrefix });
  const done = cleaned.actions.map((a) => `${a.action} ${a.resourceName}`).join(', ');
  return (
    `cleaned up after ${runPrefix}: ${done || 'nothing was left billing'}; saved ${formatUsd(cleaned.savedPerDayUsd)} per day; ` +
    `still billing from this run: ${formatUsd(after.totalPerDayUsd)} per day`
  );
}
