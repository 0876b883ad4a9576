import type { ResourceStore } from '../state/resource-store.ts';
import { newId } from './ids.ts';
import type { Json } from './protos.ts';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from './rpc-error.ts';

const ALIAS = /^[a-z][a-zA-Z0-9-]{0,126}[a-z0-9-]$/;
const MODEL_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Models with versions and aliases, as Vertex's Model Registry keeps them: every version is stored as
 * `models/{id}@{versionId}`; `models/{id}` means the version holding the `default` alias; aliases are
 * unique within a model.
 */
export class ModelRegistry {
  private readonly store: ResourceStore;

  constructor(store: ResourceStore) {
    this.store = store;
  }

  /** Registers a new model (or a new version of `parentModel`); returns the stored version. */
  upload(parent: string, model: Json, options: { parentModel?: string; modelId?: string } = {}): Json {
    const aliases = [...new Set((model.versionAliases as string[] | undefined) ?? [])];
    for (const a of aliases) {
      if (!ALIAS.test(a) || /^\d+$/.test(a)) {
        throw invalidArgument(
          `Version alias ${JSON.stringify(a)} is invalid: it must match [a-z][a-zA-Z0-9-]{0,126}[a-z-0-9] and not be a version id.`,
        );
      }
    }
    let base: string;
    let versionId = '1';
    if (options.parentModel) {
      base = options.parentModel.split('@')[0]!;
      const versions = this.versions(base);
      if (versions.length === 0) throw notFound(`The parent model does not exist: ${base}`);
      versionId = String(Math.max(...versions.map((v) => Number(v.versionId))) + 1);
    } else {
      if (options.modelId && !MODEL_ID.test(options.modelId)) {
        throw invalidArgument(
          `model_id ${JSON.stringify(options.modelId)} is invalid: use up to 63 lowercase letters, digits or hyphens.`,
        );
      }
      base = `${parent}/models/${options.modelId ?? newId()}`;
      if (this.versions(base).length)
        throw alreadyExists(`Model ${base} already exists; upload a new version with parent_model.`);
    }
    const isFirst = versionId === '1';
    if (isFirst && !aliases.includes('default')) aliases.push('default');
    if (aliases.includes('default')) this.takeAlias(base, 'default');
    for (const a of aliases)
      if (a !== 'default' && this.findByAlias(base, a))
        throw alreadyExists(`Alias ${a} is already used by another version of ${base}.`);
    const now = new Date().toISOString();
    const first = isFirst ? undefined : this.versions(base)[0];
    const stored: Json = {
      ...model,
      name: base,
      versionId,
      versionAliases: aliases,
      createTime: first?.createTime ?? now,
      updateTime: now,
      versionCreateTime: now,
      versionUpdateTime: now,
      supportedDeploymentResourcesTypes: ['DEDICATED_RESOURCES'],
    };
    this.store.put({ ...stored, name: `${base}@${versionId}` });
    return stored;
  }

  /** Resolves `models/{id}`, `models/{id}@{version}` or `models/{id}@{alias}`. */
  get(name: string): Json {
    const [base, ref = 'default'] = name.split('@') as [string, string?];
    const version = /^\d+$/.test(ref) ? this.store.get(`${base}@${ref}`) : this.findByAlias(base, ref);
    if (!version) throw notFound(`The Model does not exist: ${name}`);
    return { ...version, name: base };
  }

  /** Every model of a location, as its default version. */
  listModels(parent: string): Json[] {
    const bases = new Set(this.store.list(`${parent}/models/`).map((v) => (v.name as string).split('@')[0]!));
    return [...bases].map((b) => this.get(b));
  }

  /** Every version of a model, oldest first. */
  versions(base: string): Json[] {
    return this.store
      .list(`${base}@`)
      .map((v): Json => ({ ...v, name: base }))
      .sort((a, b) => Number(a.versionId) - Number(b.versionId));
  }

  deleteModel(base: string): void {
    const versions = this.versions(base);
    if (!versions.length) throw notFound(`The Model does not exist: ${base}`);
    for (const v of versions) this.store.delete(`${base}@${v.versionId}`);
  }

  deleteVersion(name: string): void {
    const version = this.get(name);
    if ((version.versionAliases as string[]).includes('default')) {
      throw failedPrecondition(
        `Version ${version.versionId} of ${version.name} holds the default alias: move the alias to another version first.`,
      );
    }
    this.store.delete(`${version.name}@${version.versionId}`);
  }

  /** Adds aliases, and removes those written `-alias`. */
  mergeAliases(name: string, changes: string[]): Json {
    if (!name.includes('@'))
      throw invalidArgument('name must include a version: projects/…/models/{model}@{version}.');
    const version = this.get(name);
    const base = version.name as string;
    let aliases = [...(version.versionAliases as string[])];
    for (const change of changes) {
      if (change.startsWith('-')) {
        if (change === '-default')
          throw invalidArgument('The default alias cannot be removed; give it to another version instead.');
        aliases = aliases.filter((a) => a !== change.slice(1));
      } else {
        if (!ALIAS.test(change)) throw invalidArgument(`Version alias ${JSON.stringify(change)} is invalid.`);
        this.takeAlias(base, change);
        if (!aliases.includes(change)) aliases.push(change);
      }
    }
    this.store.update(`${base}@${version.versionId}`, (v) => {
      v.versionAliases = aliases;
      v.versionUpdateTime = new Date().toISOString();
    });
    return this.get(`${base}@${version.versionId}`);
  }

  private findByAlias(base: string, alias: string): Json | undefined {
    return this.store
      .list(`${base}@`)
      .find((v) => (v.versionAliases as string[] | undefined)?.includes(alias));
  }

  /** Removes an alias from whichever version of the model holds it. */
  private takeAlias(base: string, alias: string): void {
    const holder = this.findByAlias(base, alias);
    if (!holder) return;
    this.store.update(holder.name as string, (v) => {
      v.versionAliases = (v.versionAliases as string[]).filter((a) => a !== alias);
    });
  }
}
