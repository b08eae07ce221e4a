// What server detection needs to read from an image, without running it: its configuration and
// the files of its server. The stack implements it on the engine (src/stack/images.ts); detection
// only asks, so it depends on no container code.

export interface ImageFacts {
  cmd?: string[];
  entrypoint?: string[];
  env: string[];
  workingDir?: string;
  /** The image's EXPOSE lines as Docker keeps them: `8000/tcp`. */
  exposedPorts?: string[];
}

export interface ImageReader {
  config(image: string): Promise<ImageFacts>;
  /** One file's text, symlinks followed; undefined when it is not there. */
  file(image: string, path: string): Promise<string | undefined>;
  /** Every file under a folder, absolute path → text, symlinks followed; empty when none. */
  tree(image: string, dir: string): Promise<Map<string, string>>;
}
