export * from './start-service.ts';
export * from './base-env.ts';
export * from './shutdown-hooks.ts';
