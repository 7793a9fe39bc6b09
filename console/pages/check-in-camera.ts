// Scanning QR codes with the camera: the browser's BarcodeDetector where it reads QR codes, else
// jsQR — imported here on demand, so it is a chunk of its own fetched only when a door starts the
// camera on a browser without the detector (the console's main bundle does not carry it).

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
interface DetectorClass {
  new (o: { formats: string[] }): Detector;
  getSupportedFormats(): Promise<string[]>;
}

const SAME_CODE_PAUSE_MS = 3000;
const EVERY_MS = 150;

async function reader(video: HTMLVideoElement): Promise<() => Promise<string | null>> {
  const Native = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (Native && (await Native.getSupportedFormats().catch((): string[] => [])).includes('qr_code')) {
    const detector = new Native({ formats: ['qr_code'] });
    return async () => (await detector.detect(video))[0]?.rawValue ?? null;
  }
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  return async () => {
    if (video.videoWidth === 0) return null;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    context.drawImage(video, 0, 0);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
  };
}

/** Starts the back camera into `video` and calls `onCode` per code read (the same code at most every 3 s); returns stop. */
export async function startCamera(video: HTMLVideoElement, onCode: (text: string) => void): Promise<() => void> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  video.srcObject = stream;
  await video.play();
  const read = await reader(video);
  let stopped = false;
  let last = { text: '', at: 0 };
  const tick = async () => {
    if (stopped) return;
    const text = await read().catch(() => null);
    if (text && (text !== last.text || Date.now() - last.at > SAME_CODE_PAUSE_MS)) {
      last = { text, at: Date.now() };
      onCode(text);
    }
    setTimeout(() => void tick(), EVERY_MS);
  };
  void tick();
  return () => {
    stopped = true;
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
}
