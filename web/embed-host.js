// Include once on a page that embeds Preflight with <iframe src=".../embed.html?src=…">: it
// sizes each Preflight iframe to its content. A message is believed only when it comes from
// the window of one of this page's iframes, that iframe loads Preflight's embed page, and the
// message comes from Preflight's own origin — the origin this script was loaded from. Any other
// iframe (an ad, a widget) that posts the same message resizes nothing.
(() => {
  const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  let preflight = null;
  try { preflight = script && script.src ? new URL(script.src, location.href).origin : null; } catch { preflight = null; }
  if (!preflight) return;
  addEventListener("message", (event) => {
    const data = event.data;
    if (event.origin !== preflight) return;
    if (!data || data.type !== "preflight:height" || !Number.isFinite(data.height)) return;
    for (const frame of document.getElementsByTagName("iframe")) {
      if (frame.contentWindow !== event.source) continue;
      let url;
      try { url = new URL(frame.src, location.href); } catch { return; }
      if (url.origin !== preflight || !url.pathname.endsWith("/embed.html")) return;
      frame.style.height = `${Math.max(0, Math.min(Math.round(data.height), 200000))}px`;
      return;
    }
  });
})();
