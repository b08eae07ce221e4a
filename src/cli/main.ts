// Placeholder until the commander program lands (see src/cli/program.ts).
export async function main(_argv: string[]): Promise<number> {
  return 2;
}
