// Where the API and the web app are mounted by default. API_BASE_PATH / WEB_BASE_PATH override
// them (config/env.ts); the web build reads the same two variables and these defaults
// (apps/web/base-paths.ts), so both sides always agree.
export const DEFAULT_API_BASE_PATH = "/backend";
export const DEFAULT_WEB_BASE_PATH = "/frontend";
