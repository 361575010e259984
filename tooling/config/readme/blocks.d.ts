/** A runnable fenced block: its language, the README line of its first code line, and its code. */
export interface ReadmeBlock {
  lang: string;
  line: number;
  code: string;
}
/** Blocks run as one module (a block without imports continues the one before). */
export interface ReadmeModule {
  line: number;
  blocks: ReadmeBlock[];
}
export function extractBlocks(markdown: string): ReadmeBlock[];
export function readmeModules(markdown: string): ReadmeModule[];
export function moduleSource(mod: ReadmeModule, runtimePath: string, readmePath: string): string;
