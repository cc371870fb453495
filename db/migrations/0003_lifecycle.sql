CREATE TABLE "licence_holdings" (
	"holding" text NOT NULL,
	"holder_national_code" text NOT NULL,
	"application_id" text NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "licence_holdings_holding_holder_national_code_pk" PRIMARY KEY("holding","holder_national_code")
);
--> statement-breakpoint
CREATE TABLE "supervision_records" (
	"id" text PRIMARY KEY NOT NULL,
	"licence_number" text NOT NULL,
	"kind" text NOT NULL,
	"level" text NOT NULL,
	"visited_on" text NOT NULL,
	"result" text NOT NULL,
	"findings" jsonb NOT NULL,
	"opened" text,
	"change_application_id" text,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "depends_on" text;--> statement-breakpoint
ALTER TABLE "licence_holdings" ADD CONSTRAINT "licence_holdings_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_records" ADD CONSTRAINT "supervision_records_licence_number_licences_number_fk" FOREIGN KEY ("licence_number") REFERENCES "public"."licences"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_records" ADD CONSTRAINT "supervision_records_change_application_id_applications_id_fk" FOREIGN KEY ("change_application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "supervision_records_licence_idx" ON "supervision_records" USING btree ("licence_number","recorded_at");--> statement-breakpoint
ALTER TABLE "licences" ADD CONSTRAINT "licences_depends_on_licences_number_fk" FOREIGN KEY ("depends_on") REFERENCES "public"."licences"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "licences_depends_on_idx" ON "licences" USING btree ("depends_on");