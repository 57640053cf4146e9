/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Set by base-paths.ts from API_BASE_PATH. */
  readonly VITE_API_BASE_PATH: string;
  /** Set by base-paths.ts from WEB_BASE_PATH. */
  readonly VITE_WEB_BASE_PATH: string;
}
