// Where the web app and the API are mounted, fixed at build time from API_BASE_PATH and
// WEB_BASE_PATH (base-paths.ts): never write "/backend" or "/frontend" in the code.

/** The API's base path, e.g. "/backend". */
export const API_BASE: string = import.meta.env.VITE_API_BASE_PATH;
/** The web app's base path, e.g. "/frontend" (Vite's `base` is this plus "/"). */
export const WEB_BASE: string = import.meta.env.VITE_WEB_BASE_PATH;
