import type { RpcMethod } from './dispatch.ts';

/** One REST binding of an RPC, compiled from its `google.api.http` annotation. */
export interface HttpRoute {
  verb: string;
  template: string;
  /** `*` (the whole body is the request), a field name (snake_case), or undefined (no body). */
  body?: string;
  regex: RegExp;
  /** The request field each capture group fills (snake_case, dotted). */
  fields: string[];
  rpc: RpcMethod;
}

interface HttpRule {
  get?: string;
  post?: string;
  put?: string;
  patch?: string;
  delete?: string;
  body?: string;
  additional_bindings?: HttpRule | HttpRule[];
  additionalBindings?: HttpRule | HttpRule[];
}

const VERBS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Compiles `/v1/{name=projects/*\/locations/*}:cancel` into a regex with one group per variable. */
export function compileTemplate(template: string): { regex: RegExp; fields: string[] } {
  const fields: string[] = [];
  let source = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      source += escapeRegex(template.slice(i));
      break;
    }
    source += escapeRegex(template.slice(i, open));
    const close = template.indexOf('}', open);
    const [field, pattern = '*'] = template.slice(open + 1, close).split('=') as [string, string?];
    fields.push(field);
    source += `(${pattern
      .split('/')
      .map((seg) => (seg === '**' ? '.+' : seg === '*' ? '[^/:]+' : escapeRegex(seg)))
      .join('/')})`;
    i = close + 1;
  }
  return { regex: new RegExp(`^${source}$`), fields };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every REST binding of a method (main rule and additional bindings). */
export function routesOf(rpc: RpcMethod): HttpRoute[] {
  const rules: HttpRule[] = [];
  for (const opt of (rpc.method.parsedOptions ?? []) as Record<string, HttpRule>[]) {
    const rule = opt['(google.api.http)'];
    if (!rule) continue;
    rules.push(rule);
    for (const extra of [rule.additional_bindings, rule.additionalBindings].flat())
      if (extra) rules.push(extra);
  }
  return rules.flatMap((rule) =>
    VERBS.filter((v) => rule[v]).map((v) => ({
      verb: v.toUpperCase(),
      template: rule[v]!,
      body: rule.body,
      rpc,
      ...compileTemplate(rule[v]!),
    })),
  );
}

/**
 * google.longrunning.Operations as Vertex binds it: operations live under the resource that started them
 * (`…/customJobs/1/operations/2`), which the client polls through `/ui/…` or `/v1/…`.
 */
export function operationRoutes(methods: RpcMethod[]): HttpRoute[] {
  const find = (name: string) => methods.find((m) => m.path === `/google.longrunning.Operations/${name}`);
  const specs: [string, string, string, string?][] = [
    ['GetOperation', 'GET', '/v1/{name=**/operations/*}'],
    ['DeleteOperation', 'DELETE', '/v1/{name=**/operations/*}'],
    ['CancelOperation', 'POST', '/v1/{name=**/operations/*}:cancel', '*'],
    ['WaitOperation', 'POST', '/v1/{name=**/operations/*}:wait', '*'],
    ['ListOperations', 'GET', '/v1/{name=**}/operations'],
  ];
  return specs.flatMap(([name, verb, template, body]) => {
    const rpc = find(name);
    return rpc ? [{ verb, template, body, rpc, ...compileTemplate(template) }] : [];
  });
}
