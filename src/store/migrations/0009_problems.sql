CREATE TABLE "problem_cases" (
	"problem_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	"via" text NOT NULL,
	CONSTRAINT "problem_cases_problem_id_case_id_pk" PRIMARY KEY("problem_id","case_id")
);
--> statement-breakpoint
CREATE TABLE "problems" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"status" text NOT NULL,
	"name" text NOT NULL,
	"suggested_name" text NOT NULL,
	"category" text NOT NULL,
	"unit_code" text NOT NULL,
	"scope_units" text[] NOT NULL,
	"key_terms" jsonb NOT NULL,
	"profile" jsonb NOT NULL,
	"representative_ids" text[] NOT NULL,
	"proposed_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"confirmed_by" text,
	"fixed_at" timestamp with time zone,
	"fixed_by" text,
	"fix_note" text,
	"dismissed_at" timestamp with time zone,
	"dismissed_by" text,
	"dismiss_reason" text,
	"history" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "problem_cases_case_idx" ON "problem_cases" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "problems_scope_gin" ON "problems" USING gin ("scope_units");--> statement-breakpoint
CREATE INDEX "problems_group_idx" ON "problems" USING btree ("category","unit_code");