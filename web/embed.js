// embed.html?src=<checklist URL>&ns=<namespace>[&compact][&origin=<host origin>]: one checklist,
// sized by its host page. The page posts its height to the parent whenever it changes; the
// host snippet (embed-host.js) resizes the iframe. The message names its target origin where
// it is known: the origin= parameter, else the embedding page's origin as the browser reports it.
(() => {
  const params = new URLSearchParams(location.search);
  const el = document.createElement("preflight-checklist");
  // No checklist named: the built-in sample rather than an empty frame.
  // A src in this page's own address is a link anyone can write: shown with where it came from,
  // kept only when the user says so.
  if (params.get("src")) { el.setAttribute("src", params.get("src")); el.setAttribute("from-link", ""); }
  else el.setAttribute("sample", "");
  el.setAttribute("namespace", params.get("ns") || "embed");
  if (params.has("compact")) el.setAttribute("compact", "");
  document.body.append(el);
  // Offline after the first visit, like the app (the same worker and cache serve both).
  if ("serviceWorker" in navigator && /^https?:$/.test(location.protocol)) navigator.serviceWorker.register("sw.js").catch(() => {});

  if (window.parent === window) return;
  const targetOrigin = (() => {
    const given = params.get("origin");
    if (given) return given;
    if (location.ancestorOrigins?.length) return location.ancestorOrigins[0];
    try { return new URL(document.referrer).origin; } catch { return "*"; } // a height is no secret
  })();
  let last = 0;
  const post = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "preflight:height", height }, targetOrigin === "null" ? "*" : targetOrigin);
  };
  new ResizeObserver(post).observe(document.documentElement);
  el.addEventListener("preflight-ready", post);
})();
