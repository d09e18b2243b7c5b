ALTER TABLE "cases" ADD COLUMN "petition" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "complex" boolean DEFAULT false NOT NULL;