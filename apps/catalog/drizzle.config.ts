import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/repositories/schema.ts',
  out: './drizzle',
});
