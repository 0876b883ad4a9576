import { v1 } from '@google-cloud/aiplatform';
import { grpc } from 'google-gax';
import type { RunningEmulator } from '../src/index.ts';

const insecure = (emu: RunningEmulator) => {
  const [host, port] = emu.vertexAddress.split(':');
  return {
    apiEndpoint: host,
    port: Number(port),
    sslCreds: grpc.credentials.createInsecure(),
    universeDomain: 'googleapis.com',
  };
};

/** The official TensorboardServiceClient, pointed at the emulator over gRPC. */
export const tensorboardClient = (emu: RunningEmulator) => new v1.TensorboardServiceClient(insecure(emu));
/** The official JobServiceClient, pointed at the emulator over gRPC. */
export const jobClient = (emu: RunningEmulator) => new v1.JobServiceClient(insecure(emu));

/** gRPC status code of a rejected call. */
export async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    const e = err as { code?: number; details?: string };
    return `${grpc.status[e.code ?? 2]}: ${e.details ?? ''}`;
  }
  return 'OK';
}
