import { sql } from "drizzle-orm";
import { customType } from "drizzle-orm/pg-core";

export interface GeoPointValue {
  lat: number;
  lon: number;
}

/** PostGIS geography(Point, 4326): metres-based distance queries without projection worries. */
export const geographyPoint = customType<{ data: GeoPointValue; driverData: string }>({
  dataType() {
    return "geography(Point,4326)";
  },
  toDriver(value) {
    return sql`ST_SetSRID(ST_MakePoint(${value.lon}, ${value.lat}), 4326)::geography` as unknown as string;
  },
});
