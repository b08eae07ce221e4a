// The run's own bridge network, created directly (Testcontainers' Network cannot carry labels)
// so that it is labelled smokestack.run=<runId> and `smokestack clean` finds it after a crash.
import { randomBytes } from 'node:crypto';
import { type ContainerRuntimeClient, StartedNetwork } from 'testcontainers';
import { runLabels } from './run-owner.js';

export async function createRunNetwork(
  client: ContainerRuntimeClient,
  runId: string,
): Promise<StartedNetwork> {
  const name = `smokestack-${runId.slice(0, 40)}-${randomBytes(3).toString('hex')}`;
  const network = await client.network.create({
    Name: name,
    CheckDuplicate: true,
    Driver: 'bridge',
    Labels: { ...runLabels(runId), 'org.testcontainers': 'true' },
  });
  return new StartedNetwork(client, name, network);
}
