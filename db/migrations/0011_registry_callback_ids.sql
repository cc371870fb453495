CREATE TABLE "registry_callback_ids" (
	"registry" text NOT NULL,
	"jti" text NOT NULL,
	"inquiry_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "registry_callback_ids_registry_jti_pk" PRIMARY KEY("registry","jti")
);
--> statement-breakpoint
CREATE INDEX "registry_callback_ids_expires_at" ON "registry_callback_ids" USING btree ("expires_at");