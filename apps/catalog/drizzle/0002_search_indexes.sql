-- Trigram (typo-tolerant) and full-text indexes over the accent-free, lower-case names.
CREATE INDEX "tracks_title_trgm_idx" ON "tracks" USING gin (f_unaccent(lower("title")) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX "albums_title_trgm_idx" ON "albums" USING gin (f_unaccent(lower("title")) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX "artists_name_trgm_idx" ON "artists" USING gin (f_unaccent(lower("name")) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX "tracks_title_fts_idx" ON "tracks" USING gin (to_tsvector('simple', f_unaccent(lower("title"))));
