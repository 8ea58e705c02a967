// Include once on a page that embeds Preflight with <iframe src=".../embed.html?src=…">: it
// sizes each Preflight iframe to its content. A message is believed only when it comes from
// the window of one of this page's iframes and from that iframe's own origin.
(() => {
  addEventListener("message", (event) => {
    const data = event.data;
    if (!data || data.type !== "preflight:height" || !Number.isFinite(data.height)) return;
    for (const frame of document.getElementsByTagName("iframe")) {
      if (frame.contentWindow !== event.source) continue;
      let origin;
      try { origin = new URL(frame.src, location.href).origin; } catch { return; }
      if (origin !== event.origin) return;
      frame.style.height = `${Math.max(0, Math.min(Math.round(data.height), 200000))}px`;
      return;
    }
  });
})();
