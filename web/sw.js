// Preflight's service worker: after the first visit the app opens with no network. The cache
// is named for the build (scripts/bundle.mjs writes BUILD and FILES); a new build installs
// alongside, takes over at once, and the page says the new version applies on the next load.
const BUILD = "__BUILD__";
const FILES = __FILES__;
const CACHE = `preflight-${BUILD}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("preflight-") && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== location.origin) return;
  // The app's own files from this build's cache (a page's ?src=… is for the page, not the
  // cache); anything else — a checklist fetched by ?src= — goes to the network as usual.
  // caches.match, not caches.open: opening would recreate this build's cache after a newer
  // build deleted it.
  event.respondWith(caches.match(request, { cacheName: CACHE, ignoreSearch: request.mode === "navigate" })
    .then((hit) => hit || fetch(request)));
});
