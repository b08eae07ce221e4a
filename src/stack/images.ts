// Images before containers: every image the stack needs is present (pulled when missing and a
// registry answers) before anything starts, so a typo fails in milliseconds with the fix instead
// of after Postgres is up. Also reads the app image's configuration and, best effort, a file
// from the image (the server's config file) without running anything in it.
import path from 'node:path';
import createDebug from 'debug';
import { type ContainerRuntimeClient, getContainerRuntimeClient, ImageName } from 'testcontainers';
import { InfraError } from '../errors.js';
import type { ImageReader } from '../server/image-reader.js';
import { type Docker, removeContainer } from './docker-ops.js';
import { runLabels } from './run-owner.js';
import { entriesOfTar, fileFromTar } from './tar.js';

const debug = createDebug('smokestack:stack');

/** The engine's answers to server detection (src/server/image-reader.ts), labelled as the run's. */
export function imageReader(client: ContainerRuntimeClient, labels: Record<string, string>): ImageReader {
  return {
    config: (image) => imageConfig(client, image),
    file: (image, path) => readConfigFileFromImage(image, path, labels),
    tree: (image, dir) => readTreeFromImage(image, dir, labels),
  };
}

export interface ImageConfig {
  cmd?: string[];
  entrypoint?: string[];
  env: string[];
  workingDir?: string;
  exposedPorts?: string[];
}

/** The Postgres image `npm run images` builds (docker/postgres), for machines without a registry. */
export const LOCAL_POSTGRES_IMAGE = 'smokestack/postgres:15';

/**
 * What to do about an image that is neither here nor pullable. `npm run images` builds the samples
 * and smokestack/postgres:15, never postgres:16-alpine: for the Postgres image the fix is the
 * variable that picks another one.
 */
export function missingImageFix(ref: string, postgresImage?: string): string {
  if (ref === postgresImage && ref !== LOCAL_POSTGRES_IMAGE)
    return `this machine cannot pull it: set SMOKESTACK_POSTGRES_IMAGE=${LOCAL_POSTGRES_IMAGE} (\`npm run images\` builds that one), or pull or build ${ref} yourself`;
  if (ref === LOCAL_POSTGRES_IMAGE) return 'build it with `npm run images`';
  return 'build it (`npm run images` builds the samples) or check the name';
}

/** Checks (and pulls when missing) each image; the first one that cannot be had is IMAGE_MISSING. */
export async function ensureImages(
  client: ContainerRuntimeClient,
  refs: string[],
  postgresImage?: string,
): Promise<void> {
  await Promise.all(
    [...new Set(refs)].map(async (ref) => {
      const name = ImageName.fromString(ref);
      try {
        await client.image.pull(name, { force: false, platform: undefined });
        // A pull that failed inside its progress stream does not throw: check it is here now.
        if (await client.image.exists(name)) return;
      } catch (error) {
        debug('image %s: %s', ref, error);
      }
      throw new InfraError('IMAGE_MISSING', `image ${ref} not found locally and cannot be pulled`, {
        fix: missingImageFix(ref, postgresImage),
      });
    }),
  );
}

export async function imageConfig(client: ContainerRuntimeClient, ref: string): Promise<ImageConfig> {
  const info = await client.image.inspect(ImageName.fromString(ref));
  const c = info.Config;
  return {
    cmd: c.Cmd ?? undefined,
    entrypoint: typeof c.Entrypoint === 'string' ? [c.Entrypoint] : (c.Entrypoint ?? undefined),
    env: c.Env ?? [],
    workingDir: c.WorkingDir || undefined,
    exposedPorts: Object.keys(c.ExposedPorts ?? {}),
  };
}

/**
 * The text of one file in an image, or undefined when it is not there (or not readable). A
 * container is created — never started — to read it, labelled so a crash cannot leave it behind.
 */
export async function readConfigFileFromImage(
  image: string,
  path: string,
  labels: Record<string, string> = {},
): Promise<string | undefined> {
  return inCreatedContainer(image, labels, `reading ${path}`, undefined, async (container) => {
    let target = path;
    // Follow a symlink or two (config files are often linked into place).
    for (let hops = 0; hops < 3; hops += 1) {
      const archive = await container.getArchive({ path: target });
      const entry = fileFromTar(await collect(archive, 1024 * 1024));
      if (!entry) return undefined;
      if (entry.link === undefined) return entry.content.toString('utf8');
      target = entry.link.startsWith('/')
        ? entry.link
        : `${target.slice(0, target.lastIndexOf('/') + 1)}${entry.link}`;
    }
    return undefined;
  });
}

/**
 * Runs `read` on a container of `image` that is created and never started (its files are read
 * through the archive API), labelled so a crash cannot leave it behind, removed on every path.
 * Best effort: any error gives `fallback`.
 */
async function inCreatedContainer<T>(
  image: string,
  labels: Record<string, string>,
  what: string,
  fallback: T,
  read: (container: Awaited<ReturnType<Docker['createContainer']>>) => Promise<T>,
): Promise<T> {
  const docker = (await getContainerRuntimeClient()).container.dockerode;
  let id: string | undefined;
  try {
    const container = await docker.createContainer({
      Image: image,
      Entrypoint: ['/smokestack-never-runs'],
      Cmd: [],
      Labels: { ...runLabels('config-read'), ...labels },
    });
    id = container.id;
    return await read(container);
  } catch (error) {
    debug('%s from %s: %s', what, image, error);
    return fallback;
  } finally {
    if (id) await removeContainer(docker, id).catch(() => {});
  }
}

/**
 * Every file under a folder of an image (a server's configuration tree, like /etc/nginx), as
 * absolute path → text, symlinks followed (a link out of the folder is read on its own). Best
 * effort: an empty map when the folder is not there. Never runs the image.
 */
export async function readTreeFromImage(
  image: string,
  dir: string,
  labels: Record<string, string> = {},
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  await inCreatedContainer(image, labels, `reading ${dir}`, undefined, async (container) => {
    const parent = dir.replace(/\/+$/, '').replace(/\/[^/]*$/, '') || '/';
    const entries = entriesOfTar(await collect(await container.getArchive({ path: dir }), 16 * 1024 * 1024));
    const links = new Map<string, string>();
    for (const e of entries) {
      const full = `${parent === '/' ? '' : parent}/${e.name.replace(/^\.\//, '')}`;
      if (e.link === undefined) files.set(full, e.content.toString('utf8'));
      else links.set(full, path.posix.resolve(path.posix.dirname(full), e.link));
    }
    for (const [at, target] of links) {
      const text = files.get(target) ?? (await readConfigFileFromImage(image, target, labels));
      if (text !== undefined) files.set(at, text);
    }
  });
  return files;
}

async function collect(stream: NodeJS.ReadableStream, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += b.length;
    if (size > max) throw new Error(`file larger than ${max} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}
