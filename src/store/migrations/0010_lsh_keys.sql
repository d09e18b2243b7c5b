CREATE TABLE "case_lsh_keys" (
	"key" bigint NOT NULL,
	"case_id" uuid NOT NULL,
	CONSTRAINT "case_lsh_keys_key_case_id_pk" PRIMARY KEY("key","case_id")
);
--> statement-breakpoint
-- Look-ups read the keys by an index-only scan: vacuum after every ~1,000 new cases, so that the visibility map covers all but the latest keys.
ALTER TABLE "case_lsh_keys" SET (autovacuum_vacuum_insert_threshold = 20000, autovacuum_vacuum_insert_scale_factor = 0);--> statement-breakpoint
-- Existing band keys move over: the stored int4 key is the low 32 bits (unsigned), its 15-day bucket the high 32.
INSERT INTO "case_lsh_keys" ("key", "case_id")
SELECT (floor(extract(epoch from s."created_at") / 1296000)::bigint << 32) | (k::bigint & 4294967295), s."case_id"
FROM "case_signatures" s, unnest(s."bands") AS k
ON CONFLICT DO NOTHING;--> statement-breakpoint
DROP INDEX "case_signatures_bands_gin";--> statement-breakpoint
ALTER TABLE "case_signatures" DROP COLUMN "bands";