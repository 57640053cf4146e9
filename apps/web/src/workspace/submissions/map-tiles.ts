// The basemap is defined with the security headers that allow it (@coleta/http-policy/map-tiles):
// change the tile server there and the CSP follows.
export { MAP_TILES } from "@coleta/http-policy/map-tiles";
