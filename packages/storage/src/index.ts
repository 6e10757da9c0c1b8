export * from './storage-config.ts';
export * from './object-store.ts';
export * from './presigned-multipart.ts';
