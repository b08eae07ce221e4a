// What `init` reads out of an image before guessing anything: its configuration, the server it
// runs (the same detection `run` uses), and the files that say what the app is — manage.py in
// the WORKDIR, the Django settings module it names, requirements files, an installed psycopg.
// Only reads (through ImageReader: created, never started containers); the guesses are ./guess.ts.
import path from 'node:path';
import type { ServerConfig } from '../result/types.js';
import { type AppRun, detectAppServer } from '../server/from-image.js';
import type { ImageFacts, ImageReader } from '../server/image-reader.js';
import { settingsModuleOf } from './python-env.js';

export interface TextFile {
  path: string;
  text: string;
}

export interface ImageFindings {
  image: string;
  config: ImageFacts;
  server: ServerConfig;
  /** manage.py in the WORKDIR: a Django project. */
  managePy?: TextFile;
  /** The Django settings module (DJANGO_SETTINGS_MODULE, or manage.py's default). */
  settings?: TextFile;
  /** requirements*.txt, pyproject.toml or Pipfile in the WORKDIR. */
  requirements: TextFile[];
  /** PostgreSQL drivers found installed: the path of each one's __init__.py. */
  postgresDrivers: string[];
  /** The compose service's (or scenario's) env and command, when they are not the image's. */
  app?: AppRun;
}

const REQUIREMENT_FILES = [
  'requirements.txt',
  'requirements/base.txt',
  'requirements/prod.txt',
  'pyproject.toml',
  'Pipfile',
];
const DRIVERS = ['psycopg2', 'psycopg'];

export async function readImage(
  reader: ImageReader,
  image: string,
  app: AppRun = { env: {} },
): Promise<ImageFindings> {
  const config = await reader.config(image);
  const workdir = config.workingDir ?? '/';
  const at = (p: string) => path.posix.resolve(workdir, p);
  const read = async (p: string): Promise<TextFile | undefined> => {
    const text = await reader.file(image, p);
    return text === undefined ? undefined : { path: p, text };
  };
  const [{ server }, managePy, requirements, postgresDrivers] = await Promise.all([
    detectAppServer(reader, image, app, undefined),
    read(at('manage.py')),
    Promise.all(REQUIREMENT_FILES.map((f) => read(at(f)))).then((all) => all.filter((f) => f !== undefined)),
    findDrivers(reader, image, config.env),
  ]);
  const env = { ...envMap(config.env), ...app.env };
  const module = env.DJANGO_SETTINGS_MODULE ?? (managePy && settingsModuleOf(managePy.text));
  let settings: TextFile | undefined;
  if (module) {
    const base = at(module.replaceAll('.', '/'));
    settings = (await read(`${base}.py`)) ?? (await read(`${base}/__init__.py`));
  }
  return {
    image,
    config,
    server,
    ...(managePy ? { managePy } : {}),
    ...(settings ? { settings } : {}),
    requirements,
    postgresDrivers,
    ...(app.command || app.entrypoint || Object.keys(app.env).length > 0 ? { app } : {}),
  };
}

/**
 * Where pip and apt put packages: Debian's dist-packages, and the official python images'
 * site-packages (their PYTHON_VERSION env names the folder). A venv elsewhere is not searched;
 * requirements files and the settings still tell.
 */
async function findDrivers(reader: ImageReader, image: string, env: string[]): Promise<string[]> {
  const version = /^(\d+\.\d+)/.exec(envMap(env).PYTHON_VERSION ?? '')?.[1];
  const roots = [
    '/usr/lib/python3/dist-packages',
    ...(version ? [`/usr/local/lib/python${version}/site-packages`] : []),
  ];
  const candidates = roots.flatMap((root) => DRIVERS.map((d) => `${root}/${d}/__init__.py`));
  const found = await Promise.all(
    candidates.map(async (p) => ((await reader.file(image, p)) === undefined ? undefined : p)),
  );
  return found.filter((p) => p !== undefined);
}

export function envMap(env: string[]): Record<string, string> {
  return Object.fromEntries(
    env.map((e) => {
      const i = e.indexOf('=');
      return i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)];
    }),
  );
}
