/** Reading DataItemViews and failed import operations into plain data. */
import type { protos } from '@google-cloud/aiplatform';
import { fromProtoValue, type JsonValue, type ProtoValue } from '../value.ts';
import type { DataItemInfo } from './dataset-stats.ts';
import { ML_USE_LABEL } from './schema.ts';

type IDataItemView = protos.google.cloud.aiplatform.v1.IDataItemView;
type IImportDataOperationMetadata = protos.google.cloud.aiplatform.v1.IImportDataOperationMetadata;

/** The metadata of a failed operation (gax decodes it only for successful ones). */
export function failedOperationMetadata(op: object): IImportDataOperationMetadata | undefined {
  const raw = op as {
    latestResponse?: { metadata?: { value?: Uint8Array | null } | null };
    longrunningDescriptor?: { metadataDecoder?: (bytes: Uint8Array) => IImportDataOperationMetadata };
  };
  const bytes = raw.latestResponse?.metadata?.value;
  try {
    return bytes ? raw.longrunningDescriptor?.metadataDecoder?.(bytes) : undefined;
  } catch {
    return undefined; // the error message alone still says what failed
  }
}

/** A data item and its annotations as a {@link DataItemInfo}. */
export function toDataItemInfo(view: IDataItemView): DataItemInfo {
  const item = view.dataItem ?? {};
  const payload = (fromProtoValue(item.payload as ProtoValue) ?? {}) as Record<string, JsonValue>;
  const itemLabels = { ...(item.labels ?? {}) };
  const mlUse = itemLabels[ML_USE_LABEL]?.toLowerCase();
  const labels = (view.annotations ?? [])
    .map((a) => (fromProtoValue(a.payload as ProtoValue) as Record<string, JsonValue> | null)?.displayName)
    .filter((l): l is string => typeof l === 'string');
  const info: DataItemInfo = {
    name: item.name ?? '',
    id: (item.name ?? '').split('/').pop() ?? '',
    gcsUri: String(payload.imageGcsUri ?? ''),
    labels: [...new Set(labels)],
    itemLabels,
  };
  if (typeof payload.mimeType === 'string') info.mimeType = payload.mimeType;
  if (mlUse === 'training' || mlUse === 'validation' || mlUse === 'test') info.mlUse = mlUse;
  return info;
}
