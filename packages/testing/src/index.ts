export * from './service-urls.ts';
export * from './isolated-names.ts';
