// Listening on a port with a clear message when it is taken or not allowed.
import type { Server } from "node:http";

export class ListenError extends Error {}

export function listen(server: Server, port: number, host: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const reason = err.code === "EADDRINUSE" ? "is already in use (another Tailguard, or another program, is listening there)" : err.code === "EACCES" ? "needs privileges this process does not have" : err.message;
      reject(new ListenError(`cannot listen for ${what} on ${host}:${port}: port ${port} ${reason}`));
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

/** Stops accepting connections, lets in-flight requests finish, and cuts the rest after graceMs. */
export function closeGracefully(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    // Keep-alive connections go idle once their request is answered; close them as they do.
    const sweeper = setInterval(() => server.closeIdleConnections(), 100);
    const timer = setTimeout(() => {
      clearInterval(sweeper);
      server.closeAllConnections();
      resolve();
    }, graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      clearInterval(sweeper);
      resolve();
    });
    server.closeIdleConnections();
  });
}
