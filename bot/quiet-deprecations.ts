/**
 * Imported first by the entry point, before restify loads. restify 11 requires `spdy` at load time
 * (for HTTP/2 we never use), whose `http-deceiver` reads `process.binding('http_parser')`, so every
 * start printed Node's DEP0111 warning twice — nothing we can act on, and noise that hides real
 * warnings. Exactly that warning is dropped; every other warning (other DEP codes, other bindings) is
 * printed as before. Remove when restify drops spdy.
 */
const HTTP_PARSER_BINDING = "process.binding('http_parser')";

const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const first = rest[0];
  const code =
    typeof first === 'object' && first !== null ? (first as { code?: string }).code : (rest[1] as string);
  const text = typeof warning === 'string' ? warning : warning.message;
  if (code === 'DEP0111' && text.includes(HTTP_PARSER_BINDING)) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
