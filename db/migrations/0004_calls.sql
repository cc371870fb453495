CREATE TABLE "call_entries" (
	"application_id" text PRIMARY KEY NOT NULL,
	"call_id" text NOT NULL,
	"university" text NOT NULL,
	"applicant_national_code" text NOT NULL,
	"tracking_code" text NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	"documents" jsonb NOT NULL,
	"status" text DEFAULT 'registered' NOT NULL,
	"reason" text,
	"facts" jsonb,
	"exam_score" double precision,
	"standing" jsonb,
	"shortlist_rank" integer,
	"final_rank" integer,
	"invited" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calls" (
	"id" text PRIMARY KEY NOT NULL,
	"definition_version" integer NOT NULL,
	"definition_hash" text NOT NULL,
	"workflow_id" text NOT NULL,
	"stage" text DEFAULT 'registration' NOT NULL,
	"registration_closes_at" timestamp with time zone NOT NULL,
	"documents_due_at" timestamp with time zone NOT NULL,
	"exam_recorded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calls_workflow_id_unique" UNIQUE("workflow_id")
);
--> statement-breakpoint
ALTER TABLE "call_entries" ADD CONSTRAINT "call_entries_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_entries" ADD CONSTRAINT "call_entries_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "call_entries_applicant_idx" ON "call_entries" USING btree ("call_id","applicant_national_code");--> statement-breakpoint
CREATE INDEX "call_entries_status_idx" ON "call_entries" USING btree ("call_id","status");