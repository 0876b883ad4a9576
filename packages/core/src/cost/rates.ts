import { ValidationError } from '../errors.ts';
import { PRICE_TABLE, type PriceGroup, type PriceTable } from './price-table.ts';

/** A price looked up in the table, with what it is and where it comes from (for explanations). */
export interface Rate {
  usd: number;
  /** E.g. `n1-standard-4 for training`. */
  what: string;
  unit: string;
  source: string;
  checked: string;
  assumption?: string;
}

function fromGroup(group: PriceGroup, key: string, what: string, field: string, table: string): Rate {
  const usd = group.prices[key];
  if (usd === undefined) {
    throw new ValidationError(
      field,
      `no ${table} list price for ${JSON.stringify(key)}`,
      `Use one of ${Object.keys(group.prices).join(', ')}, or add it to packages/core/src/cost/price-table.ts from ${group.source}`,
    );
  }
  return {
    usd,
    what,
    unit: group.unit,
    source: group.source,
    checked: group.checked,
    ...(group.assumption ? { assumption: group.assumption } : {}),
  };
}

/** Custom-training price of one replica of `machineType` per hour. `field` names the option in errors. */
export function trainingMachineRate(
  machineType: string,
  field = 'machineType',
  table: PriceTable = PRICE_TABLE,
): Rate {
  return fromGroup(
    table.trainingMachines,
    machineType,
    `${machineType} for training`,
    field,
    'training machine',
  );
}

/** Custom-training price of one accelerator per hour. */
export function trainingAcceleratorRate(
  type: string,
  field = 'acceleratorType',
  table: PriceTable = PRICE_TABLE,
): Rate {
  return fromGroup(table.trainingAccelerators, type, `${type} for training`, field, 'training accelerator');
}

/** Online-prediction price of one node of `machineType` per hour. */
export function predictionMachineRate(
  machineType: string,
  field = 'machineType',
  table: PriceTable = PRICE_TABLE,
): Rate {
  return fromGroup(
    table.predictionMachines,
    machineType,
    `${machineType} for prediction`,
    field,
    'prediction machine',
  );
}

/** Online-prediction price of one accelerator per hour. */
export function predictionAcceleratorRate(
  type: string,
  field = 'acceleratorType',
  table: PriceTable = PRICE_TABLE,
): Rate {
  return fromGroup(
    table.predictionAccelerators,
    type,
    `${type} for prediction`,
    field,
    'prediction accelerator',
  );
}

/** A scalar price of the table as a {@link Rate}. */
export function itemRate(
  key:
    | 'automlImageTraining'
    | 'automlImageDeployment'
    | 'bigQueryAnalysis'
    | 'bigQueryMlCreateModel'
    | 'tensorboardStorage',
  table: PriceTable = PRICE_TABLE,
): Rate {
  const item = table[key];
  const what = {
    automlImageTraining: 'AutoML image training',
    automlImageDeployment: 'AutoML image deployment',
    bigQueryAnalysis: 'BigQuery analysis',
    bigQueryMlCreateModel: 'BigQuery ML CREATE MODEL',
    tensorboardStorage: 'TensorBoard storage',
  }[key];
  return {
    usd: item.usd,
    what,
    unit: item.unit,
    source: item.source,
    checked: item.checked,
    ...(item.assumption ? { assumption: item.assumption } : {}),
  };
}
