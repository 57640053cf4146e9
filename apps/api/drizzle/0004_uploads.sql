CREATE TABLE "upload" (
	"id" uuid PRIMARY KEY NOT NULL,
	"form_id" uuid NOT NULL,
	"submission_id" uuid,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text,
	"status" text NOT NULL,
	"storage_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "upload_submission_idx" ON "upload" USING btree ("submission_id");--> statement-breakpoint
CREATE INDEX "upload_unclaimed_expiry_idx" ON "upload" USING btree ("expires_at");--> statement-breakpoint
-- Erasure: whatever deletes submissions (the erase route, a form's deletion cascading) makes their
-- uploads expire at once, in the same statement; the sweep (apps/api/src/uploads/sweep.ts) then
-- deletes the bytes and the rows. Statement-level, so deleting a form's 100k rows is one UPDATE.
CREATE FUNCTION upload_expire_erased() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE upload SET expires_at = now() WHERE submission_id IN (SELECT id FROM erased);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER submission_erase_uploads AFTER DELETE ON submission
  REFERENCING OLD TABLE AS erased FOR EACH STATEMENT EXECUTE FUNCTION upload_expire_erased();
