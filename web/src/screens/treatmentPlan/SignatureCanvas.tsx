import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { hasSignature, toCanvasPoint, type Stroke } from './signaturePad.js';

const WIDTH = 600;
const HEIGHT = 180;

/**
 * An optional drawn signature: pointer events cover finger, stylus and mouse alike. The drawing
 * is handed back as a PNG data URL (null while empty or cleared). It is never required, so a
 * keyboard user simply moves past it; the Clear button is the only control in the tab order.
 */
export function SignatureCanvas({
  id,
  label,
  onChange,
}: {
  id: string;
  label: string;
  onChange: (pngDataUrl: string | null) => void;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const strokes = useRef<Stroke[]>([]);
  const drawing = useRef<number | null>(null);
  const [signed, setSigned] = useState(false);
  const [inked, setInked] = useState(false);

  useEffect(() => {
    const ctx = canvasRef.current?.getContext('2d');
    if (!ctx) return;
    ctx.lineWidth = 3;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#1a2b3c';
  }, []);

  const pointOf = (e: PointerEvent<HTMLCanvasElement>) =>
    toCanvasPoint(e.clientX, e.clientY, e.currentTarget.getBoundingClientRect(), WIDTH, HEIGHT);

  const down = (e: PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    drawing.current = e.pointerId;
    setInked(true);
    const p = pointOf(e);
    strokes.current.push([p]);
    const ctx = e.currentTarget.getContext('2d');
    ctx?.beginPath();
    ctx?.moveTo(p.x, p.y);
  };

  const move = (e: PointerEvent<HTMLCanvasElement>) => {
    if (drawing.current !== e.pointerId) return;
    e.preventDefault();
    const p = pointOf(e);
    strokes.current[strokes.current.length - 1]?.push(p);
    const ctx = e.currentTarget.getContext('2d');
    ctx?.lineTo(p.x, p.y);
    ctx?.stroke();
  };

  const up = (e: PointerEvent<HTMLCanvasElement>) => {
    if (drawing.current !== e.pointerId) return;
    drawing.current = null;
    const ok = hasSignature(strokes.current);
    setSigned(ok);
    onChange(ok ? e.currentTarget.toDataURL('image/png') : null);
  };

  const clear = () => {
    const canvas = canvasRef.current;
    canvas?.getContext('2d')?.clearRect(0, 0, WIDTH, HEIGHT);
    strokes.current = [];
    setSigned(false);
    setInked(false);
    onChange(null);
  };

  return (
    <div className="field tp-signature">
      <p className="tp-signature-label" id={`${id}-label`}>
        {label} <span className="optional">(optional)</span>
      </p>
      <p className="hint" id={`${id}-hint`}>
        Sign with a finger, stylus or mouse inside the box. Leave it empty to record the typed name only.
      </p>
      <canvas
        ref={canvasRef}
        id={id}
        width={WIDTH}
        height={HEIGHT}
        className="tp-signature-pad"
        role="img"
        aria-labelledby={`${id}-label`}
        aria-describedby={`${id}-hint`}
        data-signed={signed ? 'true' : 'false'}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      />
      <div className="tp-signature-actions">
        <span className="muted" aria-live="polite">
          {signed ? 'Signature drawn' : 'No signature drawn'}
        </span>
        <button type="button" className="button secondary small" onClick={clear} disabled={!inked}>
          Clear signature
        </button>
      </div>
    </div>
  );
}
