// autocannon with a second latency view that leaves out each connection's first answer: that
// one includes the TCP handshake of 1,000 connections opening at once, which on a shared machine
// is the client's cost, not the server's. "Holds p99 under load" is the steady-state figure.
import autocannon from 'autocannon';
import { build } from 'hdr-histogram-js';

export interface SteadyLatency {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

export function steadyCannon(
  options: autocannon.Options,
): Promise<{ result: autocannon.Result; steady: SteadyLatency }> {
  const histogram = build({ numberOfSignificantValueDigits: 3 });
  const seen = new WeakSet<object>();
  return new Promise((resolve, reject) => {
    const instance = autocannon({ timeout: 30, ...options }, (error, result) => {
      if (error) return reject(error);
      const ms = (us: number) => Math.round(us / 10) / 100;
      resolve({
        result,
        steady: {
          p50: ms(histogram.getValueAtPercentile(50)),
          p99: ms(histogram.getValueAtPercentile(99)),
          max: ms(histogram.maxValue),
          count: histogram.totalCount,
        },
      });
    });
    instance.on('response', (client: object, _status: number, _bytes: number, responseTime: number) => {
      if (!seen.has(client)) {
        seen.add(client);
        return;
      }
      histogram.recordValue(Math.round(responseTime * 1000));
    });
  });
}
