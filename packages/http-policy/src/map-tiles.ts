// The basemap behind the workspace map, defined once: the web draws these tiles
// (apps/web/src/workspace/submissions/SubmissionsMap.tsx) and every Content-Security-Policy allows
// images from their origin (index.ts). To use another tile server (your own, or a provider with a
// key), change it here and rebuild: the web, the API, CloudFront and nginx follow. `url: null`
// draws the points on a plain background, for installations without internet access.

export interface MapTiles {
  /** XYZ template, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; null for no basemap. */
  readonly url: string | null;
  /** Credit shown on the map, as the tiles' licence asks (HTML). */
  readonly attribution: string;
}

/** OpenStreetMap's standard tiles (https://operations.osmfoundation.org/policies/tiles/). */
export const MAP_TILES: MapTiles = {
  url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
  attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
};

/** The origin images of the basemap come from ("https://tile.openstreetmap.org"), if any. */
export function mapTileOrigin(tiles: MapTiles = MAP_TILES): string | null {
  return tiles.url ? new URL(tiles.url.replace(/\{[a-z]\}/g, "0")).origin : null;
}
