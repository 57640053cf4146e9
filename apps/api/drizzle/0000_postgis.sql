-- PostGIS backs geopoint answers (geography columns, radius filters). On RDS the extension is
-- available to the master user; locally PGlite ships it.
CREATE EXTENSION IF NOT EXISTS postgis;
