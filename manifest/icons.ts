import { PNG } from 'pngjs';

/**
 * The app's icons, drawn in code so the package never depends on a binary in the repo:
 * two interlocking rings (a coupling) — white on the accent colour for the 192×192 colour icon,
 * white on transparent for the 32×32 outline icon Teams asks for.
 */
type Rgb = readonly [number, number, number];
const ACCENT: Rgb = [0x0f, 0x6c, 0xbd];
const WHITE: Rgb = [0xff, 0xff, 0xff];
const SAMPLES = 4; // supersampling per axis, for smooth edges

/** Coverage (0..1) of the two rings at a point in unit coordinates (0..1 across the icon). */
function ringsCoverage(x: number, y: number, thickness: number): number {
  const rings = [
    { cx: 0.38, cy: 0.5 },
    { cx: 0.62, cy: 0.5 },
  ];
  const radius = 0.2;
  return rings.some((r) => Math.abs(Math.hypot(x - r.cx, y - r.cy) - radius) <= thickness / 2) ? 1 : 0;
}

function draw(
  size: number,
  pixel: (coverage: number, png: PNG, offset: number) => void,
  thickness: number,
): Buffer {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          hits += ringsCoverage(
            (px + (sx + 0.5) / SAMPLES) / size,
            (py + (sy + 0.5) / SAMPLES) / size,
            thickness,
          );
        }
      }
      pixel(hits / (SAMPLES * SAMPLES), png, (py * size + px) * 4);
    }
  }
  return PNG.sync.write(png);
}

export function drawColorIcon(): Buffer {
  return draw(
    192,
    (coverage, png, o) => {
      for (let c = 0; c < 3; c++) {
        png.data[o + c] = Math.round(ACCENT[c]! * (1 - coverage) + WHITE[c]! * coverage);
      }
      png.data[o + 3] = 255;
    },
    0.07,
  );
}

export function drawOutlineIcon(): Buffer {
  return draw(
    32,
    (coverage, png, o) => {
      png.data[o] = 255;
      png.data[o + 1] = 255;
      png.data[o + 2] = 255;
      png.data[o + 3] = Math.round(coverage * 255);
    },
    0.09,
  );
}
