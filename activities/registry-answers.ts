/**
 * What each registry may answer. The schemas now live with their systems in `./registries/`;
 * this module keeps the names the callback service imports.
 */
export { checkAnswer, inquiryReply } from './registries/index.js';
