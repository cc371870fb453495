CREATE TABLE "rate_limit_counters" (
	"bucket" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "change_lock" text;--> statement-breakpoint
CREATE UNIQUE INDEX "applications_running_change_idx" ON "applications" USING btree ("change_lock") WHERE "applications"."status" = 'running' and "applications"."change_lock" is not null;