/**
 * The workflows `npm run bench:process` bundles: the generic interpreter, the same process
 * written by hand, and the trivial ceiling, so one worker runs all three on the same task queue.
 */
export { licenceProcess } from '../../workflows/licence-process.js';
export { welfareCentreHandwritten } from './welfare-centre-handwritten.js';
export { trivialProcess } from './trivial-workflow.js';
