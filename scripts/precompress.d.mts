export interface PrecompressTotals {
  files: number;
  bytes: number;
  br: number;
  gz: number;
}
export const COMPRESSIBLE: Set<string>;
export function precompressDir(dir: string): Promise<PrecompressTotals>;
export function describeTotals(label: string, totals: PrecompressTotals): string;
