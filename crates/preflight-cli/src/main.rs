//! `preflight`: the engine for release pipelines. Reads files, calls the core, prints a summary
//! for people or a stable JSON contract for machines, and gates with its exit code:
//! 0 = GO / no lint errors, 1 = NO-GO / lint errors, 2 = the input could not be read (or is
//! larger than `--max-bytes`).

mod fix;
mod input;
mod output;
mod runs;
mod short_scalar;
mod ssh;
mod state;
mod terminal;
mod time;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use preflight_core::export::{html, markdown, verify};
use preflight_core::model::Gate;
use preflight_core::normalize::normalize;
use preflight_core::parse::parse_owned;
use preflight_core::score::score_gate;
use preflight_core::{report, Severity, Verdict};

use crate::terminal::plain;

#[derive(Parser)]
#[command(name = "preflight", version, about = "Score, lint and report Markdown deployment checklists.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The most bytes read from any one input (checklist, state, report or standard input);
    /// more exits with code 2. A number of bytes, or with K, M or G (powers of 1024); 64M
    /// (64 MiB) unless given.
    #[arg(long, global = true, value_name = "N", default_value = "64M", value_parser = input::parse_limit)]
    max_bytes: u64,
}

#[derive(Subcommand)]
enum Command {
    /// Score a checklist: progress, band, GO / NO-GO and why. Exit 0 on GO, 1 on NO-GO.
    Score {
        /// The checklist (Markdown). `-` reads standard input.
        file: PathBuf,
        /// A run to score: a run or report JSON, or a filled Markdown report.
        #[arg(long)]
        state: Option<PathBuf>,
        /// Print the stable JSON contract instead of a summary.
        #[arg(long)]
        json: bool,
        /// Which pause point to answer for: `before` (may we deploy?), `during`, `after`,
        /// `contingency`, or `all` (the whole checklist as one).
        #[arg(long, value_enum, default_value_t = GateArg::Before)]
        gate: GateArg,
    },
    /// Lint a checklist: encoding, declared totals, duplicates, placeholders… Exit 1 on errors.
    Lint {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Write a report of a run: Markdown (re-importable), HTML (printable) or JSON.
    Report {
        file: PathBuf,
        #[arg(long)]
        state: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Md)]
        format: Format,
        /// Where to write; standard output when absent.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Recompute a report's hashes (and, given the checklist, its source hash and verdict).
    /// Exit 0 when everything matches, 1 when something was changed.
    Verify {
        report: PathBuf,
        file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Check SSH signatures against git's allowed_signers file: a signature's principal is
        /// the entry whose key made it. Invalid or unknown-key signatures fail.
        #[arg(long, value_name = "FILE")]
        allowed_signers: Option<PathBuf>,
        /// ROLE or ROLE=PRINCIPAL,…: the role must carry a valid signature (by one of them).
        #[arg(long, value_name = "ROLE[=PRINCIPAL,…]")]
        require: Vec<String>,
        /// Whoever did a gate's items (their `by`) may not approve that gate.
        #[arg(long)]
        separation_of_duties: bool,
    },
    /// Explain how the checklist was read: each section's gate, each item's kind and marks,
    /// each sign-off slot, the rubric and the declared total, each with the rule, line and words.
    Explain {
        file: PathBuf,
        /// Print the `preflight.explain/1` JSON contract instead of a summary.
        #[arg(long)]
        json: bool,
    },
    /// Print a ready-to-paste `<preflight-checklist>` snippet with the checklist inline, escaped
    /// so that nothing in it can end the element (`</` written `<\/`).
    Embed {
        file: PathBuf,
        /// Whose progress: runs are kept per namespace (default `embed`).
        #[arg(long)]
        namespace: Option<String>,
        /// No note/evidence editors, reasons list or export buttons.
        #[arg(long)]
        compact: bool,
        /// Where preflight-checklist.js is served from.
        #[arg(long, default_value = "preflight-checklist.js")]
        script: String,
    },
    /// Drive a run from a pipeline: `run new`, `run set`, `run sign`, `run show`.
    #[command(subcommand)]
    Run(runs::RunCommand),
    /// Print the built-in sample checklist.
    Sample,
    /// Repair a checklist (--tables, --mojibake) and print it as normalized text (UTF-8, LF).
    ///
    /// `--tables` rewrites each table whose one status column holds marks (✅ ❌ ☐ [ ] …), some
    /// still open, as a task list; `--mojibake` repairs text mis-read as Windows-1252 or Mac
    /// Roman (`âœ…` → `✅`). The output is the normalized text (UTF-8, no byte-order mark, LF
    /// line ends), also what `--write` puts in the file.
    Fix {
        /// The checklist (Markdown). `-` reads standard input.
        file: PathBuf,
        /// Rewrite each table whose one status column holds marks, some open, as a task list.
        #[arg(long)]
        tables: bool,
        /// Replace mis-decoded characters with what they spell (what `lint` proposes).
        #[arg(long)]
        mojibake: bool,
        /// Replace the file in place (atomically) and print a summary to standard error.
        #[arg(long)]
        write: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GateArg {
    Before,
    During,
    After,
    Contingency,
    All,
}

impl GateArg {
    fn gate(self) -> Option<Gate> {
        match self {
            GateArg::Before => Some(Gate::Before),
            GateArg::During => Some(Gate::During),
            GateArg::After => Some(Gate::After),
            GateArg::Contingency => Some(Gate::Contingency),
            GateArg::All => None,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Md,
    Html,
    Json,
}

/// A failure to read input: exit code 2, message on stderr.
struct Unreadable(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command, cli.max_bytes) {
        Ok(code) => ExitCode::from(code),
        Err(Unreadable(message)) => {
            // Messages quote file names, ids and parser errors: inert, like all text for people.
            // (Line by line: a list of candidates keeps its lines.)
            let lines: Vec<String> = message.lines().map(|l| plain(l).into_owned()).collect();
            eprintln!("preflight: {}", lines.join("\n"));
            ExitCode::from(2)
        }
    }
}

/// Standard output for people: styles kept on a terminal, stripped when piped or `NO_COLOR`
/// is set (anstream decides, by the rules of no-color.org and CLICOLOR).
fn print_styled(text: &str) -> Result<(), Unreadable> {
    let mut out = anstream::stdout().lock();
    written(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// A JSON contract on standard output, written as it is serialized (no `Value`, no second
/// copy as text).
fn print_json(value: &impl serde::Serialize) -> Result<(), Unreadable> {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    written(
        serde_json::to_writer_pretty(&mut out, value)
            .map_err(std::io::Error::from)
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.flush()),
    )
}

/// A reader that went away (`preflight lint … | head`) is not an error; anything else is.
fn written(result: std::io::Result<()>) -> Result<(), Unreadable> {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Unreadable(format!("cannot write output: {e}"))),
        _ => Ok(()),
    }
}

/// What `write` writes, to the file `output` or to standard output, as it is written: a long
/// checklist's HTML or JSON report (about three times its text) is never held whole.
fn write_out(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Unreadable> {
    match output {
        Some(path) => {
            let cannot = |e: std::io::Error| Unreadable(format!("cannot write {}: {e}", path.display()));
            let file = std::fs::File::create(path).map_err(cannot)?;
            let mut out = std::io::BufWriter::with_capacity(64 * 1024, file);
            write(&mut out).and_then(|()| out.flush()).map_err(cannot)
        }
        None => {
            let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
            written(write(&mut out).and_then(|()| out.flush()))
        }
    }
}

fn run(command: Command, limit: u64) -> Result<u8, Unreadable> {
    let read = |path: &Path| input::read(path, limit).map_err(Unreadable);
    let load_run = |c, state: Option<&Path>| state::load(c, state, limit, &time::now()).map_err(Unreadable);
    match command {
        Command::Score { file, state, json, gate } => {
            // The process ends right after the output: freeing the model record by record
            // (hundreds of thousands of strings on a large checklist) is left to the exit.
            let c = std::mem::ManuallyDrop::new(parse_owned(read(&file)?));
            let run = load_run(&c, state.as_deref())?;
            let card = score_gate(&c, &run, gate.gate());
            if json {
                let index = output::ItemIndex::new(&c);
                print_json(&output::score_json(&c, &run, &card, &index))?;
            } else {
                let mut stdout = anstream::stdout().lock();
                let mut out = output::Lines::new(&mut stdout);
                output::write_score_text(&c, &run, &card, &file.display().to_string(), &mut out);
                written(out.finish().and_then(|()| stdout.flush()))?;
            }
            Ok(if card.verdict == Verdict::Go { 0 } else { 1 })
        }
        Command::Lint { file, json } => {
            let c = parse_owned(read(&file)?);
            if json {
                print_json(&output::lint_json(&c))?;
            } else {
                print_styled(&output::lint_text(&c, &file.display().to_string()))?;
            }
            Ok(u8::from(c.diagnostics.iter().any(|d| d.severity == Severity::Error)))
        }
        Command::Report { file, state, format, output } => {
            let c = parse_owned(read(&file)?);
            let run = load_run(&c, state.as_deref())?;
            let now = time::now();
            // On a terminal a report is read, not kept: what a run file put in its names and
            // reasons (escape sequences) is shown as text. A file or a pipe gets the report's bytes.
            if output.is_none() && !matches!(format, Format::Json) && std::io::stdout().is_terminal() {
                let text = match format {
                    Format::Html => {
                        let mut page = Vec::new();
                        html::write(&c, &run, &now, &mut page).map_err(|e| Unreadable(e.to_string()))?;
                        String::from_utf8_lossy(&page).into_owned()
                    }
                    _ => markdown::export(&c, &run, &now),
                };
                print_styled(&terminal::plain_lines(&text))?;
                return Ok(0);
            }
            write_out(output.as_deref(), |out| match format {
                Format::Md => out.write_all(markdown::export(&c, &run, &now).as_bytes()),
                Format::Html => html::write(&c, &run, &now, out),
                Format::Json => report::write_json(&c, &run, &now, out).and_then(|()| out.write_all(b"\n")),
            })?;
            Ok(0)
        }
        Command::Verify { report: path, file, json, allowed_signers, require, separation_of_duties } => {
            let text = normalize(&read(&path)?).text;
            let template = match &file {
                Some(f) => Some(parse_owned(read(f)?)),
                None => None,
            };
            let v =
                verify::verify(&text, template.as_ref()).map_err(|e| Unreadable(format!("{}: {e}", path.display())))?;
            let mut failures = Vec::new();
            let mut signatures = Vec::new();
            if let Some(signers) = &allowed_signers {
                let allowed = ssh::allowed_signers(&String::from_utf8_lossy(&read(signers)?)).map_err(Unreadable)?;
                if let Some(pair) = &v.recomputed {
                    let (c, run) = (&pair.0, &pair.1);
                    signatures = ssh::check(c, run, &allowed);
                    failures = ssh::policy(c, run, &signatures, &require, separation_of_duties);
                }
            } else if !require.is_empty() || separation_of_duties {
                return Err(Unreadable("--require and --separation-of-duties need --allowed-signers".into()));
            }
            let ok = v.ok() && failures.is_empty();
            if json {
                let sigs: Vec<_> = signatures
                    .iter()
                    .map(|k| serde_json::json!({ "id": k.id, "role": k.role, "name": k.name, "principal": k.principal, "problem": k.problem, "stale": k.stale }))
                    .collect();
                print_json(
                    &serde_json::json!({ "ok": ok, "verification": v, "signatures": sigs, "failures": failures }),
                )?;
            } else {
                let mut out = output::verification_text(&v, &path.display().to_string());
                for k in &signatures {
                    let state = match (&k.principal, &k.problem) {
                        (Some(p), None) => {
                            format!("signed by {p}{}", if k.stale { " (stale: its gate changed since)" } else { "" })
                        }
                        (_, Some(problem)) => problem.clone(),
                        _ => String::new(),
                    };
                    out.push_str(&format!("signature {} ({}): {}\n", plain(&k.role), plain(&k.name), plain(&state)));
                }
                for f in &failures {
                    out.push_str(&format!("FAIL {}\n", plain(f)));
                }
                print_styled(&out)?;
            }
            Ok(if ok { 0 } else { 1 })
        }
        Command::Explain { file, json } => {
            let c = parse_owned(read(&file)?);
            let e = preflight_core::explain::explain(&c);
            if json {
                print_json(&e)?;
            } else {
                print_styled(&output::explain_text(&e))?;
            }
            Ok(0)
        }
        Command::Fix { file, tables, mojibake, write } => {
            fix::run(&file, tables, mojibake, write, limit).map_err(Unreadable)
        }
        Command::Embed { file, namespace, compact, script } => {
            let text = normalize(&read(&file)?).text;
            print_styled(&embed_snippet(&text, namespace.as_deref(), compact, &script))?;
            Ok(0)
        }
        Command::Run(command) => {
            let (code, text) = runs::run(command, &|p| input::read(p, limit), &time::now()).map_err(Unreadable)?;
            print_styled(&text)?;
            Ok(code)
        }
        Command::Sample => {
            print!("{}", preflight_core::sample::SAMPLE_MARKDOWN);
            Ok(0)
        }
    }
}

/// The inline embed: the Markdown inside `<script type="text/markdown">`, where the only thing
/// that can end the element is `</script`, so every `</` is written `<\/` (and `<!--` as
/// `<\!--`, which could otherwise swallow the real end tag); the element reads them back.
fn embed_snippet(text: &str, namespace: Option<&str>, compact: bool, script: &str) -> String {
    let attr = |v: &str| v.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    let body = text.replace("</", "<\\/").replace("<!--", "<\\!--");
    let mut out = format!("<script src=\"{}\" defer></script>\n<preflight-checklist", attr(script));
    if let Some(ns) = namespace {
        out.push_str(&format!(" namespace=\"{}\"", attr(ns)));
    }
    if compact {
        out.push_str(" compact");
    }
    out.push_str(">\n<script type=\"text/markdown\">\n");
    out.push_str(&body);
    if !body.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("</script>\n</preflight-checklist>\n");
    out
}
