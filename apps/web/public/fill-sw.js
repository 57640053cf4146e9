// Offline shell for the respondent fill page (/frontend/f/<slug>). Registered by src/fill/sw-register.ts
// with scope <base>f/. Navigations are network-first with the last fill page as fallback; hashed
// assets are cache-first. API calls are never touched: the page's outbox handles those.
const CACHE = "coleta-fill-v1";
const BASE = new URL("./", self.location.href).pathname; // "/frontend/"
const SHELL = `${BASE}f/__shell__`;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

async function put(key, response) {
  if (!response?.ok) return;
  const cache = await caches.open(CACHE);
  await cache.put(key, response);
}

self.addEventListener("message", (event) => {
  const data = event.data;
  if (data?.type !== "precache") return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      if (data.shell) {
        try {
          await put(SHELL, await fetch(data.shell, { cache: "no-store" }));
        } catch {}
      }
      await Promise.all(
        (data.urls || []).map(async (url) => {
          if (!(await cache.match(url))) {
            try {
              await put(url, await fetch(url));
            } catch {}
          }
        }),
      );
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith(`${BASE}f/`)) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) event.waitUntil(put(SHELL, response.clone()));
          return response;
        })
        .catch(async () => (await caches.match(SHELL)) || Response.error()),
    );
    return;
  }
  if (url.pathname.startsWith(`${BASE}assets/`)) {
    event.respondWith(
      caches.match(request).then(
        (hit) =>
          hit ||
          fetch(request).then((response) => {
            event.waitUntil(put(request, response.clone()));
            return response;
          }),
      ),
    );
  }
});
