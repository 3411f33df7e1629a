/** Strokes of a drawn signature in canvas pixels; pure so the drawing rules can be unit-tested. */
export interface Point {
  x: number;
  y: number;
}
export type Stroke = Point[];

/** Where a pointer at client coordinates lands on a canvas drawn at `width`×`height` but shown at `rect`'s size. */
export function toCanvasPoint(
  clientX: number,
  clientY: number,
  rect: { left: number; top: number; width: number; height: number },
  width: number,
  height: number,
): Point {
  const sx = rect.width > 0 ? width / rect.width : 1;
  const sy = rect.height > 0 ? height / rect.height : 1;
  const clamp = (v: number, max: number) => Math.min(max, Math.max(0, v));
  return {
    x: clamp((clientX - rect.left) * sx, width),
    y: clamp((clientY - rect.top) * sy, height),
  };
}

/** Total drawn length in canvas pixels. */
export function inkLength(strokes: readonly Stroke[]): number {
  let total = 0;
  for (const s of strokes)
    for (let i = 1; i < s.length; i++) {
      const a = s[i - 1];
      const b = s[i];
      if (a && b) total += Math.hypot(b.x - a.x, b.y - a.y);
    }
  return total;
}

/** Minimum ink (px) for a drawing to count as a signature rather than a stray tap. */
export const MIN_INK = 30;

/** True when the strokes hold enough ink to be kept as a signature. */
export function hasSignature(strokes: readonly Stroke[]): boolean {
  return inkLength(strokes) >= MIN_INK;
}
