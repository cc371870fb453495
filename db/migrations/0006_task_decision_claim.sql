ALTER TABLE "tasks" ADD COLUMN "decision_delivery" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "decision_attempted_at" timestamp with time zone;