/** The workflows the worker registers (bundled for Temporal's deterministic sandbox). */
export { licenceProcess } from './licence-process.js';
export { outboxDelivery } from './outbox-delivery.js';
export { callProcess } from './call-process.js';
