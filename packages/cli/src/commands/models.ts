import { Model } from '@terra-vertex/core';
import type { Command } from 'commander';
import { type GlobalOptions, print, table } from '../output.ts';
import { collect, keyValues } from './options.ts';

type Globals = () => GlobalOptions;

function summary(m: Model) {
  return {
    name: m.versionedResourceName,
    displayName: m.displayName,
    versionId: m.versionId,
    aliases: m.versionAliases,
    artifactUri: m.artifactUri,
    image: m.gcaResource.containerSpec?.imageUri ?? undefined,
  };
}

/** `tvx models upload|list|describe|delete`: the model registry. */
export function registerModels(program: Command, globals: Globals): void {
  const models = program.command('models').description('the model registry: upload, list, describe, delete');
  const where = () => ({ project: globals().project, location: globals().location });

  models
    .command('upload')
    .description('register a model (a local folder is uploaded to the staging bucket first)')
    .requiredOption('--display-name <name>', 'model display name')
    .requiredOption('--artifact-uri <dir|gs-uri>', 'folder with model.joblib, model.bst, model.mar …')
    .requiredOption(
      '--serving-image <uri>',
      'serving container, e.g. us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest',
    )
    .option('--parent-model <model>', 'upload as a new version of this model')
    .option('--alias <alias>', 'version alias (repeatable)', collect)
    .option('--env <KEY=VALUE>', 'serving container environment variable (repeatable)', collect)
    .option('--predict-route <route>', 'serving container predict route')
    .option('--health-route <route>', 'serving container health route')
    .action(
      async (o: {
        displayName: string;
        artifactUri: string;
        servingImage: string;
        parentModel?: string;
        alias?: string[];
        env?: string[];
        predictRoute?: string;
        healthRoute?: string;
      }) => {
        const model = await Model.upload({
          ...where(),
          displayName: o.displayName,
          artifactUri: o.artifactUri,
          servingContainerImageUri: o.servingImage,
          parentModel: o.parentModel,
          versionAliases: o.alias,
          servingContainerEnvironmentVariables: keyValues(o.env, '--env'),
          servingContainerPredictRoute: o.predictRoute,
          servingContainerHealthRoute: o.healthRoute,
        });
        print(globals(), summary(model), () => `Registered ${model.versionedResourceName}`);
      },
    );

  models
    .command('list')
    .description('list models (their default versions)')
    .option('--filter <filter>', 'Vertex list filter, e.g. display_name="iris"')
    .action(async (o: { filter?: string }) => {
      const rows = (await Model.list({ ...where(), filter: o.filter })).map(summary);
      print(globals(), rows, () =>
        rows.length === 0
          ? 'No models.'
          : table([
              ['ID', 'VERSION', 'DISPLAY NAME', 'ALIASES', 'IMAGE'],
              ...rows.map((r) => [
                r.name.split('/').pop()!.split('@')[0]!,
                r.versionId,
                r.displayName,
                r.aliases.join(','),
                r.image ?? '',
              ]),
            ]),
      );
    });

  models
    .command('describe')
    .description("show a model version and the model's other versions")
    .argument('<model>', 'id, id@version, id@alias or resource name')
    .action(async (id: string) => {
      const model = await Model.get(id, where());
      const versions = (await model.versions()).map(summary);
      print(globals(), { ...summary(model), versions }, () =>
        [
          `${model.versionedResourceName}  ${model.displayName}`,
          `Artifacts: ${model.artifactUri || '-'}`,
          `Image:     ${summary(model).image ?? '-'}`,
          table([['VERSION', 'ALIASES'], ...versions.map((v) => [v.versionId, v.aliases.join(',')])]),
        ].join('\n'),
      );
    });

  models
    .command('delete')
    .description('delete a model with all its versions (or one version with id@version)')
    .argument('<model>', 'id, id@version or resource name')
    .action(async (id: string) => {
      const model = await Model.get(id, where());
      await model.delete();
      print(globals(), { deleted: model.versionedResourceName }, () => `Deleted ${id}`);
    });
}
