// Structured JSON logs, one object per line, with bound fields such as the request ID.
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
// Never print these even if a caller passes them by mistake.
const SECRET_KEYS = /(pass(word)?|secret|token|authorization|cookie)$/i;

export type LogSink = (line: string) => void;

export function createLogger(opts: { level: LogLevel; sink?: LogSink; fields?: LogFields }): Logger {
  const sink = opts.sink ?? ((line) => process.stdout.write(`${line}\n`));
  const bound = opts.fields ?? {};
  const write = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (ORDER[level] < ORDER[opts.level]) return;
    sink(JSON.stringify({ time: new Date().toISOString(), level, msg, ...redact(bound), ...redact(fields ?? {}) }, jsonSafe));
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (fields) => createLogger({ ...opts, sink, fields: { ...bound, ...fields } }),
  };
}

function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_KEYS.test(k) ? "[redacted]" : v;
  return out;
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
