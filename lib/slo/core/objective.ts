/** Exact decimal SLO objectives: "99.9" stays 99.9, and its error budget is exactly 0.1 %. */

/** Percent digits kept after the point; 6 allows 99.999999 %. */
export const OBJECTIVE_MAX_DECIMALS = 6;
const PERCENT_SCALE = 10 ** OBJECTIVE_MAX_DECIMALS; // percentE6 per 1 %
const HUNDRED_PERCENT_E6 = 100 * PERCENT_SCALE; // 1e8: fits a double exactly

/** An objective as an integer count of millionths of a percent (99.9 % → 99_900_000). */
export type Objective = {
  readonly percentE6: number;
};

export type ObjectiveResult = { ok: true; objective: Objective } | { ok: false; reason: string };

const DECIMAL = /^\s*(\d+)(?:\.(\d+))?\s*$/;

/** Decimal text → integer scaled by 10^scaleDigits, or null when it has too many decimals. */
function decimalToScaledInteger(text: string, scaleDigits: number): number | null | "malformed" {
  const match = DECIMAL.exec(text);
  if (!match) return "malformed";
  const whole = match[1] ?? "0";
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > scaleDigits) return null;
  const scaled = BigInt(whole) * 10n ** BigInt(scaleDigits) + BigInt(fraction.padEnd(scaleDigits, "0") || "0");
  return scaled > BigInt(Number.MAX_SAFE_INTEGER) ? "malformed" : Number(scaled);
}

/** A JS number as written in source (99.9 → "99.9", 1e-8 → "0.00000001"); the shortest text that reads back as the same number. */
function numberToDecimalText(value: number): string | null {
  if (!Number.isFinite(value) || value < 0) return null;
  const text = String(value);
  const exp = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exp) return text;
  const digits = `${exp[1]}${exp[2] ?? ""}`;
  const pointAt = 1 + Number(exp[3]);
  if (pointAt <= 0) return `0.${"0".repeat(-pointAt)}${digits}`;
  return digits.padEnd(pointAt, "0").slice(0, pointAt) + (digits.length > pointAt ? `.${digits.slice(pointAt)}` : "");
}

function fromScaled(percentE6: number | null | "malformed", label: string): ObjectiveResult {
  if (percentE6 === "malformed") return { ok: false, reason: `${label} must be a decimal number such as 99.9` };
  if (percentE6 === null) return { ok: false, reason: `${label} may have at most ${OBJECTIVE_MAX_DECIMALS} decimal places of a percent` };
  if (percentE6 <= 0 || percentE6 >= HUNDRED_PERCENT_E6) {
    return { ok: false, reason: `${label} must be greater than 0 % and less than 100 %` };
  }
  return { ok: true, objective: { percentE6 } };
}

/** Parse a percent objective: "99.9", 99.9, "99.95". */
export function parseObjectivePercent(input: string | number): ObjectiveResult {
  const text = typeof input === "number" ? numberToDecimalText(input) : input;
  if (text === null) return { ok: false, reason: "objective must be a finite decimal number such as 99.9" };
  return fromScaled(decimalToScaledInteger(text, OBJECTIVE_MAX_DECIMALS), "objective");
}

/** Parse a ratio objective as OpenSLO writes it ("0.999" → 99.9 %). */
export function parseObjectiveRatio(input: string | number): ObjectiveResult {
  const text = typeof input === "number" ? numberToDecimalText(input) : input;
  if (text === null) return { ok: false, reason: "target must be a finite decimal number such as 0.999" };
  return fromScaled(decimalToScaledInteger(text, OBJECTIVE_MAX_DECIMALS + 2), "target");
}

/** Render integer/10^digits as the shortest exact decimal text. */
function scaledToText(scaled: number, digits: number): string {
  const negative = scaled < 0;
  const padded = String(Math.abs(scaled)).padStart(digits + 1, "0");
  const whole = padded.slice(0, padded.length - digits);
  const fraction = padded.slice(padded.length - digits).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** "99.9" */
export function formatObjectivePercent(objective: Objective): string {
  return scaledToText(objective.percentE6, OBJECTIVE_MAX_DECIMALS);
}

/** "0.999" */
export function formatObjectiveRatio(objective: Objective): string {
  return scaledToText(objective.percentE6, OBJECTIVE_MAX_DECIMALS + 2);
}

/** Error budget as exact percent text: 99.9 → "0.1". */
export function formatErrorBudgetPercent(objective: Objective): string {
  return scaledToText(HUNDRED_PERCENT_E6 - objective.percentE6, OBJECTIVE_MAX_DECIMALS);
}

/** Error budget as exact ratio text: 99.9 → "0.001" (for PromQL and YAML). */
export function formatErrorBudgetRatio(objective: Objective): string {
  return scaledToText(HUNDRED_PERCENT_E6 - objective.percentE6, OBJECTIVE_MAX_DECIMALS + 2);
}

/** Objective as a number in (0, 1); one correctly rounded division, so 99.9 → 0.999 exactly as a literal would be. */
export function objectiveRatio(objective: Objective): number {
  return objective.percentE6 / HUNDRED_PERCENT_E6;
}

/** 1 − objective, computed on integers first so 99.9 gives 0.001 rather than 0.0010000000000000009. */
export function errorBudgetRatio(objective: Objective): number {
  return (HUNDRED_PERCENT_E6 - objective.percentE6) / HUNDRED_PERCENT_E6;
}

/** Error budget in parts of 10^8, for exact arithmetic elsewhere (99.9 → 100_000). */
export function errorBudgetE8(objective: Objective): number {
  return HUNDRED_PERCENT_E6 - objective.percentE6;
}

/** Same scale as errorBudgetE8: the denominator of every ratio above. */
export const RATIO_SCALE_E8 = HUNDRED_PERCENT_E6;
