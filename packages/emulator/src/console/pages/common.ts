import type { Json } from '../../vertex/protos.ts';
import { formatAgo, formatTime, lastSegment, projectLocation, stateLabel, stateTone } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { badge } from '../layout.ts';

/** The state badge of a resource (updated live by the logs script when `live`). */
export function stateBadge(state: unknown, live = false): SafeHtml {
  return live
    ? html`<span class="state ${stateTone(state)}" data-live="state">${stateLabel(state)}</span>`
    : badge(stateLabel(state), stateTone(state));
}

/** A creation time with how long ago, for lists. */
export function when(time: unknown): SafeHtml {
  return html`<span title="${formatTime(time)}">${formatAgo(time) || formatTime(time)}</span>`;
}

/** A resource's display name linked to its console page, its id below. */
export function nameCell(resource: Json, href: string): SafeHtml {
  const id = lastSegment(resource.name);
  return html`<a href="${href}">${(resource.displayName as string) || id}</a><br><span class="muted">${id}</span>`;
}

/** A project/location column, only when resources live in more than one. */
export function whereCell(resource: Json, show: boolean): SafeHtml | string {
  return show ? html`<td class="muted">${projectLocation(resource.name)}</td>` : '';
}

/** Whether resources span more than one project/location. */
export function manyPlaces(resources: Json[]): boolean {
  return new Set(resources.map((r) => projectLocation(r.name))).size > 1;
}

/** The error of a failed resource. */
export function errorBox(resource: Json): SafeHtml | string {
  const error = resource.error as Json | undefined;
  return error?.message ? html`<div class="problem" role="alert">${error.message}</div>` : '';
}

/** Key/value pairs (labels, parameters) as `k=v` chips. */
export function pairs(map: unknown): string {
  return Object.entries((map ?? {}) as Record<string, unknown>)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}
