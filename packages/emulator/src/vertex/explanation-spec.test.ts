import { describe, expect, it } from 'vitest';
import {
  applyOverride,
  deployExplanationErrors,
  effectiveExplanationSpec,
  explanationSpecErrors,
  modelGradients,
} from './explanation-spec.ts';

const TORCH = {
  name: 'projects/p/locations/l/models/1',
  containerSpec: { imageUri: 'us-docker.pkg.dev/vertex-ai/prediction/pytorch-cpu.2-1:latest' },
};
const SKLEARN = {
  name: 'projects/p/locations/l/models/2',
  containerSpec: { imageUri: 'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest' },
};
const AT = 'deployed_model.explanation_spec';

describe('explanation specs', () => {
  it('knows which models have gradients', () => {
    expect(modelGradients(TORCH).differentiable).toBe(true);
    expect(modelGradients(SKLEARN).differentiable).toBe(false);
    expect(
      modelGradients({
        metadataSchemaUri: 'https://x/schema/model/metadata/automl_image_classification_1.0.0.yaml',
      }).differentiable,
    ).toBe(true);
    expect(
      modelGradients({
        containerSpec: { imageUri: 'x', env: [{ name: 'TVX_SERVING_FRAMEWORK', value: 'automl_image' }] },
      }).differentiable,
    ).toBe(true);
    expect(
      modelGradients({ containerSpec: { imageUri: 'gcr.io/me/server' } }).differentiable,
    ).toBeUndefined();
  });

  it('accepts the documented ranges and names the field of anything else', () => {
    const ok = { parameters: { integratedGradientsAttribution: { stepCount: 100 } } };
    expect(explanationSpecErrors(ok, AT, TORCH)).toEqual([]);
    expect(
      explanationSpecErrors({ parameters: { sampledShapleyAttribution: { pathCount: 50 } } }, AT, SKLEARN),
    ).toEqual([]);
    const errors = (spec: Record<string, unknown>, model = TORCH) =>
      explanationSpecErrors(spec, AT, model).map(([f]) => f);
    expect(errors({ parameters: { integratedGradientsAttribution: { stepCount: 101 } } })).toEqual([
      `${AT}.parameters.integrated_gradients_attribution.step_count`,
    ]);
    expect(errors({ parameters: { xraiAttribution: { stepCount: 0.5 } } })).toEqual([
      `${AT}.parameters.xrai_attribution.step_count`,
    ]);
    expect(errors({ parameters: { sampledShapleyAttribution: { pathCount: 51 } } })).toEqual([
      `${AT}.parameters.sampled_shapley_attribution.path_count`,
    ]);
    expect(errors({ parameters: {} })).toEqual([`${AT}.parameters`]);
    expect(errors({ parameters: { examples: {} } })).toEqual([`${AT}.parameters.examples`]);
    expect(
      errors({
        parameters: {
          integratedGradientsAttribution: { stepCount: 5, smoothGradConfig: { noisySampleCount: 60 } },
        },
      }),
    ).toEqual([`${AT}.parameters.integrated_gradients_attribution.smooth_grad_config.noisy_sample_count`]);
    expect(
      errors({
        parameters: { sampledShapleyAttribution: { pathCount: 5 } },
        metadata: { outputs: { a: {}, b: {} } },
      }),
    ).toEqual([`${AT}.metadata.outputs`]);
    const [[field, message]] = explanationSpecErrors(
      { parameters: { integratedGradientsAttribution: { stepCount: 50 } } },
      AT,
      SKLEARN,
    ) as [[string, string]];
    expect(field).toBe(`${AT}.parameters.integrated_gradients_attribution`);
    expect(message).toMatch(/scikit-learn model: use sampledShapleyAttribution/);
  });

  it('inherits the model spec field by field, and none with disableExplanations', () => {
    const model = {
      ...TORCH,
      explanationSpec: { parameters: { xraiAttribution: { stepCount: 5 } }, metadata: { inputs: {} } },
    };
    const own = { parameters: { integratedGradientsAttribution: { stepCount: 7 } } };
    expect(effectiveExplanationSpec(model, { explanationSpec: own })).toEqual({
      ...own,
      metadata: { inputs: {} },
    });
    expect(effectiveExplanationSpec(model, {})).toBe(model.explanationSpec);
    expect(effectiveExplanationSpec(model, { disableExplanations: true })).toBeUndefined();
    expect(
      deployExplanationErrors(
        { deployedModel: { model: SKLEARN.name, explanationSpec: own } },
        () => SKLEARN,
      ),
    ).toHaveLength(1);
  });

  it('merges an override except the method, and refuses a new method naming the field', () => {
    const spec = {
      parameters: {
        integratedGradientsAttribution: { stepCount: 50, smoothGradConfig: { noiseSigma: 0.1 } },
      },
      metadata: { inputs: { image: { modality: 'image' } } },
    };
    const merged = applyOverride(spec, {
      parameters: { integratedGradientsAttribution: { stepCount: 10 }, topK: 3 },
      metadata: { inputs: { image: { inputBaselines: [1] } } },
    });
    expect(merged.parameters).toEqual({
      integratedGradientsAttribution: { stepCount: 10, smoothGradConfig: { noiseSigma: 0.1 } },
      topK: 3,
    });
    expect(merged.metadata).toEqual({ inputs: { image: { modality: 'image', inputBaselines: [1] } } });
    expect(() => applyOverride(spec, { parameters: { xraiAttribution: { stepCount: 5 } } })).toThrow(
      /explanation_spec_override.parameters.xrai_attribution: the override cannot change the attribution method/,
    );
    expect(() =>
      applyOverride(spec, { parameters: { integratedGradientsAttribution: { stepCount: 0 } } }),
    ).toThrow(/step_count: Must be an integer from 1 to 100/);
  });
});
