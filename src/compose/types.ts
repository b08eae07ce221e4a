// A team's docker-compose.yml as smokestack reads it: the compose-spec subset that decides how a
// stack starts (docs/compose.md), with interpolation done, paths made absolute and both long and
// short forms brought to one shape. Produced only by ./load-compose.ts; src/stack starts it.

export type DependsCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface ComposeProject {
  /** The compose file, absolute. */
  file: string;
  /** Its folder: relative paths (build contexts, env_file, bind mounts) are resolved from here. */
  dir: string;
  /** Every service of the file, in file order, profiled ones included (see `profiles`). */
  services: ComposeService[];
  /** Named volumes declared under the top-level `volumes:` (each is made fresh per run). */
  volumes: string[];
  /**
   * Keys the file sets that smokestack does not use, as `services.web.restart` or `networks`:
   * one warning names them all (formatUnsupported), none is dropped silently.
   */
  unsupported: string[];
  /** Other things worth a line: variables that were not set, an env_file that was optional and absent. */
  warnings: string[];
}

export interface ComposeService {
  /** The key under `services:`; the container's network alias on the run's network. */
  name: string;
  image?: string;
  build?: ComposeBuild;
  /** Replaces the image's CMD; a string in the file is split into words as compose splits it. */
  command?: string[];
  /** Replaces the image's ENTRYPOINT. */
  entrypoint?: string[];
  /** env_file contents, then `environment:` over them (compose's order), interpolated. */
  env: Record<string, string>;
  ports: ComposePort[];
  /** Container ports from `expose:`. */
  expose: number[];
  dependsOn: ComposeDependency[];
  /** undefined: the image's own HEALTHCHECK (if any) applies. */
  healthcheck?: ComposeHealthcheck;
  volumes: ComposeMount[];
  /** Non-empty: compose starts it only when one of these profiles is active. */
  profiles: string[];
}

export interface ComposeBuild {
  /** Absolute folder. */
  context: string;
  /** Relative to the context, as Docker takes it. Default `Dockerfile`. */
  dockerfile: string;
  args: Record<string, string>;
  target?: string;
}

export interface ComposePort {
  /** The port inside the container. */
  target: number;
  /** The host port the file names (never bound by smokestack: the app gets a free loopback port). */
  published?: string;
  hostIp?: string;
  protocol: 'tcp' | 'udp';
}

export interface ComposeDependency {
  service: string;
  condition: DependsCondition;
  /** `required: false`: a missing or not-started target is skipped, not an error. */
  optional?: true;
}

export type ComposeHealthcheck =
  | { disabled: true }
  | {
      disabled: false;
      /** Docker's form: ['CMD', exe, ...args] or ['CMD-SHELL', script]; undefined keeps the image's test. */
      test?: string[];
      /** Docker's defaults when the file is silent: 30 s, 30 s, 3, 0 s. */
      intervalMs: number;
      timeoutMs: number;
      retries: number;
      startPeriodMs: number;
    };

export type ComposeMount =
  /** A named volume (`name` set) or an anonymous one: fresh per run either way. */
  | { kind: 'volume'; name?: string; target: string; readOnly: boolean }
  /** A host path, absolute. */
  | { kind: 'bind'; source: string; target: string; readOnly: boolean };
