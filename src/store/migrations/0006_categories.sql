CREATE TABLE "category_overrides" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text,
	"description" text,
	"group" text,
	"keywords" text[],
	"case_type" text,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text
);
