import { describe, expect, it } from "vitest";
import { computeBounds, gridLines, niceStep, project } from "./geo";

describe("summary map maths", () => {
  it("fits all points with a margin", () => {
    const b = computeBounds([
      { lat: -23.55, lon: -46.63 },
      { lat: -22.9, lon: -43.2 },
      { lat: -15.8, lon: -47.9 },
    ]);
    expect(b).not.toBeNull();
    if (!b) return;
    expect(b.minLat).toBeLessThan(-23.55);
    expect(b.maxLat).toBeGreaterThan(-15.8);
    expect(b.minLon).toBeLessThan(-47.9);
    expect(b.maxLon).toBeGreaterThan(-43.2);
    // 10% of the span on each side.
    expect(b.maxLat - b.minLat).toBeCloseTo((23.55 - 15.8) * 1.2, 6);
  });

  it("gives a single point a small frame around it, and ignores invalid points", () => {
    const b = computeBounds([
      { lat: 10, lon: 20 },
      { lat: Number.NaN, lon: 1 },
      { lat: 95, lon: 0 },
    ]);
    expect(b).not.toBeNull();
    if (!b) return;
    expect(b.minLat).toBeLessThan(10);
    expect(b.maxLat).toBeGreaterThan(10);
    expect(b.maxLon - b.minLon).toBeGreaterThan(0);
    expect(computeBounds([])).toBeNull();
  });

  it("clamps to the globe", () => {
    const b = computeBounds([
      { lat: -90, lon: -180 },
      { lat: 90, lon: 180 },
    ]);
    expect(b).toEqual({ minLat: -90, maxLat: 90, minLon: -180, maxLon: 180 });
  });

  it("chooses nice graticule steps and lines inside the bounds", () => {
    expect(niceStep(10)).toBe(2);
    expect(niceStep(0.05)).toBeCloseTo(0.01);
    expect(gridLines(-23.9, -15.1, 2)).toEqual([-22, -20, -18, -16]);
  });

  it("projects north up and west left inside the box", () => {
    const b = { minLat: 0, maxLat: 10, minLon: 0, maxLon: 10 };
    const p = project(b, 200, 200);
    expect(p.y(10)).toBeCloseTo(0);
    expect(p.y(0)).toBeCloseTo(p.height);
    expect(p.x(0)).toBeCloseTo(0);
    expect(p.x(10)).toBeCloseTo(p.width);
    expect(p.width).toBeLessThanOrEqual(200);
    expect(p.height).toBeLessThanOrEqual(200);
  });
});
