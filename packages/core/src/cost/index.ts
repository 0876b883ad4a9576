export { PRICE_TABLE, type PriceGroup, type PriceItem, type PriceTable } from './price-table.ts';
export {
  itemRate,
  predictionAcceleratorRate,
  predictionMachineRate,
  type Rate,
  trainingAcceleratorRate,
  trainingMachineRate,
} from './rates.ts';
