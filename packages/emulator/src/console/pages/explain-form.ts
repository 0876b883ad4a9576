import type { Json } from '../../vertex/protos.ts';
import { html, type SafeHtml } from '../html.ts';

/** Whether a deployed model's explanation metadata declares an image input. */
function takesImages(d: Json): boolean {
  const inputs = (((d.explanationSpec as Json).metadata as Json | undefined)?.inputs ?? {}) as Record<
    string,
    Json
  >;
  return Object.values(inputs).some((i) => i.modality === 'image' || i.encoding === 'BAG_OF_FEATURES_SPARSE');
}

/**
 * The explanation form of an endpoint: one instance (pasted JSON, or an uploaded image sent as base64
 * content or as a tensor) to `PredictionService/Explain`; the explain script shows the attributions.
 */
export function explainForm(endpoint: string, explainable: Json[]): SafeHtml {
  const image = explainable.some(takesImages);
  return html`<form class="explain" data-endpoint="${endpoint}">
<label>Deployed model <select name="deployedModelId">${explainable.map((d) => html`<option value="${d.id}">${(d.displayName as string) || d.id} (${d.id})</option>`)}</select></label>
<fieldset><legend>Instance</legend>
<label><input type="radio" name="source" value="json"${image ? '' : html` checked`}> JSON instance</label>
<textarea name="json" placeholder="[5.1, 3.5, 1.4, 0.2]   or   {&quot;feature&quot;: 1.0}   or a nested list of pixels"></textarea>
<label><input type="radio" name="source" value="image"${image ? html` checked` : ''}> Image file</label>
<input type="file" name="image" accept="image/*">
<label>sent as <select name="encoding"><option value="content">{"content": base64} (AutoML image models)</option><option value="tensor-gray">grey tensor 1×H×W in [0, 1]</option><option value="tensor-rgb">RGB tensor 3×H×W in [0, 1]</option></select></label>
<label>tensor size <input type="number" name="size" value="32" min="1" max="512"> px</label>
</fieldset>
<button type="submit">Explain</button>
<div class="result" aria-live="polite"></div>
</form>`;
}
