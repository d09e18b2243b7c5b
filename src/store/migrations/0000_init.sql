CREATE TABLE "audit_anchors" (
	"id" serial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"heads" jsonb NOT NULL,
	"case_count" integer NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"mac" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" text NOT NULL,
	"actor_role" text NOT NULL,
	"actor_unit" text,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"payload" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tracking_no" text NOT NULL,
	"channel" text NOT NULL,
	"type" text NOT NULL,
	"category" text,
	"content" text NOT NULL,
	"address" text,
	"lat" real,
	"lng" real,
	"urgency" text DEFAULT 'normal' NOT NULL,
	"group_size" integer,
	"amount" numeric(14, 2),
	"intake_unit_code" text NOT NULL,
	"lead_unit_code" text,
	"co_unit_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"scope_units" text[] NOT NULL,
	"status" text NOT NULL,
	"status_category" text NOT NULL,
	"citizen_name" text,
	"citizen_phone" text,
	"citizen_phone_index" text,
	"anonymous" boolean DEFAULT false NOT NULL,
	"reply" text,
	"rating" jsonb,
	"merged_into" uuid,
	"return_reason" text,
	"contacted_at" timestamp with time zone,
	"first_feedback_at" timestamp with time zone,
	"dispatched_at" timestamp with time zone,
	"signed_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"event_seq" integer DEFAULT 0 NOT NULL,
	"head_hash" text,
	"anchored_seq" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "daily_counters" (
	"name" text NOT NULL,
	"day" text NOT NULL,
	"value" integer NOT NULL,
	CONSTRAINT "daily_counters_name_day_pk" PRIMARY KEY("name","day")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "units" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"site_type" text,
	"parent_code" text,
	"ancestors" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"unit_code" text NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_unit_code_units_code_fk" FOREIGN KEY ("unit_code") REFERENCES "public"."units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "case_events_case_seq_uq" ON "case_events" USING btree ("case_id","seq");--> statement-breakpoint
CREATE INDEX "cases_unanchored_idx" ON "cases" USING btree ("id") WHERE "cases"."event_seq" <> "cases"."anchored_seq";--> statement-breakpoint
CREATE UNIQUE INDEX "cases_tracking_uq" ON "cases" USING btree ("tracking_no");--> statement-breakpoint
CREATE INDEX "cases_scope_gin" ON "cases" USING gin ("scope_units");--> statement-breakpoint
CREATE INDEX "cases_created_idx" ON "cases" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "cases_phone_idx" ON "cases" USING btree ("citizen_phone_index");--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "cases" USING btree ("status_category","status");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "units_parent_idx" ON "units" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "units_ancestors_gin" ON "units" USING gin ("ancestors");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_uq" ON "users" USING btree ("username");