"use client";
import { useMemo } from "react";
import { create } from "qrcode";

/** The QR code of `text` as an inline SVG drawn from the code's modules (crisp at any size). */
export function QrCode({ text, label, sizePx = 168 }: { text: string; label: string; sizePx?: number }) {
  const path = useMemo(() => {
    const { modules } = create(text, { errorCorrectionLevel: "M" });
    const quiet = 2;
    let d = "";
    for (let row = 0; row < modules.size; row += 1) {
      for (let col = 0; col < modules.size; col += 1) {
        if (modules.get(row, col)) d += `M${col + quiet} ${row + quiet}h1v1h-1z`;
      }
    }
    return { d, viewBox: modules.size + quiet * 2 };
  }, [text]);
  return (
    <svg
      className="qr"
      role="img"
      aria-label={label}
      width={sizePx}
      height={sizePx}
      viewBox={`0 0 ${path.viewBox} ${path.viewBox}`}
      shapeRendering="crispEdges"
    >
      <rect width="100%" height="100%" fill="#fff" />
      <path d={path.d} fill="#111827" />
    </svg>
  );
}
