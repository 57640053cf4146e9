// The naive peer `npm run bench:submissions` measures next to Coleta: Express + pg, one INSERT per
// request, no validation beyond JSON parsing, no idempotency, no rate limits, no metrics, no logs.
// What a quick hand-written endpoint does; Coleta does far more per request and should still beat it.
// Environment: DATABASE_URL, PORT, POOL_SIZE (20, Coleta's default).
import express from "express";
import pg from "pg";

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_SIZE ?? 20),
});
await pool.query(
  "CREATE TABLE IF NOT EXISTS peer_submission (id uuid PRIMARY KEY, answers jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())",
);
const app = express();
app.use(express.json({ limit: "1mb" }));
app.get("/health", (_req, res) => res.send("ok"));
app.post("/submissions", async (req, res) => {
  try {
    const { rows } = await pool.query(
      "INSERT INTO peer_submission (id, answers) VALUES ($1, $2) RETURNING received_at",
      [req.body.id, JSON.stringify(req.body.answers)],
    );
    res.status(201).json({ id: req.body.id, receivedAt: rows[0].received_at });
  } catch (error) {
    res.status(500).json({ error: String(error) });
  }
});
const server = app.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => pool.end().then(() => process.exit(0))));
