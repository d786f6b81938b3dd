import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";

function capture(level: "debug" | "info" | "warn" | "error" = "info") {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, sink: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) });
  return { logger, lines };
}

describe("logger", () => {
  it("writes one JSON object per line with the bound request ID", () => {
    const { logger, lines } = capture();
    logger.child({ requestId: "r-1" }).info("token created", { tokenId: "t1" });
    expect(lines).toEqual([expect.objectContaining({ level: "info", msg: "token created", requestId: "r-1", tokenId: "t1" })]);
  });

  it("drops lines below the level", () => {
    const { logger, lines } = capture("warn");
    logger.info("quiet");
    logger.error("loud");
    expect(lines.map((l) => l.msg)).toEqual(["loud"]);
  });

  it("never prints secrets passed by mistake", () => {
    const { logger, lines } = capture();
    logger.info("login", { password: "hunter2", authorization: "Bearer x", bootstrapToken: "abc", user: "ann" });
    expect(JSON.stringify(lines)).not.toMatch(/hunter2|Bearer x|abc/);
    expect(lines[0]?.user).toBe("ann");
  });

  it("serialises errors and bigints", () => {
    const { logger, lines } = capture();
    logger.error("boom", { err: new Error("bad"), n: 12345678901234567890n });
    expect(lines[0]).toMatchObject({ err: { message: "bad" }, n: "12345678901234567890" });
  });
});
