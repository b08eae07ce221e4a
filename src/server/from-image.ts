// The app's server configuration as the container will run it: the image's Cmd, Entrypoint, Env
// and WorkingDir, the scenario's env and command override, and (best effort) the server's config
// file read out of the image — then the pure detectServerConfig, and whether the harness turns
// on the server's access log (./access-log-injection.ts) for the app container's env.
import path from 'node:path';
import type { ServerConfig } from '../result/types.js';
import type { AppSpec } from '../scenario/types.js';
import { accessLogPlan } from './access-log-injection.js';
import type { ServerCommandInput } from './command.js';
import { configFileToRead, detectServerConfig } from './config.js';
import type { ImageReader } from './image-reader.js';

export async function detectAppServer(
  reader: ImageReader,
  image: string,
  app: AppRun,
  override: { ms: number; source: 'flag' | 'scenario' } | undefined,
): Promise<AppServer> {
  const config = await reader.config(image).catch(() => undefined);
  if (!config) {
    // Best effort: without the image's configuration, what the scenario says still counts.
    const detected = detectServerConfig({
      command: app.command,
      commandFrom: app.commandFrom,
      entrypointOverride: app.entrypoint,
      scenarioEnv: app.env,
      override: overrideOf(override),
    });
    detected.detectedFrom?.push(`the configuration of ${image} could not be read`);
    // Not knowing what the image sets, nothing is turned on.
    return { server: detected, env: {} };
  }
  const input = {
    cmd: config.cmd,
    entrypoint: config.entrypoint,
    command: app.command,
    commandFrom: app.commandFrom,
    entrypointOverride: app.entrypoint,
    imageEnv: config.env,
    scenarioEnv: app.env,
    override: overrideOf(override),
  };
  const file = configFileToRead(input);
  if (!file) return withAccessLog(detectServerConfig(input), input);
  const filePath = path.posix.resolve(config.workingDir ?? '/', file.path);
  const text = await reader.file(image, filePath);
  const withFile = { ...input, configFileText: text, configFilePath: filePath };
  const detected = detectServerConfig(withFile);
  if (text === undefined && file.named) detected.detectedFrom?.push(`${filePath} not readable in the image`);
  return withAccessLog(detected, withFile);
}

/** How the app container runs: the scenario's env and command, and what a compose service adds. */
export type AppRun = Pick<AppSpec, 'env' | 'command'> &
  Pick<ServerCommandInput, 'commandFrom'> & {
    /** A compose service's `entrypoint:` (see ServerCommandInput.entrypointOverride). */
    entrypoint?: ServerCommandInput['entrypointOverride'];
  };

export interface AppServer {
  server: ServerConfig;
  /** Variables the harness adds to the app container's env (only the app's, not services'). */
  env: Record<string, string>;
  /** The gunicorn format of access lines with request time on the app's output, if any. */
  accessLogFormat?: string;
}

function withAccessLog(server: ServerConfig, input: Parameters<typeof accessLogPlan>[0]): AppServer {
  const plan = accessLogPlan(input);
  if (plan.injected) server.injected = plan.injected;
  if (plan.note) server.detectedFrom?.push(plan.note);
  return { server, env: plan.env ?? {}, ...(plan.format ? { accessLogFormat: plan.format } : {}) };
}

function overrideOf(
  override: { ms: number; source: 'flag' | 'scenario' } | undefined,
): { timeoutMs: number; source: 'flag' | 'scenario' } | undefined {
  return override && { timeoutMs: override.ms, source: override.source };
}
