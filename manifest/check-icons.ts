import { PNG } from 'pngjs';

/** Teams' icon rules: colour 192×192; outline 32×32, white on transparent (no other colour). */
export function checkIcons(color: Buffer, outline: Buffer): string[] {
  const problems: string[] = [];
  const c = readPng(color, 'color.png', problems);
  const o = readPng(outline, 'outline.png', problems);
  if (c && (c.width !== 192 || c.height !== 192)) {
    problems.push(`color.png must be 192×192 pixels, it is ${c.width}×${c.height}`);
  }
  if (o) {
    if (o.width !== 32 || o.height !== 32)
      problems.push(`outline.png must be 32×32 pixels, it is ${o.width}×${o.height}`);
    let transparent = 0;
    for (let i = 0; i < o.data.length; i += 4) {
      const alpha = o.data[i + 3]!;
      if (alpha === 0) {
        transparent++;
      } else if (o.data[i] !== 255 || o.data[i + 1] !== 255 || o.data[i + 2] !== 255) {
        problems.push('outline.png may only contain white (#FFFFFF) and transparent pixels');
        break;
      }
    }
    if (transparent === 0) problems.push('outline.png must have a transparent background');
  }
  return problems;
}

function readPng(buffer: Buffer, name: string, problems: string[]): PNG | undefined {
  try {
    return PNG.sync.read(buffer);
  } catch (e) {
    problems.push(`${name} is not a valid PNG: ${(e as Error).message}`);
    return undefined;
  }
}
