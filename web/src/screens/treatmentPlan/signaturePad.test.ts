import { describe, expect, it } from 'vitest';
import { hasSignature, inkLength, MIN_INK, toCanvasPoint } from './signaturePad.js';

describe('toCanvasPoint', () => {
  it('scales from the shown size to the drawing size', () => {
    const rect = { left: 10, top: 20, width: 300, height: 100 };
    expect(toCanvasPoint(160, 70, rect, 600, 200)).toEqual({ x: 300, y: 100 });
  });
  it('keeps points inside the canvas', () => {
    const rect = { left: 0, top: 0, width: 100, height: 50 };
    expect(toCanvasPoint(-5, 80, rect, 100, 50)).toEqual({ x: 0, y: 50 });
  });
  it('does not divide by a zero-sized box', () => {
    expect(toCanvasPoint(5, 6, { left: 0, top: 0, width: 0, height: 0 }, 100, 50)).toEqual({ x: 5, y: 6 });
  });
});

describe('hasSignature', () => {
  it('adds the length of every stroke', () => {
    const strokes = [
      [
        { x: 0, y: 0 },
        { x: 3, y: 4 },
      ],
      [
        { x: 10, y: 10 },
        { x: 10, y: 20 },
      ],
    ];
    expect(inkLength(strokes)).toBe(15);
  });
  it('ignores a tap and an empty pad', () => {
    expect(hasSignature([])).toBe(false);
    expect(hasSignature([[{ x: 1, y: 1 }]])).toBe(false);
  });
  it('counts a drawn line of at least the minimum length', () => {
    expect(
      hasSignature([
        [
          { x: 0, y: 0 },
          { x: MIN_INK, y: 0 },
        ],
      ]),
    ).toBe(true);
    expect(
      hasSignature([
        [
          { x: 0, y: 0 },
          { x: MIN_INK - 1, y: 0 },
        ],
      ]),
    ).toBe(false);
  });
});
