CREATE TABLE "albums" (
	"id" uuid PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"title_key" text NOT NULL,
	"artist_id" uuid NOT NULL,
	"year" integer,
	"cover_key" text,
	"rank" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "artists" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"rank" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deleted_tracks" (
	"track_id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"deleted_by" uuid NOT NULL,
	"deleted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "listening_history" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"track_id" uuid NOT NULL,
	"session_id" text NOT NULL,
	"kind" text NOT NULL,
	"position_ms" integer NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "play_counts" (
	"track_id" uuid PRIMARY KEY NOT NULL,
	"plays" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "processed_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "renditions" (
	"track_id" uuid NOT NULL,
	"name" text NOT NULL,
	"bitrate" integer NOT NULL,
	"average_bitrate" integer NOT NULL,
	"codecs" text NOT NULL,
	"playlist_key" text NOT NULL,
	CONSTRAINT "renditions_track_id_name_pk" PRIMARY KEY("track_id","name")
);
--> statement-breakpoint
CREATE TABLE "tracks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid,
	"title" text,
	"artist_id" uuid,
	"album_id" uuid,
	"track_number" integer,
	"disc_number" integer,
	"year" integer,
	"genre" text,
	"filename" text,
	"sha256" text,
	"size_bytes" integer,
	"cover_key" text,
	"artist_credit" text,
	"album_credit" text,
	"album_artist_credit" text,
	"upload_outcome" text,
	"upload_rank" text,
	"upload_error" text,
	"transcode_outcome" text,
	"transcode_rank" text,
	"transcode_error" text,
	"status" text NOT NULL,
	"duration_ms" integer,
	"master_key" text,
	"waveform_key" text,
	"integrated_lufs" real,
	"true_peak_db" real,
	"gain_db" real,
	"created_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"roles" text[] NOT NULL,
	"rank" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "albums_artist_title_idx" ON "albums" USING btree ("artist_id","title_key");--> statement-breakpoint
CREATE UNIQUE INDEX "artists_name_key_idx" ON "artists" USING btree ("name_key");--> statement-breakpoint
CREATE INDEX "listening_history_user_idx" ON "listening_history" USING btree ("user_id","occurred_at");--> statement-breakpoint
CREATE INDEX "listening_history_track_idx" ON "listening_history" USING btree ("track_id");--> statement-breakpoint
CREATE INDEX "tracks_created_idx" ON "tracks" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "tracks_owner_idx" ON "tracks" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "tracks_artist_idx" ON "tracks" USING btree ("artist_id");--> statement-breakpoint
CREATE INDEX "tracks_album_idx" ON "tracks" USING btree ("album_id");--> statement-breakpoint
CREATE INDEX "tracks_status_idx" ON "tracks" USING btree ("status");