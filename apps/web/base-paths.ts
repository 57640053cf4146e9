// A relative import on purpose: Vite loads this config with Node, which cannot run a workspace
// package's TypeScript when it is imported by name ("@coleta/api/base-paths" is for code Vite builds).
import { DEFAULT_API_BASE_PATH, DEFAULT_WEB_BASE_PATH } from "../api/src/config/base-paths.ts";

// The web is built for the paths the API serves: the same API_BASE_PATH / WEB_BASE_PATH settings
// and defaults as the API (docs/configuration.md). Used by vite.config.ts and vitest.config.ts; the
// code reads them as import.meta.env.VITE_API_BASE_PATH and VITE_WEB_BASE_PATH (src/config.ts).
export const apiBasePath = process.env.API_BASE_PATH || DEFAULT_API_BASE_PATH;
export const webBasePath = process.env.WEB_BASE_PATH || DEFAULT_WEB_BASE_PATH;

export const basePathConfig = {
  base: `${webBasePath}/`,
  define: {
    "import.meta.env.VITE_API_BASE_PATH": JSON.stringify(apiBasePath),
    "import.meta.env.VITE_WEB_BASE_PATH": JSON.stringify(webBasePath),
  },
};
