import type { Level } from "./components";

/**
 * The colours of the three levels wherever a person sees them (status page, Grafana), from the
 * Okabe–Ito palette so colour-blind readers can tell them apart. Colour is never the only signal:
 * every surface also shows a word and an icon shape.
 */
export const LEVEL_COLORS: Record<Level, string> = {
  ok: "#0072B2", // blue
  degraded: "#E69F00", // orange
  down: "#D55E00", // vermillion
};

/** Light backgrounds of the same hues, for rows and banners. */
export const LEVEL_TINTS: Record<Level, string> = {
  ok: "#E6F0F7",
  degraded: "#FDF2DC",
  down: "#FBE6DA",
};
