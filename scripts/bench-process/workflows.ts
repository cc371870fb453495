/**
 * The workflows `npm run bench:process` bundles: the generic interpreter and the same process
 * written by hand, so one worker runs both on the same task queue.
 */
export { licenceProcess } from '../../workflows/licence-process.js';
export { welfareCentreHandwritten } from './welfare-centre-handwritten.js';
