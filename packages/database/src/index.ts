export * from './ensure-database.ts';
export * from './open-database.ts';
