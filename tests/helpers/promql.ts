// Reads what PromQL queries and Prometheus exposition text name: the metric names a dashboard query or rule
// reads, and the metric names a /metrics endpoint exports. Parsing itself is left to promtool.

const KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "offset", "bool", "inf", "nan", "atan2"]);

/**
 * Metric names a PromQL expression reads: the identifiers left after removing comments, strings, label
 * matchers, ranges, grouping clauses, offsets, numbers and function calls.
 */
export function metricNamesInPromQL(expr: string): string[] {
  const stripped = expr
    .replace(/#[^\n]*/g, " ")
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\boffset\s+-?[0-9a-z]+/gi, " ")
    .replace(/@\s*[0-9.]+/g, " ");
  const names = [...stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    // A call (`rate(`), or the tail of a number or duration (`1e3`, `5m`).
    .filter((m) => !/^\s*\(/.test(stripped.slice(m.index + m[0].length)) && !/[0-9.]$/.test(stripped.slice(0, m.index)))
    .map((m) => m[0])
    .filter((n) => !KEYWORDS.has(n.toLowerCase()));
  return [...new Set(names)];
}

/** Grafana's interval variables become 1m, any other $var / ${var} / [[var]] the regex `.+`, as "All" would. */
export function grafanaExprToPromQL(expr: string): string {
  return expr
    .replace(/\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)(:[^}]*)?\}/g, "1m")
    .replace(/\$\{[A-Za-z_]\w*(:[^}]*)?\}|\[\[[A-Za-z_]\w*\]\]|\$[A-Za-z_]\w*/g, ".+");
}

/** The metric a template variable query reads: `label_values(metric{…}, label)` or `query_result(expr)`. */
export function templateVariableExpr(definition: string): string | null {
  const labelValues = /^\s*label_values\(\s*(.+?)\s*,\s*[A-Za-z_]\w*\s*\)\s*$/s.exec(definition);
  if (labelValues) return labelValues[1]!;
  const queryResult = /^\s*query_result\(\s*(.+)\s*\)\s*$/s.exec(definition);
  return queryResult ? queryResult[1]! : null;
}

const SUFFIXES: Record<string, string[]> = { histogram: ["_bucket", "_sum", "_count"], summary: ["", "_sum", "_count"], gaugehistogram: ["_bucket", "_gsum", "_gcount"] };

/**
 * Metric names in Prometheus text exposition: every sample's name, and every declared family (`# TYPE`) with
 * the series names its type implies, so a labelled counter nobody has incremented yet still counts as exported.
 */
export function exportedMetricNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split("\n")) {
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)/.exec(line);
    if (type) {
      const [, family, kind] = type;
      for (const suffix of SUFFIXES[kind!] ?? [""]) names.add(family + suffix);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (sample) names.add(sample[1]!);
  }
  return names;
}
