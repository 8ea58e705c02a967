//! The built-in sample checklist: what the app shows first and what the docs use. Realistic
//! on purpose: front matter, metadata, a rubric, critical items, a conditional rollback
//! section, nested items, code blocks, a table, document fields and sign-offs.

pub const SAMPLE_MARKDOWN: &str = include_str!("sample.md");
pub const SAMPLE_NAME: &str = "DEPLOYMENT_CHECKLIST.md";
