// Modules the bundler (scripts/bundle.mjs) provides to web/: CSS as text, the gzipped wasm.
declare module "*.css" { const text: string; export default text; }
declare module "preflight:wasm" { const base64: string; export default base64; }
