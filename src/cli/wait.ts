// Waits until the CLI's abort signal fires (Ctrl-C / SIGTERM), keeping the process alive meanwhile:
// Testcontainers' log sockets are unref'd, so without a ref'd timer Node would exit early.
export function waitForSignal(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const keepAlive = setInterval(() => {}, 60_000);
    signal.addEventListener(
      'abort',
      () => {
        clearInterval(keepAlive);
        resolve();
      },
      { once: true },
    );
  });
}
