CREATE TABLE "upload_sessions" (
	"upload_id" uuid PRIMARY KEY NOT NULL,
	"track_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"size" bigint NOT NULL,
	"content_type" text NOT NULL,
	"declared_sha256" text,
	"sha256" text,
	"part_size" integer NOT NULL,
	"part_count" integer NOT NULL,
	"s3_upload_id" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"duplicate_of" uuid,
	"correlation_id" text NOT NULL,
	"event_id" uuid NOT NULL,
	"outcome" jsonb,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "upload_sessions_track_id_unique" UNIQUE("track_id")
);
--> statement-breakpoint
CREATE INDEX "upload_sessions_owner_idx" ON "upload_sessions" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "upload_sessions_status_created_idx" ON "upload_sessions" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "upload_sessions_unpublished_idx" ON "upload_sessions" USING btree ("updated_at") WHERE "upload_sessions"."outcome" IS NOT NULL AND "upload_sessions"."published_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "upload_sessions_owner_sha256_completed_idx" ON "upload_sessions" USING btree ("owner_id","sha256") WHERE "upload_sessions"."status" = 'completed';