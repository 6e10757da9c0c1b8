ALTER TABLE "tracks" ADD COLUMN "artist_key" text;--> statement-breakpoint
ALTER TABLE "tracks" ADD COLUMN "album_title_key" text;--> statement-breakpoint
ALTER TABLE "tracks" ADD COLUMN "album_artist_id" uuid;--> statement-breakpoint
ALTER TABLE "tracks" ADD COLUMN "album_artist_key" text;--> statement-breakpoint
CREATE INDEX "tracks_album_artist_idx" ON "tracks" USING btree ("album_artist_id");