// How the demo ends the processes it started: a stop signal to each, SIGKILL to any still running
// when the grace period is over, and an answer only once every one of them has exited.
import type { ChildProcess } from "node:child_process";

/** How long `npm run demo` lets its processes stop on their own before it kills them. */
export const DEMO_STOP_GRACE_MS = 8_000;

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves when every child has exited; `killed` counts those that needed SIGKILL. */
export async function stopChildren(children: readonly ChildProcess[], options: { graceMs: number; signal?: NodeJS.Signals }): Promise<{ killed: number }> {
  let killed = 0;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (hasExited(child)) return resolve();
          const timer = setTimeout(() => {
            if (hasExited(child)) return;
            killed++;
            child.kill("SIGKILL");
          }, options.graceMs);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          // A child that never started (spawn error) emits no exit: nothing is left to wait for.
          child.once("error", () => {
            if (child.pid === undefined) {
              clearTimeout(timer);
              resolve();
            }
          });
          child.kill(options.signal ?? "SIGTERM");
        }),
    ),
  );
  return { killed };
}
