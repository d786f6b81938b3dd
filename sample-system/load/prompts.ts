// Request bodies for the load generator: a share of repeated "hot" prompts (what a result cache
// helps with), unique prompts otherwise, a few simulated clients, and now and then a client retry
// that replays its Idempotency-Key.
import { randomUUID } from "node:crypto";
import type { LoadRequest } from "./load-generator";

const SUBJECTS = ["a lighthouse", "a red fox", "a city at night", "a bowl of ramen", "a mountain lake", "an old robot", "a sailing ship", "a desert road", "a jazz club", "a snowy forest"];
const STYLES = ["watercolour", "photorealistic", "isometric", "oil painting"];

export function hotPrompts(count = 20): string[] {
  return Array.from({ length: count }, (_, i) => `${SUBJECTS[i % SUBJECTS.length]}, ${STYLES[i % STYLES.length]}`);
}

export function requestMaker(options: { hotPromptRatio: number; clients?: number; replayRatio?: number }): (index: number) => LoadRequest {
  const hot = hotPrompts();
  const clients = options.clients ?? 20;
  const recentKeys: Array<{ key: string; body: unknown; client: string }> = [];
  return (index) => {
    if (recentKeys.length > 0 && Math.random() < (options.replayRatio ?? 0.01)) {
      const replay = recentKeys[Math.floor(Math.random() * recentKeys.length)];
      if (replay) return { path: "/v1/jobs", body: replay.body, headers: { "idempotency-key": replay.key, "x-client-id": replay.client } };
    }
    const prompt = Math.random() < options.hotPromptRatio ? (hot[Math.floor(Math.random() * hot.length)] ?? "hot") : `${SUBJECTS[index % SUBJECTS.length]} #${index} ${randomUUID().slice(0, 8)}`;
    const body = { prompt, steps: 30 };
    const client = `load-client-${index % clients}`;
    const key = randomUUID();
    recentKeys.push({ key, body, client });
    if (recentKeys.length > 100) recentKeys.shift();
    return { path: "/v1/jobs", body, headers: { "idempotency-key": key, "x-client-id": client } };
  };
}
