ALTER TABLE "applications" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "inquiries" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "inquiries" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "sequence" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "last_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "receipt_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "applications_submission_idx" ON "applications" USING btree ("submitted_by","idempotency_key");--> statement-breakpoint
CREATE INDEX "outbox_subject_sequence_idx" ON "outbox" USING btree ("subject","sequence");