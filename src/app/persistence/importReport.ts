/** Where the report of an import waits across the reload (this tab only). */
const IMPORT_REPORT_KEY = 'unet-studio-import-report';

/** Leaves `report` for the next page load of this tab; false where there is no session storage. */
export function leaveImportReport(report: string): boolean {
  try {
    sessionStorage.setItem(IMPORT_REPORT_KEY, report);
    return true;
  } catch {
    return false;
  }
}

/** The report an import left for this page load, once. */
export function takeImportReport(): string | null {
  try {
    const report = sessionStorage.getItem(IMPORT_REPORT_KEY);
    sessionStorage.removeItem(IMPORT_REPORT_KEY);
    return report;
  } catch {
    return null;
  }
}
