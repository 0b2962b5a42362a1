// nbformat 4 shapes, as the contents API sends and receives them.

export type MimeBundle = Record<string, unknown>;
export type JsonObject = Record<string, unknown>;

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: string;
}

export interface DisplayOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: JsonObject;
}

export interface ResultOutput {
  output_type: "execute_result";
  data: MimeBundle;
  metadata: JsonObject;
  execution_count: number | null;
}

export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

export type Output = StreamOutput | DisplayOutput | ResultOutput | ErrorOutput;

export type CellType = "code" | "markdown" | "raw";

export interface NbCell {
  id?: string;
  cell_type: CellType;
  source: string | string[];
  metadata?: JsonObject;
  outputs?: unknown[];
  execution_count?: number | null;
  attachments?: JsonObject;
}

export interface NbDocument {
  nbformat: number;
  nbformat_minor: number;
  metadata: JsonObject;
  cells: NbCell[];
}

/** Joins nbformat's multiline strings (a string or a list of lines). */
export function joinText(value: unknown): string {
  if (Array.isArray(value)) return value.join("");
  return typeof value === "string" ? value : "";
}
