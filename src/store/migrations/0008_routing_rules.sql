CREATE TABLE "routing_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"match" jsonb NOT NULL,
	"target" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "intel_suggestions" ADD COLUMN "route" jsonb;