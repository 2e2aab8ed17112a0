export { cumulativeAblation, fitsInput } from './ablate.js';
export { keyQuantities, type KeyQuantities, type KeyQuantityOptions } from './key-quantities.js';
export { resolveTargetLayer } from './target-layer.js';
export { labelsToClassIndices } from './labels.js';
export type { AblationOptions, AblationResult, AblationStrategy, ClassAblation } from './options.js';
