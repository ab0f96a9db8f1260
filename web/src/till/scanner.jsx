import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../shared/i18n.js";

/** The camera, where the browser can read QR codes itself; typing always works. */
export function Scanner({ onCode }) {
  const [on, setOn] = useState(false);
  const video = useRef(null);
  const supported = typeof window !== "undefined" && "BarcodeDetector" in window &&
    navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  useEffect(() => {
    if (!on) return undefined;
    let stream; let stopped = false;
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then((s) => {
      stream = s; video.current.srcObject = s; video.current.play();
      const tick = async () => {
        if (stopped) return;
        const found = await detector.detect(video.current).catch(() => []);
        if (found.length) { setOn(false); onCode(found[0].rawValue); return; }
        setTimeout(tick, 250);
      };
      tick();
    }).catch(() => setOn(false));
    return () => { stopped = true; if (stream) stream.getTracks().forEach((t) => t.stop()); };
  }, [on]);
  if (!supported) return null;
  return (
    <div>
      <button type="button" onClick={() => setOn(!on)}>{on ? t("till.stopCamera") : t("till.scan")}</button>
      {on && <video ref={video} class="scanner" muted playsinline />}
    </div>
  );
}
