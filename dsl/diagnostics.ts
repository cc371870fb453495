/**
 * A problem found in a definition, located in its source file.
 * Printed as `file:line:column: message [code]`, the form editors and CI logs understand.
 */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  /** A stable identifier of the kind of problem, e.g. `unknown-step`. */
  code: string;
  message: string;
  /** Where in the document, e.g. `['steps', 'interview', 'outcomes']`. */
  path: (string | number)[];
}

/** Formats a diagnostic for a terminal. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.message} [${d.code}]`;
}

/** Thrown when a definition cannot be used; carries every problem found. */
export class DefinitionError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'DefinitionError';
  }
}
