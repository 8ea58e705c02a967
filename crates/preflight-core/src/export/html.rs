//! The HTML report: one self-contained, printable file. No scripts, no external requests (the
//! CSP forbids them too), every piece of document text escaped. It renders the model's safe
//! inline runs, never the document's raw HTML.

use std::borrow::Cow;
use std::fmt::Write;

use crate::model::Gate;
use crate::model::{Checklist, Inline, Item};
use crate::run::{Run, Status};
use crate::score::{percent, score, score_gate_summary};

/// The bidirectional embeddings, overrides and isolates: shown in a page's text, never obeyed.
fn bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Escape text for HTML element content and double-quoted attributes. The bidirectional
/// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are written as their code
/// points (`\u{202e}`), as on a terminal: in an audited page, a link's text must not show
/// `exe.pdf` for `fdp.exe`, nor an item read backwards.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if bidi_control(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// A link target with its bidi controls percent-encoded, as a browser sends them: the same
/// target, which shows no reordering (the `\u{202e}` form of [`escape`] would change it).
fn bidi_encoded(href: &str) -> Cow<'_, str> {
    if !href.contains(bidi_control) {
        return Cow::Borrowed(href);
    }
    let mut out = String::with_capacity(href.len() + 16);
    for c in href.chars() {
        if bidi_control(c) {
            for b in c.encode_utf8(&mut [0; 4]).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn inline(runs: &[Inline]) -> String {
    let mut out = String::new();
    for r in runs {
        let mut s = escape(&r.text).replace('\n', "<br>");
        if r.code {
            s = format!("<code>{s}</code>");
        }
        if r.emphasis {
            s = format!("<em>{s}</em>");
        }
        if r.strong {
            s = format!("<strong>{s}</strong>");
        }
        if r.strikethrough {
            s = format!("<del>{s}</del>");
        }
        if let Some(href) = &r.href {
            s = format!("<a href=\"{}\" rel=\"noopener noreferrer\">{s}</a>", escape(&bidi_encoded(href)));
        }
        out.push_str(&s);
    }
    out
}

/// ` — a, b, c, d, e, and 3 more`: the items a reason names, by their words.
fn named(c: &Checklist, ids: &[Cow<'_, str>]) -> String {
    if ids.is_empty() {
        return String::new();
    }
    let words: Vec<String> = ids
        .iter()
        .take(5)
        .map(|id| {
            c.item(id)
                .map(|i| i.sign_off.as_ref().map_or(i.text.as_str(), |s| s.role.as_str()).to_string())
                .unwrap_or_else(|| id.to_string())
        })
        .map(|t| escape(&t))
        .collect();
    let more = if ids.len() > 5 { format!(", and {} more", ids.len() - 5) } else { String::new() };
    format!(" — {}{more}", words.join(", "))
}

const STYLE: &str = r#"
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--go:#1a7f37;--nogo:#cf222e;--warn:#9a6700;--bg:#fff;--soft:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--go:#3fb950;--nogo:#f85149;--warn:#d29922;--bg:#0d1117;--soft:#161b22}}
*{box-sizing:border-box}body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
.verdict{display:inline-block;white-space:nowrap;font-weight:700;padding:.2rem .7rem;border-radius:1rem;color:#fff}.go{background:var(--go)}.no-go{background:var(--nogo)}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:var(--soft)}
.num{text-align:right;font-variant-numeric:tabular-nums}.muted{color:var(--muted)}code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
pre{background:var(--soft);padding:.5rem;overflow-x:auto;white-space:pre-wrap;border-radius:4px}.stale{color:var(--warn);font-weight:600}
li,p{overflow-wrap:anywhere}td{overflow-wrap:break-word}th{white-space:nowrap}
@media (max-width:40rem){body{margin:1rem auto;padding:0 .6rem}table{display:block;overflow-x:auto}dl{grid-template-columns:1fr}}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:var(--muted)}dd{margin:0;word-break:break-all}
@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}tr,pre{break-inside:avoid}a{color:inherit}.verdict{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"#;

pub fn export(c: &Checklist, run: &Run, generated_at: &str) -> String {
    let mut out = Vec::with_capacity(c.source.len() + 16 * 1024);
    // Writing to a `Vec` does not fail, and every write is a whole `str`.
    let _ = write(c, run, generated_at, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`export`], written to `out` as it is made instead of returned whole: on a 10 MB checklist
/// the page is 35 MB, and a page's wasm memory keeps every byte it ever held (the second
/// module sends what it writes to JavaScript in pieces).
pub fn write(c: &Checklist, run: &Run, generated_at: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut h = Page::new(out);
    page(c, run, generated_at, &mut h);
    h.send();
    h.error.map_or(Ok(()), Err)
}

/// The page, as it is written: gathered in a small buffer (the page is made of many short
/// pieces, each a call through `dyn Write` otherwise) and sent to the writer whenever the buffer
/// is full; the writer's first failure is kept and ends the writing.
struct Page<'a> {
    buf: Vec<u8>,
    out: &'a mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

impl<'a> Page<'a> {
    const BUFFER: usize = 64 * 1024;

    fn new(out: &'a mut dyn std::io::Write) -> Self {
        Page { buf: Vec::with_capacity(Self::BUFFER), out, error: None }
    }

    fn push_str(&mut self, s: &str) {
        self.push_bytes(s.as_bytes());
    }

    fn push_bytes(&mut self, bytes: &[u8]) {
        if self.buf.len() + bytes.len() > Self::BUFFER {
            self.send();
        }
        if self.error.is_none() {
            self.buf.extend_from_slice(bytes);
        }
    }

    /// What is gathered, to the writer.
    fn send(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.out.write_all(&self.buf) {
                self.error = Some(e);
            }
        }
        self.buf.clear();
    }
}

impl Write for Page<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

fn page(c: &Checklist, run: &Run, generated_at: &str, h: &mut Page<'_>) {
    // The headline answers "may we deploy?" (the before gate); the lists cover every gate.
    let card = score(c, run);
    let whole = score_gate_summary(c, run, None);
    let verdict_class = card.verdict.as_str();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
    h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src 'none'\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str(&format!(
        "<title>{} — Preflight report</title>\n<style>{STYLE}</style></head><body>\n",
        escape(&c.title)
    ));
    h.push_str(&format!("<header><h1>{}</h1>\n", escape(&c.title)));
    h.push_str(&format!("<p class=\"muted\">Run “{}” · generated {}</p>\n", escape(&run.name), escape(generated_at)));
    h.push_str(&format!(
        "<p><span class=\"verdict {verdict_class}\">{}</span> Score <strong>{}</strong> — {} · {}/{} applicable items done · {} N/A · {} blocked · {}/{} sign-offs signed</p>\n",
        card.verdict.as_str().to_uppercase(),
        percent(card.score_tenths),
        escape(&card.band.label),
        card.counts.done,
        card.counts.applicable,
        card.counts.na,
        card.counts.blocked,
        card.sign_offs.signed,
        card.sign_offs.total
    ));
    // What blocks GO, as the app shows it: each reason with the items it names, and the
    // stage's blocked items (which block by being open, and would otherwise go unnamed).
    let blocked: Vec<Cow<'_, str>> = c
        .tasks()
        .filter(|i| i.gate == Some(card.gate.unwrap_or(Gate::Before)))
        .filter(|i| run.items.get(&i.id).is_some_and(|s| s.status == Status::Blocked))
        .map(|i| Cow::Borrowed(i.id.as_str()))
        .collect();
    if !card.reasons.is_empty() || !blocked.is_empty() {
        h.push_str("<ul class=\"reasons\">");
        for r in &card.reasons {
            h.push_str(&format!("<li>{}{}</li>", escape(&r.message), named(c, &r.items)));
        }
        if !blocked.is_empty() {
            let n = blocked.len();
            h.push_str(&format!(
                "<li>{n} {} blocked{}</li>",
                if n == 1 { "item is" } else { "items are" },
                named(c, &blocked)
            ));
        }
        h.push_str("</ul>\n");
    }
    let gates: Vec<_> = card.gates.iter().filter(|g| g.verdict.is_some()).collect();
    if gates.len() > 1 {
        h.push_str("<table><thead><tr><th>Gate</th><th>Verdict</th><th class=\"num\">Score</th><th class=\"num\">Done</th><th class=\"num\">Sign-offs</th></tr></thead><tbody>\n");
        for g in gates {
            let v = g.verdict.map_or("—", |v| v.as_str());
            h.push_str(&format!(
                "<tr><td>{}</td><td><span class=\"verdict {v}\">{}</span></td><td class=\"num\">{}</td><td class=\"num\">{}/{}</td><td class=\"num\">{}/{}</td></tr>\n",
                g.gate.as_str(),
                v.to_uppercase(),
                percent(g.score_tenths),
                g.counts.done,
                g.counts.applicable,
                g.sign_offs.signed,
                g.sign_offs.total
            ));
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</header>\n<main>\n<h2>Sections</h2>\n<table><thead><tr><th>Section</th><th class=\"num\">Done</th><th class=\"num\">Applicable</th><th class=\"num\">N/A</th><th class=\"num\">Score</th></tr></thead><tbody>\n");
    for s in card.sections.iter().filter(|s| s.counts.total > 0) {
        let indent = "&nbsp;&nbsp;".repeat(usize::from(s.level.saturating_sub(1)).min(5));
        let state = if s.conditional && !s.active { " <span class=\"muted\">(conditional, off)</span>" } else { "" };
        h.push_str(&format!(
            "<tr><td>{indent}{}{state}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            escape(&s.title),
            s.counts.done,
            s.counts.applicable,
            s.counts.na,
            crate::score::section_percent(s)
        ));
    }
    h.push_str("</tbody></table>\n");
    // The lists below are written into the page as they are made, with no list of rows, joined
    // copy or formatted copy in between: on a 10 MB checklist those copies took the second
    // wasm module's memory to 352 MiB for a 35 MB page.
    let section_of = |i: usize| c.sections.get(i).map(|s| escape(&s.title)).unwrap_or_default();
    let list = |h: &mut Page<'_>, title: &str, filter: &dyn Fn(Status, bool) -> bool| {
        let listed = |item: &&Item| filter(run.item(&item.id).status, item.critical);
        if !c.tasks().any(|item| listed(&item)) {
            return;
        }
        let _ = write!(h, "<h2>{title}</h2>\n<table><thead><tr><th>Item</th><th>Section</th><th>Status</th><th>Reason</th></tr></thead><tbody>\n");
        for item in c.tasks().filter(listed) {
            let s = run.item(&item.id);
            let _ = writeln!(
                h,
                "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                if item.critical { "<strong>critical</strong> · " } else { "" },
                inline(&item.inline.all(&item.text)),
                section_of(item.section),
                s.status.as_str(),
                escape(s.reason.as_deref().unwrap_or(""))
            );
        }
        h.push_str("</tbody></table>\n");
    };
    list(h, "Blocking and blocked items", &|st, crit| st == Status::Blocked || (crit && st == Status::Todo));
    list(h, "N/A items", &|st, _| st == Status::Na);
    let noted = |item: &&Item| {
        let s = run.item(&item.id);
        s.note.is_some() || s.evidence.is_some()
    };
    if c.tasks().any(|item| noted(&item)) {
        h.push_str("<h2>Notes and evidence</h2>\n");
        for item in c.tasks().filter(noted) {
            let s = run.item(&item.id);
            let _ = write!(h, "<h3>{}</h3>", inline(&item.inline.all(&item.text)));
            if let Some(n) = &s.note {
                let _ = write!(h, "<p>{}</p>", escape(n).replace('\n', "<br>"));
            }
            if let Some(e) = &s.evidence {
                let _ = write!(h, "<pre>{}</pre>", escape(e));
            }
            if let (Some(by), Some(at)) = (&s.by, &s.at) {
                let _ = write!(h, "<p class=\"muted\">{} · {}</p>", escape(by), escape(at));
            }
        }
    }
    let rows = |h: &mut Page<'_>, items: &mut dyn Iterator<Item = &Item>| {
        for (k, item) in items.enumerate() {
            let _ = write!(
                h,
                "{}<li>{} <span class=\"muted\">— {}</span></li>",
                if k > 0 { "\n" } else { "" },
                inline(&item.inline.all(&item.text)),
                section_of(item.section)
            );
        }
    };
    let inactive: std::collections::HashSet<&str> = whole.inactive.iter().map(|id| &**id).collect();
    let open = |i: &&Item| run.item(&i.id).status == Status::Todo && !i.critical && !inactive.contains(i.id.as_str());
    let n = c.tasks().filter(open).count();
    if n > 0 {
        let _ = write!(h, "<h2>Open items ({n})</h2>\n<ul>");
        rows(h, &mut c.tasks().filter(open));
        h.push_str("</ul>\n");
    }
    let not_counted = |i: &&Item| inactive.contains(i.id.as_str());
    let n = c.tasks().filter(not_counted).count();
    if n > 0 {
        let _ = write!(
            h,
            "<h2>Not counted ({n})</h2>\n<p class=\"muted\">Optional items and items of switched-off conditional sections count once done.</p>\n<ul>"
        );
        rows(h, &mut c.tasks().filter(not_counted));
        h.push_str("</ul>\n");
    }
    h.push_str("<h2>Sign-offs</h2>\n");
    let sign_offs: Vec<_> = c.sign_offs().collect();
    if sign_offs.is_empty() {
        h.push_str("<p class=\"muted\">This checklist has no sign-off lines.</p>\n");
    } else {
        h.push_str("<table><thead><tr><th>Role</th><th>Name</th><th>Date</th><th>Meaning</th><th>Signed at</th><th class=\"num\">Score then</th></tr></thead><tbody>\n");
        for item in sign_offs {
            let role = item.sign_off.as_ref().map(|s| s.role.as_str()).unwrap_or("");
            match run.sign_offs.get(&item.id).and_then(|s| s.signature.as_ref()) {
                Some(sig) => {
                    let stale = if whole.is_stale(&item.id) {
                        " <span class=\"stale\">stale: items changed after signing</span>"
                    } else {
                        ""
                    };
                    h.push_str(&format!(
                        "<tr><td>{}</td><td>{}{stale}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>\n",
                        escape(role),
                        escape(&sig.name),
                        escape(&sig.date),
                        escape(&sig.meaning),
                        escape(&sig.signed_at),
                        percent(sig.score_tenths)
                    ));
                }
                None => h.push_str(&format!(
                    "<tr><td>{}</td><td colspan=\"5\" class=\"muted\">not signed</td></tr>\n",
                    escape(role)
                )),
            }
        }
        h.push_str("</tbody></table>\n");
    }
    let fields: Vec<String> = c
        .fields
        .iter()
        .filter_map(|f| {
            let v = run.fields.get(&f.id)?;
            (!v.value.is_empty()).then(|| format!("<dt>{}</dt><dd>{}</dd>", escape(&f.label), escape(&v.value)))
        })
        .collect();
    if !fields.is_empty() {
        h.push_str(&format!("<h2>Fields</h2>\n<dl>{}</dl>\n", fields.join("")));
    }
    h.push_str("<h2>Integrity</h2>\n<dl>");
    h.push_str(&format!("<dt>Source SHA-256</dt><dd><code>{}</code></dd>", c.source_sha256));
    h.push_str(&format!("<dt>Run state SHA-256</dt><dd><code>{}</code></dd>", run.state_sha256()));
    h.push_str(&format!(
        "<dt>Run</dt><dd>{} (<code>{}</code>), started {}</dd>",
        escape(&run.name),
        escape(&run.id),
        escape(&run.created_at)
    ));
    h.push_str(&format!(
        "<dt>Generator</dt><dd>Preflight {}</dd><dt>Generated</dt><dd>{}</dd></dl>\n",
        crate::VERSION,
        escape(generated_at)
    ));
    // The canonical JSON report, so `preflight verify` can recompute this page. Inert data: the
    // CSP runs no script, and no `<`, `>` or `&` is left in it to close the element or start
    // markup (JSON spells them `\u003c`, `\u003e`, `\u0026`; they only occur in strings).
    h.push_str("</main>\n<script type=\"application/json\" id=\"preflight-report\">");
    // Written into the page as serde_json makes it, never held whole beside it; from the
    // scorecards the page showed, not scored again.
    let report = crate::report::build_scored(c, run, generated_at, card, &whole);
    if let Err(e) = crate::report::write_report(&report, &mut Embedded(h)) {
        h.error.get_or_insert(e);
    }
    h.push_str("</script>\n</body></html>\n");
}

/// JSON made safe to sit inside `<script type="application/json">`, as the page embeds it.
pub fn embedded_json(json: &str) -> String {
    let mut out = Vec::with_capacity(json.len());
    let mut page = Page::new(&mut out);
    // Writing to a `Vec` does not fail.
    let _ = std::io::Write::write_all(&mut Embedded(&mut page), json.as_bytes());
    page.send();
    String::from_utf8(out).unwrap_or_default()
}

/// JSON as [`embedded_json`] makes it, onto the page as it is written: bytes to bytes (a block
/// of the report may cut a character; the page's writer takes bytes).
struct Embedded<'a, 'b>(&'a mut Page<'b>);

impl std::io::Write for Embedded<'_, '_> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let mut rest = data;
        while let Some(at) = memchr::memchr3(b'<', b'>', b'&', rest) {
            self.0.push_bytes(&rest[..at]);
            self.0.push_bytes(match rest[at] {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                _ => b"\\u0026",
            });
            rest = &rest[at + 1..];
        }
        self.0.push_bytes(rest);
        // Once the page's writer has failed, serde_json stops too.
        match self.0.error {
            Some(_) => Err(std::io::Error::other("the page could not be written")),
            None => Ok(data.len()),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_str;

    #[test]
    fn the_reasons_name_their_items_and_the_blocked_ones_with_how_many_more() {
        let items: String = (1..=7).map(|i| format!("- [ ] 🔴 step {i}\n")).collect();
        let c = parse_str(&format!("# T\n## Prep\n{items}- [ ] wait for DNS\n"));
        let mut run = Run::new(&c, "r", "r", "2026-12-01T00:00:00Z");
        let dns = c.tasks().find(|i| i.text == "wait for DNS").map(|i| i.id.clone()).unwrap_or_default();
        run.set_status(&c, &dns, Status::Blocked, Some("registrar".into()), None, "2026-12-01T00:00:01Z")
            .expect("an item");
        let html = export(&c, &run, "2026-12-01T00:00:02Z");
        assert!(html.contains("— 🔴 step 1, 🔴 step 2, 🔴 step 3, 🔴 step 4, 🔴 step 5, and 2 more</li>"), "{html}");
        assert!(html.contains("<li>1 item is blocked — wait for DNS</li>"), "{html}");
    }

    /// Bidi overrides in a link's text or target, or an item's words, are shown, not obeyed.
    #[test]
    fn bidi_overrides_are_shown_not_obeyed() {
        let c = parse_str("# T\n- [ ] Open [invoice\u{202e}fdp.exe](https://x.test/a\u{202e}b) and r\u{2067}ead\n");
        let html = export(&c, &Run::new(&c, "r", "r", "t"), "t");
        let page = &html[..html.find("<script").unwrap_or(html.len())];
        assert!(!page.contains(['\u{202e}', '\u{2067}']), "{page}");
        assert!(page.contains("invoice\\u{202e}fdp.exe</a>"), "{page}");
        assert!(page.contains("href=\"https://x.test/a%E2%80%AEb\""), "{page}");
        assert_eq!(escape("שלום \u{200f}عالم"), "שלום \u{200f}عالم");
    }

    /// What a writer was given, write by write.
    #[derive(Default)]
    struct Recorder {
        bytes: Vec<u8>,
        largest: usize,
        failed: usize,
        fail_after: Option<usize>,
    }

    impl std::io::Write for Recorder {
        fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
            if self.fail_after.is_some_and(|n| self.bytes.len() >= n) {
                self.failed += 1;
                return Err(std::io::Error::other("disk full"));
            }
            self.largest = self.largest.max(data.len());
            self.bytes.extend_from_slice(data);
            Ok(data.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn long_run() -> (Checklist, Run) {
        let items: String =
            (0..3000).map(|i| format!("- [ ] check <b>{i}</b> & «ÿ» 📋 a > b\n  note <{i}>\n")).collect();
        let c = parse_str(&format!("# T <&>\n## Prep & <go>\n{items}"));
        let mut run = Run::new(&c, "r<&>", "r", "2026-12-01T00:00:00Z");
        let ids: Vec<String> = c.tasks().map(|i| i.id.clone()).collect();
        for id in ids.iter().step_by(3) {
            run.set_status(&c, id, Status::Blocked, Some("<why> & who".into()), None, "2026-12-01T00:00:01Z")
                .expect("an item");
        }
        (c, run)
    }

    /// A long page goes to its writer as it is made, a buffer at a time, never built whole first
    /// (in wasm memory, which never shrinks, a whole page stayed with the page for good); what
    /// the writer gets is the page `export` returns, its report embedded and escaped.
    #[test]
    fn the_page_is_written_as_it_is_made() {
        let (c, run) = long_run();
        let mut out = Recorder::default();
        write(&c, &run, "2026-12-01T00:00:02Z", &mut out).expect("written");
        let page = export(&c, &run, "2026-12-01T00:00:02Z");
        assert_eq!(String::from_utf8(out.bytes).expect("UTF-8"), page);
        assert!(out.largest <= Page::BUFFER, "a write of {} bytes", out.largest);
        assert!(page.len() > 20 * Page::BUFFER, "a page of {} bytes is long", page.len());
        let json = crate::report::json(&c, &run, "2026-12-01T00:00:02Z");
        let embedded = embedded_json(&json);
        assert!(page.contains(&embedded), "the page embeds the report, escaped");
        assert!(embedded.len() > json.len() + 3000 * 5, "the report has escapes");
    }

    #[test]
    fn the_page_and_its_embedded_report_score_the_run_once() {
        use crate::score::SCORINGS;
        let c = parse_str(crate::sample::SAMPLE_MARKDOWN);
        let mut run = Run::new(&c, "r", "Run", "2026-12-01T00:00:00Z");
        let first = c.tasks().next().unwrap().id.clone();
        run.set_status(&c, &first, crate::run::Status::Done, None, Some("ana"), "2026-12-01T00:00:01Z").unwrap();
        let scorings = |f: &mut dyn FnMut()| {
            SCORINGS.with(|n| n.set(0));
            f();
            SCORINGS.with(|n| n.get())
        };
        let once = scorings(&mut || {
            score(&c, &run);
            score_gate_summary(&c, &run, None);
        });
        assert!(once > 0);
        let mut page = String::new();
        assert_eq!(scorings(&mut || page = export(&c, &run, "2026-12-02T00:00:00Z")), once);
        // And the embedded report is the one `report::json` writes from its own scoring.
        let json = crate::report::json(&c, &run, "2026-12-02T00:00:00Z");
        assert!(page.contains(&embedded_json(&json)), "the page embeds report::json's report");
    }

    /// A writer that fails (a full disk) ends the page: its error is returned, and nothing more
    /// is written to it, the embedded report included.
    #[test]
    fn a_failing_writer_ends_the_page_with_its_error() {
        let (c, run) = long_run();
        // Writes come a buffer at a time: the last fails in the embedded report.
        for fail_after in [0, 100_000, export(&c, &run, "t").len() - Page::BUFFER - 100] {
            let mut out = Recorder { fail_after: Some(fail_after), ..Recorder::default() };
            let e = write(&c, &run, "t", &mut out).expect_err("the writer failed");
            assert_eq!(e.to_string(), "disk full");
            assert_eq!(out.failed, 1, "written to again after failing at {fail_after}");
        }
    }

    #[test]
    fn embedded_json_is_escaped_across_writes() {
        for piece in ["", "plain", "<", "a&b>c", "«é» 📋 <&>", "\\u003c"] {
            let whole = piece.repeat(3);
            let expected = whole.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026");
            assert_eq!(embedded_json(&whole), expected, "{piece:?}");
            // Written a byte at a time, characters cut: the same bytes.
            let mut written = Vec::new();
            let mut page = Page::new(&mut written);
            for b in whole.as_bytes() {
                std::io::Write::write_all(&mut Embedded(&mut page), std::slice::from_ref(b)).expect("writes");
            }
            page.send();
            assert_eq!(String::from_utf8(written).expect("UTF-8"), expected, "{piece:?}");
        }
    }
}
