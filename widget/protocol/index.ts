export * from './error-codes.js';
export * from './messages.js';
export * from './guards.js';
export * from './http.js';
