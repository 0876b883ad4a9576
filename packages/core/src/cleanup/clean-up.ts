/** `cleanUp`: undeploys, deletes and cancels what `findBillableResources` found. */
import { resolveConfig } from '../config.ts';
import { configOfFound } from './find-billable.ts';
import { cancelRunningJob } from './running-jobs.ts';
import type { BillableResources, CleanUpAction, CleanUpOptions, CleanUpResult } from './types.ts';

/**
 * Acts on what {@link findBillableResources} found, as asked (nothing by default): undeploys every model
 * (`undeploy`), deletes endpoints (`deleteEndpoints`, undeploying first), deletes TensorBoards
 * (`deleteTensorboards`) and cancels running jobs (`cancelJobs`). A failure is recorded in its action and the
 * rest still runs; `onProgress` hears a notice per action.
 *
 * @example
 * const result = await cleanUp(await findBillableResources(), { undeploy: true, cancelJobs: true });
 * console.log(`${result.actions.length} actions, ${formatUsd(result.savedPerDayUsd)} per day saved`);
 */
export async function cleanUp(
  found: BillableResources,
  options: CleanUpOptions = {},
): Promise<CleanUpResult> {
  const actions: CleanUpAction[] = [];
  let savedPerDayUsd = 0;
  const step = async (
    action: CleanUpAction['action'],
    resourceName: string,
    detail: string,
    savesPerDay: number,
    work: () => Promise<unknown>,
  ): Promise<boolean> => {
    const done: CleanUpAction = { action, resourceName, detail };
    try {
      await work();
      savedPerDayUsd += savesPerDay;
    } catch (err) {
      done.error = (err as Error).message;
    }
    actions.push(done);
    options.onProgress?.({
      type: 'notice',
      resourceName,
      message: done.error
        ? `${action} failed (${detail}): ${done.error}`
        : `${action}${detail ? ` ${detail}` : ''}`,
    });
    return !done.error;
  };

  for (const e of found.endpoints) {
    const models = e.deployedModels;
    if ((options.undeploy || options.deleteEndpoints) && models.length) {
      // One call undeploys them in an order the traffic split allows (no traffic first).
      let outcome: Promise<unknown> | undefined;
      for (const d of models)
        await step('undeployed', e.endpoint.resourceName, d.id, d.costPerDayUsd, () => {
          outcome ??= e.endpoint.undeployAll();
          return outcome;
        });
    }
    if (options.deleteEndpoints)
      await step('deleted endpoint', e.endpoint.resourceName, e.endpoint.displayName, 0, () =>
        e.endpoint.delete({ force: true }),
      );
  }
  if (options.deleteTensorboards)
    for (const t of found.tensorboards)
      await step(
        'deleted tensorboard',
        t.tensorboard.resourceName,
        t.tensorboard.displayName,
        t.costPerDayUsd,
        () => t.tensorboard.delete(),
      );
  if (options.cancelJobs && found.runningJobs.length) {
    const config =
      configOfFound.get(found) ?? (await resolveConfig({ project: found.project, location: found.location }));
    for (const j of found.runningJobs)
      await step('cancelled', j.resourceName, j.kind, j.costPerDayUsd, () => cancelRunningJob(config, j));
  }
  return { actions, savedPerDayUsd, failed: actions.filter((a) => a.error).length };
}
