-- MinHash values become 128 bytes (32 big-endian int32, similar.ts packMinhash), converted through a new column (a type change cannot read a subquery).
ALTER TABLE "case_signatures" ADD COLUMN "minhash_packed" bytea;--> statement-breakpoint
UPDATE "case_signatures" SET "minhash_packed" = (SELECT string_agg(int4send(v), ''::bytea ORDER BY i) FROM unnest("minhash") WITH ORDINALITY AS m(v, i));--> statement-breakpoint
ALTER TABLE "case_signatures" DROP COLUMN "minhash";--> statement-breakpoint
ALTER TABLE "case_signatures" RENAME COLUMN "minhash_packed" TO "minhash";--> statement-breakpoint
ALTER TABLE "case_signatures" ALTER COLUMN "minhash" SET NOT NULL;
