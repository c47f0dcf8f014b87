import QRCode from "qrcode";

export interface QrPng {
  png: Buffer;
  /** Side in pixels, quiet zone included. */
  size: number;
  /** Side in modules, quiet zone included: the picture is `size / modules` pixels per module. */
  modules: number;
}

/** The standard's quiet zone: four modules of white on each side. */
const QUIET_ZONE = 4;

/**
 * A QR code of `text` as a grayscale PNG (no alpha: a PDF embeds it as is). Level M survives a scuffed or partly
 * covered print; whole pixels per module keep the edges sharp when a viewer or printer scales the picture.
 */
export async function qrPng(text: string, pixelsPerModule = 16): Promise<QrPng> {
  const code = QRCode.create(text, { errorCorrectionLevel: "M" });
  const modules = code.modules.size + 2 * QUIET_ZONE;
  const png = await QRCode.toBuffer(text, {
    type: "png",
    errorCorrectionLevel: "M",
    margin: QUIET_ZONE,
    scale: pixelsPerModule,
    color: { dark: "#000000ff", light: "#ffffffff" },
    rendererOpts: { colorType: 0 } as QRCode.QRCodeToBufferOptions["rendererOpts"],
  });
  return { png, size: modules * pixelsPerModule, modules };
}
