-- Each submission's CSV cells as the default export writes them, and the stamp of the columns and
-- rules they were written with (apps/api/src/submissions/stored-cells.ts; decision 0010). Rows
-- stored before have none and are rendered at export, as before: adding a nullable column without
-- a default rewrites nothing, however many rows there are.
ALTER TABLE "submission" ADD COLUMN "csv_cells" text;--> statement-breakpoint
ALTER TABLE "submission" ADD COLUMN "csv_stamp" text;--> statement-breakpoint
-- Cells are of the answers they were rendered from: whatever changes a row's answers without
-- writing its cells too (a script, a fix by hand) clears them, so an export never passes on cells
-- of answers that are gone.
CREATE FUNCTION submission_csv_cells_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.csv_cells := NULL;
  NEW.csv_stamp := NULL;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER submission_csv_cells_stale BEFORE UPDATE OF answers ON "submission" FOR EACH ROW
  WHEN (NEW.answers IS DISTINCT FROM OLD.answers AND NEW.csv_cells IS NOT DISTINCT FROM OLD.csv_cells)
  EXECUTE FUNCTION submission_csv_cells_clear();
