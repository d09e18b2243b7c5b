ALTER TABLE "cases" ADD COLUMN "due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "due_soon_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "cases_due_idx" ON "cases" USING btree ("due_at") WHERE "cases"."due_at" is not null;--> statement-breakpoint
CREATE INDEX "cases_due_soon_idx" ON "cases" USING btree ("due_soon_at") WHERE "cases"."due_soon_at" is not null;