/**
 * The demo's online prediction part: the two registered versions of the iris model behind one endpoint,
 * served by real local model-server processes, with a traffic split and a promotion.
 */
import { Endpoint, type Model } from '@terra-vertex/core';

const step = (title: string) => console.log(`\n== ${title}`);
const IRIS = [
  [5.1, 3.5, 1.4, 0.2],
  [6.0, 2.7, 5.1, 1.6],
  [6.7, 3.0, 5.2, 2.3],
];

/** Deploys `model`, predicts, deploys `challenger` at 30 %, promotes it, then removes everything. */
export async function servingDemo(model: Model, challenger: Model): Promise<void> {
  step('Online prediction: an endpoint serving version 1 on 1–2 local replicas');
  const endpoint = await Endpoint.create({ displayName: 'iris-endpoint' });
  const first = await endpoint.deploy(model, { minReplicaCount: 1, maxReplicaCount: 2 });
  const result = await endpoint.predict(IRIS);
  console.log(`  ${endpoint.resourceName}`);
  console.log(
    `  predict ${JSON.stringify(IRIS)} → ${JSON.stringify(result.predictions)} (version ${result.modelVersionId})`,
  );

  step('Version 2 beside it with 30 % of the traffic, then promoted');
  const second = await endpoint.deploy(challenger, { trafficPercentage: 30 });
  console.log(`  traffic split ${JSON.stringify(endpoint.trafficSplit)}`);
  const answered: Record<string, number> = {};
  for (let i = 0; i < 40; i++) {
    const r = await endpoint.predict([IRIS[i % 3]]);
    answered[`version ${r.modelVersionId}`] = (answered[`version ${r.modelVersionId}`] ?? 0) + 1;
  }
  console.log(`  40 requests answered by: ${JSON.stringify(answered)}`);
  await endpoint.updateTrafficSplit({ [first.id]: 0, [second.id]: 100 });
  console.log(`  promoted: ${JSON.stringify(endpoint.trafficSplit)}`);
  await endpoint.delete({ force: true });
  console.log('  undeployed both versions and deleted the endpoint');
}
