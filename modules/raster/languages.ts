// The printer languages raster jobs are turned into: the printerLanguage setting's values (device/settings).

/** HP PCL 5 (lasers: raster compression modes 2 and 3), PCL 3 (inkjets: mode 2 only), Epson ESC/P 2. */
export type PrinterLanguage = "pcl5" | "pcl3" | "escp2";
export const printerLanguages: readonly PrinterLanguage[] = Object.freeze(["pcl5", "pcl3", "escp2"] as const);
