/**
 * A broker logger that keeps what is logged at warn level and above, so a test can assert that
 * something does not warn (or fail) as well as that it works.
 */
import { Loggers } from "moleculer";

export interface LogLine {
  level: string;
  mod: string;
  text: string;
}

export class CapturingLogger extends Loggers.Base<{ level?: "warn" }> {
  readonly lines: LogLine[] = [];

  constructor() {
    super({ level: "warn" });
  }

  override getLogHandler(bindings: { mod?: string }) {
    return (level: string, args: unknown[]) => {
      const text = args
        .map(arg => (arg instanceof Error ? `${arg.name}: ${arg.message}` : String(arg)))
        .join(" ");
      this.lines.push({ level, mod: bindings.mod ?? "", text });
    };
  }

  /** Lines at these levels, as `level mod: text`, for readable failure messages. */
  at(...levels: string[]): string[] {
    return this.lines
      .filter(line => levels.includes(line.level))
      .map(line => `${line.level} ${line.mod}: ${line.text}`);
  }
}
