export * from './applications.js';
export * from './application-events.js';
export * from './tasks.js';
export * from './inquiries.js';
export * from './licences.js';
export * from './definitions.js';
export * from './outbox.js';
export * from './licence-numbers.js';
