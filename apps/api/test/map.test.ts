import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAP_MAX_POINTS } from "../src/submissions/map";
import type { TestClient } from "./support/client";
import { publishedForm } from "./support/fixtures";
import { MAP_CELLS_DIFFERING } from "./support/map-cells";
import { scaleDefinition, seedSubmissions } from "./support/scale";
import type { TestStack } from "./support/stack";
import { type FormSuite, startFormSuite } from "./support/suite";

// The workspace map: clusters from the cells the writing statements keep, points when few enough,
// the same answers with filters (grouped on the fly), and cells that stay exact through erasures,
// bulk statements and a deleted form. Every expectation is checked against a brute-force count of
// the submissions themselves.

const ROWS = 6_000;
let suite: FormSuite, stack: TestStack, owner: TestClient, orgId: string, formId: string, slug: string;

const query = <T>(text: string, params?: unknown[]) => stack.services.database.query<T>(text, params);

beforeAll(async () => {
  suite = await startFormSuite(scaleDefinition);
  ({ stack, owner, orgId, formId, slug } = suite);
  await seedSubmissions(query, formId, ROWS, { chunk: 3_000 });
}, 300_000);
afterAll(() => suite?.stop());

interface MapReply {
  errors?: { path: string }[];
  zoom: number;
  total: number;
  clusters: { lat: number; lon: number; count: number }[];
  points: { id: string; lat: number; lon: number }[];
}

const map = (params: string) =>
  owner.get<MapReply>(`/orgs/${orgId}/forms/${formId}/submissions/map?${params}`);

/** Located submissions inside a lat/lon box, counted from the rows themselves. */
type Box = readonly [west: number, south: number, east: number, north: number];

async function countInBox([west, south, east, north]: Box, extra = "TRUE") {
  const [row] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM submission
     WHERE form_id = $1 AND location IS NOT NULL AND ${extra}
       AND ST_Y(location::geometry) BETWEEN $3::float8 AND $5::float8
       AND (CASE WHEN $2::float8 <= $4::float8 THEN ST_X(location::geometry) BETWEEN $2::float8 AND $4::float8
                 ELSE ST_X(location::geometry) >= $2::float8 OR ST_X(location::geometry) <= $4::float8 END)`,
    [formId, west, south, east, north],
  );
  return row?.n ?? -1;
}

/** The stored cells must equal the cells recomputed from every located submission, at every level. */
async function expectExactCells() {
  const [row] = await query<{ n: number }>(MAP_CELLS_DIFFERING);
  expect(row?.n).toBe(0);
}

describe("workspace map", () => {
  it("keeps one cell row per level and occupied cell, exactly", async () => {
    await expectExactCells();
  });

  it("clusters the whole form at a world zoom, from the stored cells", async () => {
    const reply = await map("zoom=2");
    expect(reply.status).toBe(200);
    expect(reply.body.points).toEqual([]);
    expect(reply.body.total).toBe(await countInBox([-180, -90, 180, 90]));
    expect(reply.body.clusters.reduce((sum, c) => sum + c.count, 0)).toBe(ROWS);
    // Clusters sit at their members' mean position, inside the seeded area.
    for (const cluster of reply.body.clusters) {
      expect(cluster.lat).toBeGreaterThanOrEqual(-33);
      expect(cluster.lat).toBeLessThanOrEqual(-5);
      expect(cluster.lon).toBeGreaterThanOrEqual(-73);
      expect(cluster.lon).toBeLessThanOrEqual(-34);
    }
    // At zoom 2 the grid is 16 cells a side: the seeded area spans a handful of them.
    expect(reply.body.clusters.length).toBeLessThan(20);
  });

  it("counts what is in the view at each zoom", async () => {
    for (const [zoom, box] of [
      [4, [-60, -25, -45, -10]],
      [7, [-50, -20, -48, -18]],
      [10, [-49.2, -19.2, -48.9, -18.9]],
    ] as const) {
      const reply = await map(`zoom=${zoom}&bbox=${box.join(",")}`);
      expect(reply.status).toBe(200);
      const inside = await countInBox(box);
      if (inside > MAP_MAX_POINTS) {
        // Cells overlapping the edge count whole: at least what is inside, never all of the form.
        expect(reply.body.total).toBeGreaterThanOrEqual(inside);
        expect(reply.body.total).toBeLessThan(ROWS);
      } else {
        expect(reply.body.total).toBe(inside);
        expect(reply.body.points).toHaveLength(inside);
      }
    }
  });

  it("gives every point with its id when few enough are in view", async () => {
    const box = [-50, -20, -48.5, -18.5] as const;
    const reply = await map(`zoom=9&bbox=${box.join(",")}`);
    expect(reply.body.clusters).toEqual([]);
    expect(reply.body.points.length).toBe(await countInBox(box));
    expect(reply.body.points.length).toBeGreaterThan(0);
    const first = reply.body.points[0] as MapReply["points"][number];
    expect(first.lat).toBeGreaterThanOrEqual(box[1]);
    expect(first.lon).toBeLessThanOrEqual(box[2]);
    const opened = await owner.get(`/orgs/${orgId}/forms/${formId}/submissions/${first.id}`);
    expect(opened.status).toBe(200);
  });

  it("applies the list's filters to the map (grouped on the fly)", async () => {
    const reply = await map("zoom=3&field.has_pet=true");
    expect(reply.status).toBe(200);
    const withPets = await countInBox([-180, -90, 180, 90], `answers @> '{"has_pet":true}'`);
    expect(withPets).toBeGreaterThan(MAP_MAX_POINTS);
    expect(reply.body.total).toBe(withPets);
    expect(reply.body.clusters.reduce((sum, c) => sum + c.count, 0)).toBe(withPets);
  });

  it("applies a radius to the map: clusters when many are inside, every point when few", async () => {
    const within = async (radius: number) => {
      const [row] = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM submission WHERE form_id = $1
         AND ST_DWithin(location, ST_SetSRID(ST_MakePoint(-53.5, -19), 4326)::geography, $2)`,
        [formId, radius],
      );
      return row?.n ?? -1;
    };
    const wide = await map("zoom=4&near=-19,-53.5,1500000");
    expect(wide.status).toBe(200);
    const many = await within(1_500_000);
    expect(many).toBeGreaterThan(MAP_MAX_POINTS);
    expect(many).toBeLessThan(ROWS);
    expect(wide.body.points).toEqual([]);
    expect(wide.body.total).toBe(many);
    expect(wide.body.clusters.reduce((sum, c) => sum + c.count, 0)).toBe(many);
    const narrow = await map("zoom=8&near=-19,-53.5,300000");
    const few = await within(300_000);
    expect(few).toBeGreaterThan(0);
    expect(narrow.body.clusters).toEqual([]);
    expect(narrow.body.total).toBe(few);
    expect(narrow.body.points).toHaveLength(few);
  });

  it("draws a view across the antimeridian", async () => {
    const east = randomUUID();
    const west = randomUUID();
    await query(
      `INSERT INTO submission (id, form_id, form_version, answers, location) VALUES
       ($1, $3, 1, '{}', ST_SetSRID(ST_MakePoint(179.5, 1), 4326)::geography),
       ($2, $3, 1, '{}', ST_SetSRID(ST_MakePoint(-179.5, -1), 4326)::geography)`,
      [east, west, formId],
    );
    const reply = await map("zoom=6&bbox=179,-5,-179,5");
    expect(reply.body.points.map((p) => p.id).sort()).toEqual([east, west].sort());
    const listed = await owner.get<{ items: { id: string }[] }>(
      `/orgs/${orgId}/forms/${formId}/submissions?bbox=179,-5,-179,5`,
    );
    expect(listed.body.items.map((i) => i.id).sort()).toEqual([east, west].sort());
    await expectExactCells();
  });

  it("answers boxes of any size, up to the whole world, exactly", async () => {
    for (const box of [
      [-180, -90, 180, 90],
      [-170, -80, 170, 80],
      [-100, -60, 100, 60],
      [-73, -33, -34, -5],
      [-50, -20, -50, -20],
    ] as const) {
      const reply = await map(`zoom=20&bbox=${box.join(",")}`);
      expect(reply.status).toBe(200);
      const inside = await countInBox(box);
      if (inside <= MAP_MAX_POINTS) expect(reply.body.points.length, box.join(",")).toBe(inside);
      else expect(reply.body.total, box.join(",")).toBe(inside);
    }
  });

  it("refuses a malformed view with a problem naming the parameter", async () => {
    for (const bad of ["1,2,3", "a,b,c,d", "-50,10,-40,5", "-200,0,0,10", "1,2,3,4,5", ",,,"]) {
      const reply = await map(`bbox=${encodeURIComponent(bad)}`);
      expect(reply.status, bad).toBe(400);
      expect(reply.body.errors?.[0]?.path).toBe("bbox");
    }
    for (const zoom of ["-1", "23", "1.5", "x"]) expect((await map(`zoom=${zoom}`)).status).toBe(400);
  });

  it("stays exact through submissions, erasures, bulk statements and a deleted form", async () => {
    const id = randomUUID();
    const sent = await owner.request("POST", `/backend/public/forms/${slug}/submissions`, {
      id,
      answers: { name: "Mapped", where: { lat: -10.5, lon: -40.25, accuracy: 5 } },
    });
    expect([200, 201]).toContain(sent.status);
    await expectExactCells();
    expect((await owner.delete(`/orgs/${orgId}/forms/${formId}/submissions/${id}`)).status).toBe(204);
    await query(`DELETE FROM submission WHERE form_id = $1 AND answers @> '{"fruit":"mango"}'`, [formId]);
    await expectExactCells();
    const spare = await publishedForm(owner, orgId, scaleDefinition);
    await seedSubmissions(query, spare.formId, 500);
    expect((await owner.delete(`/orgs/${orgId}/forms/${spare.formId}`)).status).toBe(204);
    await expectExactCells();
    const [{ n } = { n: -1 }] = await query<{ n: number }>(
      "SELECT count(*)::int AS n FROM submission_map_cell WHERE form_id = $1",
      [spare.formId],
    );
    expect(n).toBe(0);
  });
});
