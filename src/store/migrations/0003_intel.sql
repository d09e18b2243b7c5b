CREATE TABLE "case_flags" (
	"case_id" uuid NOT NULL,
	"flag" text NOT NULL,
	"words" text[] NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"cleared_at" timestamp with time zone,
	"cleared_by" text,
	"clear_reason" text,
	CONSTRAINT "case_flags_case_id_flag_pk" PRIMARY KEY("case_id","flag")
);
--> statement-breakpoint
CREATE TABLE "case_signatures" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"area_code" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"minhash" integer[] NOT NULL,
	"bands" integer[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intel_corrections" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_value" text,
	"to_value" text NOT NULL,
	"suggested" text,
	"by" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intel_models" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"labels" text[] NOT NULL,
	"metrics" jsonb NOT NULL,
	"model" jsonb NOT NULL,
	"training" jsonb,
	"active" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intel_suggestions" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"model_id" integer,
	"categories" jsonb NOT NULL,
	"location" jsonb,
	"similar" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "case_signatures_bands_gin" ON "case_signatures" USING gin ("bands");--> statement-breakpoint
CREATE INDEX "case_signatures_created_idx" ON "case_signatures" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "intel_corrections_kind_idx" ON "intel_corrections" USING btree ("kind","id");--> statement-breakpoint
CREATE INDEX "intel_models_kind_idx" ON "intel_models" USING btree ("kind","active");