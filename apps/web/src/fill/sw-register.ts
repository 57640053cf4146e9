// Registers public/fill-sw.js so the fill page itself opens offline (a reload while queued still
// shows the saved response). Best effort: no service worker means online-only page loads.
export function registerOfflineShell(): void {
  const sw = globalThis.navigator?.serviceWorker;
  if (!sw || import.meta.env.DEV) return;
  const base = import.meta.env.BASE_URL;
  const assets = [
    ...[...document.querySelectorAll<HTMLScriptElement>("script[src]")].map((s) => s.src),
    ...[
      ...document.querySelectorAll<HTMLLinkElement>('link[rel="modulepreload"],link[rel="stylesheet"]'),
    ].map((l) => l.href),
  ];
  sw.register(`${base}fill-sw.js`, { scope: `${base}f/` })
    .then(() => sw.ready)
    .then((reg) => reg.active?.postMessage({ type: "precache", shell: location.pathname, urls: assets }))
    .catch(() => {
      // Unsupported (http on a LAN address, partitioned iframe): the outbox still protects answers.
    });
}
